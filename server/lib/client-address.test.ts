import type http from 'node:http';
import { describe, expect, it } from 'vitest';
import { parseTrustProxy, type TrustProxy } from '@/config/env';
import { fastRoutes } from '@/server/http/fast-routes';
import { clientAddressOf, compileTrust, normalizeAddress, resolveClientAddress, stampClientAddress } from './client-address';
import { DOOR_METHODS } from '@/server/http/request-guard';

/** A request as node:http gives it: the TCP peer and the headers. */
const req = (peer: string, forwardedFor?: string) =>
  ({
    socket: { remoteAddress: peer },
    connection: { remoteAddress: peer },
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
  }) as unknown as http.IncomingMessage;
const trust = (value: string) => compileTrust(parseTrustProxy(value) as TrustProxy);

describe('the client address', () => {
  it('is the TCP peer when no proxy is trusted, whatever X-Forwarded-For says', () => {
    expect(resolveClientAddress(req('198.51.100.66', '203.0.113.7'), trust('false'))).toBe('198.51.100.66');
  });

  it('is the right-most X-Forwarded-For entry behind one proxy, not the client-written left-most', () => {
    expect(resolveClientAddress(req('10.0.0.2', '203.0.113.7, 198.51.100.66'), trust('true'))).toBe('198.51.100.66');
    expect(resolveClientAddress(req('10.0.0.2'), trust('true'))).toBe('10.0.0.2');
  });

  it('walks back as many entries as the hop count says', () => {
    expect(resolveClientAddress(req('10.0.0.2', '203.0.113.7, 198.51.100.66, 10.0.0.9'), trust('2'))).toBe('198.51.100.66');
  });

  it('walks back only through the trusted proxy networks', () => {
    const t = trust('10.0.0.0/8,127.0.0.1');
    expect(resolveClientAddress(req('127.0.0.1', '203.0.113.7, 198.51.100.66, 10.1.2.3'), t)).toBe('198.51.100.66');
    // the peer itself is not a trusted proxy: its header is not believed at all
    expect(resolveClientAddress(req('192.0.2.1', '203.0.113.7'), t)).toBe('192.0.2.1');
  });

  it('stops at the hop that wrote an entry which is not an IP address, so garbage never becomes an address', () => {
    expect(resolveClientAddress(req('10.0.0.2', '203.0.113.7, <script>'), trust('true'))).toBe('10.0.0.2');
    expect(resolveClientAddress(req('10.0.0.2', 'unknown'), trust('2'))).toBe('10.0.0.2');
    expect(resolveClientAddress(req('10.0.0.2', '203.0.113.7, 999.1.1.1, 198.51.100.66'), trust('3'))).toBe('198.51.100.66');
  });

  it('normalises IPv4-mapped IPv6 to IPv4 and IPv6 to its canonical form', () => {
    expect(normalizeAddress('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(normalizeAddress('::FFFF:c000:0201')).toBe('192.0.2.1');
    expect(normalizeAddress('2001:DB8:0:0:0:0:0:1')).toBe('2001:db8::1');
    expect(normalizeAddress('[2001:db8::1]')).toBe('2001:db8::1');
    expect(normalizeAddress('fe80::1%eth0')).toBe('fe80::1');
    expect(normalizeAddress('01.2.3.4')).toBeNull();
    expect(normalizeAddress('203.0.113.7:443')).toBeNull();
    expect(normalizeAddress('')).toBeNull();
    expect(resolveClientAddress(req('::ffff:127.0.0.1'), trust('false'))).toBe('127.0.0.1');
  });

  it('reaches Web handlers only as stamped by this process: a header the client wrote is never believed', () => {
    const r = req('192.0.2.7');
    r.headers['x-ice-sso-client-ip'] = '203.0.113.7 Zm9yZ2Vk';
    expect(clientAddressOf(new Headers({ 'x-ice-sso-client-ip': '203.0.113.7 Zm9yZ2Vk' }))).toBeNull();
    expect(clientAddressOf(new Headers({ 'x-ice-sso-client-ip': '203.0.113.7' }))).toBeNull();
    stampClientAddress(r);
    const stamped = r.headers['x-ice-sso-client-ip'] as string;
    expect(clientAddressOf(new Headers({ 'x-ice-sso-client-ip': stamped }))).toBe('192.0.2.7');
    // the MAC is bound to the address: it cannot be moved to another one
    expect(clientAddressOf(new Headers({ 'x-ice-sso-client-ip': stamped.replace('192.0.2.7', '192.0.2.8') }))).toBeNull();
  });
});

describe('the MACs of recent addresses', () => {
  const macs = () => (globalThis as Record<symbol, { macs: Map<string, string> }>)[Symbol.for('ice-sso.client-address')]!.macs;
  const stampOf = (peer: string) => {
    const r = req(peer);
    stampClientAddress(r);
    return r.headers['x-ice-sso-client-ip'] as string;
  };

  it('are kept for at most 4096 addresses, the oldest forgotten first; a forgotten address still verifies and a forged MAC still fails', () => {
    const first = stampOf('198.18.0.1');
    expect(macs().has('198.18.0.1')).toBe(true);
    for (let i = 0; i < 5000; i++) stampOf(`198.19.${i >> 8}.${i & 255}`);
    expect(macs().size).toBe(4096);
    expect(macs().has('198.18.0.1')).toBe(false);
    // the newest are the ones kept
    expect(macs().has('198.19.19.135')).toBe(true);
    expect(macs().has('198.19.3.135')).toBe(false);
    expect(macs().has('198.19.3.136')).toBe(true);
    // recomputed under the same key: the stamp taken before it was forgotten verifies
    expect(clientAddressOf(new Headers({ 'x-ice-sso-client-ip': first }))).toBe('198.18.0.1');
    expect(stampOf('198.18.0.1')).toBe(first);
    const cached = stampOf('198.19.19.135');
    expect(clientAddressOf(new Headers({ 'x-ice-sso-client-ip': cached.slice(0, -2) + (cached.endsWith('AA') ? 'AB' : 'AA') }))).toBeNull();
    expect(clientAddressOf(new Headers({ 'x-ice-sso-client-ip': cached.replace('198.19.19.135', '198.18.0.1') }))).toBeNull();
  });
});

describe('the request guard', () => {
  it('knows the same methods for the fast routes as their handlers have', () => {
    for (const [path, methods] of Object.entries(fastRoutes)) expect(DOOR_METHODS[path], path).toEqual(Object.keys(methods!));
  });
});
