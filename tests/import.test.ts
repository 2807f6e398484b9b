import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { makeTestApp, loginAs, type TestApp, type Agent } from './helpers/app';

let t: TestApp;
beforeAll(async () => { t = await makeTestApp(); });
afterAll(async () => { await t.close(); });

function upload(a: Agent, name: string, content: Buffer | string) {
  const boundary = '----zachetka' + Math.random().toString(16).slice(2);
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${a.csrf}\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/csv\r\n\r\n`),
    Buffer.isBuffer(content) ? content : Buffer.from(content),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return t.app.inject({ method: 'POST', url: '/admin/import', payload: body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: Object.entries(a.cookies).map(([k, v]) => `${k}=${v}`).join('; ') } });
}

const CSV = '\uFEFFфамилия;имя;отчество;почта;группа;зачётка;язык\r\n' +
  'Богданович;Алеся;Игоревна;alesya.bogdanovich@students.demo.test;1102;26110299;ru\r\n' +
  'Шульга;Антон;;anton.shulga@students.demo.test;1102;;ru\r\n';

describe('importing a roster', () => {
  it('previews every row’s problems and writes nothing', async () => {
    const admin = await loginAs(t.app, 'admin@demo.test');
    const bad = CSV + ';Иван;;not-an-email;1102;;ru\r\nКоваль;Ольга;;olga@x.by;9999;;ru\r\nШульга;Антон;;anton.shulga@students.demo.test;1102;;ru\r\n';
    const before = (await t.store.get<{ n: number }>(sql`SELECT count(*) AS n FROM users`))!.n;
    const res = await upload(admin, 'roster.csv', bad);
    expect(res.statusCode).toBe(200);
    for (const text of ['нет фамилии', 'некорректный адрес почты', 'такой группы нет', 'уже есть в предыдущей строке']) expect(res.body).toContain(text);
    // The valid rows can go in now; the others are named, with the hint to fix them.
    expect(res.body).toContain('Добавить верные строки (2), пропустить строки с ошибками (3)');
    expect(res.body).toContain('id="import-fix-hint"');
    expect((await t.store.get<{ n: number }>(sql`SELECT count(*) AS n FROM users`))!.n).toBe(before);
  });

  it('applies a clean file in one go; importing it again changes nothing', async () => {
    const admin = await loginAs(t.app, 'admin@demo.test');
    const preview = await upload(admin, 'roster.csv', CSV);
    expect(preview.body).not.toContain('id="import-fix-hint"'); // nothing to fix
    expect(preview.body).not.toContain('id="import-skipped-csv"');
    const rows = /name="rows" value="([^"]+)"/.exec(preview.body)![1].replace(/&quot;/g, '"');
    const applied = await admin.post('/admin/import/apply', { rows });
    expect(applied.statusCode).toBe(303);
    expect((await admin.get(String(applied.headers.location))).body).toContain('Студентов добавлено в группы: 2');
    const member = (await t.store.get<{ name: string }>(sql`SELECT g.name FROM users u JOIN group_memberships m ON m.student_id = u.id JOIN groups g ON g.id = m.group_id WHERE u.email = 'alesya.bogdanovich@students.demo.test'`))!;
    expect(member.name).toBe('1102');
    const again = await upload(admin, 'roster.csv', CSV);
    expect(again.body).toContain('Новых: 0, уже есть: 2');
    const twice = await admin.post('/admin/import/apply', { rows });
    expect((await admin.get(String(twice.headers.location))).body).toContain('Студентов добавлено в группы: 0');
  });

  it('keeps a dean’s office to its own faculty’s groups', async () => {
    const fis = await loginAs(t.app, 'dean-fis@demo.test');
    const res = await upload(fis, 'roster.csv', 'surname,given_name,email,group\r\nPerera,Nimal,nimal.perera@students.demo.test,1101\r\n');
    expect(res.body).toContain('no such group');
    const teacher = await loginAs(t.app, 'teacher@demo.test');
    expect((await teacher.get('/admin/import')).statusCode).toBe(404);
  });
  it('takes a faculty-sized XLSX roster (5,000 rows): preview, apply in one transaction, re-import changes nothing', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Студенты');
    ws.addRow(['Фамилия', 'Имя', 'Отчество', 'Почта', 'Группа', 'Зачётка', 'Язык']);
    const groups = ['1101', '1102', '1103', '1201', '1202', '1301'];
    for (let i = 0; i < 5000; i++) ws.addRow([`Студентова${i}`, 'Анна', 'Петровна', `bulk.${i}@students.demo.test`, groups[i % groups.length], `27${String(i).padStart(6, '0')}`, 'ru']);
    const file = Buffer.from(await wb.xlsx.writeBuffer());
    const admin = await loginAs(t.app, 'admin@demo.test');
    const users = async () => (await t.store.get<{ n: number }>(sql`SELECT count(*) AS n FROM users`))!.n;
    const before = await users();
    let started = performance.now();
    const preview = await upload(admin, 'bulk.xlsx', file);
    const previewMs = performance.now() - started;
    expect(preview.statusCode).toBe(200);
    const rows = /name="rows" value="([^"]+)"/.exec(preview.body)![1].replace(/&quot;/g, '"');
    started = performance.now();
    const applied = await admin.post('/admin/import/apply', { rows });
    const applyMs = performance.now() - started;
    expect(applied.statusCode).toBe(303);
    expect(await users()).toBe(before + 5000);
    expect((await t.store.get<{ n: number }>(sql`SELECT count(*) AS n FROM group_memberships m JOIN users u ON u.id = m.student_id WHERE lower(u.email) LIKE 'bulk.%' AND m.to_date IS NULL`))!.n).toBe(5000);
    console.log(`roster import, 5,000 rows XLSX (${Math.round(file.length / 1024)} KB): preview ${Math.round(previewMs)} ms, apply ${Math.round(applyMs)} ms`);
    const again = await upload(admin, 'bulk.xlsx', file);
    expect(again.body).not.toContain('/admin/import/apply'); // every row is already there
    expect(await users()).toBe(before + 5000);
  }, 120_000);
});
