import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ensureAppCertificate } from './app-certificate';
import { AppRegistryError, certificateCredential, passwordCredential } from './app-registry';
import type { AppGrantSettings, CertificateCredential, PasswordCredential } from './app-registry';
import { clearCounters } from './counters';
import { graphDateTime } from './directory';
import type { UserRecord } from './directory';
import type { GraphFault } from './graph-faults';
import { DEMO_CLIENT_ID } from './ids';
import { newGuid } from './opaque';
import type { EmulatorState } from './state';

/**
 * What an Entra administrator does to the directory and the app registration, for the
 * emulator object and the `/_dev/` control API alike.
 */

export interface UserChange {
  accountEnabled?: boolean;
  /** ISO 8601; stored in Graph's whole-second format. */
  signInSessionsValidFromDateTime?: string;
  /** Graph's `revokeSignInSessions`: sessions and refresh tokens issued before now stop counting. */
  revokeSignInSessions?: boolean;
}

export interface UserState extends UserRecord {
  readonly key: string;
  readonly oid: string;
  readonly userPrincipalName: string;
}

export function userState(state: EmulatorState, reference: string): UserState {
  const user = state.directory.resolve(reference);
  const record = state.directory.record(user);
  return { key: user.key, oid: user.oid, userPrincipalName: user.upn, ...record, groups: [...record.groups] };
}

export function changeUser(state: EmulatorState, reference: string, change: UserChange): UserState {
  const user = state.directory.resolve(reference);
  const record = state.directory.record(user);
  if (change.accountEnabled !== undefined) record.accountEnabled = change.accountEnabled;
  if (change.signInSessionsValidFromDateTime !== undefined)
    record.signInSessionsValidFromDateTime = graphDateTime(new Date(change.signInSessionsValidFromDateTime));
  if (change.revokeSignInSessions) record.signInSessionsValidFromDateTime = graphDateTime(new Date());
  return userState(state, reference);
}

export function changeMemberships(state: EmulatorState, reference: string, change: { add?: readonly string[]; remove?: readonly string[] }): UserState {
  state.directory.changeMemberships(state.directory.resolve(reference), change);
  return userState(state, reference);
}

export interface AppChange {
  applicationPermissions?: readonly string[];
  enabled?: boolean;
  accessTokenLifetimeSeconds?: number;
}

/** The app's credentials without secret values (Graph shows only a hint, too). */
export function appSummary(state: EmulatorState, clientId = DEMO_CLIENT_ID): Record<string, unknown> {
  const settings = confidential(state, clientId);
  return {
    clientId,
    applicationPermissions: [...settings.applicationPermissions],
    enabled: settings.enabled,
    accessTokenLifetimeSeconds: settings.accessTokenLifetimeSeconds,
    passwordCredentials: settings.secrets.map(({ keyId, hint, startDateTime, endDateTime }) => ({ keyId, hint, startDateTime, endDateTime })),
    keyCredentials: settings.certificates.map(certificateSummary),
  };
}

export function certificateSummary(c: CertificateCredential): Record<string, unknown> {
  return { keyId: c.keyId, thumbprint: c.thumbprint, x5t: c.x5t, 'x5t#S256': c.x5tS256, endDateTime: c.endDateTime, certFile: c.certFile, keyFile: c.keyFile };
}

function confidential(state: EmulatorState, clientId: string): AppGrantSettings {
  const id = clientId.toLowerCase();
  if (!state.apps.isConfidential(id)) throw new AppRegistryError(`app ${clientId} is a public client: it holds no credentials`);
  return state.apps.settings(id);
}

export function changeApp(state: EmulatorState, change: AppChange, clientId = DEMO_CLIENT_ID): Record<string, unknown> {
  const settings = confidential(state, clientId);
  if (change.applicationPermissions !== undefined) settings.applicationPermissions = [...change.applicationPermissions];
  if (change.enabled !== undefined) settings.enabled = change.enabled;
  if (change.accessTokenLifetimeSeconds !== undefined) settings.accessTokenLifetimeSeconds = change.accessTokenLifetimeSeconds;
  return appSummary(state, clientId);
}

/** Graph's `addPassword`: a new secret (random unless given); the only time its value is shown. */
export function addSecret(
  state: EmulatorState,
  options: { secretText?: string; expiresInSeconds?: number } = {},
  clientId = DEMO_CLIENT_ID,
): PasswordCredential {
  const secret = passwordCredential(options);
  confidential(state, clientId).secrets.push(secret);
  return secret;
}

/** Graph's `removePassword`. */
export function removeSecret(state: EmulatorState, keyId: string, clientId = DEMO_CLIENT_ID): void {
  const settings = confidential(state, clientId);
  const before = settings.secrets.length;
  settings.secrets = settings.secrets.filter((s) => s.keyId !== keyId);
  if (settings.secrets.length === before) throw new AppRegistryError(`no client secret ${keyId}`);
}

async function certificateDir(state: EmulatorState): Promise<string> {
  state.files.dir ??= await mkdtemp(path.join(os.tmpdir(), 'dev-entra-'));
  return state.files.dir;
}

/** Registers an uploaded certificate, or generates one (PEM files in the cert dir) when none is given. */
export async function addCertificate(state: EmulatorState, certificatePem?: string, clientId = DEMO_CLIENT_ID): Promise<CertificateCredential> {
  const settings = confidential(state, clientId);
  let credential: CertificateCredential;
  if (certificatePem !== undefined) {
    credential = certificateCredential(certificatePem);
  } else {
    const id = newGuid();
    credential = { ...(await ensureAppCertificate(await certificateDir(state), `graph-app-cert-${id}.pem`, `graph-app-key-${id}.pem`)), keyId: id };
  }
  settings.certificates.push(credential);
  return credential;
}

/** The certificate of `ensureAppCertificate`, registered at start and again by `reset`. */
export async function registerDefaultCertificate(state: EmulatorState): Promise<CertificateCredential> {
  const credential = await ensureAppCertificate(await certificateDir(state));
  state.apps.defaultCertificate = credential;
  const settings = state.apps.settings(DEMO_CLIENT_ID);
  if (!settings.certificates.some((c) => c.keyId === credential.keyId)) settings.certificates.push(credential);
  return credential;
}

export function removeCertificate(state: EmulatorState, keyId: string, clientId = DEMO_CLIENT_ID): void {
  const settings = confidential(state, clientId);
  const before = settings.certificates.length;
  settings.certificates = settings.certificates.filter((c) => c.keyId !== keyId);
  if (settings.certificates.length === before) throw new AppRegistryError(`no certificate credential ${keyId}`);
}

export function setGraphFault(state: EmulatorState, fault: GraphFault): GraphFault {
  state.graphFault = fault;
  return fault;
}

/** Back to the start: directory, app credentials and permissions, Graph faults and counters. */
export function resetGraph(state: EmulatorState): void {
  state.directory.reset();
  state.apps.reset();
  state.graphFault = { mode: 'none' };
  clearCounters(state.counters);
}
