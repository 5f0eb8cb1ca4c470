import 'server-only';
import type { keyHealthSchema } from './schemas';
import { importJWK, type JWK } from 'jose';
import { z } from 'zod';
import { eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { discoveryCache } from '@/db/schema';
import type { EffectiveSettings } from '@/server/settings/derive';
import { log } from '@/server/lib/log';
import { countKeyRefresh } from '@/server/lib/metrics';
import { AppError } from '@/shared/error-model';
import { fetchJson, MetadataFetchError } from './fetch-json';

/** An unknown `kid` refreshes the key set at most once per cooldown. */
export const UNKNOWN_KID_COOLDOWN_MS = 30_000;
/** Keys are refreshed in the background at least this often, as Microsoft advises. */
export const KEY_REFRESH_INTERVAL_MS = 24 * 60 * 60 * 1000;

export interface SigningKey {
  key: CryptoKey;
  /** Entra's per-key issuer template, e.g. https://login.microsoftonline.com/{tenantid}/v2.0; v1 key sets have none. */
  issuerTemplate: string | null;
}

/** What the validator needs from the tenant's discovery documents. */
export interface SigningMaterial {
  v2Issuer: string;
  v1Issuer: string | null;
  jwksUri: string;
  keys: Map<string, SigningKey>;
  fetchedAt: number;
}

/** The discovery and key cache of this process (see {@link keyHealthSchema}). */
export type KeyHealth = z.infer<typeof keyHealthSchema>;

const discoverySchema = z.object({ issuer: z.string().min(1), jwks_uri: z.url() });
const jwksSchema = z.object({
  keys: z.array(
    z.looseObject({ kty: z.string(), kid: z.string().optional(), use: z.string().optional(), alg: z.string().optional(), issuer: z.string().optional() }),
  ),
});

interface State {
  material: SigningMaterial | null;
  inflight: Promise<SigningMaterial> | null;
  lastUnknownKidRefresh: number;
  health: KeyHealth;
}

const STATES = Symbol.for('ice-sso.entra.metadata');
type GlobalWithStates = typeof globalThis & { [STATES]?: Map<string, State> };

function stateFor(s: EffectiveSettings): State {
  const g = globalThis as GlobalWithStates;
  const states = (g[STATES] ??= new Map());
  const key = `${s.tenantId}|${s.openIdConfUrl}|${s.v1OpenIdConfUrl}`;
  let state = states.get(key);
  if (!state) {
    state = {
      material: null,
      inflight: null,
      lastUnknownKidRefresh: 0,
      health: {
        openIdConfUrl: s.openIdConfUrl,
        jwksUri: null,
        lastDiscoveryAt: null,
        lastKeyFetchAt: null,
        keyIds: [],
        source: null,
        lastError: null,
        lastErrorAt: null,
        fetches: 0,
      },
    };
    states.set(key, state);
  }
  return state;
}

/** Neither the network nor the saved copy gave the tenant's keys (the validator answers `keys_unavailable`). */
export class KeysUnavailableError extends AppError {
  readonly code = 'ERR_KEYS_UNAVAILABLE';
  constructor(message: string) {
    super('unavailable', 'keys_unavailable', message);
  }
}

/**
 * The tenant's issuers and signing keys, from memory. Only the first call after start (or
 * after a settings change) goes to the network; if the network fails then, the last good
 * copy saved in the database is used. Throws {@link KeysUnavailableError} when neither exists.
 */
export async function getSigningMaterial(db: Db, s: EffectiveSettings): Promise<SigningMaterial> {
  const state = stateFor(s);
  if (state.material) {
    if (Date.now() - state.material.fetchedAt > KEY_REFRESH_INTERVAL_MS) void refreshFromShared(db, s, state).catch(() => undefined);
    return state.material;
  }
  try {
    // another instance (the background leader) keeps a fresh copy in the database: N instances, one fetch
    const shared = await adoptSharedCopy(db, s, state, 0).catch(() => null);
    if (shared) return shared;
    return await refresh(db, s, state, 'full');
  } catch (err) {
    const cached = await loadFromDatabase(db, s).catch(() => null);
    if (cached) {
      state.material = cached;
      state.health.source = 'database';
      return cached;
    }
    throw new KeysUnavailableError((err as Error).message);
  }
}

/**
 * The key for a `kid`. An unknown kid refreshes the key set from the pinned jwks_uri, at most
 * once per {@link UNKNOWN_KID_COOLDOWN_MS}; nothing in the token ever chooses what is fetched.
 */
export async function findSigningKey(db: Db, s: EffectiveSettings, material: SigningMaterial, kid: string): Promise<SigningKey | null> {
  const state = stateFor(s);
  const known = material.keys.get(kid);
  if (known) return known;
  // a newer key set another instance fetched may hold it already (one read by primary key when it holds nothing newer)
  const shared = await adoptSharedCopy(db, s, state, material.fetchedAt).catch(() => null);
  const sharedKey = shared?.keys.get(kid);
  if (sharedKey) return sharedKey;
  const now = Date.now();
  if (now - state.lastUnknownKidRefresh < UNKNOWN_KID_COOLDOWN_MS) return null;
  state.lastUnknownKidRefresh = now;
  try {
    const fresh = await refresh(db, s, state, 'keys');
    return fresh.keys.get(kid) ?? null;
  } catch {
    return null;
  }
}

/** Refreshes discovery and keys now (background refresh, "Check configuration"). */
export function refreshSigningMaterial(db: Db, s: EffectiveSettings): Promise<SigningMaterial> {
  return refresh(db, s, stateFor(s), 'full');
}

export function keyHealth(s: EffectiveSettings): KeyHealth {
  return { ...stateFor(s).health };
}

/**
 * The copy saved in the database, made this process's own when its key set was fetched (by any
 * instance) after `newerThan` and within {@link KEY_REFRESH_INTERVAL_MS}; otherwise null.
 */
async function adoptSharedCopy(db: Db, s: EffectiveSettings, state: State, newerThan: number): Promise<SigningMaterial | null> {
  if (state.material && !(savedAt(db, state.material.jwksUri) > newerThan)) return null;
  const saved = await loadFromDatabase(db, s);
  if (!saved || saved.fetchedAt <= newerThan || Date.now() - saved.fetchedAt > KEY_REFRESH_INTERVAL_MS) return null;
  state.material = saved;
  state.health.source = 'database';
  state.health.keyIds = [...saved.keys.keys()];
  state.health.jwksUri = saved.jwksUri;
  state.health.lastKeyFetchAt = saved.fetchedAt;
  return saved;
}

/** A stale key set: the shared copy when another instance refreshed it, the network otherwise. */
async function refreshFromShared(db: Db, s: EffectiveSettings, state: State): Promise<SigningMaterial> {
  const shared = await adoptSharedCopy(db, s, state, state.material?.fetchedAt ?? 0).catch(() => null);
  return shared ?? refresh(db, s, state, 'full');
}

function refresh(db: Db, s: EffectiveSettings, state: State, scope: 'full' | 'keys'): Promise<SigningMaterial> {
  if (state.inflight) return state.inflight;
  const run = (async () => {
    try {
      const material = scope === 'keys' && state.material ? await fetchKeys(db, state.material, state) : await fetchAll(db, s, state);
      state.material = material;
      state.health.source = 'network';
      state.health.keyIds = [...material.keys.keys()];
      state.health.jwksUri = material.jwksUri;
      countKeyRefresh('ok');
      return material;
    } catch (err) {
      state.health.lastError = (err as Error).message;
      state.health.lastErrorAt = Date.now();
      countKeyRefresh('failed');
      log.warn('entra metadata refresh failed', { error: (err as Error).message });
      throw err;
    } finally {
      state.inflight = null;
    }
  })();
  state.inflight = run;
  return run;
}

async function fetchAll(db: Db, s: EffectiveSettings, state: State): Promise<SigningMaterial> {
  state.health.fetches++;
  const v2Raw = await fetchJson(s.openIdConfUrl);
  const v2 = parseDiscovery(s.openIdConfUrl, v2Raw, s.tenantId);
  let v1Issuer: string | null = state.material?.v1Issuer ?? null;
  let v1Raw: unknown = null;
  try {
    state.health.fetches++;
    v1Raw = await fetchJson(s.v1OpenIdConfUrl);
    v1Issuer = parseDiscovery(s.v1OpenIdConfUrl, v1Raw, s.tenantId).issuer;
  } catch (err) {
    // v1 tokens need the v1 issuer; v2 tokens still work without it
    // Stryker disable next-line StringLiteral,ObjectLiteral: log wording, not behaviour (tests run with LOG_LEVEL=silent)
    log.warn('entra v1 discovery unavailable', { error: (err as Error).message });
  }
  state.health.lastDiscoveryAt = Date.now();
  const material = await fetchKeys(db, { v2Issuer: v2.issuer, v1Issuer, jwksUri: v2.jwks_uri, keys: new Map(), fetchedAt: 0 }, state);
  saveToDatabase(db, s.openIdConfUrl, v2Raw);
  if (v1Raw) saveToDatabase(db, s.v1OpenIdConfUrl, v1Raw);
  return material;
}

async function fetchKeys(db: Db, base: SigningMaterial, state: State): Promise<SigningMaterial> {
  state.health.fetches++;
  const raw = await fetchJson(base.jwksUri);
  const keys = await importKeySet(base.jwksUri, raw);
  state.health.lastKeyFetchAt = Date.now();
  saveToDatabase(db, base.jwksUri, raw);
  return { ...base, keys, fetchedAt: Date.now() };
}

function parseDiscovery(url: string, raw: unknown, tenantId: string): z.infer<typeof discoverySchema> {
  const parsed = discoverySchema.safeParse(raw);
  if (!parsed.success) throw new MetadataFetchError(url, 'not an OpenID configuration document (issuer, jwks_uri)');
  // the multi-tenant documents carry a template; a tenant's own carries its ID
  return { ...parsed.data, issuer: parsed.data.issuer.replace('{tenantid}', tenantId) };
}

async function importKeySet(url: string, raw: unknown): Promise<Map<string, SigningKey>> {
  const parsed = jwksSchema.safeParse(raw);
  if (!parsed.success) throw new MetadataFetchError(url, 'not a JSON Web Key Set');
  const keys = new Map<string, SigningKey>();
  for (const jwk of parsed.data.keys) {
    if (jwk.kty !== 'RSA' || !jwk.kid || (jwk.use && jwk.use !== 'sig')) continue;
    try {
      const { kid, use, issuer, x5c, x5t, alg, key_ops, ...rest } = jwk as Record<string, unknown>;
      void use;
      void x5c;
      void x5t;
      void alg;
      void key_ops;
      const key = (await importJWK({ ...(rest as JWK), kty: 'RSA' }, 'RS256')) as CryptoKey;
      keys.set(kid as string, { key, issuerTemplate: typeof issuer === 'string' ? issuer : null });
    } catch {
      // a key we cannot use is skipped, not fatal
    }
  }
  if (keys.size === 0) throw new MetadataFetchError(url, 'no usable RS256 signing keys');
  return keys;
}

function savedAt(db: Db, url: string): number {
  return db.select({ fetchedAt: discoveryCache.fetchedAt }).from(discoveryCache).where(eq(discoveryCache.url, url)).get()?.fetchedAt ?? 0;
}

function saveToDatabase(db: Db, url: string, body: unknown): void {
  try {
    const text = JSON.stringify(body);
    db.insert(discoveryCache)
      .values({ url, body: text, fetchedAt: Date.now() })
      .onConflictDoUpdate({ target: discoveryCache.url, set: { body: text, fetchedAt: Date.now() } })
      .run();
  } catch (err) {
    // Stryker disable next-line StringLiteral,ObjectLiteral: log wording, not behaviour (tests run with LOG_LEVEL=silent)
    log.warn('could not save entra metadata', { error: (err as Error).message });
  }
}

async function loadFromDatabase(db: Db, s: EffectiveSettings): Promise<SigningMaterial | null> {
  const read = (url: string) => {
    const row = db.select().from(discoveryCache).where(eq(discoveryCache.url, url)).get();
    return row ? { body: JSON.parse(row.body) as unknown, fetchedAt: row.fetchedAt } : null;
  };
  const v2 = read(s.openIdConfUrl);
  if (!v2) return null;
  const doc = parseDiscovery(s.openIdConfUrl, v2.body, s.tenantId);
  const jwks = read(doc.jwks_uri);
  if (!jwks) return null;
  const v1 = read(s.v1OpenIdConfUrl);
  return {
    v2Issuer: doc.issuer,
    v1Issuer: v1 ? parseDiscovery(s.v1OpenIdConfUrl, v1.body, s.tenantId).issuer : null,
    jwksUri: doc.jwks_uri,
    keys: await importKeySet(doc.jwks_uri, jwks.body),
    fetchedAt: jwks.fetchedAt,
  };
}
