// Reads the first sheet of an XLSX file row by row, without a spreadsheet library: a library builds the
// whole workbook in memory, and a sparse row with one cell in column XFD became 16,384 cells (a 12 KB
// file exhausted the heap). Here the zip's parts are inflated as a stream against a byte budget, the
// XML is scanned as it arrives, and a cell beyond the column limit, too long or with control
// characters stops the read at once, naming the cell. Only the cells of the first columns are kept.
import { createInflateRaw } from 'node:zlib';
import { LIMITS, RosterRefused, columnLetters } from './refusal';
import { CONTROL_CHARS } from '../domain/text';

type Entry = { method: number; flags: number; compressedSize: number; size: number; localOffset: number };

const bad = () => new RosterRefused('badFile');
const MAX_ENTRIES = 2_000;
const MAX_TAG = 64 * 1024;
const MAX_META_PART = 1024 * 1024;
const MAX_ROW_NUMBER = 1_048_576; // Excel's own last row

/** The central directory: part names (lower case, as OOXML names are case-insensitive) to entries. */
function zipEntries(zip: Buffer): Map<string, Entry> {
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) throw bad();
  const count = zip.readUInt16LE(eocd + 10);
  const cdSize = zip.readUInt32LE(eocd + 12);
  const cdOffset = zip.readUInt32LE(eocd + 16);
  // ZIP64 markers: no roster is 4 GB; an archive claiming so is not one.
  if (count === 0xffff || cdOffset === 0xffffffff || count > MAX_ENTRIES || cdOffset + cdSize > eocd) throw bad();
  const entries = new Map<string, Entry>();
  let p = cdOffset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > eocd || zip.readUInt32LE(p) !== 0x02014b50) throw bad();
    const nameLen = zip.readUInt16LE(p + 28);
    const name = zip.toString('utf8', p + 46, p + 46 + nameLen).replace(/^\/+/, '').toLowerCase();
    entries.set(name, {
      flags: zip.readUInt16LE(p + 8), method: zip.readUInt16LE(p + 10),
      compressedSize: zip.readUInt32LE(p + 20), size: zip.readUInt32LE(p + 24), localOffset: zip.readUInt32LE(p + 42),
    });
    p += 46 + nameLen + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
  }
  return entries;
}

/** Inflated bytes left for the whole read; the declared sizes are checked first, the real ones as they come. */
class Budget {
  constructor(private left: number) {}
  reserve(declared: number) {
    if (declared > this.left) throw new RosterRefused('tooBig', { mb: LIMITS.inflatedBytes / 1024 / 1024 });
  }
  use(n: number) {
    this.left -= n;
    if (this.left < 0) throw new RosterRefused('tooBig', { mb: LIMITS.inflatedBytes / 1024 / 1024 });
  }
}

/** Streams one part's text to `sink`, in UTF-8 chunks of at most 64 KB. */
async function streamPart(zip: Buffer, e: Entry, budget: Budget, sink: (text: string) => void, cap = Infinity) {
  if (e.flags & 1) throw bad(); // encrypted
  if (e.size > cap) throw new RosterRefused('tooBig', { mb: LIMITS.inflatedBytes / 1024 / 1024 });
  budget.reserve(e.size);
  const at = e.localOffset;
  if (at + 30 > zip.length || zip.readUInt32LE(at) !== 0x04034b50) throw bad();
  const start = at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
  if (start + e.compressedSize > zip.length) throw bad();
  const data = zip.subarray(start, start + e.compressedSize);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let produced = 0;
  const take = (chunk: Uint8Array) => {
    produced += chunk.length;
    budget.use(chunk.length);
    // A part larger than its entry declares is a forged archive (a bomb hiding behind small sizes).
    if (produced > e.size) throw bad();
    let text: string;
    try { text = decoder.decode(chunk, { stream: true }); } catch { throw bad(); }
    sink(text);
  };
  if (e.method === 0) {
    for (let off = 0; off < data.length; off += 65536) take(data.subarray(off, off + 65536));
  } else if (e.method === 8) {
    const inflater = createInflateRaw({ chunkSize: 65536 });
    inflater.end(data);
    try {
      for await (const chunk of inflater) take(chunk as Buffer);
    } catch (err) {
      throw err instanceof RosterRefused ? err : bad();
    } finally {
      inflater.destroy();
    }
  } else throw bad();
  try { sink(decoder.decode()); } catch { throw bad(); }
}

