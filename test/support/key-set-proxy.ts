import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { exportJWK, SignJWT, type JWK } from 'jose';
import type { EntraEmulator } from '@/dev-entra';

export interface OwnKey {
  kid: string;
  privateKey: KeyObject;
  /** Signs `claims` with this key, with any JOSE algorithm an RSA key can do (RS256, RS512, PS256...). */
  sign(claims: Record<string, unknown>, alg?: string, header?: Record<string, unknown>): Promise<string>;
}

export interface KeySetProxy {
  origin: string;
  /** Set as `openIdConfUrl`: the emulator's v2 document, with `jwks_uri` pointing here. */
  openIdConfUrl: string;
  /** A URL on this server that is no key set: a token naming it (jku, x5u) must never make it fetched. */
  trapUrl: string;
  /**
   * Used as `authorityHost`, every other path is the emulator's, passed through (v1 and v2
   * discovery, both key sets), edited by `editDocument` and failed (503) where `failing` says.
   */
  authorityHost: string;
  /** Changes the key set served at `/keys` (the emulator's keys, then the test's own). */
  editKeys: ((keys: Record<string, unknown>[]) => Record<string, unknown>[]) | null;
  /** Changes a passed-through JSON document; the path is the emulator's. */
  editDocument: ((path: string, doc: Record<string, unknown>) => unknown) | null;
  /** Paths for which this server answers 503, as an outage would. */
  failing: ((path: string) => boolean) | null;
  /** Generates an RSA key and publishes it in the key set, with the v2 set's issuer template unless given. */
  addOwnKey(opts?: { issuer?: string | null; kid?: string }): Promise<OwnKey>;
  /** Requests this server answered whose path starts with `prefix`. */
  hits(prefix?: string): number;
  stop(): Promise<void>;
}

/**
 * A loopback server between the validator and the emulator: it serves the emulator's v2
 * discovery document and key set, edited, plus keys the test holds. For the key rules that
 * the emulator's own key set cannot exercise (another tenant's issuer template, RS512/PS256
 * with a published key) and for counting fetches of URLs a token names.
 */
export async function startKeySetProxy(entra: EntraEmulator): Promise<KeySetProxy> {
  const paths: string[] = [];
  const own: JWK[] = [];
  const proxy = {} as KeySetProxy;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '/';
    paths.push(path);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    void (async () => {
      if (path === '/v2.0/.well-known/openid-configuration' && !proxy.failing?.(path)) {
        const doc = (await (await fetch(`${entra.origin}/${entra.tenantId}/v2.0/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
        return send(200, { ...doc, jwks_uri: `${proxy.origin}/keys` });
      }
      if (proxy.failing?.(path)) return send(503, { error: 'temporarily_unavailable' });
      if (path === '/keys') {
        const set = (await (await fetch(`${entra.origin}/${entra.tenantId}/discovery/v2.0/keys`)).json()) as { keys: Record<string, unknown>[] };
        const keys = [...set.keys, ...(own as Record<string, unknown>[])];
        return send(200, { keys: proxy.editKeys ? proxy.editKeys(keys) : keys });
      }
      if (path.startsWith('/trap/')) return send(404, { error: 'not_found' });
      const upstream = await fetch(`${entra.origin}${path}`);
      const doc = (await upstream.json()) as Record<string, unknown>;
      return send(upstream.status, proxy.editDocument ? proxy.editDocument(path, doc) : doc);
    })().catch(() => send(502, { error: 'bad_gateway' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let n = 0;
  Object.assign(proxy, {
    origin,
    openIdConfUrl: `${origin}/v2.0/.well-known/openid-configuration`,
    trapUrl: `${origin}/trap/keys.json`,
    authorityHost: origin,
    editKeys: null,
    editDocument: null,
    failing: null,
    hits: (prefix = '') => paths.filter((p) => p.startsWith(prefix)).length,
    addOwnKey: async ({ issuer, kid }: { issuer?: string | null; kid?: string } = {}) => {
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const id = kid ?? `test-key-${++n}`;
      const template = issuer === undefined ? `${entra.origin}/{tenantid}/v2.0` : issuer;
      own.push({ ...(await exportJWK(publicKey)), kid: id, use: 'sig', ...(template ? { issuer: template } : {}) } as JWK);
      return {
        kid: id,
        privateKey,
        sign: (claims: Record<string, unknown>, alg = 'RS256', header: Record<string, unknown> = {}) =>
          new SignJWT(claims).setProtectedHeader({ typ: 'JWT', ...header, alg, kid: id }).sign(privateKey),
      } satisfies OwnKey;
    },
    stop: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  } satisfies Partial<KeySetProxy>);
  return proxy;
}
