import AxeBuilder from '@axe-core/playwright';
import { signInToConsole } from '../fixtures/sign-in';
import { expect, test } from '../fixtures/test';

test('derived values in force are readable text for admins, and auditors read every value as selectable text', async ({ page, configureSso }) => {
  await configureSso();
  await signInToConsole(page, 'admin', '/settings');
  const scope = page.getByTestId('in-force-scope');
  await expect(scope).toHaveText('In force (derived): api://6731de76-14a6-49ae-97bc-6eba6914391e/UserProfile.ReadWrite');
  await expect(page.getByLabel('Scope')).not.toHaveAttribute('placeholder', /api:\/\//);
  const contrast = await new AxeBuilder({ page }).include('[data-testid^="in-force-"]').withRules(['color-contrast']).analyze();
  expect(contrast.violations).toEqual([]);
  expect(contrast.passes.length + contrast.incomplete.length).toBeGreaterThan(0);
});

test('an auditor sees the settings as read-only, selectable text, not disabled inputs', async ({ page, configureSso }) => {
  await configureSso();
  await signInToConsole(page, 'auditor', '/settings');
  const form = page.getByRole('form', { name: 'SSO settings' });
  await expect(form.locator('input, textarea, select')).toHaveCount(0);
  const tenant = page.locator('#setting-tenantId');
  await expect(tenant).toHaveText('8eaef023-2b34-4da1-9baa-8bc8c9d6a490');
  expect(await tenant.evaluate((el) => getComputedStyle(el).userSelect)).not.toBe('none');
  const fits = await tenant.evaluate((el) => el.scrollWidth <= el.clientWidth);
  expect(fits).toBe(true);
  await expect(page.locator('#setting-scope')).toHaveText('api://6731de76-14a6-49ae-97bc-6eba6914391e/UserProfile.ReadWrite');
  await expect(page.locator('#setting-enabled')).toHaveText('On');
  const contrast = await new AxeBuilder({ page }).include('form[aria-label="SSO settings"]').withRules(['color-contrast']).analyze();
  expect(contrast.violations).toEqual([]);
});
