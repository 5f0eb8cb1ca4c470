import { randomUUID } from 'node:crypto';
import { GROUP_IDS } from '../fixtures/entra';
import { signInToConsole } from '../fixtures/sign-in';
import { expect, test } from '../fixtures/test';

test('group rule fields show group names and offer a picker of known groups, and still take a pasted object ID', async ({
  page,
  request,
  entra,
  configureSso,
}) => {
  await configureSso();
  // the groups become known when a token carries them
  const login = await request.post('/api/login', {
    headers: { authorization: `Bearer ${await entra.mintToken({ user: 'mfa', groups: [GROUP_IDS.dispatch, GROUP_IDS.fieldOps] })}` },
  });
  expect(login.status()).toBe(200);

  await signInToConsole(page, 'admin', '/groups');
  await page.getByLabel('Search groups').fill(GROUP_IDS.dispatch);
  await expect(page.getByTestId('groups-total')).toHaveText('1 group matches the search.');
  await page
    .getByRole('button', { name: /^Edit / })
    .first()
    .click();
  await page.getByLabel('Display name').fill('Dispatch centre');
  await page.getByRole('button', { name: 'Save', exact: true }).first().click();
  await expect(page.getByRole('row', { name: /Dispatch centre/ })).toBeVisible();

  await page.goto('/settings');
  const picker = page.getByRole('combobox', { name: 'Add a group to Required groups' });
  await picker.fill('dispatch cen');
  await page.getByRole('option', { name: /Dispatch centre/ }).click();
  const field = page.locator('#setting-requiredGroupIds');
  await expect(field).toHaveValue(GROUP_IDS.dispatch);
  const chosen = page.getByRole('list', { name: 'Groups in Required groups' });
  await expect(chosen).toContainText('Dispatch centre');
  await expect(chosen).toContainText(GROUP_IDS.dispatch);

  // by object ID, with the keyboard
  await picker.fill(GROUP_IDS.fieldOps.slice(0, 8));
  await expect(page.getByRole('option', { name: new RegExp(GROUP_IDS.fieldOps) })).toBeVisible();
  await expect(page.getByRole('listbox', { name: /^Groups matching/ }).getByRole('option'), 'only the group that matches what is typed is offered').toHaveCount(
    1,
  );
  await picker.press('ArrowDown');
  await picker.press('Enter');
  await expect(field).toHaveValue(`${GROUP_IDS.dispatch}\n${GROUP_IDS.fieldOps}`);

  // a GUID pasted into the field is accepted although no token carried it yet (a fresh one: other journeys sign in with the demo groups)
  const unseen = randomUUID();
  await field.fill(`${GROUP_IDS.dispatch}\n${unseen}`);
  await expect(field).not.toHaveAttribute('aria-invalid', 'true');
  await expect(chosen).toContainText('(not seen in a token yet)');
  await chosen.getByRole('button', { name: `Remove Dispatch centre from Required groups` }).click();
  await expect(field).toHaveValue(unseen);
  await page.getByRole('button', { name: 'Revert', exact: true }).click();
});

for (const width of [1280, 390]) {
  test(`Tenant ID and Client ID show a whole GUID at ${width} px`, async ({ page, configureSso }) => {
    await page.setViewportSize({ width, height: 900 });
    await configureSso();
    await signInToConsole(page, 'admin', '/settings');
    for (const label of ['Tenant ID', 'Client ID']) {
      const input = page.getByLabel(label, { exact: true });
      await expect(input).toHaveValue(/^[0-9a-f-]{36}$/);
      const fits = await input.evaluate((el: HTMLInputElement) => el.scrollWidth <= el.clientWidth);
      expect(fits, `${label} shows all 36 characters`).toBe(true);
    }
  });
}
