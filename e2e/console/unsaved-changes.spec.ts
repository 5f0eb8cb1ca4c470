import { signInToConsole } from '../fixtures/sign-in';
import { expect, test } from '../fixtures/test';

test('leaving the settings with unsaved changes asks first: a link, Back, and closing the tab', async ({ page, configureSso }) => {
  await configureSso();
  await signInToConsole(page, 'admin', '/settings');
  const hint = page.getByLabel('Domain hint');
  await hint.fill('unsaved.example.org');

  // a navigation link: a dialog; staying keeps the edit
  await page.getByRole('navigation').getByRole('link', { name: 'Users' }).click();
  const dialog = page.getByRole('dialog', { name: 'Leave without saving?' });
  await expect(dialog).toContainText('You have 1 unsaved change to the SSO settings.');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(page).toHaveURL(/\/settings$/);
  await expect(hint).toHaveValue('unsaved.example.org');

  // Back: the browser's confirm; dismissing it stays on the page with the edit
  const asked = page.waitForEvent('dialog');
  await page.evaluate(() => history.back());
  const confirm = await asked;
  expect(confirm.type()).toBe('confirm');
  expect(confirm.message()).toContain('unsaved change');
  await confirm.dismiss();
  await expect(page).toHaveURL(/\/settings$/);
  await expect(hint).toHaveValue('unsaved.example.org');

  // closing the tab or reloading: the browser's own "Leave site?" prompt (beforeunload)
  const unload = page.waitForEvent('dialog');
  void page.close({ runBeforeUnload: true });
  const prompt = await unload;
  expect(prompt.type()).toBe('beforeunload');
  await prompt.dismiss();
  await expect(hint).toHaveValue('unsaved.example.org');

  // leaving on purpose discards
  await page.getByRole('navigation').getByRole('link', { name: 'Users' }).click();
  await page.getByRole('dialog', { name: 'Leave without saving?' }).getByRole('button', { name: 'Leave and discard changes' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Users' })).toBeVisible();
});
