// The university administration edits and closes partners and calls (issue 17); a dean's office cannot.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { sql } from 'drizzle-orm';
import { makeTestApp, loginAs, type TestApp, type Agent } from './helpers/app';
import { countOf } from './helpers/lookup';

let t: TestApp;
beforeAll(async () => { t = await makeTestApp(); });
afterAll(async () => { await t.close(); });

const count = (q: ReturnType<typeof sql>) => countOf(t.store, q);
const follow = async (a: Agent, res: { statusCode: number; headers: Record<string, unknown>; body: string }) => {
  expect(res.statusCode, res.body.slice(0, 400)).toBe(303);
  return a.get(String(res.headers.location));
};
type PartnerRow = { id: number; nameRu: string; nameEn: string; nameOriginal: string; country: string; agreementNumber: string; agreementFrom: string; agreementTo: string | null };
const partner = async (where: ReturnType<typeof sql>) => (await t.store.get<PartnerRow>(sql`SELECT id, name_ru AS "nameRu", name_en AS "nameEn",
  name_original AS "nameOriginal", country, agreement_number AS "agreementNumber", agreement_from AS "agreementFrom", agreement_to AS "agreementTo"
  FROM mobility_partners WHERE ${where}`))!;
const formOf = (p: PartnerRow) => ({ nameOriginal: p.nameOriginal, nameRu: p.nameRu, nameEn: p.nameEn, country: p.country,
  agreementNumber: p.agreementNumber, agreementFrom: p.agreementFrom, agreementTo: p.agreementTo ?? '' });
const callWeights = { w_average: 10, w_ratings: 5, w_unexcusedAbsence: 1, w_openDebt: 5, w_activity: 1, w_achievements: 1, w_maxOpenDebts: '' };

describe('partners', () => {
  it('are edited and their agreement closed by the university administration, audited; a closed agreement takes no new call', async () => {
    const admin = await loginAs(t.app, 'admin@demo.test');
    const kirov = await partner(sql`name_en = 'Kirov State Medical University'`);
    const page = await admin.get('/admin/mobility');
    expect(page.body).toContain(`id="partner-form-${kirov.id}"`);
    expect(page.body).toContain(`id="close-partner-${kirov.id}"`);

    const taken = (await partner(sql`name_en LIKE 'I. M. Sechenov%'`)).agreementNumber;
    const dup = await admin.post(`/admin/mobility/partners/${kirov.id}`, { ...formOf(kirov), agreementNumber: taken });
    expect(dup.statusCode).toBe(422);
    expect(dup.body).toContain('уже внесён');
    expect((await admin.post(`/admin/mobility/partners/${kirov.id}`, { ...formOf(kirov), country: 'Russia' })).statusCode).toBe(422);
    expect(await partner(sql`id = ${kirov.id}`)).toEqual(kirov);

    const saved = await follow(admin, await admin.post(`/admin/mobility/partners/${kirov.id}`, { ...formOf(kirov), nameRu: 'Кировский ГМУ Минздрава России', agreementNumber: kirov.agreementNumber }));
    expect(saved.body).toContain('Партнёр сохранён');
    expect(saved.body).toContain('Кировский ГМУ Минздрава России');
    const edit = await t.store.get<{ before: string; after: string }>(sql`SELECT before, after FROM audit_log WHERE action = 'mobility_partner.edit' AND entity_id = ${kirov.id}`);
    expect(JSON.parse(edit!.before).nameRu).toBe('Кировский ГМУ');
    expect(JSON.parse(edit!.after).nameRu).toBe('Кировский ГМУ Минздрава России');

    const closed = await follow(admin, await admin.post(`/admin/mobility/partners/${kirov.id}/close`, {}));
    expect(closed.body).toContain('Договор закрыт');
    expect((await partner(sql`id = ${kirov.id}`)).agreementTo).toBe('2026-11-24');
    expect(closed.body).not.toContain(`id="close-partner-${kirov.id}"`);
    expect((await admin.post(`/admin/mobility/partners/${kirov.id}/close`, {})).statusCode).toBe(409);
    expect(await count(sql`SELECT count(*) AS n FROM audit_log WHERE action = 'mobility_partner.close' AND entity_id = ${kirov.id}`)).toBe(1);

    const calls = await count(sql`SELECT count(*) AS n FROM mobility_calls`);
    const refused = await admin.post('/admin/mobility/calls', { partnerId: kirov.id, fromDate: '2027-02-01', toDate: '2027-02-14', deadline: '2027-01-10',
      programme: 'degree', year: 1, places_1: 1, ...callWeights });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('Договор с партнёром действует до 24 нояб. 2026');
    expect(await count(sql`SELECT count(*) AS n FROM mobility_calls`)).toBe(calls);
  });

  it('a dean\'s office edits or closes nothing, and an unknown partner is 404', async () => {
    const omsk = await partner(sql`name_en = 'Omsk State Medical University'`);
    const dean = await loginAs(t.app, 'dean@demo.test');
    expect((await dean.get('/admin/mobility')).body).not.toContain(`id="partner-form-${omsk.id}"`);
    expect((await dean.post(`/admin/mobility/partners/${omsk.id}`, { ...formOf(omsk), nameRu: 'Чужое' })).statusCode).toBe(403);
    expect((await dean.post(`/admin/mobility/partners/${omsk.id}/close`, {})).statusCode).toBe(403);
    expect((await (await loginAs(t.app, 'teacher@demo.test')).post(`/admin/mobility/partners/${omsk.id}/close`, {})).statusCode).toBe(404);
    expect((await (await loginAs(t.app, 'admin@demo.test')).post('/admin/mobility/partners/999999/close', {})).statusCode).toBe(404);
    expect(await partner(sql`id = ${omsk.id}`)).toEqual(omsk);
  });
});

