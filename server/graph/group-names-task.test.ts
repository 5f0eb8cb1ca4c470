import crypto from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_GROUPS, GROUP_IDS, startEntraEmulator, type EntraEmulator } from '@/dev-entra';
import { openDb, type Db } from '@/db/client';
import { groups } from '@/db/schema';
import { getGroup } from '@/server/directory/group-detail';
import { listGroups } from '@/server/directory/list-groups';
import { updateGroup } from '@/server/directory/update-group';
import { captureLogLines } from '@/test/support/log-capture';
import { setGraphClientSecret } from '@/server/settings/graph-credential';
import { updateSettings } from '@/server/settings/service';
import { useLoginFixture } from '@/test/support/login-fixture';
import { tempDbFile } from '@/test/support/tmp';
import { GET_BY_IDS_MAX, refreshGroupNames } from './group-names-task';

const cli = { kind: 'cli' as const, name: 'test' };
const JWT = /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/;
const nameOf = (id: string) => DEMO_GROUPS.find((g) => g.id === id)!.displayName;

// the process's logger, writing to memory
const logLines = captureLogLines();

describe("group names from Graph, by the real server's background task after a sign-in", () => {
  const f = useLoginFixture();
  beforeAll(async () => {
    await f.setSettings({ graphHost: f.entra.graphHost, graphGroupNames: true });
    setGraphClientSecret(f.db, f.entra.clientSecret, cli);
  });
  const row = (id: string) => f.db.select().from(groups).where(eq(groups.id, id)).get();

  it("shows the Entra names of the groups a sign-in imported within seconds, and keeps an admin's name over Graph's", async () => {
    // Megan's groups: Field Ops and Supervisors; an admin names Supervisors first
    expect((await f.login(await f.entra.mintAccessToken({ user: 'mfa' }))).status).toBe(200);
    updateGroup(f.db, GROUP_IDS.supervisors, { displayName: 'Shift leads' }, cli);
    const deadline = Date.now() + 20_000;
    while ((!row(GROUP_IDS.fieldOps)?.graphName || !row(GROUP_IDS.supervisors)?.graphName) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    expect(row(GROUP_IDS.fieldOps)).toMatchObject({ graphName: nameOf(GROUP_IDS.fieldOps), displayName: null });
    expect(row(GROUP_IDS.supervisors)).toMatchObject({ graphName: nameOf(GROUP_IDS.supervisors), displayName: 'Shift leads' });
    expect(getGroup(f.db, GROUP_IDS.fieldOps)).toMatchObject({ name: nameOf(GROUP_IDS.fieldOps), displayName: null });
    expect(getGroup(f.db, GROUP_IDS.supervisors)).toMatchObject({ name: 'Shift leads', graphName: nameOf(GROUP_IDS.supervisors) });
    // an admin names a group Graph already named: the admin's name is shown, Graph's stays beside it
    updateGroup(f.db, GROUP_IDS.fieldOps, { displayName: 'Field crews' }, cli);
    expect(listGroups(f.db, { search: 'field' }).items.map((g) => g.name)).toEqual(['Field crews']);
    expect(f.server.output()).not.toContain(f.entra.clientSecret);
    expect(f.server.output()).not.toMatch(JWT);
  });
});

describe('group names: batching, caching and back-off (in process, emulator Graph)', () => {
  let entra: EntraEmulator;
  let db: Db;
  const file = tempDbFile();
  beforeAll(async () => {
    entra = await startEntraEmulator();
    db = openDb(file);
    updateSettings(
      db,
      {
        cloud: 'custom',
        authorityHost: entra.authorityHost,
        graphHost: entra.graphHost,
        tenantId: entra.tenantId,
        clientId: entra.clientId,
        graphGroupNames: true,
      },
      cli,
    );
    setGraphClientSecret(db, entra.clientSecret, cli);
  });
  afterAll(async () => {
    await entra?.stop();
    db?.$client.close();
  });
  const insertGroups = (ids: string[]) => {
    const insert = db.$client.prepare('INSERT OR IGNORE INTO groups (id, created_at, updated_at) VALUES (?, ?, ?)');
    db.$client.transaction(() => ids.forEach((id) => insert.run(id, Date.now(), Date.now())))();
  };

  it('asks getByIds with at most 1000 IDs a call, and does not ask again for names fetched within 24 hours', async () => {
    const unknown = Array.from({ length: 1500 }, () => crypto.randomUUID());
    insertGroups([...DEMO_GROUPS.map((g) => g.id), ...unknown]);
    entra.clearCounters();
    const run = await refreshGroupNames(db);
    const total = DEMO_GROUPS.length + unknown.length;
    expect(run).toEqual({ outcome: 'done', asked: total, named: DEMO_GROUPS.length });
    expect(entra.counters().graph['directoryObjects.getByIds']).toBe(Math.ceil(total / GET_BY_IDS_MAX));
    const named = db
      .select()
      .from(groups)
      .where(inArray(groups.id, [GROUP_IDS.dispatch]))
      .get();
    expect(named).toMatchObject({ graphName: 'Dispatch', displayName: null });
    entra.clearCounters();
    expect(await refreshGroupNames(db)).toEqual({ outcome: 'nothing_due' });
    expect(entra.counters().graphTotal).toBe(0);
    // a day later, the names are asked again
    expect(await refreshGroupNames(db, Date.now() + 24 * 3600_000 + 1000)).toMatchObject({ outcome: 'done', asked: total });
  });

  it('backs off while Graph is down, logs the reason without the secret or a token, and names the new group once Graph is back', async () => {
    const fresh = crypto.randomUUID();
    insertGroups([fresh]);
    entra.setGraphFault({ mode: 'down' });
    logLines.length = 0;
    let retryAt = 0;
    try {
      const failed = await refreshGroupNames(db);
      expect(failed).toMatchObject({ outcome: 'failed', reason: 'graph_unavailable' });
      retryAt = failed.outcome === 'failed' ? failed.retryAt : 0;
      expect(retryAt).toBeGreaterThan(Date.now());
      entra.clearCounters();
      expect(await refreshGroupNames(db)).toEqual({ outcome: 'backing_off' });
      expect(entra.counters().graphTotal).toBe(0);
      const logged = logLines.join('\n');
      expect(logged).toContain('group names: Microsoft Graph did not answer');
      expect(logged).not.toContain(entra.clientSecret);
      expect(logged).not.toMatch(JWT);
    } finally {
      entra.setGraphFault({ mode: 'none' });
    }
    expect(await refreshGroupNames(db, retryAt)).toMatchObject({ outcome: 'done', asked: 1, named: 0 });
    expect(db.select().from(groups).where(eq(groups.id, fresh)).get()!.graphNameCheckedAt).not.toBeNull();
  });

  it('asks nothing while graphGroupNames is off', async () => {
    updateSettings(db, { graphGroupNames: false }, cli);
    insertGroups([crypto.randomUUID()]);
    entra.clearCounters();
    expect(await refreshGroupNames(db)).toEqual({ outcome: 'off' });
    expect(entra.counters().graphTotal).toBe(0);
  });
});
