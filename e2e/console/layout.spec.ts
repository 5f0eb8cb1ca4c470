import { signInToConsole } from '../fixtures/sign-in';
import { expect, test } from '../fixtures/test';

const pages = ['/', '/settings', '/users', '/groups', '/logins', '/changes', '/doctor'];

test('every console page fits a laptop and a tablet without sideways scrolling', async ({ page, request, entra, configureSso }) => {
  test.setTimeout(90_000);
  await configureSso();
  // some rows, so that tables and charts have content
  expect((await request.post('/api/login', { headers: { authorization: `Bearer ${await entra.mintToken({ user: 'seamless' })}` } })).status()).toBe(200);
  await signInToConsole(page, 'admin');
  for (const width of [1280, 768]) {
    await page.setViewportSize({ width, height: 900 });
    for (const path of pages) {
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await page.waitForLoadState('networkidle');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `${path} at ${width}px is ${overflow}px too wide`).toBeLessThanOrEqual(0);
    }
  }
  // on a tablet the navigation folds into a menu button
  await page.setViewportSize({ width: 768, height: 900 });
  await page.goto('/');
  await expect(page.getByRole('button', { name: /menu/i })).toBeVisible();
});