describe('calls', () => {
  async function openCall(admin: Agent): Promise<number> {
    const sechenov = (await partner(sql`name_en LIKE 'I. M. Sechenov%'`)).id;
    expect((await admin.post('/admin/mobility/calls', { partnerId: sechenov, fromDate: '2027-03-01', toDate: '2027-03-14', deadline: '2027-01-31',
      programme: 'degree', year: 1, places_1: 2, places_2: 1, ...callWeights })).statusCode).toBe(303);
    return (await t.store.get<{ id: number }>(sql`SELECT max(id) AS id FROM mobility_calls`))!.id;
  }

  it('have their dates and places edited, never below the students already applied, and are closed early: nobody applies after', async () => {
    const admin = await loginAs(t.app, 'admin@demo.test');
    const callId = await openCall(admin);
    const student = await loginAs(t.app, 'student@demo.test'); // 1101, faculty 1
    expect((await student.post(`/mobility/calls/${callId}/apply`, { motivation: 'Хочу на практику в Москву весной.' })).statusCode).toBe(303);

    const base = { fromDate: '2027-03-01', toDate: '2027-03-21', deadline: '2027-02-10', places_1: 3, places_2: 0 };
    expect((await admin.post(`/admin/mobility/calls/${callId}`, { ...base, deadline: '2027-03-05' })).body).toContain('срок заявок');
    const below = await admin.post(`/admin/mobility/calls/${callId}`, { ...base, places_1: 0 });
    expect(below.statusCode).toBe(422);
    expect(below.body).toContain('не меньше 1 мест');
    expect((await admin.post(`/admin/mobility/calls/${callId}`, { ...base, places_1: 'many' })).statusCode).toBe(422);
    const saved = await follow(admin, await admin.post(`/admin/mobility/calls/${callId}`, base));
    expect(saved.body).toContain('Конкурс сохранён');
    const quotas = await t.store.all<{ facultyId: number; places: number }>(sql`SELECT faculty_id AS "facultyId", places FROM mobility_quotas WHERE call_id = ${callId} ORDER BY faculty_id`);
    expect(quotas).toEqual([{ facultyId: 1, places: 3 }]);
    const call = await t.store.get<{ toDate: string; deadline: string }>(sql`SELECT to_date AS "toDate", deadline FROM mobility_calls WHERE id = ${callId}`);
    expect(call).toEqual({ toDate: '2027-03-21', deadline: '2027-02-10' });
    const audit = await t.store.get<{ before: string; after: string }>(sql`SELECT before, after FROM audit_log WHERE action = 'mobility_call.edit' AND entity_id = ${callId}`);
    expect(JSON.parse(audit!.before)).toMatchObject({ toDate: '2027-03-14', quotas: [{ facultyId: 1, places: 2 }, { facultyId: 2, places: 1 }] });

    const dean = await loginAs(t.app, 'dean@demo.test');
    expect((await dean.post(`/admin/mobility/calls/${callId}`, base)).statusCode).toBe(403);
    expect((await dean.post(`/admin/mobility/calls/${callId}/close`, {})).statusCode).toBe(403);

    const closed = await follow(admin, await admin.post(`/admin/mobility/calls/${callId}/close`, {}));
    expect(closed.body).toContain('Приём заявок на конкурс закрыт');
    expect((await t.store.get<{ deadline: string }>(sql`SELECT deadline FROM mobility_calls WHERE id = ${callId}`))!.deadline).toBe('2026-11-23');
    expect((await admin.post(`/admin/mobility/calls/${callId}/close`, {})).statusCode).toBe(409);
    const otherEmail = (await t.store.get<{ email: string }>(sql`SELECT u.email FROM group_memberships m JOIN groups g ON g.id = m.group_id
      JOIN users u ON u.id = m.student_id WHERE g.name = '1101' AND m.to_date IS NULL AND u.email <> 'student@demo.test' ORDER BY u.id LIMIT 1`))!.email;
    const other = await loginAs(t.app, otherEmail);
    const refused = await other.post(`/mobility/calls/${callId}/apply`, { motivation: 'Опоздал, но очень хочу.' });
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('Срок подачи заявок истёк');
    // The applicant's decision is still taken after the close.
    const appId = (await t.store.get<{ id: number }>(sql`SELECT id FROM mobility_applications WHERE call_id = ${callId}`))!.id;
    expect((await dean.post(`/admin/mobility/applications/${appId}/decision`, { decision: 'selected', reason: 'Первое место' })).statusCode).toBe(303);
  });
});
