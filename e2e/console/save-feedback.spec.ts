import { signInToConsole } from '../fixtures/sign-in';
import { expect, test } from '../fixtures/test';

test.use({ viewport: { width: 1280, height: 800 } });

test('"Saved as version N" shows where the admin is, and the sticky save bar never covers the check results', async ({ page, configureSso }) => {
  await configureSso();
  await signInToConsole(page, 'admin', '/settings');
  const before = Number(/Version (\d+)/.exec((await page.getByText(/^Version \d+/).textContent()) ?? '')?.[1]);

  // an edit at the top of the page, saved from the sticky bar: the outcome is in view, not below the fold
  await page.getByLabel('Domain hint').fill('feedback.example.org');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  const toast = page.getByRole('status').filter({ hasText: `Saved as version ${before + 1}.` });
  await expect(toast).toBeVisible();
  await expect(toast).toBeInViewport({ ratio: 1 });

  // a dirty draft (sticky bar) and Check configuration: its results sit above the bar
  await page.getByLabel('Domain hint').fill('');
  const bar = page.getByTestId('save-bar');
  await page.getByRole('button', { name: 'Check configuration' }).click();
  // no Microsoft Graph credential is set in this fixture, so the check's verdict names a step to fix
  const verdict = page.getByText('Something needs fixing: see the steps marked ✗.');
  await expect(verdict).toBeVisible();
  await expect(verdict).toBeInViewport({ ratio: 1 });
  const results = await page.getByTestId('check-results').boundingBox();
  const barBox = await bar.boundingBox();
  expect(results && barBox).toBeTruthy();
  const verdictBox = (await verdict.boundingBox())!;
  expect(verdictBox.y + verdictBox.height).toBeLessThanOrEqual(barBox!.y);

  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: `Saved as version ${before + 2}.` })).toBeInViewport();
});
