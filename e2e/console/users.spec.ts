import { signInToConsole } from '../fixtures/sign-in';
import { expect, test } from '../fixtures/test';

test('an admin disables a user in the console and their next login is refused with user_disabled', async ({ page, request, entra, configureSso }) => {
  await configureSso();
  const login = async () => request.post('/api/login', { headers: { authorization: `Bearer ${await entra.mintToken({ user: 'seamless' })}` } });
  const first = await login();
  expect(first.status()).toBe(200);

  await signInToConsole(page, 'admin', '/users');
  await page.getByLabel('Search').fill('diego');
  await expect(page).toHaveURL(/q=diego/);
  await page.getByRole('link', { name: 'Diego Siciliani' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Diego Siciliani' })).toBeVisible();
  await expect(page.getByText('Windows integrated (Kerberos / Seamless SSO)').first()).toBeVisible();
  await expect(page.getByRole('region', { name: /Active sessions/ })).not.toContainText('No active sessions.');

  await page.getByRole('button', { name: 'Disable user' }).click();
  const dialog = page.getByRole('dialog', { name: 'Disable Diego Siciliani?' });
  await dialog.getByLabel(/Comment/).fill('Left the company');
  await dialog.getByRole('button', { name: 'Disable user' }).click();
  // other journeys may have signed Diego in too: every active session is revoked, however many
  await expect(page.getByText(/^Diego Siciliani is disabled\. \d+ sessions? revoked\.$/)).toBeVisible();
  await expect(page.getByRole('region', { name: /Active sessions/ })).toContainText('No active sessions.');

  const refused = await login();
  expect(refused.status()).toBe(403);
  expect(await refused.json()).toMatchObject({ error: 'access_denied', reason: 'user_disabled' });
  const session = await request.get('/api/session', { headers: { authorization: `Bearer ${(await first.json()).session.token}` } });
  expect(session.status()).not.toBe(200);

  await page.getByRole('button', { name: 'Enable user' }).click();
  await page.getByRole('dialog', { name: 'Enable Diego Siciliani?' }).getByRole('button', { name: 'Enable user' }).click();
  await expect(page.getByText('Diego Siciliani is enabled again.')).toBeVisible();
  expect((await login()).status()).toBe(200);
});
