// Shared by the audit tests (not a test itself): a database with a realistic, deterministic history.
import crypto from 'node:crypto';
import { openDb, type Db } from '@/db/client';
import { loginEvents } from '@/db/schema';
import { writeTransaction } from '@/db/transaction';
import { tempDbFile } from '@/test/support/tmp';
import { recordLoginEvent, type LoginAttempt } from './logins';
import { rng } from '@/test/support/random';

export { rng };

export const TENANT = '8eaef023-2b34-4da1-9baa-8bc8c9d6a490';
export const CLIENTS = ['6731de76-14a6-49ae-97bc-6eba6914391e', '0f1e2d3c-4b5a-4697-8877-665544332211', 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee'];
/** 2026-11-01T00:00:00Z */
export const BASE = Date.parse('2026-11-01T00:00:00Z');

export interface Person {
  userId: string | null;
  objectId: string;
  username: string;
  displayName: string;
}

const guidFrom = (r: () => number) => [8, 4, 4, 4, 12].map((n) => Array.from({ length: n }, () => Math.floor(r() * 16).toString(16)).join('')).join('-');

export const freshDb = (): { db: Db; file: string } => {
  const file = tempDbFile();
  return { db: openDb(file), file };
};

/** People, most in the directory (users table); the last one never made it there. */
export function addPeople(db: Db, r: () => number): Person[] {
  const names = [
    ['Zoë Ångström, "ZA"', 'zoe@contoso.com'],
    ['Anna Berg', 'anna.berg@contoso.com'],
    ['Anna Bergström', 'anna.bergstrom@contoso.com'],
    ['Bo Dahl', 'bo@contoso.com'],
    ['Hiro Nakamura', 'hiro@contoso.com'],
    ['=HYPERLINK("http://evil")', 'mallory@contoso.com'],
  ];
  const people: Person[] = names.map(([displayName, username], i) => ({
    userId: i === names.length - 1 ? null : crypto.randomUUID(),
    objectId: guidFrom(r),
    username: username!,
    displayName: displayName!,
  }));
  const insert = db.$client.prepare(
    'INSERT INTO users (id, tenant_id, object_id, display_name, email, username, search_text, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  for (const p of people) {
    if (!p.userId) continue;
    insert.run(p.userId, TENANT, p.objectId, p.displayName, p.username, p.username, `${p.displayName} ${p.username} ${p.objectId}`.toLowerCase(), BASE, BASE);
  }
  return people;
}

const REASONS = ['token_expired', 'group_required', 'bad_signature', 'token_replayed'];
const AMRS: Array<string[] | null> = [['wia'], ['pwd'], ['pwd', 'mfa'], null, ['wia'], ['ngcmfa']];
const AGENTS = ['ICE-PTT/5.2 (Android 15)', 'Agent, with "quotes"\r\nand a new line', 'ICE-Desktop/3.1'];

/**
 * Writes `count` login attempts through recordLoginEvent; every `tie` consecutive events
 * share one millisecond, so pages must break ties by ID.
 */
export function addLoginEvents(db: Db, people: Person[], count: number, opts: { seed?: number; tie?: number; start?: number; stepMs?: number } = {}): void {
  const r = rng(opts.seed ?? 7);
  const tie = opts.tie ?? 5;
  const start = opts.start ?? BASE;
  const step = opts.stepMs ?? 60_000;
  writeTransaction(db, () => {
    for (let i = 0; i < count; i++) {
      const p = people[Math.floor(r() * people.length)]!;
      const refused = r() < 0.3;
      const attempt: LoginAttempt = {
        outcome: refused ? 'refused' : 'accepted',
        reason: refused ? REASONS[Math.floor(r() * REASONS.length)]! : null,
        status: refused ? 401 : 200,
        tenantId: TENANT,
        objectId: p.objectId,
        userId: p.userId,
        username: p.username,
        displayName: p.displayName,
        clientAppId: CLIENTS[Math.floor(r() * CLIENTS.length)]!,
        tokenVersion: '1.0',
        amr: AMRS[Math.floor(r() * AMRS.length)]!,
        uti: `uti-${i}`,
        ip: `10.0.0.${1 + Math.floor(r() * 4)}`,
        userAgent: AGENTS[Math.floor(r() * AGENTS.length)]!,
      };
      recordLoginEvent(db, attempt, start + Math.floor(i / tie) * step);
    }
  });
}

export type LoginRow = typeof loginEvents.$inferSelect;

/** Every login row, newest first, as a plain query reads it: the reference the lists are held to. */
export function allLoginRows(db: Db): LoginRow[] {
  return db
    .select()
    .from(loginEvents)
    .all()
    .sort((a, b) => b.ts - a.ts || b.id - a.id);
}

/** RFC 4180, strictly: what a spreadsheet or a CSV library reads back. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (c === '"') {
        quoted = false;
        i++;
        if (i < text.length && text[i] !== ',' && text[i] !== '\r') throw new Error(`text after a closing quote at ${i}`);
      } else field += text[i++];
    } else if (c === '"') {
      if (field !== '') throw new Error(`quote inside an unquoted field at ${i}`);
      quoted = true;
      i++;
    } else if (c === ',') {
      record.push(field);
      field = '';
      i++;
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += 2;
    } else if (c === '\n' || c === '\r') throw new Error(`bare line break outside quotes at ${i}`);
    else field += text[i++];
  }
  if (quoted) throw new Error('unterminated quoted field');
  if (field !== '' || record.length) throw new Error('last record does not end in CRLF');
  return records;
}
