import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { APP_CERT_FILE, APP_KEY_FILE } from '../../dev-entra/app-certificate';
import { DEMO_CLIENT_SECRET } from '../../dev-entra/app-registry';
import { e2eEnvironment } from '../fixtures/environment';
import { signInToConsole } from '../fixtures/sign-in';
import { expect, test } from '../fixtures/test';

/**
 * SSO settings' "Microsoft Graph" section against the emulator, whose Graph lives on its own
 * origin (dev-entra/README.md, "Microsoft Graph"): the admin sets, tests, replaces and clears the
 * app credential; the value never comes back into the page; auditors only read its status.
 * Every test starts with no credential and the emulator as the Graph host left to the admin.
 */
test.beforeEach(async ({ cli, configureSso }) => {
  await cli.setSettings({ graphClientSecret: '', graphCertificate: '' });
  await configureSso({ graphHost: '' });
});

test.afterAll(async ({ cli }) => {
  // leave no credential behind for the other journeys
  await cli.setSettings({ graphClientSecret: '', graphCertificate: '', graphHost: '' });
});

/** Every console API answer the page received, so that a test can say what the server ever sent back. */
function recordApiAnswers(page: Page): string[] {
  const bodies: string[] = [];
  page.on('response', (res) => {
    if (res.url().includes('/api/trpc/'))
      void res.text().then(
        (t) => bodies.push(t),
        () => undefined,
      );
  });
  return bodies;
}

/** The page's markup and every input's current value. */
function everythingInThePage(page: Page): Promise<string> {
  return page.evaluate(
    () =>
      document.documentElement.outerHTML +
      Array.from(document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input, textarea'))
        .map((el) => el.value)
        .join('\n'),
  );
}

async function expectGraphTestPasses(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Test Microsoft Graph' }).click();
  const steps = page.getByRole('list', { name: 'Microsoft Graph test steps' });
  await expect(steps.getByRole('listitem')).toHaveCount(3);
  await expect(steps).toContainText('Microsoft Graph credential');
  await expect(steps).toContainText('App token for Microsoft Graph');
  await expect(steps).toContainText('Microsoft Graph answers');
  await expect(steps.getByText('failed', { exact: true })).toHaveCount(0);
  await expect(page.getByText('Microsoft Graph answers: groups overage can be resolved.')).toBeVisible();
}

test('an admin sets the Graph host and the dev client secret, tests it (every step passes), and clears it; the secret never comes back into the page', async ({
  page,
}) => {
  const { entraOrigin } = e2eEnvironment();
  const answers = recordApiAnswers(page);
  await signInToConsole(page, 'admin', '/settings');
  const section = page.getByRole('region', { name: 'Microsoft Graph' });
  await expect(section.getByTestId('graph-credential-status')).toContainText('not set');

  // a custom cloud has no derived Graph host: the admin types it and saves it with the form
  await section.getByRole('textbox', { name: 'Microsoft Graph host' }).fill(entraOrigin);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByTestId('save-bar').getByText(/Saved as version \d+\./)).toBeVisible();

  // a value of the wrong shape is refused with its reason, and nothing is stored
  const secret = section.getByLabel('Client secret value');
  await expect(secret).toHaveAttribute('type', 'password');
  await expect(secret).toHaveValue('');
  await secret.fill('not a secret with spaces');
  await section.getByRole('button', { name: 'Set client secret' }).click();
  await expect(section.locator('#graph-client-secret-error')).toHaveText(
    'Not saved: must be the secret value as Entra shows it (printable characters, no spaces) (settings_invalid)',
  );
  await expect(secret).toHaveAttribute('aria-invalid', 'true');
  await expect(section.getByTestId('graph-credential-status')).toContainText('not set');

  await secret.fill(DEMO_CLIENT_SECRET);
  await secret.press('Enter');
  await expect(section.getByText('Client secret set.', { exact: true })).toBeVisible();
  await expect(section.getByTestId('graph-credential-status')).toContainText('client secret, in use');
  await expect(section.getByTestId('graph-credential-status')).toContainText('Client secret set on');
  await expect(section.getByTestId('graph-credential-status')).toContainText('adele@contoso.example');
  await expect(secret).toHaveValue('');
  await expect(section.getByRole('button', { name: 'Replace client secret' })).toBeDisabled();

  await expectGraphTestPasses(page);
  expect(await everythingInThePage(page)).not.toContain(DEMO_CLIENT_SECRET);
  await page.reload();
  await expect(section.getByTestId('graph-credential-status')).toContainText('client secret, in use');
  await expect(section.getByLabel('Client secret value')).toHaveValue('');
  expect(await everythingInThePage(page)).not.toContain(DEMO_CLIENT_SECRET);

  // clear, after a confirmation that says what overage sign-ins lose
  await section.getByRole('button', { name: 'Clear client secret' }).click();
  const dialog = page.getByRole('dialog', { name: 'Clear the client secret?' });
  await expect(dialog).toContainText('groups_unresolved');
  await dialog.getByRole('button', { name: 'Clear client secret' }).click();
  await expect(dialog).toBeHidden();
  await expect(section.getByTestId('graph-credential-status')).toContainText('not set');
  await expect(section.getByRole('button', { name: 'Clear client secret' })).toHaveCount(0);

  // with nothing set, the test names what is missing
  await page.getByRole('button', { name: 'Test Microsoft Graph' }).click();
  await expect(page.getByRole('list', { name: 'Microsoft Graph test steps' })).toContainText('No credential');
  await expect(page.getByText('Something needs fixing: see the steps marked ✗.')).toBeVisible();

  expect(answers.length).toBeGreaterThan(0);
  for (const body of answers) expect(body).not.toContain(DEMO_CLIENT_SECRET);
});

