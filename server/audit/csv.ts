import 'server-only';
import { stringify, type Options } from 'csv-stringify/sync';

/**
 * CSV by RFC 4180, written by csv-stringify: fields separated by commas, records by CRLF; a
 * field that holds a comma, a double quote, CR or LF is quoted, with its quotes doubled. A
 * field holding a semicolon is quoted too, because spreadsheets in locales whose list
 * separator is `;` (German, French, ...) split unquoted cells at it: `a;=cmd()` would
 * otherwise become a second cell starting with `=`.
 *
 * Spreadsheet formula injection: a text cell that starts with `=`, `+`, `-`, `@`, TAB or CR
 * would be run as a formula by Excel, LibreOffice or Google Sheets when the file is opened
 * (e.g. a display name `=HYPERLINK(...)` chosen by whoever controls a token's claims).
 * Such text cells get a leading `'`, which spreadsheets read as "this is text" (csv-stringify's
 * `escape_formulas`, which also catches the full-width `＝＋－＠` that Apple Numbers folds to
 * ASCII). Numbers we generate (IDs, status codes) are written as they are. The JSON lines export is exact.
 */
export type CsvCell = string | number | null | undefined;

const options: Options = {
  record_delimiter: 'windows',
  // with a custom record delimiter the library no longer quotes a lone CR or LF by default
  quote_record_delimiter: true,
  quoted_match: /;/,
  escape_formulas: true,
};

/** Records, each ending in CRLF: one call per page of an export keeps the stream's memory flat. */
export function csvRows(rows: readonly (readonly CsvCell[])[]): string {
  return rows.length ? stringify(rows as CsvCell[][], options) : '';
}

/** One record, ending in CRLF. */
export function csvRow(cells: readonly CsvCell[]): string {
  return csvRows([cells]);
}

/** One field: numbers as they are, text guarded against formulas and quoted when needed. */
export function csvField(value: CsvCell): string {
  return csvRow([value]).slice(0, -2);
}
