import { z } from 'zod';
import type { DemoGroup } from './groups';
import { groupById } from './groups';
import type { GraphContext } from './graph-context';
import { badRequest, decodeSkipToken, encodeSkipToken, notFound, odataQuery, parseSelect, parseTop, project } from './graph-odata';
import { DEMO_TENANT_ID } from './ids';
import type { DemoUser } from './users';
import { DEMO_USER_LIST } from './users';

/** Graph's resources, reduced to what the demo directory knows. */

const GROUP_PROPERTIES = ['id', 'displayName', 'description', 'mailEnabled', 'securityEnabled', 'groupTypes', 'mail', 'mailNickname', 'createdDateTime'];
const USER_PROPERTIES = [
  'id',
  'displayName',
  'givenName',
  'surname',
  'userPrincipalName',
  'mail',
  'userType',
  'accountEnabled',
  'signInSessionsValidFromDateTime',
  'businessPhones',
  'jobTitle',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
];
/** What `GET /users/{id}` returns without `$select` (Graph's default set: no accountEnabled). */
const USER_DEFAULT = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
  'id',
];

function groupResource(group: DemoGroup): Record<string, unknown> {
  return {
    id: group.id,
    createdDateTime: '2026-01-05T08:00:00Z',
    description: null,
    displayName: group.displayName,
    groupTypes: [],
    mail: null,
    mailEnabled: false,
    mailNickname: group.displayName.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
    securityEnabled: true,
  };
}

function userResource(ctx: GraphContext, user: DemoUser): Record<string, unknown> {
  const record = ctx.state.directory.record(user);
  return {
    businessPhones: [],
    displayName: user.displayName,
    givenName: user.givenName,
    jobTitle: null,
    mail: user.mail,
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: null,
    surname: user.surname,
    userPrincipalName: user.upn,
    id: user.oid,
    userType: user.home ? 'Guest' : 'Member',
    accountEnabled: record.accountEnabled,
    signInSessionsValidFromDateTime: record.signInSessionsValidFromDateTime,
  };
}

function metadata(ctx: GraphContext, fragment: string): string {
  return `${ctx.state.origin}/v1.0/$metadata#${fragment}`;
}

/** The user named by `/users/{id|userPrincipalName}` in the caller's tenant, or 404. */
function userOf(ctx: GraphContext): DemoUser {
  const reference = ctx.segments[1] ?? '';
  const user = ctx.state.directory.find(ctx.caller.tenantId, reference);
  if (!user) throw notFound(reference);
  return user;
}

/** `GET /users/{id}?$select=…` */
export function getUser(ctx: GraphContext): Record<string, unknown> {
  const user = userOf(ctx);
  const select = parseSelect(ctx.url.searchParams, USER_PROPERTIES, 'user');
  const resource = project(userResource(ctx, user), select ?? USER_DEFAULT);
  return { '@odata.context': metadata(ctx, select ? `users(${select.join(',')})/$entity` : 'users/$entity'), ...resource };
}

/**
 * `GET /users/{id}/transitiveMemberOf[/microsoft.graph.group]` and `/memberOf`: the user's groups
 * in pages of `$top` (default 100, max 999), with `@odata.nextLink` carrying an opaque
 * `$skiptoken`. The demo has no nested groups, so both lists are the same.
 */