test('a wrong client secret is stored, and the test shows the token step failing with what to fix', async ({ page, cli }) => {
  await cli.setSettings({ graphHost: e2eEnvironment().entraOrigin });
  await signInToConsole(page, 'admin', '/settings');
  const section = page.getByRole('region', { name: 'Microsoft Graph' });
  await section.getByLabel('Client secret value').fill('Ice8Q~wrong.secret.for.the.ICE-Server.app');
  await section.getByRole('button', { name: 'Set client secret' }).click();
  await expect(section.getByTestId('graph-credential-status')).toContainText('client secret, in use');
  await page.getByRole('button', { name: 'Test Microsoft Graph' }).click();
  const steps = page.getByRole('list', { name: 'Microsoft Graph test steps' });
  await expect(steps.getByRole('listitem')).toHaveCount(2);
  await expect(steps.getByRole('listitem').nth(1)).toContainText('failed');
  await expect(steps.getByRole('listitem').nth(1)).toContainText('AADSTS7000215');
});

test('an admin sets the emulator app certificate from its PEM files, it is used before a secret, and every Graph step passes with it', async ({
  page,
  cli,
}) => {
  const { entraOrigin, certDir } = e2eEnvironment();
  await cli.setSettings({ graphHost: entraOrigin, graphClientSecret: DEMO_CLIENT_SECRET });
  await signInToConsole(page, 'admin', '/settings');
  const section = page.getByRole('region', { name: 'Microsoft Graph' });
  await expect(section.getByTestId('graph-credential-status')).toContainText('client secret, in use');

  await section.getByLabel(/Or choose the PEM files/).setInputFiles([path.join(certDir, APP_KEY_FILE), path.join(certDir, APP_CERT_FILE)]);
  await expect(section.getByText(`Chosen: ${APP_KEY_FILE}, ${APP_CERT_FILE}`)).toBeVisible();
  await section.getByRole('button', { name: 'Set certificate' }).click();
  await expect(section.getByText('Certificate set.', { exact: true })).toBeVisible();
  const status = section.getByTestId('graph-credential-status');
  await expect(status).toContainText('certificate, in use');
  await expect(status).toContainText(/Certificate [0-9A-F]{64} \(SHA-256 thumbprint\) expiring \d{4}-\d\d-\d\d/);
  await expect(status).toContainText('Not used while a certificate is set.');
  await expect(section.getByText(/^Chosen:/)).toHaveCount(0);
  // a line from the middle of the private key: nothing of it is left in the page
  const keyLine = fs.readFileSync(path.join(certDir, APP_KEY_FILE), 'utf8').split('\n')[5]!;
  expect(keyLine).toMatch(/^[A-Za-z0-9+/]{40,}$/);
  expect(await everythingInThePage(page)).not.toContain(keyLine);

  await expectGraphTestPasses(page);
  await expect(page.getByRole('list', { name: 'Microsoft Graph test steps' })).toContainText('A certificate (client assertion) is set.');

  // a text that is not a key and certificate is refused with its reason
  await section.getByLabel('Private key and certificate (PEM)').fill('-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----');
  await section.getByRole('button', { name: 'Replace certificate' }).click();
  await expect(section.locator('#graph-certificate-pem-error')).toContainText('(settings_invalid)');
});

