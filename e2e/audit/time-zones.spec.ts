import { signInToConsole } from '../fixtures/sign-in';
import { expect, test } from '../fixtures/test';

test.use({ timezoneId: 'America/New_York' });

test('in New York, history times carry the zone with UTC in the tooltip, date filters take ISO-like local times naming the zone, exports say UTC', async ({
  page,
  request,
  entra,
  configureSso,
}) => {
  await configureSso();
  expect((await request.post('/api/login', { headers: { authorization: `Bearer ${await entra.mintToken({ user: 'seamless' })}` } })).status()).toBe(200);
  await signInToConsole(page, 'auditor', '/logins');

  const time = page.getByRole('table', { name: 'Sign-in attempts, newest first' }).locator('tbody tr').first().locator('time');
  await expect(time).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} E[SD]T$/);
  const iso = (await time.getAttribute('datetime'))!;
  await expect(time).toHaveAttribute('title', `${iso.slice(0, 19).replace('T', ' ')} UTC`);

  const from = page.getByLabel(/^From \(America\/New_York, E[SD]T\)$/);
  await expect(from).toHaveAttribute('placeholder', 'YYYY-MM-DD HH:MM');
  await from.fill('2026-12-01 09:30');
  await from.press('Enter');
  // 09:30 in New York in December is 14:30 UTC
  await expect(page).toHaveURL(/from=2026-12-01T14%3A30%3A00\.000Z/);
  await expect(from).toHaveValue('2026-12-01 09:30');
  await from.fill('12/01/2026');
  await from.press('Enter');
  await expect(page.getByText(/Write the time as YYYY-MM-DD HH:MM \(America\/New_York/)).toBeVisible();
  await expect(from).toHaveAttribute('aria-invalid', 'true');

  await expect(page.getByText('Exported times are UTC (ISO 8601, ending in Z).')).toBeVisible();

  // the token doctor's lifetime words name UTC
  await page.getByRole('link', { name: 'Token doctor' }).click();
  await page.getByLabel('Token (JWT)').fill(await entra.mintToken({ user: 'mfa', expiresInSeconds: -600, issuedAtSeconds: -4200 }));
  await page.getByRole('button', { name: 'Diagnose' }).click();
  const lifetime = page.getByRole('list', { name: 'Validation rules' }).getByRole('listitem').filter({ hasText: 'token_expired' });
  await expect(lifetime).toContainText(/Valid from \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC to \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC/);
});
