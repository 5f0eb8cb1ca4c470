import { signInToConsole } from '../fixtures/sign-in';
import { expect, test } from '../fixtures/test';

test('the token doctor explains an expired token and a wrong-audience token', async ({ page, entra, configureSso }) => {
  await configureSso();
  await signInToConsole(page, 'auditor', '/doctor');
  await expect(page.getByText('Nothing is recorded')).toBeVisible();

  const expired = await entra.mintToken({ user: 'password', expiresInSeconds: -3600, issuedAtSeconds: -7200 });
  await page.getByLabel('Token (JWT)').fill(expired);
  await page.getByRole('button', { name: 'Diagnose' }).click();
  await expect(page.getByText('Verdict: this token would be refused.')).toBeVisible();
  const rules = page.getByRole('list', { name: 'Validation rules' });
  await expect(rules.getByRole('listitem').filter({ hasText: 'token_expired' })).toContainText('Fix:');
  await expect(page.getByRole('table', { name: 'Token claims' }).getByRole('row', { name: /^exp/ })).toContainText('ago');

  const otherApi = await entra.mintToken({ user: 'password', audience: 'api://11111111-2222-4333-8444-555555555555' });
  await page.getByLabel('Token (JWT)').fill(otherApi);
  await page.getByRole('button', { name: 'Diagnose' }).click();
  await expect(rules.getByRole('listitem').filter({ hasText: 'audience_mismatch' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Token claims' })).toContainText('api://11111111-2222-4333-8444-555555555555');

  const good = await entra.mintToken({ user: 'password' });
  await page.getByLabel('Token (JWT)').fill(good);
  await page.getByRole('button', { name: 'Diagnose' }).click();
  await expect(page.getByText('Verdict: this token would be accepted.')).toBeVisible();
});