test('an auditor reads the credential status but is offered no way to change or test it, and the server refuses them', async ({ page, cli, entra }) => {
  await cli.setSettings({ graphHost: e2eEnvironment().entraOrigin, graphClientSecret: DEMO_CLIENT_SECRET });
  await signInToConsole(page, 'auditor', '/settings');
  const section = page.getByRole('region', { name: 'Microsoft Graph' });
  await expect(section.getByTestId('graph-credential-status')).toContainText('Client secret set on');
  await expect(section.getByRole('group', { name: 'Microsoft Graph host' })).toHaveText(e2eEnvironment().entraOrigin);
  await expect(section.getByText('Only admins set, replace or clear the credential.')).toBeVisible();
  await expect(section.getByLabel('Client secret value')).toHaveCount(0);
  await expect(section.getByLabel('Private key and certificate (PEM)')).toHaveCount(0);
  for (const name of ['Set client secret', 'Replace client secret', 'Clear client secret', 'Set certificate', 'Test Microsoft Graph']) {
    await expect(page.getByRole('button', { name, exact: true })).toHaveCount(0);
  }

  // the server refuses the auditor's calls whatever the page offers
  const headers = { authorization: `Bearer ${await entra.mintToken({ user: 'auditor' })}`, 'x-ice-sso-csrf': '1', 'content-type': 'application/json' };
  for (const [procedure, input] of [
    ['settings.graphCredential.setSecret', { secret: 'Ice8Q~an.auditor.tries.to.replace.it' }],
    ['settings.graphCredential.clear', { which: 'graphClientSecret' }],
  ] as const) {
    const res = await page.request.post(`/api/trpc/${procedure}`, { headers, data: JSON.stringify(input) });
    expect(res.status(), procedure).toBe(403);
  }
  await page.reload();
  await expect(section.getByTestId('graph-credential-status')).toContainText('client secret, in use');
});

test('the overage user Olivia: her user page and login detail say "Overage unresolved" without a credential, then "Microsoft Graph" once it is set', async ({
  page,
  request,
  entra,
  cli,
}) => {
  await cli.setSettings({ graphHost: e2eEnvironment().entraOrigin });
  // no credential: the token's 241 groups cannot be read (no group is required, so she is let in)
  const first = await request.post('/api/login', { headers: { authorization: `Bearer ${await entra.mintToken({ user: 'overage' })}` } });
  expect(first.status()).toBe(200);
  const userId = ((await first.json()) as { user: { id: string } }).user.id;

  await signInToConsole(page, 'admin', `/users/${encodeURIComponent(userId)}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Olivia Ortega' })).toBeVisible();
  await expect(page.getByTestId('groups-source').getByText('Overage unresolved', { exact: true })).toBeVisible();
  await expect(page.getByTestId('groups-source')).toContainText('Microsoft Graph did not supply them');

  await cli.setSettings({ graphClientSecret: DEMO_CLIENT_SECRET });
  const second = await request.post('/api/login', { headers: { authorization: `Bearer ${await entra.mintToken({ user: 'overage' })}` } });
  expect(second.status()).toBe(200);
  expect(((await second.json()) as { user: { groups: unknown[] } }).user.groups).toHaveLength(241);

  await page.reload();
  await expect(page.getByTestId('groups-source').getByText('Microsoft Graph', { exact: true })).toBeVisible();
  await expect(page.getByTestId('groups-source')).toContainText('read the memberships from Microsoft Graph');
  await expect(page.getByTestId('groups-source')).not.toContainText('Overage unresolved');
  await expect(page.getByRole('heading', { name: 'Groups (241)' })).toBeVisible();
  await expect(page.getByText('and they could not be confirmed')).toHaveCount(0);

  // the login history: the newest attempt was resolved through Graph, the one before was not
  await page.getByRole('link', { name: 'Full sign-in history' }).click();
  const rows = page.getByRole('table', { name: 'Sign-in attempts, newest first' }).locator('tbody tr');
  await rows
    .first()
    .getByRole('button', { name: /^Details of attempt/ })
    .click();
  const detail = page.getByRole('region', { name: /^Sign-in attempt \d+/ });
  await expect(detail.getByTestId('login-groups-source').getByText('Microsoft Graph', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Close' }).click();
  await rows
    .nth(1)
    .getByRole('button', { name: /^Details of attempt/ })
    .click();
  await expect(detail.getByTestId('login-groups-source').getByText('Overage unresolved', { exact: true })).toBeVisible();
});
