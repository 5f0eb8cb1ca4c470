import { signInToConsole } from '../fixtures/sign-in';
import { expect, test } from '../fixtures/test';

test('an auditor reads everything but is offered no way to change anything', async ({ page, request, entra, configureSso }) => {
  await configureSso();
  // a user to look at
  const token = await entra.mintToken({ user: 'mfa' });
  expect((await request.post('/api/login', { headers: { authorization: `Bearer ${token}` } })).status()).toBe(200);

  await signInToConsole(page, 'auditor', '/settings');
  await expect(page.getByTestId('signed-in-as')).toContainText('Alex Wilber');
  await expect(page.getByText('Auditor', { exact: true })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: 'SSO settings' })).toBeVisible();
  // values as read-only text, not disabled inputs
  await expect(page.getByRole('group', { name: 'Tenant ID' })).toHaveText('8eaef023-2b34-4da1-9baa-8bc8c9d6a490');
  await expect(page.getByRole('textbox', { name: 'Tenant ID' })).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Version history' }).getByRole('row').nth(1)).toBeVisible();
  for (const name of ['Save', 'Revert', 'Restore this version', 'Check configuration', 'Reset to derived']) {
    await expect(page.getByRole('button', { name, exact: true })).toHaveCount(0);
  }

  await page.getByRole('link', { name: 'Users' }).click();
  await page.getByRole('link', { name: 'Megan Bowen' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Megan Bowen' })).toBeVisible();
  await expect(page.getByRole('button', { name: /Disable|Enable/ })).toHaveCount(0);

  await page.getByRole('link', { name: 'Groups' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Groups' })).toBeVisible();
  await expect(page.getByRole('row', { name: /2a6c8e0b-4d1f-4b3a-9e5c-7d8f0a1b2c3e/ })).toBeVisible();
  await expect(page.getByRole('button', { name: /^Edit/ })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Save', exact: true })).toHaveCount(0);
});

test('a user without a console role sees "No access" and the roles that would give it', async ({ page, configureSso }) => {
  await configureSso();
  await signInToConsole(page, 'plain');
  await expect(page.getByRole('heading', { level: 1, name: 'No access' })).toBeVisible();
  await expect(page.getByText('pat@contoso.example', { exact: false })).toBeVisible();
  await expect(page.getByText('IceSso.Admin')).toBeVisible();
  await expect(page.getByText('IceSso.Auditor')).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Console' })).toHaveCount(0);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in to the console' })).toBeVisible();
});