type SaxHandler = { open(name: string, attrs: string, selfClosing: boolean): void; close(name: string): void; text(s: string): void };

const ENTITY = /&(?:#x([0-9a-fA-F]{1,6})|#([0-9]{1,7})|(amp|lt|gt|quot|apos));/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  const out = s.replace(ENTITY, (_m, hex: string | undefined, dec: string | undefined, named: string | undefined) => {
    if (named) return NAMED[named];
    const cp = hex ? parseInt(hex, 16) : Number(dec);
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) throw bad();
    return String.fromCodePoint(cp);
  });
  // What is left is an '&' that is no entity, or one the document would have to define (DOCTYPE is refused).
  if (s.replace(ENTITY, '').includes('&')) throw bad();
  return out;
}

/**
 * A minimal streaming XML scanner for the few elements a sheet uses: tags with their raw attributes,
 * text with the predefined and numeric entities decoded, CDATA. A DOCTYPE is refused, so no entity
 * can expand. Text arrives in pieces; a tag longer than 64 KB is refused.
 */
class Sax {
  private rest = '';
  constructor(private h: SaxHandler) {}

  write(chunk: string) {
    const s = this.rest + chunk;
    let i = 0;
    for (;;) {
      const lt = s.indexOf('<', i);
      if (lt < 0) {
        // Keep back a possibly unfinished entity; hand the rest of the text over now.
        const amp = s.lastIndexOf('&');
        const cut = amp >= i && !s.includes(';', amp) ? amp : s.length;
        if (cut > i) this.h.text(decodeEntities(s.slice(i, cut)));
        i = cut;
        if (s.length - i > MAX_TAG) throw bad();
        break;
      }
      if (lt > i) this.h.text(decodeEntities(s.slice(i, lt)));
      i = lt;
      if (s.startsWith('<!--', lt) || s.startsWith('<?', lt) || s.startsWith('<![CDATA[', lt)) {
        const [close, skip] = s.startsWith('<!--', lt) ? ['-->', 4] : s.startsWith('<?', lt) ? ['?>', 2] : [']]>', 9];
        const end = s.indexOf(close, lt + skip);
        if (end < 0) { if (s.length - lt > MAX_TAG) throw bad(); break; }
        if (skip === 9) this.h.text(s.slice(lt + 9, end));
        i = end + close.length;
        continue;
      }
      if (s.startsWith('<!', lt)) throw bad(); // DOCTYPE: entity definitions have no place in a sheet
      let q = 0;
      let j = lt + 1;
      for (; j < s.length; j++) {
        const ch = s.charCodeAt(j);
        if (q) { if (ch === q) q = 0; } else if (ch === 34 || ch === 39) q = ch; else if (ch === 62) break;
      }
      if (j >= s.length) { if (s.length - lt > MAX_TAG) throw bad(); break; }
      const tag = s.slice(lt + 1, j);
      const m = /^(\/?)([A-Za-z_][\w.:-]*)/.exec(tag);
      if (!m) throw bad();
      const name = m[2].slice(m[2].lastIndexOf(':') + 1);
      if (m[1]) this.h.close(name);
      else {
        const selfClosing = tag.endsWith('/');
        this.h.open(name, tag.slice(m[0].length, selfClosing ? -1 : undefined), selfClosing);
      }
      i = j + 1;
    }
    this.rest = s.slice(i);
  }

