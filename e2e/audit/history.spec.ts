import fs from 'node:fs/promises';
import type { APIRequestContext } from '@playwright/test';
import { GROUP_IDS, type EntraControl } from '../fixtures/entra';
import { signInToConsole } from '../fixtures/sign-in';
import { expect, test } from '../fixtures/test';

async function login(request: APIRequestContext, entra: EntraControl, user: string): Promise<number> {
  const res = await request.post('/api/login', { headers: { authorization: `Bearer ${await entra.mintToken({ user })}` } });
  return res.status();
}

test('an auditor filters the history to refused sign-ins of one user, opens one, exports it, and sees the chart', async ({
  page,
  request,
  entra,
  configureSso,
}) => {
  await configureSso();
  expect(await login(request, entra, 'mfa')).toBe(200);
  expect(await login(request, entra, 'password')).toBe(200);
  await configureSso({ requiredGroupIds: [GROUP_IDS.dispatch] });
  expect(await login(request, entra, 'mfa')).toBe(403);
  expect(await login(request, entra, 'mfa')).toBe(403);
  expect(await login(request, entra, 'password')).toBe(200);

  await signInToConsole(page, 'auditor', '/logins');
  await expect(page.getByRole('heading', { level: 1, name: 'Login history' })).toBeVisible();
  await page.getByLabel('Outcome').selectOption('refused');
  await page.getByLabel('User', { exact: true }).fill('megan');
  await expect(page).toHaveURL(/outcome=refused/);
  await expect(page).toHaveURL(/user=megan/);

  const rows = page.getByRole('table', { name: 'Sign-in attempts, newest first' }).locator('tbody tr');
  await expect(rows.first()).toContainText('Megan Bowen');
  const count = await rows.count();
  expect(count).toBeGreaterThanOrEqual(2);
  for (let i = 0; i < count; i++) {
    await expect(rows.nth(i)).toContainText('Megan Bowen');
    await expect(rows.nth(i)).toContainText('refused');
  }
  await expect(rows.first()).toContainText('group_required');

  await rows
    .first()
    .getByRole('button', { name: /^Details of attempt/ })
    .click();
  const detail = page.getByRole('region', { name: /^Sign-in attempt \d+/ });
  await expect(detail).toContainText('Not in a required group (group_required)');
  await expect(detail).toContainText('4a8e2c6f-1d3b-4e5a-8c7d-9f0b2d4e6a22');
  await expect(detail.getByRole('link', { name: 'Megan Bowen' })).toBeVisible();

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
  expect(download.suggestedFilename()).toMatch(/\.csv$/);
  const csv = await fs.readFile(await download.path(), 'utf8');
  const lines = csv.trim().split(/\r?\n/);
  expect(lines.length - 1).toBe(count);
  for (const line of lines.slice(1)) {
    expect(line).toContain('megan@contoso.example');
    expect(line).toContain('refused');
  }
  expect(csv).not.toContain('alice@contoso.example');

  await page.getByRole('link', { name: 'Overview' }).click();
  const outcomeSection = page.getByRole('region', { name: 'By outcome' });
  await expect(outcomeSection.getByRole('group', { name: /Sign-in attempts by outcome, last 7 days/ })).toBeVisible();
  await expect(outcomeSection.locator('rect[fill="#dc2626"]').first()).toBeAttached();
  await outcomeSection.getByText('Show the numbers').click();
  // columns: When, accepted, refused, total
  const today = outcomeSection.getByRole('table').locator('tbody tr').last();
  expect(Number(await today.locator('td').nth(1).textContent())).toBeGreaterThanOrEqual(2);
});

test('the change log shows who changed the group rules with before and after, and the chains verify', async ({ page, configureSso }) => {
  await configureSso({ requiredGroupIds: [GROUP_IDS.supervisors] });
  await signInToConsole(page, 'auditor', '/changes');
  await page.getByLabel('Action').selectOption('settings.update');
  await page.getByLabel('Actor kind').selectOption('cli');
  const first = page.getByRole('table', { name: 'Changes, newest first' }).locator('tbody tr').first();
  await expect(first).toContainText('Required groups');
  await expect(first).toContainText(GROUP_IDS.supervisors);
  await first.getByRole('button', { name: /^Details of change/ }).click();
  const detail = page.getByRole('region', { name: /^Change \d+/ });
  await expect(detail.getByRole('table', { name: /Values changed by change/ })).toContainText(GROUP_IDS.supervisors);
  await expect(detail.getByLabel('Recorded value after the change')).toContainText(GROUP_IDS.supervisors);

  await page.getByRole('button', { name: 'Verify integrity' }).click();
  const result = page.getByRole('list', { name: 'Integrity of the audit trail' });
  await expect(result).toContainText('Login history:');
  await expect(result).toContainText('Change log:');
  await expect(result.getByText('chain intact')).toHaveCount(2);
});
