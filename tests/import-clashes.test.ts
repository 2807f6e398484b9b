// Issue 14, item 1: record-book numbers and e-mails are unique. A row that clashes (in the file or with an
// existing person) is named with the person it clashes with, skipped, and downloadable with its reason;
// the valid rows import without it.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { sql } from 'drizzle-orm';
import { makeTestApp, loginAs, type TestApp, type Agent } from './helpers/app';

let t: TestApp;
let admin: Agent;
let existing: { email: string; surname: string; givenName: string; recordBook: string };

beforeAll(async () => {
  t = await makeTestApp();
  admin = await loginAs(t.app, 'admin@demo.test');
  existing = (await t.store.get<typeof existing>(sql`SELECT email, surname, given_name AS "givenName", record_book AS "recordBook" FROM users WHERE email = 'student@demo.test'`))!;
});
afterAll(async () => { await t.close(); });

function upload(a: Agent, content: string) {
  const boundary = '----zachetka' + Math.random().toString(16).slice(2);
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${a.csrf}\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="r.csv"\r\nContent-Type: text/csv\r\n\r\n`),
    Buffer.from(content), Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return t.app.inject({ method: 'POST', url: '/admin/import', payload: body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: Object.entries(a.cookies).map(([k, v]) => `${k}=${v}`).join('; ') } });
}
const rowsOf = (body: string) => /name="rows" value="([^"]+)"/.exec(body)![1]!.replace(/&quot;/g, '"');
const users = async () => (await t.store.get<{ n: number }>(sql`SELECT count(*) AS n FROM users`))!.n;
const HEAD = 'фамилия;имя;отчество;почта;группа;зачётка;язык\r\n';

describe('record-book numbers and e-mails are unique', () => {
  it('names the existing holder of a record-book number, skips that row and imports the valid one', async () => {
    const csv = HEAD + `Новик;Дарья;;darya.novik@students.demo.test;1101;${existing.recordBook};ru\r\n` +
      'Жук;Павел;;pavel.zhuk@students.demo.test;1101;99990001;ru\r\n';
    const preview = await upload(admin, csv);
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain(`зачётка № ${existing.recordBook} уже принадлежит: ${existing.surname} ${existing.givenName}`);
    expect(preview.body).toContain(existing.email);
    expect(preview.body).toContain('Добавить верные строки (1), пропустить строки с ошибками (1)');
    // The skipped row, downloadable with its reason, in a file the import reads again.
    const href = /id="import-skipped-csv" download="[^"]+" href="([^"]+)"/.exec(preview.body)![1]!.replace(/&amp;/g, '&');
    const file = decodeURIComponent(href.replace(/^data:text\/csv;charset=utf-8,/, ''));
    expect(file).toContain('darya.novik@students.demo.test');
    expect(file).toContain(`уже принадлежит: ${existing.surname}`);
    expect(file).not.toContain('pavel.zhuk');

    const before = await users();
    const applied = await admin.post('/admin/import/apply', { rows: rowsOf(preview.body) });
    expect(applied.statusCode).toBe(303);
    expect((await admin.get(String(applied.headers.location))).body).toContain('Студентов добавлено в группы: 1; строк с ошибками пропущено: 1.');
    expect(await users()).toBe(before + 1);
    expect(await t.store.get(sql`SELECT id FROM users WHERE email = 'darya.novik@students.demo.test'`)).toBeUndefined();
    expect((await t.store.get<{ n: number }>(sql`SELECT count(*) AS n FROM users WHERE record_book = ${existing.recordBook}`))!.n).toBe(1);
  });

  it('a number twice in the file: the second line names the first', async () => {
    const csv = HEAD + 'Лис;Ян;;yan.lis@students.demo.test;1101;99990002;ru\r\nЛис;Яна;;yana.lis@students.demo.test;1101;99990002;ru\r\n';
    const preview = await upload(admin, csv);
    expect(preview.body).toContain('зачётка № 99990002 уже есть в строке 2');
  });

  it('an e-mail of someone in another group names them', async () => {
    const csv = HEAD + `Климович;Анна;;${existing.email};1102;;ru\r\n`;
    const preview = await upload(admin, csv);
    expect(preview.body).toContain(`этот адрес уже принадлежит: ${existing.surname} ${existing.givenName}`);
    expect(preview.body).toContain('группа 1101');
    expect(preview.body).not.toContain('/admin/import/apply'); // nothing valid to import
  });

  it('a number taken between the preview and the apply is skipped, not written twice', async () => {
    const csv = HEAD + 'Гук;Ольга;;olga.guk@students.demo.test;1101;99990003;ru\r\n';
    const preview = await upload(admin, csv);
    expect(preview.body).not.toContain('id="import-fix-hint"');
    await t.store.tx((tx) => tx.run(sql`UPDATE users SET record_book = '99990003' WHERE email = 'teacher2@demo.test'`));
    const applied = await admin.post('/admin/import/apply', { rows: rowsOf(preview.body) });
    expect((await admin.get(String(applied.headers.location))).body).toContain('Студентов добавлено в группы: 0; строк с ошибками пропущено: 1.');
    expect(await t.store.get(sql`SELECT id FROM users WHERE email = 'olga.guk@students.demo.test'`)).toBeUndefined();
  });

  it('a database that already holds a number twice still previews, naming the first holder', async () => {
    await t.store.tx((tx) => tx.run(sql`UPDATE users SET record_book = '99990004' WHERE email IN ('teacher@demo.test', 'dean@demo.test')`));
    const preview = await upload(admin, HEAD + 'Бык;Иван;;ivan.byk@students.demo.test;1101;99990004;ru\r\n');
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toMatch(/зачётка № 99990004 уже принадлежит: [^(]+\((teacher|dean)@demo\.test\)/);
  });

  it('in English too', async () => {
    await admin.post('/lang', { lang: 'en', back: '/' });
    const preview = await upload(admin, HEAD + `Новик;Дарья;;darya.novik2@students.demo.test;1101;${existing.recordBook};ru\r\n`);
    expect(preview.body).toContain(`record book ${existing.recordBook} already belongs to ${existing.surname} ${existing.givenName}`);
    expect(preview.body).toContain('Download the 1 rows with problems');
    await admin.post('/lang', { lang: 'ru', back: '/' });
  });
});

describe('the person card keeps record-book numbers unique too', () => {
  it('refuses a new student with a number someone holds, naming them, and writes nothing', async () => {
    const group = (await t.store.get<{ id: number }>(sql`SELECT id FROM groups WHERE name = '1101'`))!.id;
    const before = await users();
    const res = await admin.post('/admin/people', { email: 'new.one@students.demo.test', surname: 'Новая', givenName: 'Студентка', recordBook: existing.recordBook,
      role: 'student', groupId: group, fromDate: '2026-11-02', lang: 'ru' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain(`Зачётка № ${existing.recordBook} уже принадлежит: ${existing.surname} ${existing.givenName}`);
    expect(await users()).toBe(before);
  });
});
