import { signInToConsole } from '../fixtures/sign-in';
import { expect, test } from '../fixtures/test';

test('the sign-in chart offers 24 h, 7 d and 30 d with fitting buckets, a y-axis from the data, and bars that open the login history', async ({
  page,
  request,
  entra,
  configureSso,
}) => {
  await configureSso();
  const ok = await request.post('/api/login', { headers: { authorization: `Bearer ${await entra.mintToken({ user: 'mfa' })}` } });
  expect(ok.status()).toBe(200);

  await signInToConsole(page, 'auditor', '/');
  const range = page.getByRole('radiogroup', { name: 'Chart range' });
  const outcome = page.locator('#chart-outcome-heading').locator('xpath=../..');
  const bars = outcome.getByRole('link', { name: /Open these sign-ins in the login history/ });

  await expect(range.getByRole('radio', { name: 'last 7 days, per day' })).toHaveAttribute('aria-checked', 'true');
  await expect(bars).toHaveCount(7);

  await range.getByRole('radio', { name: 'last 24 hours, per hour' }).click();
  await expect(page).toHaveURL(/range=24h/);
  await expect(bars).toHaveCount(24);

  // ticks: whole numbers from 0, evenly spaced, the top one just covering the tallest bar
  const totals = await outcome.getByTestId('chart-totals').textContent();
  expect(totals).toMatch(/^\d+ sign-in attempts?: \d+ accepted, \d+ refused\.$/);
  const ticks = (await outcome.getByTestId('y-ticks').locator('text').allTextContents()).map(Number);
  expect(ticks[0]).toBe(0);
  expect(new Set(ticks).size).toBe(ticks.length);
  const step = ticks[1]! - ticks[0]!;
  ticks.forEach((t, i) => expect(t).toBe(i * step));
  const tallest = Math.max(...(await bars.evaluateAll((els) => els.map((e) => Number(/: (\d+) \(/.exec(e.getAttribute('aria-label') ?? '')?.[1] ?? 0)))));
  expect(ticks.at(-1)!).toBeGreaterThanOrEqual(tallest);
  expect(ticks.at(-1)! - step).toBeLessThan(tallest);

  await range.getByRole('radio', { name: 'last 30 days, per day' }).click();
  await expect(bars).toHaveCount(30);

  // the last hour's bar opens exactly that hour of the login history
  await range.getByRole('radio', { name: 'last 24 hours, per hour' }).click();
  await expect(bars).toHaveCount(24);
  await bars.last().click();
  await expect(page).toHaveURL(/\/logins\?from=[^&]+&to=/);
  const url = new URL(page.url());
  const from = Date.parse(url.searchParams.get('from')!);
  const to = Date.parse(url.searchParams.get('to')!);
  expect(to - from).toBe(3_600_000);
  expect(from).toBeLessThanOrEqual(Date.now());
  expect(to).toBeGreaterThan(Date.now() - 60_000);
  await expect(page.getByRole('heading', { level: 1, name: 'Login history' })).toBeVisible();
  await expect(
    page
      .getByRole('cell', { name: 'Megan Bowen' })
      .or(page.getByRole('link', { name: 'Megan Bowen' }))
      .first(),
  ).toBeVisible();
});
