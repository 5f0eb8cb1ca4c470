import { signInToConsole } from '../fixtures/sign-in';
import { expect, test } from '../fixtures/test';

test('an unknown address shows "Page not found" with ways back to the console', async ({ page, configureSso }) => {
  await configureSso();
  await signInToConsole(page, 'auditor');
  const res = await page.goto('/no-such-page');
  expect(res?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
  await page.getByRole('link', { name: 'Go to the console overview' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
});

test('the console follows a dark colour scheme', async ({ page, configureSso }) => {
  await configureSso();
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in to the console' })).toBeVisible();
  // computed colours may be oklch(): a canvas turns any CSS colour into sRGB bytes
  const luminanceOf = (selector: 'body' | 'card') =>
    page.evaluate((which) => {
      const el = which === 'body' ? document.body : document.querySelector('h1')!.closest('div')!;
      const ctx = document.createElement('canvas').getContext('2d')!;
      ctx.fillStyle = getComputedStyle(el).backgroundColor;
      ctx.fillRect(0, 0, 1, 1);
      const [r, g, b] = ctx.getImageData(0, 0, 1, 1).data;
      return (0.2126 * r! + 0.7152 * g! + 0.0722 * b!) / 255;
    }, selector);
  expect(await luminanceOf('body')).toBeLessThan(0.2);
  expect(await luminanceOf('card')).toBeLessThan(0.2);
  await page.emulateMedia({ colorScheme: 'light' });
  expect(await luminanceOf('body')).toBeGreaterThan(0.9);
});
