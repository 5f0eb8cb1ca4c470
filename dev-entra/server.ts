import { createServer as createHttpServer } from 'node:http';
import type { Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { signRaw } from './attacks';
import type { RawAlg } from './attacks';
import { AppRegistry, DEMO_CLIENT_SECRET } from './app-registry';
import type { CertificateCredential, PasswordCredential } from './app-registry';
import { clearCounters, newCounters, snapshot } from './counters';
import { Directory } from './directory';
import {
  addSecret,
  changeApp,
  changeMemberships,
  changeUser,
  registerDefaultCertificate,
  removeSecret,
  resetGraph,
  setGraphFault,
  userState,
} from './graph-admin';
import type { AppChange, UserChange, UserState } from './graph-admin';
import { GraphFaultSchema } from './graph-faults';
import type { GraphFaultInput } from './graph-faults';
import { GrantStore } from './grants';
import { DEMO_CLIENT_ID, DEMO_TENANT_ID } from './ids';
import { KeyRing } from './keys';
import { mintAccessToken, mintIdToken } from './mint';
import type { MintOptions } from './mint-options';
import { createListener } from './router';
import type { EmulatorState, OutageMode, RequestRecord, TokenVersion } from './state';
import { ensureCertificate } from './tls';
import { DEMO_USERS } from './users';

export interface EntraEmulatorOptions {
  /** Serve HTTPS with a self-signed certificate (MSAL in a browser needs it); default false. */
  https?: boolean;
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Where cert.pem/key.pem live with `https`; default a temporary directory removed on stop. */
  certDir?: string;
  /** Access token version of the emulated API; default 1, like a new app registration. */
  apiTokenVersion?: TokenVersion;
  /** Extra exact redirect URIs per client ID. */
  redirectUris?: Record<string, string[]>;
  /**
   * Generate (or reuse) a certificate and key for the ICE Server app's `private_key_jwt`
   * credential, as PEM in the cert dir; default: when `certDir` is given (a temporary dir otherwise).
   */
  appCertificate?: boolean;
}

/** The ICE Server app's certificate credential: PEM files, and the thumbprints an assertion's header names. */
export interface AppCertificateFiles {
  readonly certFile: string;
  readonly keyFile: string;
  /** Hex SHA-1, as the Entra portal shows it. */
  readonly thumbprint: string;
  /** base64url SHA-1 (the legacy `x5t` header). */
  readonly x5t: string;
  /** base64url SHA-256 (the `x5t#S256` header). */
  readonly x5tS256: string;
}

/** Counters of served calls (see counters.ts). */
export type CounterSnapshot = ReturnType<typeof snapshot>;

/** A running emulator, and the levers tests pull on it. */
export interface EntraEmulator {
  /** e.g. `http://127.0.0.1:53012` or `https://localhost:8443`. */
  readonly origin: string;
  /** The authority host to configure in ice-sso (cloud=custom); the same as `origin`. */
  readonly authorityHost: string;
  /** Microsoft Graph's host in this custom cloud (ice-sso's `graphHost`); the same as `origin`. */
  readonly graphHost: string;
  /** The ICE Server app's fixed development client secret (DEMO_CLIENT_SECRET). */
  readonly clientSecret: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly users: typeof DEMO_USERS;
  /** PEM of the HTTPS certificate, for NODE_EXTRA_CA_CERTS; undefined on plain HTTP. */
  readonly certFile: string | undefined;
  readonly currentKid: string;
  /** Every request to Entra's paths (not `/_dev/`), oldest first. */
  readonly requests: readonly RequestRecord[];
  apiTokenVersion: TokenVersion;
  mintAccessToken(options?: MintOptions): Promise<string>;
  mintIdToken(options?: MintOptions): Promise<string>;
  /** Attack tokens: unsecured, HS256 keyed with the public key, or RS256 over arbitrary JSON. */
  signRaw(header: Record<string, unknown>, payload: Record<string, unknown>, alg: RawAlg): Promise<string>;
  /** Publishes a new key; it signs only with `makeCurrent` (Entra publishes keys before using them). */
  addKey(options?: { makeCurrent?: boolean }): Promise<string>;
  /** Makes a published key the signing key. */
  useKey(kid: string): void;
  /** Unpublishes a key; retiring the signing key hands signing to the newest remaining one. */
  retireKey(kid: string): void;
  /** While down, discovery and key endpoints answer 503 (`unavailable`) or drop the connection (`reset`). */
  setOutage(down: boolean, mode?: OutageMode): void;
  /** Requests whose path starts with `pathPrefix` (all without one). */
  countRequests(pathPrefix?: string): number;
  clearRequests(): void;
  /** The ICE Server app's generated certificate credential, with `appCertificate`. */
  readonly appCertificate: AppCertificateFiles | undefined;
  /** A user's account state and memberships (by key, object ID or UPN). */
  user(reference: string): UserState;
  /** Disables/enables an account, sets `signInSessionsValidFromDateTime`, or revokes sessions (now). */
  setUser(reference: string, change: UserChange): UserState;
  /** Adds and removes group memberships: Graph and the next sign-in's token see them. */
  changeMemberships(reference: string, change: { add?: readonly string[]; remove?: readonly string[] }): UserState;
  /** Granted Graph application permissions, service principal enabled, app token lifetime. */
  setApp(change: AppChange): void;
  /** Adds a client secret (random unless given); returns it, value included. */
  addClientSecret(options?: { secretText?: string; expiresInSeconds?: number }): PasswordCredential;
  removeClientSecret(keyId: string): void;
  /** Graph faults: `throttle` (429/503 + Retry-After, `count` calls), `down`, `slow`, `none`. */
  setGraphFault(fault: GraphFaultInput): void;
  counters(): CounterSnapshot;
  clearCounters(): void;
  /** Directory, app credentials and permissions, Graph faults and counters back to their start. */
  resetGraph(): void;
  stop(): Promise<void>;
}

function certificateFiles(c: CertificateCredential | undefined): AppCertificateFiles | undefined {
  if (!c?.certFile || !c.keyFile) return undefined;
  return { certFile: c.certFile, keyFile: c.keyFile, thumbprint: c.thumbprint, x5t: c.x5t, x5tS256: c.x5tS256 };
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

function originOf(secure: boolean, host: string, port: number): string {
  // The certificate names localhost; MSAL and browsers are happiest with a name, too.
  const name = secure && LOOPBACK.has(host) ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `${secure ? 'https' : 'http'}://${name}:${port}`;
}

async function listen(server: Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

/** Starts an Entra ID emulator on loopback. Stop it with `stop()`. */
export async function startEntraEmulator(options: EntraEmulatorOptions = {}): Promise<EntraEmulator> {
  const secure = options.https ?? false;
  const host = options.host ?? '127.0.0.1';
  const tempDir = secure && !options.certDir ? await mkdtemp(path.join(os.tmpdir(), 'dev-entra-')) : undefined;
  const tls = secure ? await ensureCertificate(options.certDir ?? tempDir ?? '') : undefined;
  const wantsAppCertificate = options.appCertificate ?? options.certDir !== undefined;
  const state: EmulatorState = {
    origin: '',
    secure,
    ring: await KeyRing.create(),
    grants: new GrantStore(),
    requests: [],
    config: { apiTokenVersion: options.apiTokenVersion ?? 1, redirectUris: { ...options.redirectUris } },
    outage: { down: false, mode: 'unavailable' },
    directory: new Directory(),
    apps: new AppRegistry(),
    graphFault: { mode: 'none' },
    counters: newCounters(),
    files: { dir: options.certDir ?? tempDir, temporary: !options.certDir },
  };
  const appCertificate = wantsAppCertificate ? certificateFiles(await registerDefaultCertificate(state)) : undefined;
  const listener = createListener(state);
  const server: Server = tls ? createHttpsServer({ cert: tls.cert, key: tls.key }, listener) : createHttpServer(listener);
  const port = await listen(server, options.port ?? 0, host);
  state.origin = originOf(secure, host, port);

  return {
    origin: state.origin,
    authorityHost: state.origin,
    graphHost: state.origin,
    clientSecret: DEMO_CLIENT_SECRET,
    appCertificate,
    tenantId: DEMO_TENANT_ID,
    clientId: DEMO_CLIENT_ID,
    users: DEMO_USERS,
    certFile: tls?.certFile,
    requests: state.requests,
    get currentKid() {
      return state.ring.currentKid;
    },
    get apiTokenVersion() {
      return state.config.apiTokenVersion;
    },
    set apiTokenVersion(version: TokenVersion) {
      state.config.apiTokenVersion = version;
    },
    mintAccessToken: (opts) => mintAccessToken(state, opts),
    mintIdToken: (opts) => mintIdToken(state, opts),
    signRaw: (header, payload, alg) => signRaw(state.ring, header, payload, alg),
    addKey: (opts) => state.ring.add(opts),
    useKey: (kid) => state.ring.use(kid),
    retireKey: (kid) => state.ring.retire(kid),
    setOutage: (down, mode = 'unavailable') => {
      state.outage = { down, mode };
    },
    countRequests: (prefix = '') => state.requests.filter((r) => r.path.startsWith(prefix)).length,
    clearRequests: () => {
      state.requests.length = 0;
    },
    stop: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      if (state.files.temporary && state.files.dir) await rm(state.files.dir, { recursive: true, force: true });
    },
    user: (reference) => userState(state, reference),
    setUser: (reference, change) => changeUser(state, reference, change),
    changeMemberships: (reference, change) => changeMemberships(state, reference, change),
    setApp: (change) => {
      changeApp(state, change);
    },
    addClientSecret: (opts) => addSecret(state, opts),
    removeClientSecret: (keyId) => removeSecret(state, keyId),
    setGraphFault: (fault) => {
      setGraphFault(state, GraphFaultSchema.parse(fault));
    },
    counters: () => snapshot(state.counters),
    clearCounters: () => clearCounters(state.counters),
    resetGraph: () => resetGraph(state),
  };
}
