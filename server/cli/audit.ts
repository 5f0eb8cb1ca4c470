import 'server-only';
import fs from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { z } from 'zod';
import { fieldIssuesOf } from '@/shared/error-model';
import { getDb } from '@/db/client';
import { exportChangeEvents, exportLoginEvents, type ExportProgress } from '@/server/audit-reports/export';
import { purgeExpiredAuditEvents } from '@/server/audit-reports/retention';
import { parseTimeBound } from '@/server/audit/time-range';
import { chainHead, compareHead, formatHeads, headNames, parseExpectedHeads, type ExpectedHead } from '@/server/audit/heads';
import { verifyAuditChains, type ChainVerification } from '@/server/audit/verify';
import { EXIT, formatTime, parseArgs, UsageError, type Io } from './io';

export const auditUsage = `Usage:
  ice-sso audit export [--stream logins|changes] [--since T] [--until T] [--format csv|jsonl] [--out FILE] [--bom]
      login filters:  --outcome accepted|refused  --reason CODE  --user TEXT  --user-id ID  --client APP_ID
                      --method CODE|none  --ip ADDRESS
      change filters: --action ACTION  --target-type TYPE  --target-id ID  --actor TEXT  --actor-kind KIND
      Writes to standard output unless --out names a file. Newest events first.
  ice-sso audit verify [--json] [--expect logins=SEQ:HASH[,changes=SEQ:HASH]]
      walk both hash chains and print each chain's head (newest event ID and hash); exit 1 when
      a chain is broken, or when it is behind or differs from an expected head (a cut tail)
  ice-sso audit purge [--json]    delete events older than the auditRetentionDays setting now

T is a date (2026-11-01, UTC; as --until it includes that day), an ISO 8601 date-time with a zone
(2026-11-01T08:00:00Z), epoch milliseconds, or a time back from now (90m, 24h, 7d).`;

export async function auditCommand(args: string[], io: Io): Promise<number> {
  const [verb, ...rest] = args;
  switch (verb) {
    case 'export':
      return exportCommand(rest, io);
    case 'verify':
      return verifyCommand(rest, io);
    case 'purge':
      return purgeCommand(rest, io);
    case 'help':
    case '--help':
    case '-h':
      io.out(auditUsage);
      return EXIT.ok;
    default:
      io.err(verb ? `Unknown audit command "${verb}".\n` : '');
      io.err(auditUsage);
      return EXIT.usage;
  }
}

const loginFlags: Record<string, string> = {
  outcome: 'outcome',
  reason: 'reason',
  user: 'user',
  'user-id': 'userId',
  client: 'clientAppId',
  method: 'signInMethod',
  ip: 'ip',
};
const changeFlags: Record<string, string> = {
  action: 'action',
  'target-type': 'targetType',
  'target-id': 'targetId',
  actor: 'actor',
  'actor-kind': 'actorKind',
};
const commonFlags = ['stream', 'since', 'until', 'format', 'out'];

