import type { Locator, Page } from '@playwright/test';
import { GROUP_IDS } from '../fixtures/entra';
import { signInToConsole } from '../fixtures/sign-in';
import { expect, test } from '../fixtures/test';

/** How far an element's content is wider than its box (0 when nothing scrolls sideways). */
const sideways = (l: Locator) => l.evaluate((el) => el.scrollWidth - el.clientWidth);

async function inViewport(page: Page, l: Locator): Promise<boolean> {
  const box = await l.boundingBox();
  const width = page.viewportSize()!.width;
  return !!box && box.x >= 0 && box.x + box.width <= width;
}

test('the login history fits its card at 1280 px (IP, token, Details in view), rows open the detail, and a phone shows cards', async ({
  page,
  request,
  entra,
  configureSso,
}) => {
  await configureSso({ requiredGroupIds: [GROUP_IDS.dispatch] });
  expect((await request.post('/api/login', { headers: { authorization: `Bearer ${await entra.mintToken({ user: 'mfa' })}` } })).status()).toBe(403);
  expect((await request.post('/api/login', { headers: { authorization: `Bearer ${await entra.mintToken({ user: 'password', version: 2 })}` } })).status()).toBe(
    200,
  );
  await configureSso();

  await page.setViewportSize({ width: 1280, height: 800 });
  await signInToConsole(page, 'auditor', '/logins');
  const table = page.getByRole('table', { name: 'Sign-in attempts, newest first' });
  const row = table.locator('tbody tr').filter({ hasText: 'Megan Bowen' }).first();
  await expect(row).toBeVisible();
  expect(await sideways(table.locator('xpath=..'))).toBeLessThanOrEqual(0);
  for (const cell of [row.locator('td').nth(5), row.locator('td').nth(6), row.getByRole('button', { name: /^Details of attempt/ })]) {
    expect(await inViewport(page, cell)).toBe(true);
  }
  await expect(row.locator('td').nth(5)).toContainText(/^v\d/);
  await expect(row.locator('td').nth(5).locator('code')).toHaveAttribute('title', /^Client app [0-9a-f-]{36}$/);

  // the row itself opens the detail
  await row.locator('td').nth(3).click();
  const detail = page.getByRole('region', { name: /^Sign-in attempt \d+/ });
  await expect(detail).toContainText('Not in a required group');
  await detail.getByRole('button', { name: 'Close' }).click();
  await expect(detail).toHaveCount(0);

  // keyboard: Details is reachable without scrolling time and user away, Enter opens
  const details = row.getByRole('button', { name: /^Details of attempt/ });
  await details.focus();
  await page.keyboard.press('Enter');
  await expect(detail).toBeVisible();
  expect(await inViewport(page, row.locator('td').first())).toBe(true);
  await page.keyboard.press('Escape');
  await expect(detail).toHaveCount(0);

  // a phone: cards with time, user, outcome and reason, nothing wider than the screen
  await page.setViewportSize({ width: 390, height: 844 });
  const cards = page.getByRole('list', { name: 'Sign-in attempts, newest first' });
  await expect(cards).toBeVisible();
  await expect(table).toBeHidden();
  const card = cards.getByRole('listitem').filter({ hasText: 'Megan Bowen' }).first();
  await expect(card).toContainText('refused');
  await expect(card).toContainText('Not in a required group');
  await expect(card.locator('time')).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
  await card.getByRole('button').click();
  await expect(detail).toBeVisible();
  expect(await inViewport(page, detail)).toBe(true);
});
