// Reading a roster (students and their groups) from CSV or XLSX, and checking every row before
// anything is written. Pure but for the lookups passed in, so the preview and the apply agree.
// The readers run in a worker thread (server/import/off-thread.ts): a hostile file costs that
// thread, never the event loop. They stop at the first crossed limit with a RosterRefused.
import { readFirstSheet } from './xlsx';
import { LIMITS, RosterRefused, type Refusal } from './refusal';
import { CONTROL_CHARS, isLatinName, LATIN_NAME_MAX } from '../domain/text';

export type RosterRow = { line: number; surname: string; givenName: string; patronymic: string; email: string; group: string; recordBook: string; lang: string;
  /** The name in Latin script as in the passport ("SHARMA Aarav"), '' when the file has none. */
  nameLatin: string };
/** A message code with what it names (the existing person a row clashes with). */
export type Problem = { key: string; params?: Record<string, string | number> };
export type RowVerdict = RosterRow & { problems: Problem[]; action: 'create' | 'unchanged' | 'skip' };
/** An account that exists already: who it is, to name in a clash. */
export type ExistingAccount = { userId: number; name: string; email: string; groupName: string | null };

export type RosterLookup = {
  groupId: (name: string) => number | null;
  existing: (email: string) => ExistingAccount | null;
  recordBookOwner: (number: string) => ExistingAccount | null;
};
type Field = Exclude<keyof RosterRow, 'line'>;

/** The longest value each column may hold: the person card's form (admin-person.ts) takes the same. */
export const FIELD_MAX: Record<Field, number> = { surname: 100, givenName: 100, patronymic: 100, email: 200, group: 40, recordBook: 30, lang: 5,
  nameLatin: LATIN_NAME_MAX };

const HEADERS: Record<string, Field> = {
  surname: 'surname', 'фамилия': 'surname', given_name: 'givenName', name: 'givenName', 'имя': 'givenName', patronymic: 'patronymic', 'отчество': 'patronymic',
  email: 'email', 'e-mail': 'email', 'почта': 'email', group: 'group', 'группа': 'group', record_book: 'recordBook', 'зачётка': 'recordBook', 'зачетка': 'recordBook', lang: 'lang', 'язык': 'lang',
  // The Latin-script name: as registries and passport offices head the column.
  name_latin: 'nameLatin', 'name (latin)': 'nameLatin', 'name in latin': 'nameLatin', 'latin name': 'nameLatin', 'full name (latin)': 'nameLatin',
  'name (passport)': 'nameLatin', 'фио латиницей': 'nameLatin', 'фио (латиницей)': 'nameLatin', 'фио (латиница)': 'nameLatin', 'латиницей': 'nameLatin',
  'фио по паспорту (латиницей)': 'nameLatin', 'имя латиницей': 'nameLatin',
};

/**
 * Turns rows (a line number and cells from column A) into roster rows: the first row with a value is the
 * header. Counts the students as they come, so a file over the limit is refused, not cut or lost.
 * Values are kept one character past their column's limit: enough for checkRoster to say "too long".
 */
class RosterBuilder {
  private keys: (Field | undefined)[] | null = null;
  readonly rows: RosterRow[] = [];
  count = 0;

  add(line: number, cells: string[]) {
    if (cells.every((c) => c.trim() === '')) return;
    if (!this.keys) {
      // Own keys only: a column named "__proto__" or "constructor" is a column nobody maps, not Object's member.
      this.keys = cells.map((h) => h.replace(/^\uFEFF/, '').trim().toLowerCase()).map((h) => (Object.hasOwn(HEADERS, h) ? HEADERS[h] : undefined));
      return;
    }
    if (++this.count > LIMITS.rows) throw new RosterRefused('tooManyRows', { max: LIMITS.rows });
    const r: RosterRow = { line, surname: '', givenName: '', patronymic: '', email: '', group: '', recordBook: '', lang: '', nameLatin: '' };
    cells.forEach((c, j) => { const k = this.keys![j]; if (k) r[k] = c.trim().slice(0, FIELD_MAX[k] + 1); });
    r.nameLatin = r.nameLatin.replace(/\s+/g, ' ');
    if ([r.surname, r.givenName, r.patronymic, r.email, r.group, r.recordBook, r.lang, r.nameLatin].some((v) => v !== '')) this.rows.push(r);
  }

  /** The rows; rows of data under a header that names none of our columns are that, not "no rows". */
  finish(): RosterRow[] {
    if (this.count > 0 && this.rows.length === 0) throw new RosterRefused('unknownColumns');
    return this.rows;
  }
}

/** 1-based line of `index` in `text`, counting CRLF, LF and a lone CR as one line break each. */
function lineAt(text: string, index: number): number {
  return (text.slice(0, index).match(/\r\n|\r|\n/g)?.length ?? 0) + 1;
}

/** The first line of `bytes` that is not UTF-8 (LF never occurs inside a UTF-8 sequence, so lines split safely). */
function firstBadUtf8Line(bytes: Buffer): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let line = 1;
  for (let start = 0; start < bytes.length; line++) {
    const lf = bytes.indexOf(0x0a, start);
    const end = lf < 0 ? bytes.length : lf;
    try { decoder.decode(bytes.subarray(start, end)); } catch { return line; }
    start = end + 1;
  }
  return line;
}

/**
 * CSV with , or ; separators, quoted fields, a BOM or none (Excel writes one). The bytes must be UTF-8
 * (Excel's "CSV UTF-8"): a Windows-1251 file would otherwise preview as mojibake "new students".
 */
