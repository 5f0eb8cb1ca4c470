import { describe, expect, it } from 'vitest';
import { writeTransaction } from '@/db/transaction';
import { recordChange } from '@/server/audit/changes';
import { csvField } from '@/server/audit/csv';
import { changeExportColumns, exportChangeEvents, exportLoginEvents, loginExportColumns, toReadableStream } from './export';
import { listLoginEvents, type LoginEventFilterInput } from '@/server/audit/login-history';
import { addLoginEvents, addPeople, BASE, freshDb, parseCsv, rng } from '@/server/audit/test-fixtures';

async function collect(chunks: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const chunk of chunks) text += chunk;
  return text;
}

function listed(db: Parameters<typeof listLoginEvents>[0], f: LoginEventFilterInput) {
  const items = [];
  let cursor: string | null = null;
  do {
    const page: ReturnType<typeof listLoginEvents> = listLoginEvents(db, f, { cursor, limit: 200 });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

const { db } = freshDb();
const people = addPeople(db, rng(3));
// more rows than one export page (1,000), with ties in time across the page boundary
addLoginEvents(db, people, 2600, { tie: 7, stepMs: 30_000 });
const zoe = people.find((p) => p.displayName.startsWith('Zoë'))!;

describe('login history export', () => {
  const filters: Array<[string, LoginEventFilterInput]> = [
    ['everything', {}],
    ['refused sign-ins of Zoë in a time range', { outcome: 'refused', user: zoe.objectId, from: BASE + 1_800_000, to: '2026-11-01T08:00:00Z' }],
    ['Seamless SSO from one address', { signInMethod: 'wia', ip: '10.0.0.2' }],
    ['nothing', { ip: '203.0.113.250' }],
  ];

  it.each(filters)('CSV holds exactly the rows the list shows, in order, escaped so that they parse back: %s', async (_name, f) => {
    const expected = listed(db, f);
    const text = await collect(exportLoginEvents(db, f, { format: 'csv' }));
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual([...loginExportColumns]);
    expect(rows.map((r) => Number(r[0]))).toEqual(expected.map((e) => e.id));
    const col = (name: (typeof loginExportColumns)[number]) => loginExportColumns.indexOf(name);
    rows.forEach((r, i) => {
      const e = expected[i]!;
      expect(r[col('time')]).toBe(new Date(e.ts).toISOString());
      expect(r[col('display_name')]).toBe(e.displayName?.startsWith('=') ? `'${e.displayName}` : e.displayName);
      expect(r[col('user_agent')]).toBe(e.userAgent);
      expect(r[col('reason_text')]).toBe(e.reasonLabel);
      expect(r[col('sign_in_method')]).toBe(e.signInMethod ?? '');
      expect(r[col('sign_in_method_text')]).toBe(e.signInMethodLabel);
    });
  });

  it('escapes commas, quotes, line breaks and non-ASCII names as RFC 4180 says, in UTF-8', async () => {
    const text = await collect(exportLoginEvents(db, { user: zoe.objectId }, { format: 'csv' }));
    expect(text).toContain(',"Zoë Ångström, ""ZA""",');
    expect(text).toContain('"Agent, with ""quotes""\r\nand a new line"');
    expect(Buffer.from(text, 'utf8').includes(Buffer.from('Ångström', 'utf8'))).toBe(true);
    expect(text.charCodeAt(0)).not.toBe(0xfeff);
    const rows = parseCsv(text).slice(1);
    expect(rows.length).toBeGreaterThan(100);
    expect(rows.every((r) => r[loginExportColumns.indexOf('display_name')] === 'Zoë Ångström, "ZA"')).toBe(true);
  });

  it('keeps spreadsheets from running a cell as a formula', async () => {
    const text = await collect(exportLoginEvents(db, { user: 'mallory' }, { format: 'csv' }));
    const rows = parseCsv(text).slice(1);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r[loginExportColumns.indexOf('display_name')]).toBe(`'=HYPERLINK("http://evil")`);
    for (const v of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx']) expect(csvField(v).replace(/^"/, '').startsWith("'")).toBe(true);
    expect(csvField(-1)).toBe('-1'); // numbers we write ourselves stay numbers
    expect(csvField('a-b')).toBe('a-b');
  });

  it('writes a byte order mark only when asked', async () => {
    const text = await collect(exportLoginEvents(db, { ip: '203.0.113.250' }, { format: 'csv', bom: true }));
    expect(text).toBe(`\uFEFF${loginExportColumns.join(',')}\r\n`);
  });

  it('JSON lines hold exactly the filtered rows, one object a line, exact values', async () => {
    const f: LoginEventFilterInput = { outcome: 'refused', from: '2026-11-01T02:00:00Z' };
    const expected = listed(db, f);
    const text = await collect(exportLoginEvents(db, f, { format: 'jsonl' }));
    expect(text.endsWith('\n')).toBe(true);
    const objects = text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(objects.map((o) => o.id)).toEqual(expected.map((e) => e.id));
    expect(objects[0]).toMatchObject({
      outcome: 'refused',
      time: new Date(expected[0]!.ts).toISOString(),
      reasonText: expected[0]!.reasonLabel,
      displayName: expected[0]!.displayName,
    });
    expect(Array.isArray(objects[0]!.amr)).toBe(true);
    expect(objects[0]).not.toHaveProperty('hash');
  });

  it('streams as Web bytes that decode to the same text', async () => {
    const f = { signInMethod: 'none' };
    const expected = await collect(exportLoginEvents(db, f, { format: 'csv' }));
    const body = await new Response(toReadableStream(exportLoginEvents(db, f, { format: 'csv' }))).text();
    expect(body).toBe(expected);
  });

  it('rejects a bad filter before the first byte', () => {
    expect(() => exportLoginEvents(db, { outcome: 'maybe' as never })).toThrow(/outcome/);
    expect(() => exportLoginEvents(db, {}, { format: 'xlsx' as never })).toThrow();
  });
});

describe('change log export', () => {
  const { db: cdb } = freshDb();
  writeTransaction(cdb, () => {
    recordChange(
      cdb,
      { kind: 'local', name: 'admin' },
      {
        action: 'settings.update',
        targetType: 'settings',
        before: { domainHint: null },
        after: { domainHint: 'contoso.com' },
        comment: 'hint, for "Zoë"\nplease',
      },
      BASE,
    );
    recordChange(cdb, { kind: 'cli', name: 'cli' }, { action: 'group.update', targetType: 'group', targetId: 'g1', after: { name: '-Dispatch' } }, BASE + 1);
  });

  it('CSV: header, the recorded JSON documents, newest first', async () => {
    const rows = parseCsv(await collect(exportChangeEvents(cdb, {}, { format: 'csv' })));
    expect(rows[0]).toEqual([...changeExportColumns]);
    expect(rows.slice(1).map((r) => r[4])).toEqual(['group.update', 'settings.update']);
    expect(rows[1]![9]).toBe('{"name":"-Dispatch"}');
    expect(rows[2]![10]).toBe('hint, for "Zoë"\nplease');
  });

  it('JSON lines: before and after as objects, filtered by action', async () => {
    const text = await collect(exportChangeEvents(cdb, { action: 'settings.update' }, { format: 'jsonl' }));
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      action: 'settings.update',
      actor: 'admin',
      before: { domainHint: null },
      after: { domainHint: 'contoso.com' },
    });
  });
});
