import type { JWTHeaderParameters, JWTPayload } from 'jose';
import { appByClientId } from './apps';
import { accessTokenClaims, idTokenClaims } from './claims';
import type { TokenTimes } from './claims';
import { userFactsOn } from './facts';
import { DEMO_API_SCOPE, DEMO_APP_ID_URI, DEMO_CLIENT_ID, GRAPH_APP_ID } from './ids';
import type { SigningKey } from './keys';
import { MintError, MintOptionsSchema } from './mint-options';
import type { MintOptions } from './mint-options';
import { entraHeader, signJwt } from './sign';
import type { EmulatorState } from './state';
import { DEFAULT_USER_KEY, userByKey } from './users';
import type { DemoUser } from './users';

const DEFAULT_LIFETIME_SECONDS = 3600;
/** A documentation address (TEST-NET-2) for `ipaddr` when a test does not care. */
const DEFAULT_IPADDR = '198.51.100.23';

function userOf(key: string | undefined): DemoUser {
  const user = userByKey(key ?? DEFAULT_USER_KEY);
  if (!user) throw new MintError(`unknown demo user '${key}'`);
  return user;
}

function timesOf(opts: MintOptions): TokenTimes {
  const now = Math.floor(Date.now() / 1000);
  const iat = now + (opts.issuedAtSeconds ?? 0);
  return { iat, nbf: now + (opts.notBeforeSeconds ?? opts.issuedAtSeconds ?? 0), exp: now + (opts.expiresInSeconds ?? DEFAULT_LIFETIME_SECONDS) };
}

/** Which application an audience designates: the key of the pairwise `sub` and of roles and groups. */
function resourceAppIdOf(audience: string): string {
  if (audience === DEMO_APP_ID_URI || audience.toLowerCase() === DEMO_CLIENT_ID) return DEMO_CLIENT_ID;
  if (audience === GRAPH_APP_ID || audience.replace(/\/$/, '') === 'https://graph.microsoft.com') return GRAPH_APP_ID;
  return audience;
}

/** The key that signs and the kid the header names; they differ on purpose in some attacks. */
function keyFor(state: EmulatorState, opts: MintOptions): { key: SigningKey; kid: string } {
  if (opts.signWith === 'unpublished') return { key: state.ring.unpublished, kid: opts.kid ?? state.ring.unpublished.kid };
  const named = opts.kid === undefined ? undefined : state.ring.find(opts.kid);
  const key = named ?? state.ring.current();
  return { key, kid: opts.kid ?? key.kid };
}

async function finish(state: EmulatorState, version: 1 | 2, opts: MintOptions, defaults: JWTPayload): Promise<string> {
  const payload: JWTPayload = { ...defaults, ...opts.claims };
  for (const name of opts.omitClaims ?? []) delete payload[name];
  const { key, kid } = keyFor(state, opts);
  // Test headers may hold anything (jku, crit, odd types): that is what they are for.
  const header = { ...entraHeader(version, kid), ...opts.header } as JWTHeaderParameters;
  for (const name of opts.omitHeader ?? []) delete (header as Record<string, unknown>)[name];
  return signJwt(key, header, payload);
}

/** An access token for the ICE API (or any audience), signed by the emulator's keys. */
export async function mintAccessToken(state: EmulatorState, input: MintOptions = {}): Promise<string> {
  const opts = MintOptionsSchema.parse(input);
  const user = state.directory.live(userOf(opts.user));
  const version = opts.version ?? state.config.apiTokenVersion;
  const audience = opts.audience ?? (version === 1 ? DEMO_APP_ID_URI : DEMO_CLIENT_ID);
  const resourceAppId = resourceAppIdOf(audience);
  const facts = userFactsOn(user, appByClientId(resourceAppId));
  const claims = accessTokenClaims({
    origin: state.origin,
    user,
    tenantId: opts.tenantId ?? user.tenantId,
    times: timesOf(opts),
    facts: { ...facts, roles: opts.roles ?? facts.roles, groups: opts.groups ?? facts.groups },
    version,
    audience,
    resourceAppId,
    clientId: opts.clientId ?? DEMO_CLIENT_ID,
    scopes: opts.scopes ?? [DEMO_API_SCOPE],
    ipaddr: opts.ipaddr ?? DEFAULT_IPADDR,
  });
  return finish(state, version, opts, claims);
}

/** A v2 ID token, as the ICE web page or console would receive after sign-in. */
export async function mintIdToken(state: EmulatorState, input: MintOptions = {}): Promise<string> {
  const opts = MintOptionsSchema.parse(input);
  const user = state.directory.live(userOf(opts.user));
  const clientId = opts.clientId ?? DEMO_CLIENT_ID;
  const facts = userFactsOn(user, appByClientId(clientId));
  const claims = idTokenClaims({
    origin: state.origin,
    user,
    tenantId: opts.tenantId ?? user.tenantId,
    times: timesOf(opts),
    facts: { ...facts, roles: opts.roles ?? facts.roles, groups: opts.groups ?? facts.groups },
    clientId,
    nonce: opts.nonce,
    email: true,
  });
  if (opts.audience !== undefined) claims.aud = opts.audience;
  return finish(state, 2, opts, claims);
}
