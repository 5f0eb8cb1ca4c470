import type { Request } from '@playwright/test';
import { signInLocally } from '../fixtures/sign-in';
import { expect, test } from '../fixtures/test';

/** What the browser sends to /api/trpc while a setup link is used and the admin signs in with a password. */
test('the setup token travels only in POST bodies, and every auth.* call is a request of its own', async ({ page, cli }) => {
  const link = await cli.adminResetLink();
  const token = link.split('#token=')[1]!;
  const requests: Request[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname.startsWith('/api/trpc/')) requests.push(r);
  });

  await page.goto(link);
  await expect(page.getByRole('button', { name: 'Create administrator and sign in' })).toBeVisible();
  const username = `setupreq${Date.now().toString(36)}`;
  const password = 'correct horse battery staple';
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('Confirm password').fill(password);
  await page.getByRole('button', { name: 'Create administrator and sign in' }).click();
  await expect(page.getByTestId('signed-in-as')).toContainText(username);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signInLocally(page, username, password);
  await expect(page.getByTestId('signed-in-as')).toContainText(username);

  const status = requests.filter((r) => new URL(r.url()).pathname === '/api/trpc/auth.setupStatus');
  expect(status.length).toBeGreaterThan(0);
  for (const r of status) expect(r.method()).toBe('POST');
  for (const r of requests) expect(r.url(), 'the setup token in a URL').not.toContain(token);

  const paths = requests.map((r) => decodeURIComponent(new URL(r.url()).pathname.slice('/api/trpc/'.length)));
  for (const p of paths.filter((p) => p.includes('auth.'))) expect(p, 'auth.* batched with other calls').not.toContain(',');
  expect(paths).toContain('auth.localSignIn');
  expect(paths).toContain('auth.completeSetup');
});
