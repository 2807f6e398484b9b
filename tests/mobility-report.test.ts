// The placements report (issue 17): per faculty, partner and period, filterable, with CSV; a dean's office
// sees its own faculty only, whatever the address asks.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { sql } from 'drizzle-orm';
import { makeTestApp, loginAs, type TestApp } from './helpers/app';

let t: TestApp;
beforeAll(async () => { t = await makeTestApp(); });
afterAll(async () => { await t.close(); });

type Seeded = { lf: number; lfCancelled: number; fis: number; sechenov: number; other: number; lfName: string; fisName: string };
let s: Seeded;

/** A selected application and its placement, written as the routes write them. */
async function placement(studentId: number, partnerId: number, from: string, to: string, cancelled = false): Promise<number> {
  return t.store.tx(async (tx) => {
    const g = (await tx.get<{ facultyId: number; year: number }>(sql`SELECT g.faculty_id AS "facultyId", g.year FROM group_memberships m JOIN groups g ON g.id = m.group_id
      WHERE m.student_id = ${studentId} AND m.to_date IS NULL`))!;
    const call = (await tx.get<{ id: number }>(sql`INSERT INTO mobility_calls (partner_id, from_date, to_date, programme, year, deadline, weights)
      VALUES (${partnerId}, ${from}, ${to}, 'degree', ${g.year}, '2026-01-01', '{}') RETURNING id`))!.id;
    await tx.run(sql`INSERT INTO mobility_quotas (call_id, faculty_id, places) VALUES (${call}, ${g.facultyId}, 2)`);
    const app = (await tx.get<{ id: number }>(sql`INSERT INTO mobility_applications (call_id, student_id, faculty_id, motivation, applied_at, decision)
      VALUES (${call}, ${studentId}, ${g.facultyId}, 'Практика', 0, 'selected') RETURNING id`))!.id;
    return (await tx.get<{ id: number }>(sql`INSERT INTO mobility_placements (application_id, student_id, partner_id, from_date, to_date, order_number, cancelled_at)
      VALUES (${app}, ${studentId}, ${partnerId}, ${from}, ${to}, ${`ord-${call}`}, ${cancelled ? 1 : null}) RETURNING id`))!.id;
  });
}

beforeAll(async () => {
  const who = async (q: ReturnType<typeof sql>) => (await t.store.get<{ id: number; surname: string }>(q))!;
  const lfStudent = await who(sql`SELECT id, surname FROM users WHERE email = 'student@demo.test'`);
  const fisStudent = await who(sql`SELECT u.id, u.surname FROM group_memberships m JOIN groups g ON g.id = m.group_id JOIN users u ON u.id = m.student_id
    WHERE g.name = 'E101' AND m.to_date IS NULL ORDER BY u.id LIMIT 1`);
  const sechenov = (await t.store.get<{ id: number }>(sql`SELECT id FROM mobility_partners WHERE name_en LIKE 'I. M. Sechenov%'`))!.id;
  const other = (await t.store.get<{ id: number }>(sql`SELECT min(id) AS id FROM mobility_partners WHERE id <> ${sechenov}`))!.id;
  s = {
    lf: await placement(lfStudent.id, sechenov, '2026-10-05', '2026-10-18'),
    lfCancelled: await placement(lfStudent.id, other, '2027-03-01', '2027-03-14', true),
    fis: await placement(fisStudent.id, other, '2026-11-02', '2026-11-15'),
    sechenov, other, lfName: lfStudent.surname, fisName: fisStudent.surname,
  };
});

