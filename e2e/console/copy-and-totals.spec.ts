import { demoUsers } from '../fixtures/entra';
import { signInToConsole } from '../fixtures/sign-in';
import { expect, test } from '../fixtures/test';

test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

test('IDs and the /sso-meta document copy with one click, lists say how many there are, and a guest wears a badge', async ({
  page,
  request,
  entra,
  configureSso,
}) => {
  await configureSso();
  // Pat signs in as a B2B guest (acct = 1, home tenant elsewhere)
  const guest = await request.post('/api/login', {
    headers: {
      authorization: `Bearer ${await entra.mintToken({ user: 'plain', claims: { acct: 1, idp: 'https://sts.windows.net/0a1b2c3d-0000-4000-8000-000000000000/' } })}`,
    },
  });
  expect(guest.status()).toBe(200);
  const diego = await request.post('/api/login', { headers: { authorization: `Bearer ${await entra.mintToken({ user: 'seamless' })}` } });
  expect(diego.status()).toBe(200);

  await signInToConsole(page, 'admin', '/');
  await page.getByRole('button', { name: 'Copy the /sso-meta document' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Copied' }).first()).toBeVisible();
  const copiedMeta = JSON.parse(await page.evaluate(() => navigator.clipboard.readText()));
  expect(copiedMeta).toEqual(await (await request.get('/sso-meta')).json());

  await page.goto('/users');
  const total = page.getByTestId('users-total');
  await expect(total).toHaveText(/^\d+ users\.$|^\d+ users; showing \d+ per page\.$/);
  await page.getByLabel('Search').fill('pat taylor');
  await expect(total).toHaveText('1 user matches the filter.');
  const row = page.getByRole('row').filter({ hasText: 'Pat Taylor' });
  await expect(row.getByText('guest', { exact: true })).toBeVisible();
  await page.getByLabel('Search').fill('diego');
  await expect(total).toHaveText('1 user matches the filter.');
  await expect(page.getByRole('row').filter({ hasText: 'Diego Siciliani' }).getByText('guest', { exact: true })).toHaveCount(0);

  await page.getByRole('link', { name: 'Diego Siciliani' }).click();
  await page.getByRole('button', { name: 'Copy the object ID' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(demoUsers.seamless.oid);

  await page.goto('/groups');
  await expect(page.getByTestId('groups-total')).toHaveText(/^\d+ groups?(; showing \d+ per page)?\.$/);
});
