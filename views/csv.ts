// CSV as the register exports it (audit, reports, the import's skipped rows): UTF-8 with a BOM so Excel
// reads Cyrillic, CRLF line ends, and text that a spreadsheet would run as a formula (= + - @, a tab or
// CR first) kept as text behind a leading apostrophe. Numbers are written as numbers.

export type CsvValue = string | number | boolean | null | undefined;

export function csvCell(v: CsvValue): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvDocument(rows: readonly (readonly CsvValue[])[]): string {
  return `\uFEFF${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
