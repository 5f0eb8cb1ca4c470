import { signInToConsole } from '../fixtures/sign-in';
import { expect, test } from '../fixtures/test';

test('behind a proxy that answers 502 the console says the server could not be reached, and Try again recovers', async ({ page, configureSso }) => {
  await configureSso();
  await signInToConsole(page, 'auditor', '/logins');
  await expect(page.getByRole('heading', { level: 1, name: 'Login history' })).toBeVisible();

  await page.route('**/api/trpc/**', (route) =>
    route.fulfill({ status: 502, contentType: 'text/html', body: '<html><body><h1>502 Bad Gateway</h1></body></html>' }),
  );
  await page.reload();
  const alert = page.getByRole('alert').filter({ hasText: 'could not be reached' });
  await expect(alert).toContainText('The server could not be reached (HTTP 502). Try again.', { timeout: 15_000 });
  await expect(page.getByText(/Unexpected token|not valid JSON/)).toHaveCount(0);

  await page.unroute('**/api/trpc/**');
  await page.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Login history' })).toBeVisible();
});

test('offline, the console says so instead of loading for ever, and loads again when the network is back', async ({ page, context, configureSso }) => {
  await configureSso();
  await signInToConsole(page, 'auditor', '/logins');
  await expect(page.getByRole('heading', { level: 1, name: 'Login history' })).toBeVisible();

  await context.setOffline(true);
  await page.getByLabel('Outcome').selectOption('refused');
  await expect(page.getByText('You are offline.').first()).toBeVisible({ timeout: 10_000 });
  await expect(page.getByText('You are offline. The console loads again when the network is back')).toBeVisible();
  await expect(page.getByText('Loading…')).toHaveCount(0);

  await context.setOffline(false);
  await expect(page.getByText('You are offline.')).toHaveCount(0, { timeout: 15_000 });
  await expect(
    page.getByRole('table', { name: 'Sign-in attempts, newest first' }).or(page.getByText('No sign-in attempts match these filters.')),
  ).toBeVisible();
});
