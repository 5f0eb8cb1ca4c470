import 'server-only';
import fs from 'node:fs';
import { getDb } from '@/db/client';
import type { Actor } from '@/server/audit/changes';
import { settingsFields, settingsKeys, type FieldInfo, type SettingsKey } from '@/server/settings/fields';
import { SettingsValidationError, SettingsVersionNotFoundError } from '@/server/settings/errors';
import { getSettings, listSettingsVersions, revertSettings, updateSettings } from '@/server/settings/service';
import { clearGraphCredential, graphCredentialStatus, setGraphCertificate, setGraphClientSecret, splitPemBundle } from '@/server/settings/graph-credential';
import { graphCredentialKeys, type GraphCredentialKey } from '@/shared/settings/fields';
import { EXIT, formatTime, parseArgs, UsageError, type Io } from './io';

const cliActor: Actor = { kind: 'cli', name: 'cli' };

export const settingsUsage = `Usage:
  ice-sso settings show [--json]
  ice-sso settings set key=value [key=value ...] [--comment "why"]
  ice-sso settings set graphClientSecret --stdin      (the secret from standard input: it stays out of shell history)
  ice-sso settings set graphCertificate=<PEM file>    (private key and certificate in one PEM file; or --stdin)
  ice-sso settings history [--json] [--limit N]
  ice-sso settings revert <version> [--comment "why"]

Keys: ${settingsKeys.join(', ')}
Write-only keys: ${graphCredentialKeys.join(', ')} (shown as set or not set; an empty value clears it).
An empty value (e.g. audience=) resets a derived field to its default. Lists are comma-separated.`;

/** Reads standard input whole (for --stdin). */
const readStdin = (): string => fs.readFileSync(0, 'utf8');

export function settingsCommand(args: string[], io: Io): number {
  const [verb, ...rest] = args;
  switch (verb) {
    case 'show':
      return show(rest, io);
    case 'set':
      return set(rest, io);
    case 'history':
      return history(rest, io);
    case 'revert':
      return revert(rest, io);
    default:
      io.err(verb ? `Unknown settings command "${verb}".\n` : '');
      io.err(settingsUsage);
      return EXIT.usage;
  }
}

function show(args: string[], io: Io): number {
  const { flags } = parseArgs(args);
  const current = getSettings(getDb());
  const { effective } = current;
  const values = Object.fromEntries(settingsKeys.map((k) => [k, effective[k]]));
  const graph = graphCredentialStatus(getDb());
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  if (flags.json) {
    io.out(
      JSON.stringify(
        {
          ...values,
          graphClientSecret: graph.clientSecret.set ? 'set' : 'not set',
          graphCertificate: graph.certificate.set ? 'set' : 'not set',
          graphCredential: {
            active: graph.active,
            clientSecret: { ...graph.clientSecret, setAt: iso(graph.clientSecret.setAt) },
            certificate: { ...graph.certificate, setAt: iso(graph.certificate.setAt), expiresAt: iso(graph.certificate.expiresAt) },
          },
          version: current.version,
          updatedAt: current.updatedAt === null ? null : new Date(current.updatedAt).toISOString(),
          updatedBy: current.updatedBy,
          derived: effective.derived,
        },
        null,
        2,
      ),
    );
    return EXIT.ok;
  }
  io.out(
    `Settings version ${current.version}${current.updatedAt ? ` (${formatTime(current.updatedAt)} by ${current.updatedBy})` : ' (defaults, never saved)'}`,
  );
  const width = Math.max(...settingsKeys.map((k) => k.length));
  for (const key of settingsKeys) {
    const value = effective[key];
    const shown = Array.isArray(value) ? value.join(',') : value === null || value === '' ? '-' : String(value);
    const note = (effective.derived as string[]).includes(key) ? '  (derived)' : (settingsFields[key] as FieldInfo).derived ? '  (override)' : '';
    io.out(`  ${key.padEnd(width)}  ${shown}${note}`);
  }
  const secret = graph.clientSecret;
  const cert = graph.certificate;
  const inUse = (kind: 'client_secret' | 'certificate') => (graph.active === kind && secret.set && cert.set ? '  (in use: the certificate wins)' : '');
  io.out(`  ${'graphClientSecret'.padEnd(width)}  ${secret.set ? `set (${formatTime(secret.setAt)} by ${secret.setBy})` : 'not set'}`);
  io.out(
    `  ${'graphCertificate'.padEnd(width)}  ${cert.set ? `set (${formatTime(cert.setAt)} by ${cert.setBy}; SHA-256 thumbprint ${cert.thumbprint}, expires ${formatTime(cert.expiresAt)})${inUse('certificate')}` : 'not set'}`,
  );
  if (!graph.active) io.out('Microsoft Graph: no credential, so a token with groups overage is refused (groups_unresolved).');
  else if (!effective.graphHost) io.out('Microsoft Graph: graphHost is required for a custom cloud; groups overage stays unresolved until it is set.');
  io.out(`SSO meta: ${current.meta.status === 200 ? 'published at /sso-meta' : 'not published (/sso-meta answers 404 sso_not_configured)'}`);
  return EXIT.ok;
}

