import { describe, expect, it } from 'vitest';
import { csvField, csvRow, csvRows } from './csv';
import { parseCsv } from './test-fixtures';
import { parseTimeBound } from './time-range';

describe('csv', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\r\nlines', '"two\r\nlines"'],
    ['line\nfeed', '"line\nfeed"'],
    ['Zoë Ångström', 'Zoë Ångström'],
    ['=SUM(A1:A9)', "'=SUM(A1:A9)"],
    ['@cmd', "'@cmd"],
    ['-2+3,x', `"'-2+3,x"`],
    ['a;b', '"a;b"'],
    ['x;=HYPERLINK("http://evil")', '"x;=HYPERLINK(""http://evil"")"'],
    [';=1+1', `";=1+1"`],
    ['=1;2', `"'=1;2"`],
    ['\tcmd', "'\tcmd"],
    ['\rcmd', `"'\rcmd"`],
    ['+1', "'+1"],
    ['\uFF1DSUM(A1)', "'\uFF1DSUM(A1)"],
    ['a\rb', '"a\rb"'],
    ['', ''],
  ])('writes %j as %j', (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it('reads back every guarded cell as one cell, whether the reader splits at commas or at semicolons', () => {
    const cells = ['a;b', 'x;=cmd()', 'c,d', '=1;2', 'plain'];
    const line = csvRow(cells);
    expect(parseCsv(line)).toEqual([cells.map((c) => (c.startsWith('=') ? `'${c}` : c))]);
    // a `;` locale reader: the separators are outside quotes only where we put them, so it sees one record of five quoted/plain cells
    const outsideQuotes = line.replace(/"(?:[^"]|"")*"/g, '').replace(/\r\n$/, '');
    expect(outsideQuotes).not.toContain(';');
  });

  it('writes numbers and nulls as they are, and ends records in CRLF', () => {
    expect(csvRow([1, null, undefined, -5, 'x'])).toBe('1,,,-5,x\r\n');
  });

  it('writes a page of records as the same text as one record at a time, and no text for no records', () => {
    const rows = [
      ['=a', 1, 'b;c'],
      [null, '"q"', -2],
      ['', '', ''],
    ];
    expect(csvRows(rows)).toBe(rows.map((r) => csvRow(r)).join(''));
    expect(csvRows(rows)).toBe(`'=a,1,"b;c"\r\n,"""q""",-2\r\n,,\r\n`);
    expect(parseCsv(csvRows(rows))).toEqual([
      ["'=a", '1', 'b;c'],
      ['', '"q"', '-2'],
      ['', '', ''],
    ]);
    expect(csvRows([])).toBe('');
  });
});

describe('time bounds', () => {
  it.each([
    ['2026-11-01', false, Date.parse('2026-11-01T00:00:00Z')],
    ['2026-11-01', true, Date.parse('2026-11-02T00:00:00Z')],
    ['2026-11-01T08:00:00Z', true, Date.parse('2026-11-01T08:00:00Z')],
    ['2026-11-01T08:00:00.250+01:00', false, Date.parse('2026-11-01T07:00:00.250Z')],
    ['1793491200000', false, 1793491200000],
    ['2026-11-01T08:00', false, null],
    ['2026-13-01', false, null],
    ['yesterday', false, null],
  ] as const)('reads %j (end: %s) as %s', (text, end, expected) => {
    expect(parseTimeBound(text, end)).toBe(expected);
  });
});