export function parseCsv(bytes: Buffer): RosterRow[] {
  let text: string;
  try { text = new TextDecoder('utf-8', { fatal: true }).decode(bytes); } catch {
    throw new RosterRefused('lineBadEncoding', { line: firstBadUtf8Line(bytes) });
  }
  const src = text.replace(/^\uFEFF/, '');
  const control = CONTROL_CHARS.exec(src);
  if (control) throw new RosterRefused('lineControlChars', { line: lineAt(src, control.index) });
  const firstLine = src.split(/\r?\n/, 1)[0] ?? '';
  const sep = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const out = new RosterBuilder();
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1; // the physical line being read
  let rowLine = 1; // the line the current record started on
  const endCell = () => {
    if (cell.length > LIMITS.cellChars) throw new RosterRefused('lineCellTooLong', { line: rowLine, max: LIMITS.cellChars });
    if (row.length >= LIMITS.columns && cell.trim() !== '') {
      throw new RosterRefused('lineTooManyColumns', { line: rowLine, max: LIMITS.columns });
    }
    if (row.length < LIMITS.columns) row.push(cell);
    cell = '';
  };
  const endRow = () => { endCell(); out.add(rowLine, row); row = []; rowLine = line; };
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      line++;
      if (quoted) cell += '\n';
      else endRow();
    } else if (quoted) {
      if (ch === '"' && src[i + 1] === '"') { cell += '"'; i++; } else if (ch === '"') quoted = false; else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === sep) endCell();
    else cell += ch;
    // An unclosed quote swallows the rest of the file into one cell: refuse it here, not at the end.
    if (cell.length > LIMITS.cellChars) throw new RosterRefused('lineCellTooLong', { line: rowLine, max: LIMITS.cellChars });
  }
  if (cell !== '' || row.length) endRow();
  return out.finish();
}

export async function parseXlsx(bytes: Buffer): Promise<RosterRow[]> {
  const out = new RosterBuilder();
  await readFirstSheet(bytes, (line, cells) => out.add(line, cells));
  return out.finish();
}

export type ReadResult = { ok: true; rows: RosterRow[] } | ({ ok: false; detail?: string } & Refusal);

/** Reads an uploaded roster, XLSX or CSV by its first bytes; a refusal says what is wrong and where. */
export async function readRoster(bytes: Buffer): Promise<ReadResult> {
  try {
    // XLSX files are zip archives ("PK"); an old .xls or a password-protected workbook is an OLE2 file.
    const rows = bytes[0] === 0x50 && bytes[1] === 0x4b ? await parseXlsx(bytes)
      : bytes.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0])) ? refuse('oldXls') : parseCsv(bytes);
    return rows.length ? { ok: true, rows } : { ok: false, key: 'nothing' };
  } catch (e) {
    if (e instanceof RosterRefused) return { ok: false, key: e.key, params: e.params };
    // Not a limit: a file we cannot make sense of (or a bug here, which the detail lets the log show).
    return { ok: false, key: 'badFile', detail: String(e) };
  }
}

function refuse(key: 'oldXls'): never {
  throw new RosterRefused(key);
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Every row's problems (message codes) and what applying would do. An existing account with the same
 * e-mail in the same group is "unchanged", so importing the same file twice changes nothing. E-mails and
 * record-book numbers are unique: a clash, in the file or with an existing person, names the other one.
 */
export function checkRoster(rows: RosterRow[], lookup: RosterLookup): RowVerdict[] {
  const seen = new Set<string>();
  const books = new Map<string, number>(); // record-book number → first line
  return rows.map((r) => {
    const codes: string[] = [];
    const named: Problem[] = [];
    if (!r.surname) codes.push('import.missingSurname');
    if (!r.givenName) codes.push('import.missingGivenName');
    if (!r.email) codes.push('import.missingEmail');
    else if (!EMAIL.test(r.email)) codes.push('import.badEmail');
    if (!r.group) codes.push('import.missingGroup');
    else if (lookup.groupId(r.group) === null) codes.push('import.unknownGroup');
    if (r.lang && r.lang !== 'ru' && r.lang !== 'en') codes.push('import.badLang');
    if (r.nameLatin && r.nameLatin.length <= LATIN_NAME_MAX && !isLatinName(r.nameLatin)) codes.push('import.badLatinName');
    // The apply form carries rows back from the browser: what the reader refused must not pass here either.
    const fields = Object.keys(FIELD_MAX) as Field[];
    if (fields.some((k) => r[k].length > FIELD_MAX[k])) codes.push('import.tooLong');
    if (fields.some((k) => CONTROL_CHARS.test(r[k]))) codes.push('import.controlChars');
    const key = r.email.toLowerCase();
    if (key && seen.has(key)) codes.push('import.duplicateInFile');
    if (key) seen.add(key);
    const book = r.recordBook.trim();
    const firstLine = book ? books.get(book) : undefined;
    if (firstLine !== undefined) named.push({ key: 'import.recordBookInFile', params: { number: book, line: firstLine } });
    else if (book) books.set(book, r.line);
    const existing = key && codes.length === 0 ? lookup.existing(key) : null;
    if (existing && existing.groupName !== r.group) {
      named.push({ key: 'import.existsElsewhere', params: { name: existing.name, group: existing.groupName ?? '—' } });
    }
    const owner = book && codes.length === 0 ? lookup.recordBookOwner(book) : null;
    if (owner && owner.userId !== existing?.userId) {
      named.push({ key: 'import.recordBookTaken', params: { number: book, name: owner.name, email: owner.email } });
    }
    const problems = [...codes.map((c) => ({ key: c })), ...named];
    return { ...r, problems, action: problems.length ? 'skip' : existing ? 'unchanged' : 'create' };
  });
}
