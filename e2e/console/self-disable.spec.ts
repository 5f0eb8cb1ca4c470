import { signInToConsole } from '../fixtures/sign-in';
import { expect, test } from '../fixtures/test';

test('an admin about to disable their own account is told "this is you" and must confirm', async ({ page, request, entra, configureSso }) => {
  await configureSso();
  // Adele's ICE profile exists once she has signed in through /api/login
  const login = await request.post('/api/login', { headers: { authorization: `Bearer ${await entra.mintToken({ user: 'admin' })}` } });
  expect(login.status()).toBe(200);

  await signInToConsole(page, 'admin', '/users');
  await page.getByLabel('Search').fill('adele');
  await expect(page).toHaveURL(/q=adele/);
  await expect(page.getByTestId('users-total')).toHaveText('1 user matches the filter.');
  await page.getByRole('link', { name: 'Adele Vance' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Adele Vance' })).toBeVisible();
  await expect(page.getByText('this is you', { exact: true })).toBeVisible();

  await page.getByRole('button', { name: 'Disable user' }).click();
  const dialog = page.getByRole('dialog', { name: 'Disable your own account (Adele Vance)?' });
  await expect(dialog).toContainText('This is you.');
  const confirm = dialog.getByRole('button', { name: 'Disable user' });
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel('I understand: disable my own account and sign me out').check();
  await expect(confirm).toBeEnabled();
  // not this time: the other journeys still sign in as Adele
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByText('active', { exact: true }).first()).toBeVisible();
});
