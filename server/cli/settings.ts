import 'server-only';
import { getDb } from '@/db/client';
import type { Actor } from '@/server/audit/changes';
import { settingsFields, settingsKeys, type FieldInfo, type SettingsKey } from '@/server/settings/fields';
import { SettingsValidationError, SettingsVersionNotFoundError } from '@/server/settings/errors';
import { getSettings, listSettingsVersions, revertSettings, updateSettings } from '@/server/settings/service';
import { EXIT, formatTime, parseArgs, UsageError, type Io } from './io';

const cliActor: Actor = { kind: 'cli', name: 'cli' };

export const settingsUsage = `Usage:
  ice-sso settings show [--json]
  ice-sso settings set key=value [key=value ...] [--comment "why"]
  ice-sso settings history [--json] [--limit N]
  ice-sso settings revert <version> [--comment "why"]

Keys: ${settingsKeys.join(', ')}
An empty value (e.g. audience=) resets a derived field to its default. Lists are comma-separated.`;

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
  if (flags.json) {
    io.out(
      JSON.stringify(
        {
          ...values,
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
  io.out(`SSO meta: ${current.meta.status === 200 ? 'published at /sso-meta' : 'not published (/sso-meta answers 404 sso_not_configured)'}`);
  return EXIT.ok;
}

function set(args: string[], io: Io): number {
  const { positional, flags } = parseArgs(args, ['comment']);
  if (positional.length === 0) throw new UsageError('settings set needs at least one key=value');
  const patch: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const pair of positional) {
    const eq = pair.indexOf('=');
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
  try {
    const saved = updateSettings(getDb(), patch, cliActor, typeof flags.comment === 'string' ? flags.comment : null);
    io.out(`Saved settings version ${saved.version}.`);
    const meta = getSettings(getDb()).meta;
    io.out(meta.status === 200 ? '/sso-meta now publishes the new document.' : '/sso-meta answers 404 sso_not_configured (SSO is disabled or incomplete).');
    return EXIT.ok;
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
