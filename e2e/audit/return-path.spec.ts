import { pickMicrosoftAccount, openLocalSignIn } from '../fixtures/sign-in';
import { expect, test } from '../fixtures/test';

const shared = '/logins?outcome=refused&reason=group_required';

test('a shared link to refused group_required sign-ins lands filtered after the Microsoft sign-in', async ({ page, configureSso }) => {
  await configureSso();
  await page.goto(shared);
  await page.getByRole('button', { name: 'Sign in with Microsoft Entra ID' }).click();
  await pickMicrosoftAccount(page, 'auditor');
  await expect(page.getByRole('heading', { level: 1, name: 'Login history' })).toBeVisible({ timeout: 20_000 });
  await expect(page).toHaveURL(/\/logins\?outcome=refused&reason=group_required$/);
  await expect(page.getByLabel('Outcome')).toHaveValue('refused');
  await expect(page.getByLabel('Reason')).toHaveValue('group_required');
});

test('the same link lands filtered after a break-glass sign-in', async ({ page, cli }) => {
  const link = await cli.adminResetLink();
  const username = `rp${Date.now().toString(36)}`;
  const password = 'correct horse battery staple';
  await page.goto(link);
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('Confirm password').fill(password);
  await page.getByRole('button', { name: 'Create administrator and sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in to the console' })).toBeVisible();

  await page.goto(shared);
  await openLocalSignIn(page);
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in with password' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Login history' })).toBeVisible();
  await expect(page).toHaveURL(/\/logins\?outcome=refused&reason=group_required$/);
  await expect(page.getByLabel('Outcome')).toHaveValue('refused');
});
