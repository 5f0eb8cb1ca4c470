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
