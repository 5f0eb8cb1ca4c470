import { signInToConsole } from '../fixtures/sign-in';
import { expect, test } from '../fixtures/test';

test('an admin changes the settings with a live preview, saves, and restores the previous version', async ({ page, request, configureSso }) => {
  await configureSso();
  await signInToConsole(page, 'admin', '/settings');
  await expect(page.getByRole('heading', { level: 1, name: 'SSO settings' })).toBeVisible();
  await expect(page.getByTestId('signed-in-as')).toContainText('Adele Vance');
  await expect(page.getByText('Admin', { exact: true })).toBeVisible();
  const before = Number(/Version (\d+)/.exec((await page.getByText(/^Version \d+/).textContent()) ?? '')?.[1]);
  expect(before).toBeGreaterThan(0);

  // inline errors come from the server's zod schema, before anything is sent
  const tenant = page.getByLabel('Tenant ID');
  await tenant.fill('not-a-guid');
  await expect(page.locator('#setting-tenantId-error')).toHaveText('Tenant ID must be a GUID like 8eaef023-2b34-4da1-9baa-8bc8c9d6a490.');
  await expect(page.getByRole('button', { name: 'Save', exact: true })).toBeDisabled();
  await page.getByRole('button', { name: 'Revert', exact: true }).click();
  await expect(tenant).toHaveValue('8eaef023-2b34-4da1-9baa-8bc8c9d6a490');

  // a derived field shows its derived value (as text) until overridden
  await expect(page.getByTestId('in-force-scope')).toHaveText('In force (derived): api://6731de76-14a6-49ae-97bc-6eba6914391e/UserProfile.ReadWrite');

  await page.getByLabel('Domain hint').fill('ice.example.org');
  await page.getByLabel('Import user groups').uncheck();
  const preview = page.getByLabel('Preview of the /sso-meta document');
  await expect(preview).toContainText('"domainHint": "ice.example.org"');
  await expect(preview).toContainText('"importUserGroups": false');
  await expect(page.getByText('changes when saved')).toBeVisible();

  await page.getByLabel('Comment (optional)').fill('Hint the ICE domain');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByTestId('save-bar').getByText(`Saved as version ${before + 1}.`)).toBeVisible();
  const saved = await (await request.get('/sso-meta')).json();
  expect(saved).toMatchObject({ domainHint: 'ice.example.org', importUserGroups: false });

  // history: the new version with its comment; compare; restore the one before
  const history = page.getByRole('region', { name: 'Version history' });
  await expect(history.getByRole('row').filter({ hasText: 'Hint the ICE domain' })).toContainText('adele@contoso.example');
  await history.getByLabel(`Compare version ${before}`, { exact: true }).check();
  await history.getByLabel(`Compare version ${before + 1}`, { exact: true }).check();
  const diff = history.getByRole('table', { name: `Version ${before} compared with version ${before + 1}` });
  await expect(diff).toContainText('Domain hint');
  await expect(diff).toContainText('ice.example.org');

  await history
    .getByRole('row')
    .filter({ has: page.getByLabel(`Compare version ${before}`, { exact: true }) })
    .getByRole('button', { name: 'Restore this version' })
    .click();
  const dialog = page.getByRole('dialog', { name: `Restore version ${before}?` });
  await expect(dialog).toContainText('ice.example.org');
  await dialog.getByRole('button', { name: `Restore version ${before}` }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText(new RegExp(`^Version ${before + 2}`))).toBeVisible();
  const restored = await (await request.get('/sso-meta')).json();
  expect(restored.domainHint).toBeUndefined();
  expect(restored.importUserGroups).toBe(true);
});

test('check configuration reports each step against the emulator', async ({ page, configureSso }) => {
  await configureSso();
  await signInToConsole(page, 'admin', '/settings');
  await page.getByRole('button', { name: 'Check configuration' }).click();
  const steps = page.getByRole('list', { name: 'Configuration check steps' });
  await expect(steps).toContainText('Discovery document reachable');
  await expect(steps).toContainText('Signing keys present');
  // no Microsoft Graph credential is set here: the check names it (groups overage would stay unresolved)
  await expect(steps).toContainText('Microsoft Graph credential');
  await expect(steps).toContainText('No credential');

  // an unsaved wrong tenant fails the check without saving anything
  await page.getByLabel('Tenant ID').fill('00000000-0000-4000-8000-000000000000');
  await page.getByRole('button', { name: 'Check configuration' }).click();
  await expect(page.getByText('Something needs fixing')).toBeVisible();
});
