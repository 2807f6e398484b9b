// Hostile roster files (issue 10, items 2 and 9): every one is refused with a message that says what is
// wrong and where, the parse runs in a worker so other users are not kept waiting, nothing is written.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { threadId } from 'node:worker_threads';
import { crc32, deflateRawSync } from 'node:zlib';
import { makeTestApp, loginAs, type TestApp, type Agent } from './helpers/app';
import { sql } from 'drizzle-orm';
import { readRosterOffThread } from '../server/import/off-thread';

let t: TestApp;
beforeAll(async () => { t = await makeTestApp(); });
afterAll(async () => { await t.close(); });

const users = async () => (await t.store.get<{ n: number }>(sql`SELECT count(*) AS n FROM users`))!.n;

function upload(a: Agent, name: string, content: Buffer | string) {
  const boundary = '----zachetka' + Math.random().toString(16).slice(2);
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${a.csrf}\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    Buffer.isBuffer(content) ? content : Buffer.from(content),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return t.app.inject({ method: 'POST', url: '/admin/import', payload: body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: Object.entries(a.cookies).map(([k, v]) => `${k}=${v}`).join('; ') } });
}

/** A zip archive written by hand, so a test can lie in it (`declared` replaces an entry's uncompressed size). */
function zip(files: { name: string; data: Buffer; declared?: number }[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const f of files) {
    const name = Buffer.from(f.name);
    const packed = deflateRawSync(f.data);
    const head = Buffer.alloc(30);
    head.writeUInt32LE(0x04034b50, 0); head.writeUInt16LE(20, 4); head.writeUInt16LE(8, 8);
    head.writeUInt32LE(crc32(f.data), 14); head.writeUInt32LE(packed.length, 18); head.writeUInt32LE(f.declared ?? f.data.length, 22);
    head.writeUInt16LE(name.length, 26);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0); dir.writeUInt16LE(20, 4); dir.writeUInt16LE(20, 6); dir.writeUInt16LE(8, 10);
    dir.writeUInt32LE(crc32(f.data), 16); dir.writeUInt32LE(packed.length, 20); dir.writeUInt32LE(f.declared ?? f.data.length, 24);
    dir.writeUInt16LE(name.length, 28); dir.writeUInt32LE(offset, 42);
    locals.push(head, name, packed);
    central.push(dir, name);
    offset += head.length + name.length + packed.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(files.length, 8); end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** A one-sheet workbook whose sheet XML is `sheetData` (inline strings, no shared string table). */
function xlsx(sheetData: string | Buffer, declared?: number): Buffer {
  const ns = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  const sheet = Buffer.isBuffer(sheetData) ? sheetData
    : Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${sheetData}</sheetData></worksheet>`);
  return zip([
    { name: '[Content_Types].xml', data: Buffer.from('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>') },
    { name: '_rels/.rels', data: Buffer.from(`<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${ns}/officeDocument" Target="xl/workbook.xml"/></Relationships>`) },
    { name: 'xl/workbook.xml', data: Buffer.from(`<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="${ns}"><sheets><sheet name="Roster" sheetId="1" r:id="rId1"/></sheets></workbook>`) },
    { name: 'xl/_rels/workbook.xml.rels', data: Buffer.from(`<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${ns}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`) },
    { name: 'xl/worksheets/sheet1.xml', data: sheet, declared },
  ]);
}

const cell = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
const HEADER = `<row r="1">${['surname', 'given_name', 'email', 'group'].map((h, i) => cell(`${'ABCD'[i]}1`, h)).join('')}</row>`;

