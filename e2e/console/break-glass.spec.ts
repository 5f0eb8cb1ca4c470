import { pickMicrosoftAccount, signInLocally } from '../fixtures/sign-in';
import { expect, test } from '../fixtures/test';

test('the break-glass setup link creates the local admin, who signs out and in again; the link works once', async ({ page, cli }) => {
  const link = await cli.adminResetLink();
  expect(link).toContain('/setup#token=');
  const username = `breakglass${Date.now().toString(36)}`;
  const password = 'correct horse battery staple';

  await page.goto(link);
  await expect(page.getByRole('heading', { level: 1, name: 'Set up the local administrator' })).toBeVisible();
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password', { exact: true }).fill('short');
  await page.getByLabel('Confirm password').fill('short');
  await page.getByRole('button', { name: 'Create administrator and sign in' }).click();
  await expect(page.getByText('Password must be at least 12 characters.')).toBeVisible();

  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('Confirm password').fill(password);
  await page.getByRole('button', { name: 'Create administrator and sign in' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId('signed-in-as')).toContainText('local break-glass account');
  await expect(page.getByTestId('signed-in-as')).toContainText(username);
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in to the console' })).toBeVisible();

  await signInLocally(page, username, 'wrong password!!');
  await expect(page.getByRole('alert').filter({ hasText: /./ }).first()).toBeVisible();
  await signInLocally(page, username, password);
  await expect(page.getByTestId('signed-in-as')).toContainText(username);

  // the link is single use
  await page.goto(link);
  await page.reload();
  await expect(page.getByText('This setup link was already used.')).toBeVisible();
  await expect(page.getByText('npx ice-sso admin reset')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Create administrator and sign in' })).toHaveCount(0);
});

test('a tab that tested a sign-in at /sso still becomes the local admin through a setup link', async ({ page, cli, configureSso }) => {
  await configureSso();
  await page.goto('/sso');
  await page.getByRole('button', { name: 'Sign in with Microsoft Entra ID' }).click();
  await pickMicrosoftAccount(page, 'password');
  await expect(page.getByRole('heading', { name: 'You are signed in' })).toBeVisible();

  const link = await cli.adminResetLink();
  const username = `tester${Date.now().toString(36)}`;
  await page.goto(link);
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password', { exact: true }).fill('correct horse battery staple');
  await page.getByLabel('Confirm password').fill('correct horse battery staple');
  await page.getByRole('button', { name: 'Create administrator and sign in' }).click();
  // the Microsoft account in this tab (no console role) must not override the local admin
  await expect(page.getByTestId('signed-in-as')).toContainText(username);
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
});
