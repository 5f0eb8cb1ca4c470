import 'server-only';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import net from 'node:net';
import proxyAddr from 'proxy-addr';
import { getEnv, type TrustProxy } from '@/config/env';

/**
 * The client address of a request, resolved once per request from the TCP peer and, as far as
 * `TRUST_PROXY` allows, `X-Forwarded-For`; then carried to Next's route handlers, tRPC and the
 * audit rows in one request header, `x-ice-sso-client-ip: <address> <mac>`. The MAC is an HMAC
 * under a key made at random in this process and never sent anywhere, so a header a client wrote
 * never verifies: not under `npm start` (the custom server overwrites it), not under plain
 * `next start` (request-guard.ts hooks node:http's request event to overwrite it), and not in
 * the moment before that hook is installed (it is then simply not believed: the address is unknown).
 */
export const CLIENT_ADDRESS_HEADER = 'x-ice-sso-client-ip';

const KEY = Symbol.for('ice-sso.client-address');
interface State {
  secret: Buffer;
  trust: ((addr: string, hop: number) => boolean) | null;
  /** MACs computed lately, by address: one HMAC per address rather than two per request. */
  macs: Map<string, string>;
}
type G = typeof globalThis & { [KEY]?: State };

/** Process-wide (Next bundles its own copy of this module: the key must be the same for both). */
function state(): State {
  const g = globalThis as G;
  return (g[KEY] ??= { secret: randomBytes(32), trust: null, macs: new Map() });
}

/** The MAC key, for the console thread this process starts (console-thread.ts): the only place it goes. */
export function clientAddressSecret(): Buffer {
  return state().secret;
}

/**
 * Takes the main thread's MAC key (the console thread, before it serves anything), so that the
 * addresses the front door stamped verify in this thread too.
 */
export function adoptClientAddressSecret(secret: Buffer): void {
  const s = state();
  s.secret = secret;
  s.macs.clear();
}

function trustFunction(): (addr: string, hop: number) => boolean {
  const s = state();
  return (s.trust ??= compileTrust(getEnv().TRUST_PROXY));
}

export function compileTrust(trust: TrustProxy): (addr: string, hop: number) => boolean {
  if (trust.kind === 'none') return () => false;
  if (trust.kind === 'hops') return (_addr, hop) => hop < trust.hops;
  return proxyAddr.compile(trust.networks);
}

/**
 * Canonical text of an IP address (IPv6 compressed and lower-case, IPv4-mapped IPv6 as IPv4,
 * zone IDs dropped), or null when the text is not an IP address.
 */
export function normalizeAddress(text: string | undefined | null): string | null {
  if (!text) return null;
  let v = text.trim();
  if (v.startsWith('[') && v.endsWith(']')) v = v.slice(1, -1);
  const zone = v.indexOf('%');
  if (zone > 0) v = v.slice(0, zone);
  const family = net.isIP(v);
  if (family === 4) return v;
  if (family !== 6) return null;
  const canonical = new URL(`http://[${v}]/`).hostname.slice(1, -1);
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonical);
  if (mapped) {
    const hi = parseInt(mapped[1]!, 16);
    const lo = parseInt(mapped[2]!, 16);
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  return canonical;
}

/**
 * The client address of a node:http request: the TCP peer, then leftwards through
 * `X-Forwarded-For` while the hop that wrote the entry is trusted. An entry that is not an IP
 * address ends the walk at the hop that wrote it, so garbage never becomes an address.
 */
export function resolveClientAddress(req: http.IncomingMessage, trust = trustFunction()): string | null {
  const addrs = proxyAddr.all(req);
  let client = normalizeAddress(addrs[0]);
  if (!client) return null;
  for (let hop = 0; hop < addrs.length - 1; hop++) {
    if (!trust(client, hop)) break;
    const next = normalizeAddress(addrs[hop + 1]);
    if (!next) break;
    client = next;
  }
  return client;
}

/** Addresses whose MAC is kept; past it the oldest is forgotten first (a flood of addresses costs its HMACs, nothing more). */
const MAC_CACHE_SIZE = 4096;

function mac(address: string): string {
  const s = state();
  let m = s.macs.get(address);
  if (m !== undefined) return m;
  m = createHmac('sha256', s.secret).update(address).digest('base64url');
  if (s.macs.size >= MAC_CACHE_SIZE) s.macs.delete(s.macs.keys().next().value!);
  s.macs.set(address, m);
  return m;
}

/** The header value this process writes for an address (the address and its MAC); in-process callers and tests use it too. */
export function clientAddressHeaderValue(address: string): string {
  return `${address} ${mac(address)}`;
}

const RESOLVED = Symbol('ice-sso.client-address.resolved');
type StampedRequest = http.IncomingMessage & { [RESOLVED]?: string | null };

/** The address {@link stampClientAddress} resolved for this node:http request (the fast door needs no MAC check), or undefined before it ran. */
export function stampedAddressOf(req: http.IncomingMessage): string | null | undefined {
  return (req as StampedRequest)[RESOLVED];
}

/** Resolves the request's client address and writes it, with its MAC, over any header of that name. */
export function stampClientAddress(req: http.IncomingMessage): string | null {
  const address = resolveClientAddress(req);
  (req as StampedRequest)[RESOLVED] = address;
  if (address) req.headers[CLIENT_ADDRESS_HEADER] = clientAddressHeaderValue(address);
  else delete req.headers[CLIENT_ADDRESS_HEADER];
  return address;
}

/**
 * The client address of a Web request (route handlers, tRPC, the export route, audit rows):
 * the one stamped by this process, or null when the header is absent or was not written here.
 */
export function clientAddressOf(request: Request | Headers): string | null {
  const headers = request instanceof Headers ? request : request.headers;
  return addressOfHeaderValue(headers.get(CLIENT_ADDRESS_HEADER));
}

/** The address in a client-address header value when this process wrote it (its MAC verifies), else null. */
export function addressOfHeaderValue(value: string | null | undefined): string | null {
  if (!value) return null;
  const space = value.indexOf(' ');
  if (space <= 0) return null;
  const address = value.slice(0, space);
  const expected = Buffer.from(mac(address));
  const given = Buffer.from(value.slice(space + 1));
  return given.length === expected.length && timingSafeEqual(given, expected) ? address : null;
}
