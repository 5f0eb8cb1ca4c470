import { GROUP_IDS } from '../fixtures/entra';
import { pickMicrosoftAccount, signInToConsole } from '../fixtures/sign-in';
import { expect, test } from '../fixtures/test';

test('groups appear as people sign in; an admin names one and /sso shows the name', async ({ page, browser, configureSso }) => {
  await configureSso();
  // Megan signs in at /sso in her own browser: her groups are created from the token
  const megan = await browser.newPage();
  await megan.goto('/sso');
  await megan.getByRole('button', { name: 'Sign in with Microsoft Entra ID' }).click();
  await pickMicrosoftAccount(megan, 'mfa');
  await expect(megan.getByRole('list', { name: 'Groups' })).toContainText(GROUP_IDS.supervisors);

  await signInToConsole(page, 'admin', '/groups');
  // other journeys share this server (the overage user brings 241 groups): find the group by its ID, not on page 1
  await page.getByRole('searchbox', { name: 'Search groups' }).fill(GROUP_IDS.supervisors);
  const row = page.getByRole('row', { name: new RegExp(GROUP_IDS.supervisors) });
  await expect(row).toBeVisible();
  const name = `Supervisors ${Date.now().toString(36)}`;
  await row.getByRole('button', { name: /^Edit/ }).click();
  const form = page.getByRole('form', { name: /^Edit group/ });
  await form.getByLabel('Display name').fill(name);
  await form.getByLabel('Assignment group').fill('PTT Supervisors');
  await form.getByRole('button', { name: 'Save' }).click();
  const named = page.getByRole('row', { name: new RegExp(name) });
  await expect(named).toContainText('PTT Supervisors');

  // the member count links to the users of that group
  await named.getByRole('link', { name: /members of/ }).click();
  await expect(page.getByRole('link', { name: 'Megan Bowen' })).toBeVisible();

  // Megan's next sign-in shows the name
  await megan.getByRole('button', { name: 'Sign out' }).click();
  await megan.getByRole('button', { name: 'Sign in with Microsoft Entra ID' }).click();
  await pickMicrosoftAccount(megan, 'mfa');
  await expect(megan.getByRole('list', { name: 'Groups' })).toContainText(name);
  await megan.close();
});
