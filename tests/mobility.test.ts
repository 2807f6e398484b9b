import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { sql } from 'drizzle-orm';
import { makeTestApp, loginAs, type TestApp, type Agent } from './helpers/app';
import { countOf, studentOfGroup } from './helpers/lookup';
import { DEMO_PARTNERS } from '../db/seed/mobility-partners';

let t: TestApp;
beforeAll(async () => { t = await makeTestApp(); });
afterAll(async () => { await t.close(); });

const count = (q: ReturnType<typeof sql>) => countOf(t.store, q);
const emailOf = async (id: number) => (await t.store.get<{ email: string }>(sql`SELECT email FROM users WHERE id = ${id}`))!.email;
const follow = async (a: Agent, res: { statusCode: number; headers: Record<string, unknown> }) => {
  expect(res.statusCode).toBe(303);
  return a.get(String(res.headers.location));
};
const partnerId = async () => (await t.store.get<{ id: number }>(sql`SELECT id FROM mobility_partners WHERE name_en LIKE 'I. M. Sechenov%'`))!.id;

/** The university administration opens a call for degree students of year 1 (1101, E101 are year 1). */
async function openCall(admin: Agent, o: { deadline: string; places1?: number; places2?: number; maxDebts?: string }): Promise<number> {
  const before = (await t.store.get<{ id: number | null }>(sql`SELECT max(id) AS id FROM mobility_calls`))?.id ?? 0;
  const res = await admin.post('/admin/mobility/calls', {
    partnerId: await partnerId(), fromDate: '2026-12-14', toDate: '2026-12-27', deadline: o.deadline, programme: 'degree', year: 1,
    places_1: o.places1 ?? 1, places_2: o.places2 ?? 1, w_average: 10, w_ratings: 5, w_unexcusedAbsence: 1, w_openDebt: 5, w_activity: 1,
    w_achievements: 1, w_maxOpenDebts: o.maxDebts ?? '',
  });
  expect(res.statusCode, res.body.slice(0, 300)).toBe(303);
  const id = (await t.store.get<{ id: number }>(sql`SELECT max(id) AS id FROM mobility_calls`))!.id;
  expect(id).toBeGreaterThan(before);
  return id;
}

describe('partner universities', () => {
  it('are seeded with the partners of the issue and kept by the university administration alone', async () => {
    expect(await count(sql`SELECT count(*) AS n FROM mobility_partners`)).toBe(DEMO_PARTNERS.length);
    const admin = await loginAs(t.app, 'admin@demo.test');
    const page = await admin.get('/admin/mobility');
    expect(page.body).toContain('Университет Нагасаки');
    expect(page.body).toContain('長崎大学');
    expect(page.body).toContain('id="new-partner"');
    const form = { nameOriginal: 'Гродненский государственный медицинский университет', nameRu: 'ГрГМУ', nameEn: 'Grodno State Medical University', country: 'by', agreementNumber: 'МС-2026/01', agreementFrom: '2026-09-01', agreementTo: '' };
    const dean = await loginAs(t.app, 'dean@demo.test');
    expect((await dean.get('/admin/mobility')).body).not.toContain('id="new-partner"');
    expect((await dean.post('/admin/mobility/partners', form)).statusCode).toBe(403);
    expect((await admin.post('/admin/mobility/partners', { ...form, country: 'Belarus' })).statusCode).toBe(422);
    expect((await admin.post('/admin/mobility/partners', { ...form, agreementTo: '2020-01-01' })).statusCode).toBe(422);
    expect(await count(sql`SELECT count(*) AS n FROM mobility_partners`)).toBe(DEMO_PARTNERS.length);
    const ok = await follow(admin, await admin.post('/admin/mobility/partners', form));
    expect(ok.body).toContain('Партнёр добавлен');
    expect(ok.body).toContain('ГрГМУ');
    const row = await t.store.get<{ country: string }>(sql`SELECT country FROM mobility_partners WHERE agreement_number = 'МС-2026/01'`);
    expect(row?.country).toBe('BY');
    expect(await count(sql`SELECT count(*) AS n FROM audit_log WHERE action = 'mobility_partner.create'`)).toBe(1);
    const dup = await admin.post('/admin/mobility/partners', form);
    expect(dup.statusCode).toBe(422);
    expect(dup.body).toContain('уже внесён');
  });
});

