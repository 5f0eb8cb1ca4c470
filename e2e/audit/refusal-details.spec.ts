import { GROUP_IDS } from '../fixtures/entra';
import { signInToConsole } from '../fixtures/sign-in';
import { expect, test } from '../fixtures/test';

test('an auditor reads a group_required refusal as what to check, with the groups required against the groups held', async ({
  page,
  request,
  entra,
  configureSso,
}) => {
  await configureSso();
  // Megan's groups are imported at an accepted sign-in, then Dispatch becomes required
  expect((await request.post('/api/login', { headers: { authorization: `Bearer ${await entra.mintToken({ user: 'mfa' })}` } })).status()).toBe(200);
  await configureSso({ requiredGroupIds: [GROUP_IDS.dispatch] });
  expect((await request.post('/api/login', { headers: { authorization: `Bearer ${await entra.mintToken({ user: 'mfa' })}` } })).status()).toBe(403);

  await signInToConsole(page, 'auditor', '/logins?outcome=refused&reason=group_required&user=megan');
  await page
    .getByRole('table', { name: 'Sign-in attempts, newest first' })
    .locator('tbody tr')
    .first()
    .getByRole('button', { name: /^Details of attempt/ })
    .click();
  const detail = page.getByRole('region', { name: /^Sign-in attempt \d+/ });
  await expect(detail).toContainText('What to check:');
  await expect(detail).toContainText('Compare the groups required with the groups held');
  await expect(detail.getByRole('list', { name: 'Groups required' })).toContainText(GROUP_IDS.dispatch);
  const held = detail.getByRole('list', { name: 'Groups held' });
  await expect(held).toContainText(GROUP_IDS.fieldOps);
  await expect(held).toContainText(GROUP_IDS.supervisors);
  await expect(held).not.toContainText(GROUP_IDS.dispatch);
});
