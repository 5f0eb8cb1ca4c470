import { GROUP_IDS } from '../fixtures/entra';
import { pickMicrosoftAccount } from '../fixtures/sign-in';
import { expect, test } from '../fixtures/test';

test('/sso offers "Use another account": the account picker without the domain hint', async ({ page, configureSso }) => {
  await configureSso({ domainHint: 'contoso.example' });
  await page.goto('/sso');
  const authorize = page.waitForRequest((r) => r.url().includes('/oauth2/v2.0/authorize'));
  await page.getByRole('button', { name: 'Use another account' }).click();
  const url = new URL((await authorize).url());
  expect(url.searchParams.get('prompt')).toBe('select_account');
  expect(url.searchParams.has('domain_hint')).toBe(false);
  await pickMicrosoftAccount(page, 'password');
  await expect(page.getByRole('heading', { name: 'You are signed in' })).toBeVisible();
});

test('a refusal at /sso shows the reason code, the time and the request ID (when the server sends one) for the administrator', async ({
  page,
  configureSso,
}) => {
  await configureSso({ requiredGroupIds: [GROUP_IDS.supervisors] });
  await page.goto('/sso');
  const loginResponse = page.waitForResponse((r) => r.url().endsWith('/api/login'));
  await page.getByRole('button', { name: 'Sign in with Microsoft Entra ID' }).click();
  await pickMicrosoftAccount(page, 'password');
  const requestId = (await loginResponse).headers()['x-request-id'];
  const details = page.locator('dl[aria-label="Details for your administrator"]');
  await expect(details).toContainText('group_required');
  await expect(details.locator('time')).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \S+$/);
  if (requestId) await expect(details).toContainText(requestId);
  else await expect(details).not.toContainText('Request ID');
  await expect(page.getByRole('button', { name: 'Use another account' })).toBeVisible();
});

test('a user whose groups overflow the token reads a word about overage, not "No groups were imported"', async ({ page, configureSso }) => {
  await configureSso();
  await page.goto('/sso');
  await page.getByRole('button', { name: 'Sign in with Microsoft Entra ID' }).click();
  await page.getByRole('button', { name: /^Sign in as Olivia Ortega/ }).click();
  await expect(page.getByRole('heading', { name: 'You are signed in' })).toBeVisible();
  await expect(page.getByTestId('groups-overage')).toContainText('more groups than fit in a sign-in token (groups overage)');
  await expect(page.getByText('No groups were imported')).toHaveCount(0);
});
