import { expect, test } from '@playwright/test';
import { openLocalSignIn } from '../fixtures/sign-in';

test('an anonymous visitor of the console gets the sign-in page', async ({ page }) => {
  const response = await page.goto('/');
  expect(response?.status()).toBe(200);
  await expect(page).toHaveTitle(/ICE SSO/);
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in to the console' })).toBeVisible();
  await openLocalSignIn(page);
  await expect(page.getByRole('button', { name: 'Sign in with password' })).toBeVisible();
});