function set(args: string[], io: Io): number {
  const { positional, flags } = parseArgs(args, ['comment']);
  if (positional.length === 0) throw new UsageError('settings set needs at least one key=value');
  const patch: Record<string, unknown> = {};
  const credentials: [GraphCredentialKey, string][] = [];
  const problems: string[] = [];
  if (flags.stdin) {
    const named = positional.filter((p) => isCredentialKey(p.replace(/=$/, '')));
    if (named.length !== 1 || positional.length !== 1)
      throw new UsageError(`--stdin reads the value of one write-only key: settings set graphClientSecret --stdin (or graphCertificate --stdin)`);
    const value = readStdin().replace(/\r?\n$/, '');
    if (!value.trim()) throw new UsageError('--stdin read nothing: pipe the value in, e.g. settings set graphClientSecret --stdin < secret.txt');
    return saveCredentials(io, [[named[0]!.replace(/=$/, '') as GraphCredentialKey, value]], true);
  }
  for (const pair of positional) {
    const eq = pair.indexOf('=');
    if (eq > 0 && isCredentialKey(pair.slice(0, eq))) {
      credentials.push([pair.slice(0, eq) as GraphCredentialKey, pair.slice(eq + 1)]);
      continue;
    }
    if (eq <= 0) {
      problems.push(`"${pair}": expected key=value`);
      continue;
    }
    const key = pair.slice(0, eq);
    const raw = pair.slice(eq + 1);
    if (!(key in settingsFields)) {
      problems.push(`${key}: unknown setting. Known settings: ${settingsKeys.join(', ')}`);
      continue;
    }
    patch[key] = coerce(key as SettingsKey, raw);
  }
  if (problems.length) return reject(io, problems);
  if (Object.keys(patch).length === 0) return saveCredentials(io, credentials, false);
  try {
    const saved = updateSettings(getDb(), patch, cliActor, typeof flags.comment === 'string' ? flags.comment : null);
    io.out(`Saved settings version ${saved.version}.`);
    const meta = getSettings(getDb()).meta;
    io.out(meta.status === 200 ? '/sso-meta now publishes the new document.' : '/sso-meta answers 404 sso_not_configured (SSO is disabled or incomplete).');
    return credentials.length ? saveCredentials(io, credentials, false) : EXIT.ok;
  } catch (err) {
    if (err instanceof SettingsValidationError) {
      return reject(
        io,
        err.issues.map((i) => {
          const info = settingsFields[i.field as SettingsKey] as FieldInfo | undefined;
          return `${i.field}: ${i.message}${info ? `\n      allowed: ${allowedValues(info)}` : ''}`;
        }),
      );
    }
    throw err;
  }
}

const isCredentialKey = (key: string): key is GraphCredentialKey => (graphCredentialKeys as readonly string[]).includes(key);

/**
 * Sets, replaces or (empty value) clears the write-only keys. A certificate comes as the path of
 * a PEM file holding the private key and the certificate, or the PEM text itself from --stdin.
 * Never echoes a value.
 */
function saveCredentials(io: Io, credentials: [GraphCredentialKey, string][], fromStdin: boolean): number {
  const db = getDb();
  for (const [key, raw] of credentials) {
    try {
      if (!raw.trim()) {
        const before = graphCredentialStatus(db);
        clearGraphCredential(db, key, cliActor);
        const wasSet = key === 'graphClientSecret' ? before.clientSecret.set : before.certificate.set;
        io.out(wasSet ? `${key} cleared.` : `${key} was not set.`);
        continue;
      }
      const before = graphCredentialStatus(db);
      if (key === 'graphClientSecret') {
        setGraphClientSecret(db, raw, cliActor);
        io.out(`${key} ${before.clientSecret.set ? 'replaced' : 'set'} (stored encrypted; never shown again).`);
      } else {
        const pem = fromStdin ? raw : readPemFile(raw);
        const after = setGraphCertificate(db, splitPemBundle(pem), cliActor);
        io.out(
          `${key} ${before.certificate.set ? 'replaced' : 'set'}: SHA-256 thumbprint ${after.certificate.thumbprint}, expires ${formatTime(after.certificate.expiresAt)}.`,
        );
      }
    } catch (err) {
      if (err instanceof SettingsValidationError)
        return reject(
          io,
          err.issues.map((i) => `${i.field}: ${i.message}`),
        );
      throw err;
    }
  }
  return EXIT.ok;
}

function readPemFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(
      `graphCertificate: cannot read the PEM file "${file}" (give the path of a file with the private key and the certificate, or use --stdin)`,
    );
  }
}

function reject(io: Io, problems: string[]): number {
  io.err('Settings not saved:');
  for (const p of problems) io.err(`  - ${p}`);
  return EXIT.usage;
}

/** Command-line text → the JSON value the settings schema expects; anything odd is left for zod to name. */
function coerce(key: SettingsKey, raw: string): unknown {
  const info = settingsFields[key] as FieldInfo;
  const value = raw.trim();
  if (value === '' && (info.derived || key === 'domainHint')) return null;
  switch (info.kind) {
    case 'boolean': {
      const v = value.toLowerCase();
      if (['true', 'yes', 'on', '1'].includes(v)) return true;
      if (['false', 'no', 'off', '0'].includes(v)) return false;
      return value;
    }
    case 'int':
      return /^-?\d+$/.test(value) ? Number(value) : value;
    case 'guidList':
      if (value.startsWith('[')) {
        try {
          return JSON.parse(value) as unknown;
        } catch {
          return value;
        }
      }
      return value === ''
        ? []
        : value
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean);
    default:
      return value;
  }
}

export function allowedValues(info: FieldInfo): string {
  switch (info.kind) {
    case 'boolean':
      return 'true or false';
    case 'enum':
      return (info.values ?? []).join(', ');
    case 'guid':
      return 'a GUID such as 8eaef023-2b34-4da1-9baa-8bc8c9d6a490 (empty when SSO is disabled)';
    case 'url':
      return `an https:// URL${info.derived ? ', or empty for the derived default' : ''} (http:// only for a custom cloud on loopback)`;
    case 'int':
      return `a whole number from ${info.min} to ${info.max}`;
    case 'guidList':
      return `comma-separated GUIDs${info.derived ? ', or empty for the derived default' : ''}`;
    default:
      return `text without spaces${info.derived ? ', or empty for the derived default' : ''}`;
  }
}

function history(args: string[], io: Io): number {
  const { flags } = parseArgs(args, ['limit']);
  const limit = typeof flags.limit === 'string' ? Number(flags.limit) : 50;
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError('--limit must be a positive whole number');
  const versions = listSettingsVersions(getDb(), { limit });
  if (flags.json) {
    io.out(
      JSON.stringify(
        versions.map((v) => ({ ...v, createdAt: new Date(v.createdAt).toISOString() })),
        null,
        2,
      ),
    );
    return EXIT.ok;
  }
  if (versions.length === 0) {
    io.out('No settings saved yet (defaults in effect).');
    return EXIT.ok;
  }
  for (const v of versions) {
    const note = v.revertedFrom ? ` [restored v${v.revertedFrom}]` : '';
    io.out(`v${v.version}  ${formatTime(v.createdAt)}  ${v.author} (${v.authorKind})${note}${v.comment ? `  "${v.comment}"` : ''}`);
  }
  return EXIT.ok;
}

function revert(args: string[], io: Io): number {
  const { positional, flags } = parseArgs(args, ['comment']);
  const version = Number(positional[0]);
  if (positional.length !== 1 || !Number.isInteger(version) || version < 1)
    throw new UsageError('settings revert needs one version number, e.g. settings revert 3');
  try {
    const saved = revertSettings(getDb(), version, cliActor, typeof flags.comment === 'string' ? flags.comment : null);
    io.out(`Restored version ${version} as version ${saved.version}.`);
    return EXIT.ok;
  } catch (err) {
    if (err instanceof SettingsVersionNotFoundError) {
      io.err(err.message);
      return EXIT.usage;
    }
    if (err instanceof SettingsValidationError)
      return reject(
        io,
        err.issues.map((i) => `${i.field}: ${i.message}`),
      );
    throw err;
  }
}