export function listMemberships(ctx: GraphContext): Record<string, unknown> {
  const user = userOf(ctx);
  const cast = ctx.segments[3] !== undefined;
  const params = ctx.url.searchParams;
  const select = parseSelect(params, GROUP_PROPERTIES, 'group');
  const top = parseTop(params);
  const collection = `${ctx.segments[2]}:${user.oid}`;
  const offset = decodeSkipToken(params.get('$skiptoken'), collection);
  const groups = ctx.state.directory.groupsOf(user);
  const page = groups.slice(offset, offset + top).map((g) => {
    const resource = project(groupResource(g), select, ['id']);
    // Without the cast the collection holds directoryObjects, each saying its type.
    return cast ? resource : { '@odata.type': '#microsoft.graph.group', ...resource };
  });
  const context = cast ? `groups${select ? `(${select.join(',')})` : ''}` : `directoryObjects${select ? `(${select.join(',')})` : ''}`;
  const body: Record<string, unknown> = { '@odata.context': metadata(ctx, context) };
  if (offset + top < groups.length) {
    const next = new URLSearchParams(params);
    next.set('$skiptoken', encodeSkipToken(collection, offset + top));
    body['@odata.nextLink'] = `${ctx.state.origin}${ctx.url.pathname}${odataQuery(next)}`;
  }
  body.value = page;
  return body;
}

const MemberObjectsSchema = z.object({ securityEnabledOnly: z.boolean() }).strict();

/** `POST /users/{id}/getMemberObjects` (and getMemberGroups) `{ securityEnabledOnly }` → `{ value: [ids] }`. */
export async function getMemberObjects(ctx: GraphContext): Promise<Record<string, unknown>> {
  const user = userOf(ctx);
  await ctx.body(MemberObjectsSchema);
  // Every demo group is a security group, so securityEnabledOnly changes nothing.
  return { '@odata.context': metadata(ctx, 'Collection(Edm.String)'), value: ctx.state.directory.groupsOf(user).map((g) => g.id) };
}

/** `GET /groups/{id}?$select=…` in the caller's tenant (every demo group lives in Contoso). */
export function getGroup(ctx: GraphContext): Record<string, unknown> {
  const id = ctx.segments[1] ?? '';
  const group = ctx.caller.tenantId === DEMO_TENANT_ID ? groupById(id.toLowerCase()) : undefined;
  if (!group) throw notFound(id);
  const select = parseSelect(ctx.url.searchParams, GROUP_PROPERTIES, 'group');
  return { '@odata.context': metadata(ctx, select ? `groups(${select.join(',')})/$entity` : 'groups/$entity'), ...project(groupResource(group), select) };
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const GetByIdsSchema = z
  .object({
    ids: z.array(z.string()).min(1).max(1000),
    types: z.array(z.string()).optional(),
  })
  .strict();
const KNOWN_TYPES = ['group', 'user', 'device', 'directoryObjectPartnerReference', 'servicePrincipal', 'application', 'orgContact', 'directoryRole'];

/** `POST /directoryObjects/getByIds` `{ ids (≤ 1000), types? }`: the objects found, unknown IDs left out. */
export async function getByIds(ctx: GraphContext): Promise<Record<string, unknown>> {
  const { ids, types } = await ctx.body(GetByIdsSchema);
  const bad = ids.find((id) => !GUID.test(id));
  if (bad !== undefined) throw badRequest(`Invalid GUID:${bad}`);
  const wanted = new Set((types ?? ['group', 'user']).map((t) => t.replace(/^#?microsoft\.graph\./i, '').toLowerCase()));
  for (const t of wanted) if (!KNOWN_TYPES.some((k) => k.toLowerCase() === t)) throw badRequest(`Invalid type '${t}'.`);
  const value: Record<string, unknown>[] = [];
  for (const raw of ids) {
    const id = raw.toLowerCase();
    const group = wanted.has('group') && ctx.caller.tenantId === DEMO_TENANT_ID ? groupById(id) : undefined;
    if (group) {
      value.push({ '@odata.type': '#microsoft.graph.group', ...groupResource(group) });
      continue;
    }
    const user = wanted.has('user') ? DEMO_USER_LIST.find((u) => u.oid === id && u.tenantId === ctx.caller.tenantId) : undefined;
    if (user) value.push({ '@odata.type': '#microsoft.graph.user', ...project(userResource(ctx, user), USER_DEFAULT) });
  }
  return { '@odata.context': metadata(ctx, 'directoryObjects'), value };
}
