// Reading a roster (students and their groups) from CSV or XLSX, and checking every row before
// anything is written. Pure but for the lookups passed in, so the preview and the apply agree.
import ExcelJS from 'exceljs';

export type RosterRow = { line: number; surname: string; givenName: string; patronymic: string; email: string; group: string; recordBook: string; lang: string };
export type RowVerdict = RosterRow & { problems: string[]; action: 'create' | 'unchanged' | 'skip' };

const HEADERS: Record<string, Exclude<keyof RosterRow, 'line'>> = {
  surname: 'surname', 'фамилия': 'surname', given_name: 'givenName', name: 'givenName', 'имя': 'givenName', patronymic: 'patronymic', 'отчество': 'patronymic',
  email: 'email', 'e-mail': 'email', 'почта': 'email', group: 'group', 'группа': 'group', record_book: 'recordBook', 'зачётка': 'recordBook', 'зачетка': 'recordBook', lang: 'lang', 'язык': 'lang',
};

function toRows(table: string[][]): RosterRow[] {
  const [head, ...body] = table;
  if (!head) return [];
  const keys = head.map((h) => HEADERS[String(h ?? '').replace(/^\uFEFF/, '').trim().toLowerCase()]);
  return body.map((cells, i) => {
    const r: RosterRow = { line: i + 2, surname: '', givenName: '', patronymic: '', email: '', group: '', recordBook: '', lang: '' };
    cells.forEach((c, j) => { const k = keys[j]; if (k) r[k] = String(c ?? '').trim(); });
    return r;
  }).filter((r) => [r.surname, r.givenName, r.patronymic, r.email, r.group, r.recordBook, r.lang].some((v) => v !== ''));
}

/** CSV with , or ; separators, quoted fields, a BOM or none (Excel writes one). */
export function parseCsv(text: string): RosterRow[] {
  const src = text.replace(/^\uFEFF/, '');
  const firstLine = src.split(/\r?\n/, 1)[0] ?? '';
  const sep = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const table: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') { cell += '"'; i++; } else if (ch === '"') quoted = false; else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === sep) { row.push(cell); cell = ''; }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      row.push(cell); table.push(row); row = []; cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length) { row.push(cell); table.push(row); }
  return toRows(table);
}

export async function parseXlsx(buf: Buffer): Promise<RosterRow[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  if (!ws) return [];
  const table: string[][] = [];
  ws.eachRow({ includeEmpty: false }, (r) => {
    const cells: string[] = [];
    r.eachCell({ includeEmpty: true }, (c, col) => {
      const v = c.value as unknown;
      cells[col - 1] = typeof v === 'object' && v !== null && 'text' in v ? String((v as { text: unknown }).text) : v === null || v === undefined ? '' : String(v);
    });
    table.push(Array.from(cells, (c) => c ?? ''));
  });
  return toRows(table);
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Every row's problems (message codes) and what applying would do. An existing account with the same
 * e-mail in the same group is "unchanged", so importing the same file twice changes nothing.
 */
export function checkRoster(rows: RosterRow[], lookup: { groupId: (name: string) => number | null; existing: (email: string) => { groupName: string | null } | null }): RowVerdict[] {
  const seen = new Set<string>();
  return rows.map((r) => {
    const problems: string[] = [];
    if (!r.surname) problems.push('import.missingSurname');
    if (!r.givenName) problems.push('import.missingGivenName');
    if (!r.email) problems.push('import.missingEmail');
    else if (!EMAIL.test(r.email)) problems.push('import.badEmail');
    if (!r.group) problems.push('import.missingGroup');
    else if (lookup.groupId(r.group) === null) problems.push('import.unknownGroup');
    if (r.lang && r.lang !== 'ru' && r.lang !== 'en') problems.push('import.badLang');
    const key = r.email.toLowerCase();
    if (key && seen.has(key)) problems.push('import.duplicateInFile');
    if (key) seen.add(key);
    const existing = key && problems.length === 0 ? lookup.existing(key) : null;
    if (existing && existing.groupName !== r.group) problems.push('import.existsElsewhere');
    return { ...r, problems, action: problems.length ? 'skip' : existing ? 'unchanged' : 'create' };
  });
}
