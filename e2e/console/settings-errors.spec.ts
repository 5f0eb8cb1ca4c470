import { signInToConsole } from '../fixtures/sign-in';
import { expect, test } from '../fixtures/test';

test('every settings error shows at once on its own field, in plain words, and the save bar links to each', async ({ page, configureSso }) => {
  await configureSso();
  await signInToConsole(page, 'admin', '/settings');
  await expect(page.getByRole('heading', { level: 1, name: 'SSO settings' })).toBeVisible();

  // a group name where an object ID belongs (the issue path is requiredGroupIds.0), a client app by name,
  // an http:// authority and no tenant: four problems, two of them rules across fields
  await page.getByLabel('Required groups', { exact: true }).fill('Dispatch');
  await page.getByLabel('Allowed client apps').fill('mobile app');
  await page.getByLabel('Authority host').fill('http://login.example.com');
  await page.getByLabel('Tenant ID').fill('');

  const expectations: [string, RegExp][] = [
    ['Required groups', /^Required groups: “Dispatch” \(line 1\) is not a group object ID/],
    ['Allowed client apps', /^Allowed client apps: “mobile app” \(line 1\) is not an application \(client\) ID/],
    ['Authority host', /^Authority host must use https:\/\//],
    ['Tenant ID', /^Tenant ID is required to enable sign-in\.$/],
  ];
  for (const [label, message] of expectations) {
    const field = page.getByLabel(label, { exact: true });
    await expect(field, label).toHaveAttribute('aria-invalid', 'true');
    await expect(field, label).toHaveAccessibleDescription(message);
    const errorId = (await field.getAttribute('aria-describedby'))!.split(' ').find((id) => id.endsWith('-error'))!;
    await expect(page.locator(`[id="${errorId}"]`)).toHaveText(message);
  }
  // the red border of an invalid field differs from a valid one's
  const border = (label: string) => page.getByLabel(label, { exact: true }).evaluate((el) => getComputedStyle(el).borderTopColor);
  expect(await border('Tenant ID')).not.toBe(await border('Client ID'));
  await expect(page.getByText('is required when enabled=true')).toHaveCount(0);

  const bar = page.getByTestId('save-bar');
  await expect(bar).toContainText('Fix these 4 errors before saving:');
  await expect(page.getByRole('button', { name: 'Save', exact: true })).toBeDisabled();
  await bar.getByRole('link', { name: /^Tenant ID is required/ }).click();
  await expect(page.getByLabel('Tenant ID')).toBeFocused();

  // fixing one leaves the others in place
  await page.getByLabel('Tenant ID').fill('8eaef023-2b34-4da1-9baa-8bc8c9d6a490');
  await expect(page.getByLabel('Tenant ID')).not.toHaveAttribute('aria-invalid', 'true');
  await expect(bar).toContainText('Fix these 3 errors before saving:');
  await page.getByRole('button', { name: 'Revert', exact: true }).click();
});
