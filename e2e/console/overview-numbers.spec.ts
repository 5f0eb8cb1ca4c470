import { signInToConsole } from '../fixtures/sign-in';
import { expect, test } from '../fixtures/test';

test('the overview counts sign-in attempts one way: the card, its split and the refusal rate agree', async ({ page, request, entra, configureSso }) => {
  await configureSso();
  // at least one accepted and one refused attempt in the last 24 hours (other journeys add more)
  const ok = await request.post('/api/login', { headers: { authorization: `Bearer ${await entra.mintToken({ user: 'seamless' })}` } });
  expect(ok.status()).toBe(200);
  const refused = await request.post('/api/login', {
    headers: { authorization: `Bearer ${await entra.mintToken({ user: 'seamless', audience: 'api://someone-else' })}` },
  });
  expect(refused.status()).toBe(401);

  await signInToConsole(page, 'auditor', '/');
  const card = page.getByRole('heading', { name: 'Sign-in attempts, last 24 hours', exact: true }).locator('..');
  await expect(card).toBeVisible();
  const attempts = Number(await page.getByTestId('attempts-24h').textContent());
  const split = /(\d+) accepted · (\d+) refused \((\d+\.\d)% refused\)/.exec((await page.getByTestId('attempts-24h-split').textContent()) ?? '');
  expect(split, 'the card splits the attempts into accepted and refused').not.toBeNull();
  const [accepted, refusedCount, pct] = [Number(split![1]), Number(split![2]), split![3]];
  expect(accepted + refusedCount).toBe(attempts);
  expect(refusedCount).toBeGreaterThanOrEqual(1);

  // the rate counts the same attempts (same 24 hours, same definition)
  const rate = page.getByRole('heading', { name: 'Refused share of sign-in attempts, last 24 hours' }).locator('..');
  await expect(rate).toContainText(`${refusedCount} refused of ${attempts} attempts`);
  await expect(rate).toContainText(`${pct}%`);
  expect(Number(pct)).toBeCloseTo((refusedCount / attempts) * 100, 1);
});
