import 'server-only';
/**
 * CSV by RFC 4180: fields separated by commas, records by CRLF; a field that holds a comma,
 * a semicolon, a double quote, CR or LF is quoted, with its quotes doubled. The semicolon is
 * quoted too because spreadsheets in locales whose list separator is `;` (German, French, ...)
 * split unquoted cells at it: `a;=cmd()` would otherwise become a second cell starting with `=`.
 *
 * Spreadsheet formula injection: a text cell that starts with `=`, `+`, `-`, `@`, TAB or CR
 * would be run as a formula by Excel, LibreOffice or Google Sheets when the file is opened
 * (e.g. a display name `=HYPERLINK(...)` chosen by whoever controls a token's claims).
 * Such text cells get a leading `'`, which spreadsheets read as "this is text". Numbers we
 * generate (IDs, status codes) are written as they are. The JSON lines export is exact.
 */
const NEEDS_QUOTES = /[",;\r\n]/;
const FORMULA_START = /^[=+\-@\t\r]/;

export type CsvCell = string | number | null | undefined;

/** One field: numbers as they are, text guarded against formulas and quoted when needed. */
export function csvField(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record, ending in CRLF. */
export function csvRow(cells: readonly CsvCell[]): string {
  return cells.map(csvField).join(',') + '\r\n';
}
