import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_GROUPS, GROUP_IDS, PROJECT_GROUPS } from './groups';
import { startEntraEmulator } from './server';
import type { EntraEmulator } from './server';
import { appToken, graph } from './test-support';

let entra: EntraEmulator;
let token: string;
beforeAll(async () => {
  entra = await startEntraEmulator();
  token = String((await appToken(entra)).body.access_token);
});
afterAll(async () => {
  await entra.stop();
});

type Group = { id: string; displayName: string };

/** Follows @odata.nextLink to the end, as a Graph client does. */
async function allPages(first: string): Promise<{ pages: number; values: Group[] }> {
  let next: string | undefined = first;
  const values: Group[] = [];
  let pages = 0;
  while (next) {
    const page = await graph(entra, token, next);
    expect(page.status).toBe(200);
    pages += 1;
    values.push(...(page.body.value as Group[]));
    next = page.body['@odata.nextLink'] as string | undefined;
  }
  return { pages, values };
}

describe('Graph: transitiveMemberOf', () => {
  it('pages through all 241 groups of the overage user with @odata.nextLink and $skiptoken', async () => {
    const olivia = entra.users.overage;
    const { pages, values } = await allPages(`users/${olivia.oid}/transitiveMemberOf/microsoft.graph.group?$select=id,displayName&$top=100`);
    expect(pages).toBe(3);
    expect(values).toHaveLength(241);
    expect(new Set(values.map((g) => g.id))).toEqual(new Set([GROUP_IDS.dispatch, ...PROJECT_GROUPS.map((g) => g.id)]));
    for (const g of values) expect(g).toEqual({ id: g.id, displayName: DEMO_GROUPS.find((d) => d.id === g.id)?.displayName });
  });

  it('keeps $select and $top in the nextLink, on the Graph host, and defaults to pages of 100', async () => {
    const first = await graph(entra, token, `users/${entra.users.overage.upn}/transitiveMemberOf/microsoft.graph.group?$select=id,displayName&$top=7`);
    const next = new URL(String(first.body['@odata.nextLink']));
    expect(next.origin).toBe(entra.graphHost);
    expect(next.pathname).toBe(`/v1.0/users/${entra.users.overage.upn}/transitiveMemberOf/microsoft.graph.group`);
    expect(next.searchParams.get('$top')).toBe('7');
    expect(next.searchParams.get('$select')).toBe('id,displayName');
    expect(next.searchParams.get('$skiptoken')).toMatch(/^\S+$/);
    expect(first.body['@odata.context']).toBe(`${entra.graphHost}/v1.0/$metadata#groups(id,displayName)`);
    const byDefault = await graph(entra, token, `users/${entra.users.overage.oid}/transitiveMemberOf/microsoft.graph.group`);
    expect(byDefault.body.value).toHaveLength(100);
  });

  it('lists a small membership on one page without a nextLink, and memberOf likewise with @odata.type', async () => {
    const megan = await graph(entra, token, `users/${entra.users.mfa.oid}/memberOf?$select=id,displayName`);
    expect(megan.status).toBe(200);
    expect(megan.body).not.toHaveProperty('@odata.nextLink');
    expect(megan.body.value).toEqual([
      { '@odata.type': '#microsoft.graph.group', id: GROUP_IDS.fieldOps, displayName: 'Field Ops' },
      { '@odata.type': '#microsoft.graph.group', id: GROUP_IDS.supervisors, displayName: 'Supervisors' },
    ]);
    const pat = await graph(entra, token, `users/${entra.users.plain.oid}/transitiveMemberOf/microsoft.graph.group`);
    expect(pat.body.value).toEqual([]);
  });

  it('refuses $top outside 1..999 and a forged $skiptoken with 400 Request_BadRequest', async () => {
    const base = `users/${entra.users.overage.oid}/transitiveMemberOf/microsoft.graph.group`;
    for (const query of ['$top=0', '$top=1000', '$top=abc', '$skiptoken=forged', '$select=id,secret']) {
      const response = await graph(entra, token, `${base}?${query}`);
      expect([query, response.status, (response.body.error as { code: string }).code]).toEqual([query, 400, 'Request_BadRequest']);
    }
    expect((await graph(entra, token, `${base}?$top=999`)).body.value).toHaveLength(241);
  });

  it('answers an unknown user with 404 Request_ResourceNotFound in the OData error shape', async () => {
    const response = await graph(entra, token, 'users/00000000-0000-0000-0000-000000000000/transitiveMemberOf/microsoft.graph.group');
    expect(response.status).toBe(404);
    const error = response.body.error as { code: string; message: string; innerError: Record<string, string> };
    expect(error.code).toBe('Request_ResourceNotFound');
    expect(error.innerError['request-id']).toBe(response.headers.get('request-id'));
    expect(typeof error.innerError.date).toBe('string');
  });

  it('requires a valid app token: none, garbage, a user token for another audience all get 401 InvalidAuthenticationToken', async () => {
    const path = `users/${entra.users.mfa.oid}/transitiveMemberOf/microsoft.graph.group`;
    const apiToken = await entra.mintAccessToken();
    const expired = await entra.mintAccessToken({ audience: entra.graphHost, expiresInSeconds: -3600 });
    const foreign = await entra.mintAccessToken({ audience: entra.graphHost, signWith: 'unpublished' });
    for (const bad of [undefined, 'garbage', apiToken, expired, foreign]) {
      const response = await graph(entra, bad, path);
      expect(response.status).toBe(401);
      expect((response.body.error as { code: string }).code).toBe('InvalidAuthenticationToken');
    }
  });
});

