import fs from 'node:fs/promises';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { APIRequestContext, Page } from '@playwright/test';
import { cli } from '../fixtures/cli';
import { EntraControl, type DemoUserKey } from '../fixtures/entra';
import { e2eEnvironment } from '../fixtures/environment';
import { signInToConsole } from '../fixtures/sign-in';
import { baselineSettings, expect, test } from '../fixtures/test';

/**
 * Every console page and /sso, for an admin and an auditor: axe finds no serious or critical
 * violation and no text below 4.5:1 (its color-contrast rule) in the light and the dark
 * colour scheme; at 1280 and 390 px nothing scrolls sideways, neither the page nor any box
 * inside it. The admin's run writes screenshots to test-results/screenshots/ (README).
 */
export const SCREENSHOT_DIR = path.resolve('test-results/screenshots');

const pages: { name: string; path: string | ((page: Page) => Promise<string>); heading: RegExp | string }[] = [
  { name: 'overview', path: '/', heading: 'Overview' },
  { name: 'settings', path: '/settings', heading: 'SSO settings' },
  { name: 'users', path: '/users', heading: 'Users' },
  { name: 'user', path: userPagePath, heading: 'Megan Bowen' },
  { name: 'groups', path: '/groups', heading: 'Groups' },
  { name: 'logins', path: '/logins', heading: 'Login history' },
  { name: 'changes', path: '/changes', heading: 'Change log' },
  { name: 'doctor', path: '/doctor', heading: 'Token doctor' },
  { name: 'sso', path: '/sso', heading: 'Sign in' },
  { name: 'not-found', path: '/no-such-page', heading: 'Page not found' },
];

async function userPagePath(page: Page): Promise<string> {
  await page.goto('/users');
  const link = page.getByRole('link', { name: 'Megan Bowen' }).first();
  await expect(link).toBeVisible();
  return (await link.getAttribute('href'))!;
}

async function seed(request: APIRequestContext, entra: EntraControl): Promise<void> {
  for (const user of ['mfa', 'seamless', 'password']) {
    expect((await request.post('/api/login', { headers: { authorization: `Bearer ${await entra.mintToken({ user })}` } })).status()).toBe(200);
  }
  // one refusal, so that reasons show
  const expired = await entra.mintToken({ user: 'mfa', expiresInSeconds: -600, issuedAtSeconds: -4200 });
  expect((await request.post('/api/login', { headers: { authorization: `Bearer ${expired}` } })).status()).toBe(401);
}

interface Finding {
  rule: string;
  impact: string | null | undefined;
  help: string;
  targets: string[];
}

async function axeFindings(page: Page): Promise<Finding[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical' || v.id === 'color-contrast')
    .map((v) => ({
      rule: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')} ${n.failureSummary?.split('\n')[1] ?? ''}`.trim()),
    }));
}

/** Boxes that scroll sideways (overflow-x auto/scroll with content wider than the box), and the page itself. */
function sidewaysScrollers(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth) found.push(`the page (${root.scrollWidth - root.clientWidth}px)`);
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('body *'))) {
      const style = getComputedStyle(el);
      if (style.overflowX !== 'auto' && style.overflowX !== 'scroll') continue;
      if (el.clientWidth === 0 || el.offsetParent === null) continue;
      const extra = el.scrollWidth - el.clientWidth;
      if (extra > 1) {
        const label = el.getAttribute('aria-label') ?? el.querySelector('caption')?.textContent ?? el.textContent?.slice(0, 40) ?? '';
        found.push(`<${el.tagName.toLowerCase()} class="${el.className}"> "${label.trim()}" (${extra}px)`);
      }
    }
    return found;
  });
}

async function open(page: Page, target: (typeof pages)[number]): Promise<void> {
  const url = typeof target.path === 'string' ? target.path : await target.path(page);
  await page.goto(url);
  await expect(page.getByRole('heading', { level: 1, name: target.heading }).first()).toBeVisible({ timeout: 15_000 });
  await page.waitForLoadState('networkidle');
  await expect(page.getByText('Loading…')).toHaveCount(0);
}

const views = [
  { width: 1280, scheme: 'light' },
  { width: 1280, scheme: 'dark' },
  { width: 390, scheme: 'light' },
  { width: 390, scheme: 'dark' },
] as const;

test.beforeAll(async ({ request, playwright }) => {
  // users and sign-ins once, so that every page has rows to show
  await cli.setSettings(baselineSettings());
  await new Promise((r) => setTimeout(r, 2_500));
  const api = await playwright.request.newContext({ baseURL: e2eEnvironment().entraOrigin, ignoreHTTPSErrors: true });
  await seed(request, new EntraControl(api, e2eEnvironment().entraOrigin));
  await api.dispose();
  await fs.mkdir(SCREENSHOT_DIR, { recursive: true });
});

for (const role of ['admin', 'auditor'] as const satisfies readonly DemoUserKey[]) {
  for (const target of pages) {
    test(`${target.name} passes axe (no serious or critical issue, text contrast at least 4.5:1) in light and dark, and nothing in it scrolls sideways at 1280 and 390 px, for an ${role}`, async ({
      page,
      configureSso,
    }) => {
      test.setTimeout(120_000);
      await configureSso();
      await signInToConsole(page, role);
      const problems: string[] = [];
      for (const { width, scheme } of views) {
        await page.setViewportSize({ width, height: width === 390 ? 844 : 800 });
        await page.emulateMedia({ colorScheme: scheme });
        await open(page, target);
        const where = `${target.name} ${width}px ${scheme}`;
        for (const f of await axeFindings(page)) problems.push(`${where}: ${f.rule} (${f.impact}) ${f.help}\n    ${f.targets.join('\n    ')}`);
        if (scheme === 'light') for (const s of await sidewaysScrollers(page)) problems.push(`${where}: scrolls sideways: ${s}`);
        if (role === 'admin') {
          const suffix = scheme === 'dark' ? `dark-${width}` : String(width);
          await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${target.name}-${suffix}.png`), fullPage: true });
        }
      }
      expect(problems, problems.join('\n')).toEqual([]);
    });
  }
}
