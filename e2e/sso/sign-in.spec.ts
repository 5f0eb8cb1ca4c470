import { GROUP_IDS } from '../fixtures/entra';
import { pickMicrosoftAccount } from '../fixtures/sign-in';
import { expect, test } from '../fixtures/test';

test('a user signs in at /sso through the Microsoft page and sees their profile and groups', async ({ page, configureSso }) => {
  await configureSso();
  await page.goto('/sso');
  await page.getByRole('button', { name: 'Sign in with Microsoft Entra ID' }).click();
  await pickMicrosoftAccount(page, 'mfa');

  await expect(page.getByRole('heading', { name: 'You are signed in' })).toBeVisible();
  await expect(page.getByText('Megan Bowen')).toBeVisible();
  await expect(page.getByText('megan@contoso.example')).toBeVisible();
  await expect(page.getByText('4a8e2c6f-1d3b-4e5a-8c7d-9f0b2d4e6a22')).toBeVisible();
  await expect(page.getByText('Multi-factor authentication')).toBeVisible();
  const groups = page.getByRole('list', { name: 'Groups' });
  await expect(groups).toContainText(GROUP_IDS.fieldOps);
  await expect(groups).toContainText(GROUP_IDS.supervisors);

  // a reload keeps the session (GET /api/session); sign-out revokes it and ends the Microsoft session
  await page.reload();
  await expect(page.getByText('Megan Bowen')).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByText('You are signed out.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign in with Microsoft Entra ID' })).toBeVisible();
});

test('a user outside the required groups is refused with the reason in plain words and its code', async ({ page, configureSso }) => {
  await configureSso({ requiredGroupIds: [GROUP_IDS.supervisors] });
  await page.goto('/sso');
  await page.getByRole('button', { name: 'Sign in with Microsoft Entra ID' }).click();
  await pickMicrosoftAccount(page, 'password');

  const refusal = page.getByRole('alert').filter({ hasText: 'refused' });
  await expect(refusal).toContainText('The ICE Server refused this sign-in.');
  await expect(refusal).toContainText('You are not in a group that may sign in to this server.');
  await expect(refusal).toContainText('group_required');
  await expect(refusal).toContainText('alice@contoso.example');
});

test('when SSO is turned off, /sso says that sign-in with Entra ID is not configured', async ({ page, configureSso, cli, request }) => {
  await configureSso();
  await cli.setSettings({ enabled: false });
  await expect.poll(async () => (await request.get('/sso-meta')).status()).toBe(404);
  await page.goto('/sso');
  await expect(page.getByText('Sign-in with Entra ID is not configured on this server.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign in with Microsoft Entra ID' })).toHaveCount(0);
});