describe('a call, its applicants and the decisions', () => {
  it('refuses a call without places or with the deadline after the start, and a dean\'s office opening one', async () => {
    const admin = await loginAs(t.app, 'admin@demo.test');
    const calls = await count(sql`SELECT count(*) AS n FROM mobility_calls`);
    const base = { partnerId: await partnerId(), fromDate: '2026-12-14', toDate: '2026-12-27', programme: 'degree', year: 1, w_average: 10, w_ratings: 5, w_unexcusedAbsence: 1, w_openDebt: 5, w_activity: 1, w_achievements: 1 };
    expect((await admin.post('/admin/mobility/calls', { ...base, deadline: '2026-12-01', places_1: 0, places_2: 0 })).body).toContain('хотя бы одному факультету');
    expect((await admin.post('/admin/mobility/calls', { ...base, deadline: '2026-12-20', places_1: 1 })).statusCode).toBe(422);
    expect((await admin.post('/admin/mobility/calls', { ...base, deadline: '2026-12-01', places_1: 1, w_average: -1 })).statusCode).toBe(422);
    const dean = await loginAs(t.app, 'dean@demo.test');
    expect((await dean.post('/admin/mobility/calls', { ...base, deadline: '2026-12-01', places_1: 1 })).statusCode).toBe(403);
    expect(await count(sql`SELECT count(*) AS n FROM mobility_calls`)).toBe(calls);
  });

  it('students of the eligible groups apply once; each dean\'s office ranks and decides on its own faculty\'s applicants', async () => {
    const admin = await loginAs(t.app, 'admin@demo.test');
    const callId = await openCall(admin, { deadline: '2026-12-01' });
    const student = await loginAs(t.app, 'student@demo.test'); // 1101, faculty 1
    const fisId = await studentOfGroup(t.store, 'E101');
    const fis = await loginAs(t.app, await emailOf(fisId));
    const second = await loginAs(t.app, await emailOf(await studentOfGroup(t.store, '1201'))); // year 2: not eligible

    const page = await student.get('/mobility');
    expect(page.body).toContain(`id="apply-${callId}"`);
    expect((await second.get('/mobility')).body).not.toContain(`id="call-${callId}"`);
    expect((await student.post(`/mobility/calls/${callId}/apply`, { motivation: 'short' })).statusCode).toBe(422);
    const sent = await follow(student, await student.post(`/mobility/calls/${callId}/apply`, { motivation: 'Хочу пройти практику по хирургии в Москве.' }));
    expect(sent.body).toContain('Заявка отправлена');
    expect(sent.body).toContain('на рассмотрении');
    const again = await student.post(`/mobility/calls/${callId}/apply`, { motivation: 'Ещё раз, вдруг не дошло.' });
    expect(again.statusCode).toBe(409);
    const refused = await second.post(`/mobility/calls/${callId}/apply`, { motivation: 'Я тоже хочу поехать на практику.' });
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('не для вашей группы');
    expect((await fis.post(`/mobility/calls/${callId}/apply`, { motivation: 'I would like to train in Moscow.' })).statusCode).toBe(303);
    expect(await count(sql`SELECT count(*) AS n FROM mobility_applications WHERE call_id = ${callId}`)).toBe(2);
    expect(await count(sql`SELECT count(*) AS n FROM audit_log WHERE action = 'mobility_application.create'`)).toBe(2);
    // A student sees their own application only.
    expect((await student.get('/mobility')).body).not.toContain('I would like to train in Moscow.');
    // Nobody else applies on a student's behalf: a teacher or parent is refused as if the page did not exist.
    expect((await (await loginAs(t.app, 'parent@demo.test')).post(`/mobility/calls/${callId}/apply`, { motivation: 'От имени ребёнка.' })).statusCode).toBe(404);

    const lf = (await t.store.get<{ id: number }>(sql`SELECT a.id FROM mobility_applications a JOIN users u ON u.id = a.student_id WHERE a.call_id = ${callId} AND u.email = 'student@demo.test'`))!.id;
    const fe = (await t.store.get<{ id: number }>(sql`SELECT id FROM mobility_applications WHERE call_id = ${callId} AND student_id = ${fisId}`))!.id;
    const dean = await loginAs(t.app, 'dean@demo.test');
    const ranked = await dean.get(`/admin/mobility/calls/${callId}`);
    expect(ranked.statusCode).toBe(200);
    expect(ranked.body).toContain(`id="applicant-${lf}"`);
    expect(ranked.body).not.toContain(`id="applicant-${fe}"`);
    expect(ranked.body).not.toContain('I would like to train in Moscow.');
    for (const c of ['Средний балл', 'Рейтинги', 'Пропуски без уважительной причины', 'Задолженности', 'Активность', 'Достижения']) expect(ranked.body).toContain(c);
    const deanFis = await loginAs(t.app, 'dean-fis@demo.test');
    const fisPage = await deanFis.get(`/admin/mobility/calls/${callId}`);
    expect(fisPage.body).toContain(`id="applicant-${fe}"`);
    expect(fisPage.body).not.toContain(`id="applicant-${lf}"`);
    // Another faculty's applicant cannot be scored or decided on, whatever the id.
    expect((await deanFis.post(`/admin/mobility/applications/${lf}/decision`, { decision: 'selected', reason: 'чужой' })).statusCode).toBe(404);
    expect((await deanFis.post(`/admin/mobility/applications/${lf}/points`, { activityPoints: 9, achievementPoints: 9, note: 'чужой' })).statusCode).toBe(404);
    expect((await dean.post(`/admin/mobility/applications/${lf}/points`, { activityPoints: 4, achievementPoints: 2, note: '' })).statusCode).toBe(422);

    const scored = await follow(dean, await dean.post(`/admin/mobility/applications/${lf}/points`, { activityPoints: 4, achievementPoints: 2, note: 'СНО, конференция 2026' }));
    expect(scored.body).toContain('Баллы сохранены');
    expect(scored.body).toContain('4 × 1 = 4');
    expect((await dean.post(`/admin/mobility/applications/${lf}/decision`, { decision: 'selected', reason: '' })).statusCode).toBe(422);
    const decided = await follow(dean, await dean.post(`/admin/mobility/applications/${lf}/decision`, { decision: 'selected', reason: 'Первое место в рейтинге факультета' }));
    expect(decided.body).toContain('Решение записано');
    const audit = await t.store.get<{ reason: string; after: string }>(sql`SELECT reason, after FROM audit_log WHERE action = 'mobility_application.decide' AND entity_id = ${lf}`);
    expect(audit?.reason).toBe('Первое место в рейтинге факультета');
    expect(await count(sql`SELECT count(*) AS n FROM notifications WHERE kind = 'mobility' AND user_id = (SELECT id FROM users WHERE email = 'student@demo.test')`)).toBe(1);
    const mine = await student.get('/mobility');
    expect(mine.body).toContain('отобран(а)');
    expect(mine.body).toContain('Первое место в рейтинге факультета');
    expect((await student.get('/notifications')).body).toContain('вы отобраны на стажировку');
    // Staff pages of mobility do not exist for students.
    expect((await student.get(`/admin/mobility/calls/${callId}`)).statusCode).toBe(404);
  });

  it('a faculty\'s places bound its selections; a placement stays inside the call and must be cancelled before the selection is taken back', async () => {
    const admin = await loginAs(t.app, 'admin@demo.test');
    const callId = await openCall(admin, { deadline: '2026-12-01', places1: 1 });
    const others = await t.store.all<{ id: number }>(sql`SELECT m.student_id AS id FROM group_memberships m JOIN groups g ON g.id = m.group_id
      WHERE g.name = '1101' AND m.to_date IS NULL ORDER BY m.student_id LIMIT 2`);
    const ids: number[] = [];
    for (const o of others) {
      const res = await (await loginAs(t.app, await emailOf(o.id))).post(`/mobility/calls/${callId}/apply`, { motivation: 'Хочу пройти практику в Москве.' });
      expect(res.statusCode).toBe(303);
      ids.push((await t.store.get<{ id: number }>(sql`SELECT id FROM mobility_applications WHERE call_id = ${callId} AND student_id = ${o.id}`))!.id);
    }
    const dean = await loginAs(t.app, 'dean@demo.test');
    const decision = (id: number, d: string) => dean.post(`/admin/mobility/applications/${id}/decision`, { decision: d, reason: 'решение деканата' });
    const decisions = () => t.store.all<{ decision: string }>(sql`SELECT decision FROM mobility_applications WHERE call_id = ${callId} ORDER BY id`);
    expect((await decision(ids[0]!, 'selected')).statusCode).toBe(303);
    const full = await decision(ids[1]!, 'selected');
    expect(full.statusCode).toBe(409);
    expect(full.body).toContain('Все места факультета в этом наборе заняты');
    expect(await decisions()).toEqual([{ decision: 'selected' }, { decision: 'pending' }]);
    expect((await decision(ids[1]!, 'waitlisted')).statusCode).toBe(303);

    // The call runs 2026-12-14 to 2026-12-27: a placement outside it is refused, one inside recorded.
    const place = (from: string, to: string) => dean.post(`/admin/mobility/applications/${ids[0]}/placement`, { fromDate: from, toDate: to, orderNumber: '77-с' });
    const outside = await place('2026-12-14', '2027-06-30');
    expect(outside.statusCode).toBe(422);
    expect(outside.body).toContain('в пределах периода набора');
    expect(await count(sql`SELECT count(*) AS n FROM mobility_placements WHERE application_id = ${ids[0]}`)).toBe(0);
    expect((await place('2026-12-14', '2026-12-27')).statusCode).toBe(303);
    const taken = await decision(ids[0]!, 'declined');
    expect(taken.statusCode).toBe(409);
    expect(taken.body).toContain('сначала отмените её');
    expect((await decisions())[0]).toEqual({ decision: 'selected' });
    const placement = (await t.store.get<{ id: number }>(sql`SELECT id FROM mobility_placements WHERE application_id = ${ids[0]}`))!.id;
    expect((await dean.post(`/admin/mobility/placements/${placement}`, { action: 'cancel', reason: 'студент отказался' })).statusCode).toBe(303);
    expect((await decision(ids[0]!, 'declined')).statusCode).toBe(303);
    // The place is free again.
    expect((await decision(ids[1]!, 'selected')).statusCode).toBe(303);
  });

  it('after the deadline nobody can apply', async () => {
    const admin = await loginAs(t.app, 'admin@demo.test');
    const callId = await openCall(admin, { deadline: '2026-11-23' }); // the test day is 2026-11-24
    const student = await loginAs(t.app, 'student@demo.test');
    expect((await student.get('/mobility')).body).not.toContain(`id="call-${callId}"`);
    const res = await student.post(`/mobility/calls/${callId}/apply`, { motivation: 'Опоздал, но очень хочу.' });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('Срок подачи заявок истёк');
    expect(await count(sql`SELECT count(*) AS n FROM mobility_applications WHERE call_id = ${callId}`)).toBe(0);
  });
});
