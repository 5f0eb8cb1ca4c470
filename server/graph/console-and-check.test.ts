import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_GROUPS, startEntraEmulator, type EntraEmulator } from '@/dev-entra';
import { openDb } from '@/db/client';
import { changeEvents } from '@/db/schema';
import { authenticateConsole } from '@/server/console-auth/authenticate';
import { clearGraphCredential, setGraphClientSecret } from '@/server/settings/graph-credential';
import { updateSettings } from '@/server/settings/service';
import { callerFor } from '@/server/trpc/test-contexts';
import { tempDbFile } from '@/test/support/tmp';

const cli = { kind: 'cli' as const, name: 'test' };
const project = DEMO_GROUPS.find((g) => g.displayName.startsWith('Project'))!.id;

describe('Microsoft Graph in the console: credential procedures, Check configuration, console roles under overage', () => {
  let entra: EntraEmulator;
  const db = openDb(tempDbFile());
  beforeAll(async () => {
    entra = await startEntraEmulator();
    updateSettings(
      db,
      { cloud: 'custom', authorityHost: entra.authorityHost, graphHost: entra.graphHost, tenantId: entra.tenantId, clientId: entra.clientId, enabled: true },
      cli,
    );
  });
  afterAll(async () => {
    await entra.stop();
  });

  it('sets, replaces and clears the secret through tRPC for admins only, and no output carries it', async () => {
    const admin = callerFor(db, 'admin');
    const set = await admin.settings.graphCredential.setSecret({ secret: entra.clientSecret });
    expect(set).toMatchObject({ active: 'client_secret', clientSecret: { set: true, setBy: 'ada.admin@contoso.com' } });
    await admin.settings.graphCredential.setSecret({ secret: entra.clientSecret });
    const shown = await callerFor(db, 'auditor').settings.get();
    expect(shown.graphCredential.clientSecret.set).toBe(true);
    await expect(callerFor(db, 'auditor').settings.graphCredential.setSecret({ secret: 'x' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(admin.settings.update({ patch: { graphClientSecret: 'Abc8Q~x' } })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('write-only'),
    });
    const everything = JSON.stringify([
      set,
      shown,
      await callerFor(db, 'auditor').settings.versions.list({}),
      await callerFor(db, 'auditor').changes.list({}),
      db.select().from(changeEvents).all(),
    ]);
    expect(everything).not.toContain(entra.clientSecret);
    expect(
      db
        .select()
        .from(changeEvents)
        .all()
        .map((c) => c.action),
    ).toEqual(expect.arrayContaining(['settings.graph_credential_set', 'settings.graph_credential_replace']));
  });

  it('Check configuration gets an app token and calls Graph once', async () => {
    const steps = await callerFor(db, 'localAdmin').settings.check({});
    expect(steps.filter((s) => s.id.startsWith('graph_')).map((s) => [s.id, s.ok])).toEqual([
      ['graph_credential', true],
      ['graph_token', true],
      ['graph_call', true],
    ]);
  });

  it('Check configuration names a wrong secret (AADSTS7000215)', async () => {
    setGraphClientSecret(db, 'Bad8Q~not-the-secret-of-this-app-01234567', cli);
    const steps = await callerFor(db, 'localAdmin').settings.check({});
    expect(steps.find((s) => s.id === 'graph_token')).toMatchObject({ ok: false, detail: expect.stringContaining('AADSTS7000215') });
    setGraphClientSecret(db, entra.clientSecret, cli);
  });

  it('Check configuration names the permissions to grant when Graph answers Authorization_RequestDenied', async () => {
    entra.setApp({ applicationPermissions: [] });
    try {
      const steps = await callerFor(db, 'localAdmin').settings.check({});
      expect(steps.find((s) => s.id === 'graph_call')).toMatchObject({
        ok: false,
        detail: expect.stringContaining('Grant GroupMember.Read.All / User.Read.All as Application permissions with admin consent'),
      });
    } finally {
      entra.resetGraph();
    }
  });

  it('Check configuration says when no credential is set', async () => {
    clearGraphCredential(db, 'graphClientSecret', cli);
    const steps = await callerFor(db, 'localAdmin').settings.check({});
    expect(steps.filter((s) => s.id.startsWith('graph_'))).toEqual([
      expect.objectContaining({ id: 'graph_credential', ok: false, detail: expect.stringContaining('No credential') }),
    ]);
    setGraphClientSecret(db, entra.clientSecret, cli);
  });

  it('grants a console role from a group Graph confirms for an overage token, and none while Graph is down', async () => {
    updateSettings(db, { adminGroupIds: [project] }, cli);
    const request = async () =>
      authenticateConsole(
        db,
        new Request('http://localhost/api/trpc/x', { headers: { authorization: `Bearer ${await entra.mintAccessToken({ user: 'overage' })}` } }),
        {
          secure: false,
        },
      );
    const ok = await request();
    expect(ok.actor).toMatchObject({ roles: ['admin'], groupsUnresolved: false });
    entra.setGraphFault({ mode: 'down' });
    try {
      const down = await request();
      expect(down.actor).toMatchObject({ roles: [], groupsUnresolved: true });
    } finally {
      entra.setGraphFault({ mode: 'none' });
    }
  });
});
