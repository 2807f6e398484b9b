import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { makeTestApp, loginAs, type TestApp } from './helpers/app';

let t: TestApp;
beforeAll(async () => { t = await makeTestApp(); });
afterAll(async () => { await t.close(); });

describe('the audit trail view', () => {
  it('filters, pages and shows before → after; a dean sees only their faculty', async () => {
    const admin = await loginAs(t.app, 'admin@demo.test');
    const all = await admin.get('/admin/audit?action=mark.create&student=Климович');
    expect(all.statusCode).toBe(200);
    expect(all.body).toContain('Выставлена оценка');
    expect(all.body).toMatch(/оценка: \d+</); // a first entry: what it set, in words
    expect(all.body).not.toMatch(/<code>|mark\.create<|"value"|>teacher</);
    expect(all.body).toContain('Преподаватель');
    expect(all.body).toContain('Климович');
    const fisStudent = (await t.store.get<{ surname: string }>(sql`SELECT u.surname FROM users u JOIN group_memberships m ON m.student_id = u.id JOIN groups g ON g.id = m.group_id WHERE g.name = 'E101' LIMIT 1`))!;
    const fisRow = (await t.store.get<{ id: number }>(sql`SELECT a.id FROM audit_log a JOIN group_memberships m ON m.student_id = a.student_id JOIN groups g ON g.id = m.group_id WHERE g.name = 'E101' AND a.action = 'mark.create' AND a.student_id = (SELECT u.id FROM users u JOIN group_memberships m ON m.student_id = u.id JOIN groups g ON g.id = m.group_id WHERE g.name = 'E101' LIMIT 1) ORDER BY a.id DESC LIMIT 1`))!;
    const dean = await loginAs(t.app, 'dean@demo.test');
    const deanView = await dean.get(`/admin/audit?action=mark.create&student=${encodeURIComponent(fisStudent.surname)}`);
    expect(deanView.statusCode).toBe(200);
    expect(deanView.body).not.toContain(`id="audit-${fisRow.id}"`);
    expect((await admin.get(`/admin/audit?action=mark.create&student=${encodeURIComponent(fisStudent.surname)}`)).body).toContain(`id="audit-${fisRow.id}"`);
    expect((await dean.get('/admin/audit?action=login.failed')).body).not.toContain('Неудачный вход<');
    // The course is picked by name, from the dean's own faculty only.
    const form = (await dean.get('/admin/audit')).body;
    expect(form).not.toContain('type="number" name="courseId"');
    expect(form).toMatch(/<option value="\d+">Анатомия человека — 1101, 1102, 1103<\/option>/);
    expect(form).not.toContain('— E101');
    const anatomy = Number(/<option value="(\d+)">Анатомия человека — 1101, 1102, 1103</.exec(form)![1]);
    const byCourse = (await dean.get(`/admin/audit?courseId=${anatomy}&action=mark`)).body;
    expect(byCourse).toMatch(/<option value="\d+" selected="">Анатомия человека — 1101, 1102, 1103<\/option>/);
    expect(byCourse.match(/<br><small>([^<]+)<\/small><\/td>/g)?.every((m) => m.includes('Анатомия человека'))).toBe(true);
    const teacher = await loginAs(t.app, 'teacher@demo.test');
    expect((await teacher.get('/admin/audit')).statusCode).toBe(404);
    expect((await teacher.get('/admin/audit.csv')).statusCode).toBe(404);
  });

  it('verifies the chain on request and exports the filter to CSV (with a BOM) and XLSX', async () => {
    const admin = await loginAs(t.app, 'admin@demo.test');
    expect((await admin.get('/admin/audit?verify=1')).body).toMatch(/Цепочка аудита цела: \d+ запис(ь|и|ей)\./);
    const csv = await t.app.inject({ method: 'GET', url: '/admin/audit.csv?action=mark.create&student=Климович', headers: { cookie: Object.entries(admin.cookies).map(([k, v]) => `${k}=${v}`).join('; ') } });
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    // Headers and words in the reader's language (Russian here), times in UTC.
    expect(lines[0]).toBe('№,Когда (UTC),Кто,Роль,Адрес,Действие,Курс,Студент,Изменение,Причина');
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.slice(1).every((l) => l.includes('Выставлена оценка') && l.includes('Климович') && l.includes('Преподаватель'))).toBe(true);
    const xlsx = await t.app.inject({ method: 'GET', url: '/admin/audit.xlsx?action=mark.create&student=Климович', headers: { cookie: Object.entries(admin.cookies).map(([k, v]) => `${k}=${v}`).join('; ') } });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets[0].rowCount).toBe(lines.length);
    expect(String(wb.worksheets[0].getRow(2).getCell(8).value)).toContain('Климович');
  });
});
