import { describe, expect, it } from 'vitest';
import { runCli } from '@/test/support/processes';
import { tempDbFile, databaseUrlOf } from '@/test/support/tmp';

const TENANT = '8eaef023-2b34-4da1-9baa-8bc8c9d6a490';
const CLIENT = '6731de76-14a6-49ae-97bc-6eba6914391e';

describe('the ice-sso command line', () => {
  const env = { DATABASE_URL: databaseUrlOf(tempDbFile()) };

  it('creates and migrates the database with `db migrate`', () => {
    const r = runCli(['db', 'migrate'], env);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('Database migrated');
  });

  it('shows the defaults before anything is saved', () => {
    const r = runCli(['settings', 'show', '--json'], env);
    expect(r.status, r.stderr).toBe(0);
    const shown = JSON.parse(r.stdout);
    expect(shown).toMatchObject({ version: 0, enabled: false, cloud: 'public', tenantId: '', importUserGroups: true, clockSkewSeconds: 300 });
  });

  it('sets values as a new version by "cli" and shows them', () => {
    const r = runCli(['settings', 'set', `tenantId=${TENANT}`, `clientId=${CLIENT}`, 'enabled=true', '--comment', 'initial setup'], env);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('Saved settings version 1');
    const shown = JSON.parse(runCli(['settings', 'show', '--json'], env).stdout);
    expect(shown).toMatchObject({ version: 1, enabled: true, tenantId: TENANT, clientId: CLIENT, audience: `api://${CLIENT}`, updatedBy: 'cli' });
    expect(shown.derived).toContain('audience');
    const text = runCli(['settings', 'show'], env).stdout;
    expect(text).toMatch(/audience\s+api:\/\/\S+\s+\(derived\)/);
  });

  it.each([
    [['settings', 'set', 'tenantId=contoso'], /tenantId: must be a GUID[\s\S]*allowed: a GUID/],
    [['settings', 'set', 'colour=blue'], /colour: unknown setting\. Known settings: enabled, cloud/],
    [['settings', 'set', 'cloud=mars'], /cloud: must be one of public, usgov, china, custom[\s\S]*allowed: public, usgov, china, custom/],
    [['settings', 'set', 'enabled=maybe'], /enabled: must be true or false/],
    [['settings', 'set', 'authorizationUrl=http://login.example.com/authorize'], /authorizationUrl: must use https:\/\//],
    [['settings', 'set', 'clockSkewSeconds=-5'], /clockSkewSeconds: must be between 0 and 900/],
    [['settings', 'set', 'notapair'], /expected key=value/],
  ])('rejects %j, says what is wrong and what is allowed, exits non-zero and writes nothing', (args, message) => {
    const before = JSON.parse(runCli(['settings', 'show', '--json'], env).stdout).version;
    const r = runCli(args, env);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(message);
    expect(JSON.parse(runCli(['settings', 'show', '--json'], env).stdout).version).toBe(before);
  });

  it('rejects a whole command when one of several pairs is bad', () => {
    const r = runCli(['settings', 'set', 'domainHint=contoso.com', 'tenantId=nope'], env);
    expect(r.status).toBe(2);
    expect(JSON.parse(runCli(['settings', 'show', '--json'], env).stdout).domainHint).toBeNull();
  });

  it('lists the history and reverts to an old version as a new one', () => {
    expect(runCli(['settings', 'set', 'domainHint=contoso.com'], env).status).toBe(0);
    const history = runCli(['settings', 'history'], env);
    expect(history.stdout).toMatch(/v2 .* cli \(cli\)/);
    expect(history.stdout).toMatch(/v1 .* cli \(cli\)\s+"initial setup"/);
    const revert = runCli(['settings', 'revert', '1'], env);
    expect(revert.status, revert.stderr).toBe(0);
    expect(revert.stdout).toContain('Restored version 1 as version 3');
    const shown = JSON.parse(runCli(['settings', 'show', '--json'], env).stdout);
    expect(shown).toMatchObject({ version: 3, domainHint: null });
    const json = JSON.parse(runCli(['settings', 'history', '--json'], env).stdout);
    expect(json[0]).toMatchObject({ version: 3, revertedFrom: 1, author: 'cli' });
  });

  it('refuses to revert to a version that does not exist', () => {
    const r = runCli(['settings', 'revert', '99'], env);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('settings version 99 does not exist');
  });

  it('prints usage for an unknown command', () => {
    const r = runCli(['frobnicate'], env);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('Unknown command "frobnicate"');
  });

  it('names a bad environment variable', () => {
    const r = runCli(['settings', 'show'], { ...env, LOG_LEVEL: 'chatty' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/LOG_LEVEL="chatty"/);
  });
});
