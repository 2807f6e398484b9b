import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { sql, type SQL } from 'drizzle-orm';
import { makeTestApp, loginAs, userId, type TestApp } from './helpers/app';
import { studentOfGroup } from './helpers/lookup';

let t: TestApp;
let student: number;
const q = async <T>(query: SQL) => (await t.store.get<T>(query)) as T;

beforeAll(async () => {
  t = await makeTestApp();
  student = await userId(t.store, 'student@demo.test');
});
afterAll(async () => { await t.close(); });

describe('consent: pairing codes, scope, revocation', () => {
  it('a student gives a code; a relative redeems it once and sees what the scope allows; the student sees the view; revoking ends it at once', async () => {
    const me = await loginAs(t.app, 'student@demo.test');
    const sent = await me.post(`/students/${student}/guardians/codes`, { scope: 'attendance' });
    expect(sent.statusCode).toBe(303);
    const page = await me.get(String(sent.headers.location));
    const code = /Код для родителя: ([A-Z0-9]{5}-[A-Z0-9]{5})/.exec(page.body)![1];
    expect((await q<{ n: number }>(sql`SELECT count(*) AS n FROM pairing_codes WHERE code_hash = ${code}`)).n).toBe(0); // only the hash is stored

    const aunt = await loginAs(t.app, 'teacher2@demo.test'); // any account can become a guardian
    expect((await aunt.get(`/students/${student}`)).statusCode).toBe(404);
    expect((await aunt.post('/guardian/link', { code: 'WRONG-CODE1' })).statusCode).toBe(422);
    const linked = await aunt.post('/guardian/link', { code: code.toLowerCase() });
    expect(linked.statusCode).toBe(303);
    const view = await aunt.get(`/students/${student}`);
    expect(view.statusCode).toBe(200);
    expect(view.body).not.toContain('Рейтинг');
    expect((await aunt.post('/guardian/link', { code })).statusCode).toBe(422); // spent

    const mine = await me.get(`/students/${student}/guardians`);
    expect(mine.body).toContain('Новикова');
    expect(mine.body).toMatch(/Кто открывал мою успеваемость[\s\S]*Новикова/);
    const link = (await q<{ id: number }>(sql`SELECT id FROM guardian_links WHERE guardian_id = ${await userId(t.store, 'teacher2@demo.test')} AND student_id = ${student} AND revoked_at IS NULL`)).id;
    expect((await me.post(`/students/${student}/guardians/${link}`, { scope: 'full' })).statusCode).toBe(303);
    expect((await aunt.get(`/students/${student}`)).body).toContain('Рейтинг');
    expect((await me.post(`/students/${student}/guardians/${link}/revoke`, {})).statusCode).toBe(303);
    expect((await aunt.get(`/students/${student}`)).statusCode).toBe(404);
    const actions = (await t.store.all<{ action: string }>(sql`SELECT action FROM audit_log WHERE entity IN ('guardian_link', 'pairing_code') AND student_id = ${student} ORDER BY id DESC LIMIT 4`)).map((r) => r.action);
    expect(actions).toEqual(['guardian_link.revoke', 'guardian_link.update', 'guardian_link.create', 'pairing_code.create']);
  });

  it('only the student and their dean’s office manage the links', async () => {
    const classmate = await loginAs(t.app, 'student@demo.test');
    const other = await studentOfGroup(t.store, '1101');
    expect((await classmate.get(`/students/${other}/guardians`)).statusCode).toBe(404);
    const parent = await loginAs(t.app, 'parent@demo.test');
    expect((await parent.get(`/students/${student}/guardians`)).statusCode).toBe(404);
    const link = (await q<{ id: number }>(sql`SELECT id FROM guardian_links WHERE guardian_id = ${await userId(t.store, 'parent@demo.test')} AND student_id = ${student}`)).id;
    expect((await parent.post(`/students/${student}/guardians/${link}/revoke`, {})).statusCode).toBe(404);
    expect((await (await loginAs(t.app, 'dean@demo.test')).get(`/students/${student}/guardians`)).statusCode).toBe(200);
    expect((await (await loginAs(t.app, 'dean-fis@demo.test')).get(`/students/${student}/guardians`)).statusCode).toBe(404);
  });
});