describe('hostile roster files', () => {
  it('refuses the sparse XFD spreadsheet with a message, in a worker: the heap stays small and /login answers meanwhile', async () => {
    const dean = await loginAs(t.app, 'dean@demo.test');
    let rows = HEADER;
    for (let r = 2; r <= 2001; r++) rows += `<row r="${r}">${cell(`XFD${r}`, 'x')}</row>`;
    const file = xlsx(rows);
    expect(file.length).toBeLessThan(20 * 1024);
    const before = await users();
    const heap = process.memoryUsage().heapUsed;
    let uploadDone = false;
    const pending = upload(dean, 'roster.xlsx', file).then((res) => { uploadDone = true; return res; });
    // While the file is being read, another user's request is answered: the reading is not on this thread.
    const login = await t.app.inject({ method: 'GET', url: '/login' });
    expect(login.statusCode).toBe(200);
    expect(uploadDone).toBe(false);
    const res = await pending;
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('В ячейке XFD2 есть значение правее столбца AX');
    expect(process.memoryUsage().heapUsed - heap).toBeLessThan(64 * 1024 * 1024);
    expect(await users()).toBe(before);
  });

  it('reads in another thread, from vitest and from tsx (npm start) alike', async () => {
    const csv = Buffer.from('surname,given_name,email,group\r\nPerera,Nimal,nimal.p@students.demo.test,E101\r\n');
    const here = await readRosterOffThread(csv);
    expect(here).toMatchObject({ ok: true, rows: [{ line: 2, surname: 'Perera', group: 'E101' }] });
    expect(here.threadId).not.toBe(threadId);
    // The same call in a process started the way `npm start` starts the app.
    const dir = mkdtempSync(join(tmpdir(), 'zachetka-tsx-'));
    try {
      const script = join(dir, 'read.mts'); // .mts: an ES module outside the project's "type": "module"
      writeFileSync(script, `import { readRosterOffThread } from ${JSON.stringify(fileURLToPath(new URL('../server/import/off-thread.ts', import.meta.url)))};
const r = await readRosterOffThread(Buffer.from(${JSON.stringify(csv.toString())}));
console.log(JSON.stringify(r));\n`);
      const tsxCli = createRequire(import.meta.url).resolve('tsx/cli');
      const out = await new Promise<string>((resolve, reject) => execFile(process.execPath, [tsxCli, script], { timeout: 60_000 }, (err, stdout, stderr) => (err ? reject(new Error(stderr || String(err))) : resolve(stdout))));
      const r = JSON.parse(out.trim().split('\n').pop()!);
      expect(r).toMatchObject({ ok: true, rows: [{ line: 2, email: 'nimal.p@students.demo.test' }] });
      expect(r.threadId).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);

  it('runs at most two reads at once and gives up on one that takes too long', async () => {
    const csv = Buffer.from('surname,given_name,email,group\r\nA,B,a.b@x.by,1101\r\n');
    const three = [readRosterOffThread(csv), readRosterOffThread(csv), readRosterOffThread(csv)];
    expect(await three[2]).toMatchObject({ ok: false, key: 'busy' });
    expect((await Promise.all(three.slice(0, 2))).map((r) => r.ok)).toEqual([true, true]);
    expect(await readRosterOffThread(csv, 1)).toMatchObject({ ok: false, key: 'tooSlow' });
  });

  it('refuses a zip bomb by its declared size, and a bomb that lies about its size as it inflates', async () => {
    const admin = await loginAs(t.app, 'admin@demo.test');
    const spaces = Buffer.alloc(40 * 1024 * 1024, 0x20);
    const bomb = xlsx(Buffer.concat([Buffer.from('<worksheet><sheetData>'), spaces, Buffer.from('</sheetData></worksheet>')]));
    expect(bomb.length).toBeLessThan(100 * 1024);
    const before = await users();
    const honest = await upload(admin, 'bomb.xlsx', bomb);
    expect(honest.statusCode).toBe(422);
    expect(honest.body).toContain('Таблица в распакованном виде больше 32 МБ');
    const liar = await upload(admin, 'bomb.xlsx', xlsx(Buffer.concat([Buffer.from('<worksheet><sheetData>'), spaces, Buffer.from('</sheetData></worksheet>')]), 1024));
    expect(liar.statusCode).toBe(422);
    expect(liar.body).toContain('Файл не удалось прочитать как CSV или XLSX');
    expect(await users()).toBe(before);
  });

  it('names the cell that is too long or holds control characters', async () => {
    const fis = await loginAs(t.app, 'dean-fis@demo.test');
    const long = await upload(fis, 'r.xlsx', xlsx(`${HEADER}<row r="2">${cell('A2', 'Perera')}${cell('B2', 'N'.repeat(5000))}</row>`));
    expect(long.statusCode).toBe(422);
    expect(long.body).toContain('Cell B2 is longer than 1,000 characters.');
    for (const nul of ['Per_x0000_era', 'Per&#0;era', 'Per&#x202E;are']) {
      const res = await upload(fis, 'r.xlsx', xlsx(`${HEADER}<row r="2">${cell('A2', 'Haddad')}</row><row r="3">${cell('A3', nul)}</row>`));
      expect(res.statusCode).toBe(422);
      expect(res.body).toContain('Cell A3 contains control characters');
    }
  });

  it('says a 100,000-row CSV is over the limit, not that it has no rows; a header-only file has no students', async () => {
    const admin = await loginAs(t.app, 'admin@demo.test');
    let csv = 'surname,given_name,email,group\r\n';
    for (let i = 0; i < 100_000; i++) csv += `S${i},A,s${i}@x.by,1101\r\n`;
    const before = await users();
    const res = await upload(admin, 'big.csv', csv);
    expect(res.statusCode).toBe(422);
    expect(res.body).toMatch(/В файле больше 20\s000 студентов/);
    expect(res.body).not.toContain('нет строк');
    const header = await upload(admin, 'empty.csv', 'surname,given_name,email,group\r\n');
    expect(header.body).toContain('В файле нет студентов: только строка заголовков');
    const unknown = await upload(admin, 'odd.csv', 'ФИО;Группа студента\r\nИванов Иван;1101\r\n');
    expect(unknown.body).toContain('В первой строке нет ни одного из столбцов');
    expect(await users()).toBe(before);
  });

  it('names the line with malformed UTF-8 or a NUL byte instead of previewing a clean new student', async () => {
    const fis = await loginAs(t.app, 'dean-fis@demo.test');
    const head = Buffer.from('surname,given_name,email,group\r\nPerera,Nimal,nimal.x@students.demo.test,E101\r\n');
    const both = await upload(fis, 'r.csv', Buffer.concat([head, Buffer.from('Had'), Buffer.from([0xc3, 0x28, 0x00]), Buffer.from('dad,Lina,lina.x@students.demo.test,E101\r\n')]));
    expect(both.statusCode).toBe(422);
    expect(both.body).toContain('Line 3 is not UTF-8 text');
    expect(both.body).not.toContain('import-preview');
    const nul = await upload(fis, 'r.csv', Buffer.concat([head, Buffer.from('A,B,a.b@x.by,E101\r\nHad\u0000dad,Lina,lina.x@students.demo.test,E101\r\n')]));
    expect(nul.statusCode).toBe(422);
    expect(nul.body).toContain('Line 4 contains control characters');
    // Windows-1251, as Russian Excel saves "CSV": refused on its first Cyrillic line, not shown as mojibake.
    const cp1251 = await upload(fis, 'r.csv', Buffer.concat([Buffer.from('surname,given_name,email,group\r\n'), Buffer.from([0xc8, 0xe2, 0xe0, 0xed]), Buffer.from(',A,a@x.by,E101\r\n')]));
    expect(cp1251.body).toContain('Line 2 is not UTF-8 text');
  });

  it('refuses an upload over 10 MB with the limit, whether the body says so up front or not', async () => {
    const admin = await loginAs(t.app, 'admin@demo.test');
    const before = await users();
    for (const size of [10 * 1024 * 1024 + 1, 12 * 1024 * 1024]) {
      const res = await upload(admin, 'big.csv', Buffer.alloc(size, 0x41));
      expect(res.statusCode).toBe(413);
      expect(res.body).toContain('Файл больше 10 МБ');
      expect(res.body).toContain('action="/admin/import"');
    }
    const teacher = await loginAs(t.app, 'teacher@demo.test');
    expect((await upload(teacher, 'big.csv', Buffer.alloc(12 * 1024 * 1024, 0x41))).statusCode).toBe(404);
    expect(await users()).toBe(before);
  });

  it('keeps ordinary forms to 1 MB, the login form too, while the roster apply takes a faculty’s rows', async () => {
    const big = 'email=a%40b.by&password=' + 'x'.repeat(2 * 1024 * 1024);
    const login = await t.app.inject({ method: 'POST', url: '/login', payload: big, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(login.statusCode).toBe(413);
    const admin = await loginAs(t.app, 'admin@demo.test');
    const rows = Array.from({ length: 6000 }, (_, i) => ({ line: i + 2, surname: 'Студентова', givenName: 'Анна', patronymic: 'Петровна', email: `apply.${i}@students.demo.test`, group: '1101', recordBook: '', lang: 'ru' }));
    const form = JSON.stringify(rows);
    expect(new URLSearchParams({ rows: form }).toString().length).toBeGreaterThan(2 * 1024 * 1024);
    const before = await users();
    const applied = await admin.post('/admin/import/apply', { rows: form });
    expect(applied.statusCode).toBe(303);
    expect(await users()).toBe(before + 6000);
  }, 60_000);

  it('flags over-long values in the preview and checks control characters again when a preview comes back to be applied', async () => {
    const admin = await loginAs(t.app, 'admin@demo.test');
    const row = { line: 2, surname: 'Had\u0000dad', givenName: 'Lina', patronymic: '', email: 'lina.nul@students.demo.test', group: '1101', recordBook: '', lang: 'ru' };
    const before = await users();
    // The row is checked again and skipped like any row with a problem: nothing written.
    const res = await admin.post('/admin/import/apply', { rows: JSON.stringify([row]) });
    expect(res.statusCode).toBe(303);
    expect((await admin.get(String(res.headers.location))).body).toContain('Студентов добавлено в группы: 0; строк с ошибками пропущено: 1.');
    // A name longer than the person card takes is a problem of its row in the preview, not a failed apply.
    const long = await upload(admin, 'r.csv', `surname,given_name,email,group\r\n${'Д'.repeat(150)},Лина,lina.long@students.demo.test,1101\r\n`);
    expect(long.statusCode).toBe(200);
    expect(long.body).toContain('слишком длинное значение');
    expect(long.body).not.toContain('/admin/import/apply');
    expect(await users()).toBe(before);
  });
});
