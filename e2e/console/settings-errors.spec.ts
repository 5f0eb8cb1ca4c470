import { signInToConsole } from '../fixtures/sign-in';
import { expect, test } from '../fixtures/test';

test('every settings error shows at once on its own field, in plain words, and the save bar links to each', async ({ page, configureSso }) => {
  await configureSso();
  await signInToConsole(page, 'admin', '/settings');
  await expect(page.getByRole('heading', { level: 1, name: 'SSO settings' })).toBeVisible();

  // a group name where an object ID belongs (the issue path is requiredGroupIds.0), a client app by name,
  // an http:// authority and no tenant: four problems, two of them rules across fields
  // (a changed field's label gains "(unsaved)": the fields are found by their ids)
  const field = (key: string) => page.locator(`#setting-${key}`);
  await field('requiredGroupIds').fill('Dispatch');
  await field('allowedClientIds').fill('MobileApp');
  await field('authorityHost').fill('http://login.example.com');
  await field('tenantId').fill('');

  const expectations: [string, RegExp][] = [
    ['requiredGroupIds', /^Required groups: “Dispatch” \(line 1\) is not a group object ID/],
    ['allowedClientIds', /^Allowed client apps: “MobileApp” \(line 1\) is not an application \(client\) ID/],
    ['authorityHost', /^Authority host must use https:\/\//],
    ['tenantId', /^Tenant ID is required to enable sign-in\.$/],
  ];
  for (const [key, message] of expectations) {
    const input = field(key);
    await expect(input, key).toHaveAttribute('aria-invalid', 'true');
    // the description is the help, then the error
    await expect(input, key).toHaveAccessibleDescription(new RegExp(message.source.replace(/^\^/, '')));
    const errorId = (await input.getAttribute('aria-describedby'))!.split(' ').find((id) => id.endsWith('-error'))!;
    await expect(page.locator(`[id="${errorId}"]`)).toHaveText(message);
  }
  // the red border of an invalid field differs from a valid one's
  const border = (key: string) => field(key).evaluate((el) => getComputedStyle(el).borderTopColor);
  expect(await border('tenantId')).not.toBe(await border('clientId'));
  await expect(page.getByText('is required when enabled=true')).toHaveCount(0);

  const bar = page.getByTestId('save-bar');
  await expect(bar).toContainText('Fix these 4 errors before saving:');
  await expect(page.getByRole('button', { name: 'Save', exact: true })).toBeDisabled();
  await bar.getByRole('link', { name: /^Tenant ID is required/ }).click();
  await expect(field('tenantId')).toBeFocused();

  // fixing one leaves the others in place
  await field('tenantId').fill('8eaef023-2b34-4da1-9baa-8bc8c9d6a490');
  await expect(field('tenantId')).not.toHaveAttribute('aria-invalid', 'true');
  await expect(bar).toContainText('Fix these 3 errors before saving:');
  await page.getByRole('button', { name: 'Revert', exact: true }).click();
});