describe('Graph: users, groups and directory objects', () => {
  it('reads accountEnabled and signInSessionsValidFromDateTime with $select, and leaves them out of the default set', async () => {
    const alice = entra.users.password;
    const selected = await graph(entra, token, `users/${alice.oid}?$select=id,accountEnabled,signInSessionsValidFromDateTime`);
    expect(selected.status).toBe(200);
    expect(selected.body).toEqual({
      '@odata.context': `${entra.graphHost}/v1.0/$metadata#users(id,accountEnabled,signInSessionsValidFromDateTime)/$entity`,
      id: alice.oid,
      accountEnabled: true,
      signInSessionsValidFromDateTime: '2026-01-05T08:00:00Z',
    });
    const byDefault = await graph(entra, token, `users/${alice.upn}`);
    expect(byDefault.body).toMatchObject({ id: alice.oid, userPrincipalName: alice.upn, displayName: 'Alice Andersen' });
    expect(byDefault.body).not.toHaveProperty('accountEnabled');
  });

  it('finds a guest by the #EXT# UPN, and nobody from another tenant', async () => {
    const guest = entra.users.guest;
    expect((await graph(entra, token, `users/${encodeURIComponent(guest.upn)}?$select=id`)).body.id).toBe(guest.oid);
    expect((await graph(entra, token, `users/${entra.users.fabrikam.oid}`)).status).toBe(404);
  });

  it('answers getMemberObjects with the IDs of all the user’s groups, and refuses a body without securityEnabledOnly', async () => {
    const olivia = entra.users.overage;
    const response = await graph(entra, token, `users/${olivia.oid}/getMemberObjects`, { body: { securityEnabledOnly: true } });
    expect(response.status).toBe(200);
    expect(response.body.value).toEqual(olivia.groups);
    const groups = await graph(entra, token, `users/${olivia.oid}/getMemberGroups`, { body: { securityEnabledOnly: false } });
    expect(groups.body.value).toHaveLength(241);
    for (const body of [{}, { securityEnabledOnly: 'yes' }, '{not json']) {
      const bad = await graph(entra, token, `users/${olivia.oid}/getMemberObjects`, { body });
      expect([bad.status, (bad.body.error as { code: string }).code]).toEqual([400, 'Request_BadRequest']);
    }
    expect((await graph(entra, token, `users/${olivia.oid}/getMemberObjects`)).status).toBe(405);
  });

  it('resolves group names with getByIds, leaving unknown IDs out, and limits a call to 1000 IDs', async () => {
    const unknown = '11111111-2222-4333-8444-555555555555';
    const response = await graph(entra, token, 'directoryObjects/getByIds', {
      body: { ids: [GROUP_IDS.dispatch, unknown, GROUP_IDS.supervisors], types: ['group'] },
    });
    expect(response.status).toBe(200);
    const value = response.body.value as Record<string, unknown>[];
    expect(value.map((v) => [v['@odata.type'], v.id, v.displayName])).toEqual([
      ['#microsoft.graph.group', GROUP_IDS.dispatch, 'Dispatch'],
      ['#microsoft.graph.group', GROUP_IDS.supervisors, 'Supervisors'],
    ]);
    const users = await graph(entra, token, 'directoryObjects/getByIds', { body: { ids: [entra.users.password.oid], types: ['group'] } });
    expect(users.body.value).toEqual([]);
    const tooMany = await graph(entra, token, 'directoryObjects/getByIds', { body: { ids: Array.from({ length: 1001 }, () => unknown) } });
    expect([tooMany.status, (tooMany.body.error as { code: string }).code]).toEqual([400, 'Request_BadRequest']);
    const notGuid = await graph(entra, token, 'directoryObjects/getByIds', { body: { ids: ['x'] } });
    expect(notGuid.status).toBe(400);
  });

  it('reads a group with $select, and answers an unknown group with 404 Request_ResourceNotFound', async () => {
    const group = await graph(entra, token, `groups/${GROUP_IDS.fieldOps}?$select=id,displayName`);
    expect(group.body).toEqual({
      '@odata.context': `${entra.graphHost}/v1.0/$metadata#groups(id,displayName)/$entity`,
      id: GROUP_IDS.fieldOps,
      displayName: 'Field Ops',
    });
    const missing = await graph(entra, token, 'groups/11111111-2222-4333-8444-555555555555');
    expect([missing.status, (missing.body.error as { code: string }).code]).toEqual([404, 'Request_ResourceNotFound']);
  });

  it('answers an unknown path with 400 and an OData error, never a non-JSON page', async () => {
    const response = await graph(entra, token, 'me/drive');
    expect(response.status).toBe(400);
    expect((response.body.error as { code: string }).code).toBe('BadRequest');
  });
});
