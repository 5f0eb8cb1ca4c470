import fs from 'node:fs/promises';
import { demoUsers, GROUP_IDS } from '../fixtures/entra';
import { signInToConsole } from '../fixtures/sign-in';
import { expect, test } from '../fixtures/test';

test('the change log names the disabled user (name, UPN, object ID) in list, detail and export, labels settings and tells sign-ins as sentences', async ({
  page,
  request,
  entra,
  configureSso,
  cli,
}) => {
  await configureSso();
  const megan = demoUsers.mfa;
  expect((await request.post('/api/login', { headers: { authorization: `Bearer ${await entra.mintToken({ user: 'mfa' })}` } })).status()).toBe(200);
  await cli.setSettings({ requiredGroupIds: [GROUP_IDS.supervisors, GROUP_IDS.fieldOps].join(',') });
  await cli.setSettings({ requiredGroupIds: '' });

  await signInToConsole(page, 'admin', '/users');
  await page.getByLabel('Search').fill('megan');
  await expect(page).toHaveURL(/q=megan/);
  await page.getByRole('link', { name: megan.name }).click();
  await expect(page.getByRole('heading', { level: 1, name: megan.name })).toBeVisible();
  await page.getByRole('button', { name: 'Disable user' }).click();
  await page
    .getByRole('dialog', { name: `Disable ${megan.name}?` })
    .getByRole('button', { name: 'Disable user' })
    .click();
  await expect(page.getByText(new RegExp(`^${megan.name} is disabled`))).toBeVisible();
  await page.getByRole('button', { name: 'Enable user' }).click();
  await page
    .getByRole('dialog', { name: `Enable ${megan.name}?` })
    .getByRole('button', { name: 'Enable user' })
    .click();
  await expect(page.getByText(`${megan.name} is enabled again.`)).toBeVisible();

  await page.goto('/changes?action=user.disable');
  const row = page.getByRole('table', { name: 'Changes, newest first' }).locator('tbody tr').first();
  await expect(row).toContainText(megan.name);
  await expect(row).toContainText(megan.upn);
  await expect(row).toContainText(megan.oid);
  await row.getByRole('button', { name: /^Details of change/ }).click();
  const detail = page.getByRole('region', { name: /^Change \d+/ });
  await expect(detail).toContainText(megan.name);
  await expect(detail).toContainText(megan.upn);
  await expect(detail).toContainText(megan.oid);
  await expect(detail.getByTestId('change-summary')).toContainText(`Disabled ${megan.name}`);
  await expect(detail).not.toContainText('Before: null');
  await expect(detail).not.toContainText('(whole)');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
  const csv = await fs.readFile(await download.path(), 'utf8');
  const [header, first] = csv.split(/\r\n/);
  const columns = header!.split(',');
  expect(columns.indexOf('target_name')).toBe(columns.indexOf('target_id') + 1);
  expect(first).toContain(`${megan.name} · ${megan.upn} · object ID ${megan.oid}`);

  // settings diffs: the form's words, not config keys
  await page.goto('/changes?action=settings.update&actorKind=cli');
  const settingsRow = page.getByRole('table', { name: 'Changes, newest first' }).locator('tbody tr').first();
  await expect(settingsRow).toContainText('Required groups');
  await expect(settingsRow).toContainText(GROUP_IDS.supervisors);
  await expect(settingsRow).not.toContainText('requiredGroupIds:');

  // a sign-in is a sentence, not "(whole): (none) → {...}"
  await page.goto('/changes?action=console.sign_in');
  const signIn = page.getByRole('table', { name: 'Changes, newest first' }).locator('tbody tr').first();
  await expect(signIn).toContainText('Signed in to the console with Microsoft Entra ID as admin.');
  await expect(signIn).not.toContainText('(whole)');
  await signIn.getByRole('button', { name: /^Details of change/ }).click();
  await expect(page.getByRole('region', { name: /^Change \d+/ })).not.toContainText('Before');
});
