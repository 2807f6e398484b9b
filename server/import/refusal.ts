// Why a roster file was refused: a message key of views/import/strings.ts and its parameters. Thrown by
// the readers inside the parse worker and handed back to the route as plain data.
export type RefusalKey =
  | 'badFile' | 'oldXls' | 'nothing' | 'unknownColumns' | 'tooBig' | 'tooManyRows'
  | 'lineTooManyColumns' | 'cellBeyondColumns' | 'lineCellTooLong' | 'cellTooLong'
  | 'lineControlChars' | 'cellControlChars' | 'lineBadEncoding' | 'busy' | 'tooSlow' | 'uploadTooLarge';

export type Refusal = { key: RefusalKey; params?: Record<string, string | number> };

export class RosterRefused extends Error {
  constructor(readonly key: RefusalKey, readonly params?: Record<string, string | number>) {
    super(key);
  }
}

/** What a roster may hold. A faculty's intake is a few thousand rows of seven columns. */
export const LIMITS = {
  rows: 20_000,
  columns: 50,
  cellChars: 1_000,
  uploadBytes: 10 * 1024 * 1024,
  // Only the parts a roster is read from count (workbook, relationships, shared strings, first sheet).
  inflatedBytes: 32 * 1024 * 1024,
} as const;

/** Column number (1-based) to its spreadsheet letters: 50 → AX. */
export function columnLetters(n: number): string {
  let s = '';
  for (; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}