  end() {
    if (this.rest.trim() !== '') throw bad();
  }
}

const attrPatterns = new Map<string, RegExp>();
function attr(attrs: string, name: string): string | undefined {
  let re = attrPatterns.get(name);
  if (!re) attrPatterns.set(name, (re = new RegExp(`(?:^|\\s)(?:[\\w.-]+:)?${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`)));
  const m = re.exec(attrs);
  return m ? decodeEntities(m[1] ?? m[2]) : undefined;
}

/** A small part (relationships, workbook) read whole: the elements named `name` with their attributes. */
async function elements(zip: Buffer, entries: Map<string, Entry>, part: string, budget: Budget, name: string): Promise<string[]> {
  const e = entries.get(part.toLowerCase());
  if (!e) throw bad();
  const found: string[] = [];
  const sax = new Sax({ open: (n, a) => { if (n === name) found.push(a); }, close: () => {}, text: () => {} });
  await streamPart(zip, e, budget, (t) => sax.write(t), MAX_META_PART);
  sax.end();
  return found;
}

/** A relationship target, relative to the folder of the part that names it, as a part name. */
function resolvePart(from: string, target: string): string {
  const parts = target.startsWith('/') ? [] : from.split('/').slice(0, -1);
  for (const seg of target.replace(/^\/+/, '').split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.' && seg !== '') parts.push(seg);
  }
  return parts.join('/');
}

async function relationships(zip: Buffer, entries: Map<string, Entry>, part: string, budget: Budget) {
  const slash = part.lastIndexOf('/');
  const rels = `${part.slice(0, slash + 1)}_rels/${part.slice(slash + 1)}.rels`;
  if (!entries.has(rels.toLowerCase())) return [];
  return (await elements(zip, entries, rels, budget, 'Relationship')).map((a) => ({
    id: attr(a, 'Id') ?? '', type: attr(a, 'Type') ?? '', target: resolvePart(part, attr(a, 'Target') ?? ''),
  }));
}

/** The shared string table; a string longer than a cell may be is cut one past the limit, so using it refuses. */
async function sharedStrings(zip: Buffer, entries: Map<string, Entry>, part: string, budget: Budget): Promise<string[]> {
  const e = entries.get(part.toLowerCase());
  if (!e) return [];
  const out: string[] = [];
  let cur: string | null = null;
  let inT = false;
  let phonetic = 0;
  const sax = new Sax({
    open(n, _a, self) {
      if (self) { if (n === 'si') out.push(''); return; }
      if (n === 'si') cur = '';
      else if (n === 'rPh') phonetic++;
      else if (n === 't' && cur !== null && !phonetic) inT = true;
    },
    close(n) {
      if (n === 'si' && cur !== null) { out.push(cur); cur = null; }
      else if (n === 'rPh') phonetic--;
      else if (n === 't') inT = false;
    },
    text(s) {
      if (inT && cur !== null && cur.length <= LIMITS.cellChars) cur = (cur + s).slice(0, LIMITS.cellChars + 1);
    },
  });
  await streamPart(zip, e, budget, (t) => sax.write(t));
  sax.end();
  return out;
}

/** "AX12" → 50; a reference without letters is refused. */
function columnOf(ref: string): number {
  const m = /^([A-Z]{1,3})\d*$/.exec(ref);
  if (!m) throw bad();
  let n = 0;
  for (const ch of m[1]) n = n * 26 + ch.charCodeAt(0) - 64;
  return n;
}

/** Spreadsheet text escapes such as _x000D_ (how Excel stores a character XML cannot hold). */
const unescapeOoxml = (s: string) => s.replace(/_x([0-9A-Fa-f]{4})_/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));

/**
 * Calls `onRow(rowNumber, cells)` for every row of the first sheet that has a value, cells indexed from
 * column A, at most LIMITS.columns of them. Refuses (RosterRefused) as soon as a limit is crossed.
 */