describe('the placements report', () => {
  it('lists the university\'s placements for its administration, with totals per faculty and partner, and filters them', async () => {
    const admin = await loginAs(t.app, 'admin@demo.test');
    const all = await admin.get('/admin/mobility/report');
    expect(all.statusCode).toBe(200);
    for (const id of [s.lf, s.lfCancelled, s.fis]) expect(all.body).toContain(`id="report-placement-${id}"`);
    expect(all.body).toContain(`id="total-1-${s.sechenov}"`);
    expect(all.body).toContain(`id="total-2-${s.other}"`);
    expect(all.body).toContain('отменена');
    expect((await admin.get('/admin/mobility')).body).toContain('href="/admin/mobility/report"');

    const fisOnly = await admin.get('/admin/mobility/report?faculty=2');
    expect(fisOnly.body).toContain(`id="report-placement-${s.fis}"`);
    expect(fisOnly.body).not.toContain(`id="report-placement-${s.lf}"`);
    const byPartner = await admin.get(`/admin/mobility/report?partner=${s.sechenov}`);
    expect(byPartner.body).toContain(`id="report-placement-${s.lf}"`);
    expect(byPartner.body).not.toContain(`id="report-placement-${s.fis}"`);
    // A period keeps the placements that overlap it.
    const period = await admin.get('/admin/mobility/report?from=2026-10-15&to=2026-11-03');
    expect(period.body).toContain(`id="report-placement-${s.lf}"`);
    expect(period.body).toContain(`id="report-placement-${s.fis}"`);
    expect(period.body).not.toContain(`id="report-placement-${s.lfCancelled}"`);
    const none = await admin.get('/admin/mobility/report?from=2030-01-01');
    expect(none.body).toContain('Подходящих стажировок нет');
    // A period that ends before it starts is not applied, and the page says so; junk values are dropped.
    const bad = await admin.get('/admin/mobility/report?from=2026-12-01&to=2026-10-01');
    expect(bad.body).toContain('Период заканчивается раньше начала');
    expect(bad.body).toContain(`id="report-placement-${s.fis}"`);
    const junk = await admin.get('/admin/mobility/report?faculty=abc&partner=-1&from=2026-02-30');
    expect(junk.statusCode).toBe(200);
    expect(junk.body).toContain(`id="report-placement-${s.fis}"`);
  });

  it('exports what the filters show as CSV, in the user\'s language', async () => {
    const admin = await loginAs(t.app, 'admin@demo.test');
    const page = await admin.get(`/admin/mobility/report?partner=${s.other}`);
    expect(page.body).toContain(`href="/admin/mobility/report.csv?partner=${s.other}"`);
    const csv = await admin.get(`/admin/mobility/report.csv?partner=${s.other}`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toContain('mobility-placements.csv');
    const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('Факультет,Партнёр,Страна (код ISO),С,По,Студент,Группа,Номер приказа,Состояние,Перезачтено дисциплин');
    expect(lines).toHaveLength(3);
    expect(csv.body).toContain(s.fisName);
    expect(csv.body).toContain('2027-03-01,2027-03-14');
    expect(csv.body).toContain('отменена');
    const fis = await loginAs(t.app, 'dean-fis@demo.test'); // English
    const en = await fis.get('/admin/mobility/report.csv');
    expect(en.body.replace(/^\uFEFF/, '').split('\r\n')[0]).toContain('Faculty,Partner');
  });

  it('shows a dean\'s office its own faculty only, whatever the address asks; others get nothing', async () => {
    const dean = await loginAs(t.app, 'dean@demo.test');
    for (const url of ['/admin/mobility/report', '/admin/mobility/report?faculty=2']) {
      const page = await dean.get(url);
      expect(page.body).toContain(`id="report-placement-${s.lf}"`);
      expect(page.body).not.toContain(`id="report-placement-${s.fis}"`);
      expect(page.body).not.toContain(s.fisName);
      expect(page.body).not.toContain('name="faculty"');
    }
    const csv = await dean.get('/admin/mobility/report.csv?faculty=2');
    expect(csv.body).toContain(s.lfName);
    expect(csv.body).not.toContain(s.fisName);
    const fis = await loginAs(t.app, 'dean-fis@demo.test');
    const own = await fis.get('/admin/mobility/report');
    expect(own.body).toContain(`id="report-placement-${s.fis}"`);
    expect(own.body).not.toContain(`id="report-placement-${s.lf}"`);
    for (const email of ['teacher@demo.test', 'student@demo.test', 'parent@demo.test']) {
      const a = await loginAs(t.app, email);
      expect((await a.get('/admin/mobility/report')).statusCode).toBe(404);
      expect((await a.get('/admin/mobility/report.csv')).statusCode).toBe(404);
    }
  });
});