/** `--since 7d`: a time back from now; anything else goes to the shared time parser. */
function timeFlag(name: string, value: string | true | undefined, end: boolean, now: number): number | undefined {
  if (value === undefined) return undefined;
  if (value === true) throw new UsageError(`--${name} needs a value`);
  const relative = /^(\d{1,6})([mhd])$/.exec(value.trim());
  if (relative) return now - Number(relative[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[relative[2] as 'm' | 'h' | 'd'];
  const ms = parseTimeBound(value, end);
  if (ms === null)
    throw new UsageError(
      `--${name} "${value}": expected a date (2026-11-01), an ISO date-time with a zone (2026-11-01T08:00:00Z), epoch milliseconds, or 24h / 7d`,
    );
  return ms;
}

async function exportCommand(args: string[], io: Io): Promise<number> {
  const { positional, flags } = parseArgs(args, [...commonFlags, ...Object.keys(loginFlags), ...Object.keys(changeFlags)]);
  const stream = flags.stream ?? 'logins';
  if (stream !== 'logins' && stream !== 'changes') throw new UsageError('--stream must be logins or changes');
  const filterFlags = stream === 'logins' ? loginFlags : changeFlags;
  for (const name of Object.keys(flags)) {
    if (commonFlags.includes(name) || name === 'bom' || name in filterFlags) continue;
    const other = stream === 'logins' ? changeFlags : loginFlags;
    throw new UsageError(
      name in other ? `--${name} filters the ${stream === 'logins' ? 'changes' : 'logins'} stream, not ${stream}` : `Unknown option --${name}\n\n${auditUsage}`,
    );
  }
  if (positional.length) throw new UsageError(`audit export takes no positional arguments (got "${positional.join(' ')}")\n\n${auditUsage}`);
  const format = flags.format ?? 'csv';
  if (format !== 'csv' && format !== 'jsonl') throw new UsageError('--format must be csv or jsonl');
  const now = Date.now();
  const filter: Record<string, unknown> = {};
  const from = timeFlag('since', flags.since, false, now);
  const to = timeFlag('until', flags.until, true, now);
  if (from !== undefined) filter.from = from;
  if (to !== undefined) filter.to = to;
  if (from !== undefined && to !== undefined && from >= to) throw new UsageError('--since must be before --until');
  for (const [flag, key] of Object.entries(filterFlags)) {
    const value = flags[flag];
    if (value === true) throw new UsageError(`--${flag} needs a value`);
    if (value !== undefined) filter[key] = value;
  }
  if (typeof flags.out !== 'string' && flags.out !== undefined) throw new UsageError('--out needs a file name');

  const db = getDb();
  const progress: ExportProgress = { rows: 0 };
  const options = { format, bom: flags.bom === true } as const;
  let chunks: AsyncGenerator<string>;
  try {
    chunks = stream === 'logins' ? exportLoginEvents(db, filter, options, progress) : exportChangeEvents(db, filter, options, progress);
  } catch (err) {
    if (err instanceof z.ZodError) throw new UsageError(describeFilterError(err, filterFlags));
    throw err;
  }
  const out = typeof flags.out === 'string' ? flags.out : null;
  if (out) {
    // written beside the target and renamed at the end: an interrupted export leaves no half file
    const partial = `${out}.partial`;
    const file = fs.createWriteStream(partial);
    try {
      await pipeTo(chunks, file);
      file.end();
      await once(file, 'finish');
      fs.renameSync(partial, out);
    } catch (err) {
      file.destroy();
      fs.rmSync(partial, { force: true });
      throw err;
    }
    io.err(`Exported ${progress.rows} ${stream === 'logins' ? 'login events' : 'change events'} to ${out}`);
  } else {
    await pipeTo(chunks, process.stdout);
  }
  return EXIT.ok;
}

/** Writes every chunk, waiting for 'drain' when the reader is slower (memory stays flat). */
async function pipeTo(chunks: AsyncIterable<string>, target: Writable): Promise<void> {
  let failure: Error | null = null;
  const onError = (err: Error) => (failure = err);
  target.on('error', onError);
  try {
    for await (const chunk of chunks) {
      if (failure) break;
      if (!target.write(chunk)) await Promise.race([once(target, 'drain'), once(target, 'error')]);
    }
  } finally {
    target.off('error', onError);
  }
  const err = failure as (Error & { code?: string }) | null;
  // a reader that stops early (`| head`) is not a failure of the export
  if (err && err.code !== 'EPIPE') throw err;
}

function describeFilterError(err: z.ZodError, filterFlags: Record<string, string>): string {
  const flagOf = Object.fromEntries([...Object.entries(filterFlags).map(([flag, key]) => [key, flag]), ['from', 'since'], ['to', 'until']]);
  return fieldIssuesOf(err)
    .map((i) => {
      const key = i.field.split('.')[0]!;
      return `--${flagOf[key] ?? key}: ${i.message}`;
    })
    .join('\n');
}

function streamName(v: ChainVerification): string {
  return v.stream === 'login' ? 'login history' : 'change log';
}

const verifyUsage = 'Usage: ice-sso audit verify [--json] [--expect logins=<seq>:<hash>[,changes=<seq>:<hash>]]';

async function verifyCommand(args: string[], io: Io): Promise<number> {
  const { positional, flags } = parseArgs(args, ['expect']);
  if (positional.length || Object.keys(flags).some((f) => f !== 'json' && f !== 'expect')) throw new UsageError(verifyUsage);
  let expected: ExpectedHead[] = [];
  if (flags.expect !== undefined) {
    const parsed = typeof flags.expect === 'string' ? parseExpectedHeads(flags.expect) : 'needs a value';
    if (typeof parsed === 'string') throw new UsageError(`--expect ${parsed}\n\n${verifyUsage}`);
    expected = parsed;
  }
  const db = getDb();
  const verifications = await verifyAuditChains(db);
  const results = verifications.map((v) => {
    const want = expected.find((e) => e.stream === v.stream);
    const head = chainHead(db, v.stream);
    return { ...v, head: { seq: head.seq, hash: head.hash }, ...(want ? { expectedHead: compareHead(db, want) } : {}) };
  });
  if (flags.json) io.out(JSON.stringify(results, null, 2));
  else {
    for (const v of results) {
      const from = v.checkpoint
        ? ` (from the retention checkpoint of ${formatTime(v.checkpoint.createdAt)}: events through ${v.checkpoint.purgedThroughId} were purged)`
        : '';
      if (v.firstBroken) {
        io.out(`${streamName(v)}: BROKEN at event ${v.firstBroken.id} (${v.firstBroken.reason})`);
        io.out(`  ${v.firstBroken.message}`);
        io.out(`  ${v.verified} events verified before the break${from}.`);
      } else io.out(`${streamName(v)}: ${v.verified} events verified, chain intact${from}.`);
      io.out(`  head ${headNames[v.stream]}=${v.head.seq}:${v.head.hash}`);
      const e = v.expectedHead;
      if (e)
        io.out(
          `  expected head ${headNames[v.stream]}=${e.expected.seq}:${e.expected.hash.slice(0, 12)}…: ${e.failed ? e.standing.toUpperCase() : 'ok'}. ${e.message}`,
        );
    }
    io.out(
      `Keep these heads elsewhere and check them later with: ice-sso audit verify --expect ${formatHeads(results.map((v) => ({ stream: v.stream, ...v.head })))}`,
    );
  }
  return results.some((v) => v.firstBroken || v.expectedHead?.failed) ? EXIT.failure : EXIT.ok;
}

async function purgeCommand(args: string[], io: Io): Promise<number> {
  const { positional, flags } = parseArgs(args);
  if (positional.length || Object.keys(flags).some((f) => f !== 'json')) throw new UsageError(`Usage: ice-sso audit purge [--json]`);
  const r = await purgeExpiredAuditEvents(getDb());
  if (flags.json) io.out(JSON.stringify(r, null, 2));
  else {
    io.out(`Retention ${r.retentionDays} days: events before ${formatTime(r.cutoff)} are expired.`);
    io.out(
      `Purged ${r.login.purged} login events (${r.login.attempts ?? 0} attempts) and ${r.change.purged} change events; each batch is recorded in the change log (audit.purge).`,
    );
  }
  const refused = [r.login.refused, r.change.refused].filter((x) => x !== undefined);
  for (const x of refused) io.err(x.message);
  return refused.length ? EXIT.failure : EXIT.ok;
}