export async function readFirstSheet(zip: Buffer, onRow: (line: number, cells: string[]) => void): Promise<void> {
  const entries = zipEntries(zip);
  const budget = new Budget(LIMITS.inflatedBytes);
  const office = (await relationships(zip, entries, '', budget)).find((r) => r.type.endsWith('/officeDocument'));
  if (!office) throw bad();
  const workbook = office.target;
  const rels = await relationships(zip, entries, workbook, budget);
  const firstSheet = (await elements(zip, entries, workbook, budget, 'sheet'))[0];
  const sheetRel = firstSheet && rels.find((r) => r.id === attr(firstSheet, 'id'));
  if (!sheetRel || !entries.has(sheetRel.target.toLowerCase())) throw bad();
  const sstRel = rels.find((r) => r.type.endsWith('/sharedStrings'));
  const shared = sstRel ? await sharedStrings(zip, entries, sstRel.target, budget) : [];

  let row = 0;
  let cells: string[] = [];
  let col = 0;
  let ref = '';
  let type = '';
  let value: string | null = null;
  let inCell = false;
  let inValue = false;
  let phonetic = 0;
  const endCell = () => {
    inCell = false;
    if (value === null) return;
    let v = value;
    if (type === 's') {
      const s = /^\d+$/.test(v.trim()) ? shared[Number(v)] : undefined;
      if (s === undefined) throw bad();
      v = s;
    } else if (type === 'b') v = v.trim() === '1' ? 'TRUE' : 'FALSE';
    else if (type === '' || type === 'n') { const n = Number(v); if (v.trim() !== '' && Number.isFinite(n)) v = String(n); }
    v = unescapeOoxml(v);
    if (v.trim() === '') return; // empty and whitespace cells far to the right are formatting, not data
    if (col > LIMITS.columns) {
      throw new RosterRefused('cellBeyondColumns', { cell: ref, max: LIMITS.columns, last: columnLetters(LIMITS.columns) });
    }
    if (v.length > LIMITS.cellChars) throw new RosterRefused('cellTooLong', { cell: ref, max: LIMITS.cellChars });
    if (CONTROL_CHARS.test(v)) throw new RosterRefused('cellControlChars', { cell: ref });
    cells[col - 1] = v;
  };
  const endRow = () => {
    if (cells.length) onRow(row, Array.from(cells, (c) => c ?? ''));
    cells = [];
  };
  const sax = new Sax({
    open(n, a, self) {
      if (n === 'row') {
        const r = attr(a, 'r');
        row = r === undefined ? row + 1 : Number(r);
        if (!Number.isInteger(row) || row < 1 || row > MAX_ROW_NUMBER) throw bad();
        col = 0;
        cells = [];
        if (self) endRow();
      } else if (n === 'c') {
        const r = attr(a, 'r');
        col = r === undefined ? col + 1 : columnOf(r);
        ref = `${columnLetters(col)}${row}`;
        type = attr(a, 't') ?? '';
        value = null;
        inCell = true;
        if (self) endCell();
      } else if (inCell && !self && (n === 'v' || (n === 't' && type === 'inlineStr' && !phonetic))) {
        inValue = true;
        value ??= '';
      } else if (n === 'rPh' && !self) phonetic++;
    },
    close(n) {
      if (n === 'v' || n === 't') inValue = false;
      else if (n === 'rPh') phonetic--;
      else if (n === 'c' && inCell) endCell();
      else if (n === 'row') endRow();
    },
    text(s) {
      if (!inValue || value === null) return;
      value += s;
      if (value.length > LIMITS.cellChars * 2) throw new RosterRefused('cellTooLong', { cell: ref, max: LIMITS.cellChars });
    },
  });
  await streamPart(zip, entries.get(sheetRel.target.toLowerCase())!, budget, (t) => sax.write(t));
  sax.end();
}
