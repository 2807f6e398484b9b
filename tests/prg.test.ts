// Issue 14, item 2: every form answers 303 to a page that can be reloaded, bookmarked and shown in the
// other language; a form sent twice (its one-time token) acts once; the forms' addresses opened
// directly answer a real page.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { sql } from 'drizzle-orm';
import { makeTestApp, loginAs, userId, type TestApp, type Agent } from './helpers/app';
import { courseOf } from './helpers/lookup';
import { TEST_TODAY } from './helpers/constants';
import { setTermLock } from '../db/queries/admin-terms';

let t: TestApp;
let student: Agent;
let teacher: Agent;
let admin: Agent;
let studentId: number;
let course: number;
let lesson: number;

const count = async (q: ReturnType<typeof sql>) => (await t.store.get<{ n: number }>(q))!.n;
const tokenIn = (body: string, action: string) => {
  const form = body.split('<form').find((f) => f.includes(`action="${action}"`));
  return /name="ft" value="([^"]+)"/.exec(form ?? '')?.[1];
};
const follow = async (a: Agent, res: { statusCode: number; headers: Record<string, unknown> }) => {
  expect(res.statusCode).toBe(303);
  return a.get(String(res.headers.location));
};

beforeAll(async () => {
  t = await makeTestApp();
  course = await courseOf(t.store, 'Human Anatomy', '1101');
  studentId = await userId(t.store, 'student@demo.test');
  lesson = (await t.store.get<{ id: number }>(sql`SELECT l.id FROM lessons l JOIN groups g ON g.id = l.group_id WHERE l.course_id = ${course}
    AND g.name = '1101' AND l.date < ${TEST_TODAY} AND l.cancelled = ${false} ORDER BY l.date DESC LIMIT 1`))!.id;
  student = await loginAs(t.app, 'student@demo.test');
  teacher = await loginAs(t.app, 'teacher@demo.test');
  admin = await loginAs(t.app, 'admin@demo.test');
});
afterAll(async () => { await t.close(); });

describe('a dispute', () => {
  it('answers 303 to the course page with the message; sent again with the same token it is one dispute', async () => {
    const page = await student.get(`/students/${studentId}/courses/${course}`);
    const ft = tokenIn(page.body, `/students/${studentId}/courses/${course}/disputes`);
    expect(ft).toBeTruthy();
    const before = await count(sql`SELECT count(*) AS n FROM disputes WHERE student_id = ${studentId}`);
    const form = { lessonId: lesson, subject: 'mark', comment: 'The mark is not mine', ft: ft! };
    const first = await student.post(`/students/${studentId}/courses/${course}/disputes`, form);
    const shown = await follow(student, first);
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain('Апелляция отправлена');
    const again = await student.post(`/students/${studentId}/courses/${course}/disputes`, form);
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toBe(`${first.headers.location}&again=1`); // the first outcome, saying it was a repeat
    expect(await count(sql`SELECT count(*) AS n FROM disputes WHERE student_id = ${studentId}`)).toBe(before + 1);
    // A reload of the answer is a GET: nothing new either.
    await student.get(String(first.headers.location));
    expect(await count(sql`SELECT count(*) AS n FROM disputes WHERE student_id = ${studentId}`)).toBe(before + 1);
  });

  it("someone else's spent token neither replays their outcome nor acts", async () => {
    const page = await student.get(`/students/${studentId}/courses/${course}`);
    const ft = tokenIn(page.body, `/students/${studentId}/courses/${course}/disputes`)!;
    const form = { lessonId: lesson, subject: 'mark', comment: 'Second dispute, own token', ft };
    const mine = await student.post(`/students/${studentId}/courses/${course}/disputes`, form);
    expect(mine.statusCode).toBe(303);
    const auditBefore = await count(sql`SELECT count(*) AS n FROM audit_log`);
    const res = await teacher.post(`/courses/${course}/lessons/${lesson}/all-present`, { ft, reason: 'stolen token' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).not.toBe(mine.headers.location);
    expect(await count(sql`SELECT count(*) AS n FROM audit_log`)).toBe(auditBefore);
  });

  it('answering it redirects to the list with the message; the answer sent again changes nothing', async () => {
    const d = (await t.store.get<{ id: number }>(sql`SELECT id FROM disputes WHERE student_id = ${studentId} AND status = 'open' ORDER BY id DESC LIMIT 1`))!;
    const list = await teacher.get('/disputes');
    const ft = tokenIn(list.body, `/disputes/${d.id}`)!;
    const form = { decision: 'rejected', answer: 'The mark stands', ft };
    const first = await teacher.post(`/disputes/${d.id}`, form);
    expect((await follow(teacher, first)).body).toContain('Апелляция закрыта');
    const auditBefore = await count(sql`SELECT count(*) AS n FROM audit_log`);
    const again = await teacher.post(`/disputes/${d.id}`, form);
    expect(again.statusCode).toBe(303); // the first outcome, not "conflict"
    expect(await count(sql`SELECT count(*) AS n FROM audit_log`)).toBe(auditBefore);
  });
});

describe('a pairing code', () => {
  it('stays visible after the redirect, a reload and a language switch, and not once it is used', async () => {
    const res = await student.post(`/students/${studentId}/guardians/codes`, { scope: 'attendance' });
    const page = await follow(student, res);
    const code = /id="pairing-code"[^>]*>[^<]*?([A-Z0-9]{5}-[A-Z0-9]{5})/.exec(page.body)?.[1];
    expect(code).toBeTruthy();
    expect((await student.get(String(res.headers.location))).body).toContain(code!);
    const lang = await student.post('/lang', { lang: 'en', back: String(res.headers.location) });
    const en = await follow(student, lang);
    expect(en.statusCode).toBe(200);
    expect(en.body).toContain(code!);
    await student.post('/lang', { lang: 'ru', back: '/' });
    // Another student's page never shows it; once redeemed it is gone.
    const parent = await loginAs(t.app, 'parent@demo.test');
    expect((await parent.post('/guardian/link', { code: code! })).statusCode).toBe(303);
    expect((await student.get(`/students/${studentId}/guardians`)).body).not.toContain(code!);
  });
});

describe('the forms’ addresses opened directly', () => {
  it.each([
    () => [student, `/students/${studentId}/courses/${course}/disputes`, 200],
    () => [student, `/students/${studentId}/guardians/codes`, 303],
    () => [teacher, `/courses/${course}/lessons/${lesson}/all-present`, 303],
    () => [admin, '/admin/terms/1/lock', 200],
    () => [admin, '/admin/import/apply', 303],
  ] as (() => [Agent, string, number])[])('%#', async (c) => {
    const [a, url, status] = c();
    const res = await a.get(url);
    expect(res.statusCode).toBe(status);
    if (status === 303) expect((await a.get(String(res.headers.location))).statusCode).toBe(200);
  });

  it('an open dispute’s address leads to the list', async () => {
    const d = (await t.store.get<{ id: number }>(sql`SELECT id FROM disputes ORDER BY id DESC LIMIT 1`))!;
    const res = await teacher.get(`/disputes/${d.id}`);
    expect(res.statusCode).toBe(303);
    expect(String(res.headers.location)).toMatch(/^\/disputes/);
  });
});

describe('everyone present on a lesson', () => {
  it('redirects to the lesson with the count; the same form again writes nothing', async () => {
    const today = (await t.store.get<{ id: number }>(sql`SELECT l.id FROM lessons l JOIN groups g ON g.id = l.group_id WHERE l.course_id = ${course}
      AND g.name = '1101' AND l.date = ${TEST_TODAY} AND l.cancelled = ${false} LIMIT 1`))!.id;
    const page = await teacher.get(`/courses/${course}/lessons/${today}`);
    const ft = tokenIn(page.body, `/courses/${course}/lessons/${today}/all-present`);
    expect(ft).toBeTruthy();
    const first = await teacher.post(`/courses/${course}/lessons/${today}/all-present`, { ft: ft! });
    expect(String(first.headers.location)).toMatch(/done=markedPresent&n=\d+/);
    expect((await follow(teacher, first)).statusCode).toBe(200);
    const auditBefore = await count(sql`SELECT count(*) AS n FROM audit_log`);
    const again = await teacher.post(`/courses/${course}/lessons/${today}/all-present`, { ft: ft! });
    expect(again.headers.location).toBe(`${first.headers.location}&again=1`); // the first outcome, saying it was a repeat
    expect(await count(sql`SELECT count(*) AS n FROM audit_log`)).toBe(auditBefore);
  });
});

describe('locking a term', () => {
  it('redirects to the terms page with the message; sent twice, it is one audit row', async () => {
    const term = (await t.store.tx((tx) => tx.get<{ id: number }>(sql`INSERT INTO terms (name_ru, name_en, starts_on, ends_on) VALUES ('т', 't', '2031-02-01', '2031-06-30') RETURNING id`)))!.id;
    const form = { reason: 'End of term', confirm: '1', ft: 'A'.repeat(24) };
    const first = await admin.post(`/admin/terms/${term}/lock`, form);
    expect(first.statusCode).toBe(303);
    const again = await admin.post(`/admin/terms/${term}/lock`, form);
    expect(again.headers.location).toBe(`${first.headers.location}&again=1`); // the first outcome, saying it was a repeat
    expect(await count(sql`SELECT count(*) AS n FROM audit_log WHERE entity = 'term' AND entity_id = ${term}`)).toBe(1);
  });
});

describe('undoing everyone present', () => {
  it('is offered for a minute and takes back only the entries it wrote and nobody changed since', async () => {
    const l = (await t.store.get<{ id: number }>(sql`SELECT l.id FROM lessons l JOIN groups g ON g.id = l.group_id WHERE l.course_id = ${course}
      AND g.name = '1101' AND l.date < ${TEST_TODAY} AND l.cancelled = ${false} ORDER BY l.date LIMIT 1`))!.id;
    // A lesson with no entries yet: clear it first, as a teacher with a reason would.
    await t.store.tx((tx) => tx.run(sql`UPDATE attendance SET status = NULL WHERE lesson_id = ${l}`));
    const present = async () => (await t.store.get<{ n: number }>(sql`SELECT count(*) AS n FROM attendance WHERE lesson_id = ${l} AND status = 'present'`))!.n;
    const done = await teacher.post(`/courses/${course}/lessons/${l}/all-present`, { reason: 'Отмечено по списку' });
    expect(done.statusCode).toBe(303);
    const marked = await present();
    expect(marked).toBeGreaterThan(5);
    const page = await teacher.get(String(done.headers.location));
    expect(page.body).toContain('id="undo-present"');
    const at = /name="at" value="(\d+)"/.exec(page.body)![1]!;
    // Someone changes one entry in between: the undo leaves it alone.
    const one = (await t.store.get<{ studentId: number; version: number }>(sql`SELECT student_id AS "studentId", version FROM attendance WHERE lesson_id = ${l} AND status = 'present' LIMIT 1`))!;
    t.setNow(Number(at) + 5_000);
    expect((await teacher.post(`/courses/${course}/cells`, { lessonId: l, studentId: one.studentId, value: 'о', av: one.version, mv: 0, reason: 'Опоздал' })).statusCode).toBe(200);
    const undo = await teacher.post(`/courses/${course}/lessons/${l}/all-present/undo`, { at });
    expect(undo.statusCode).toBe(303);
    expect(String(undo.headers.location)).toContain(`done=undone&n=${marked - 1}`);
    expect(await present()).toBe(0);
    expect((await t.store.get<{ status: string }>(sql`SELECT status FROM attendance WHERE lesson_id = ${l} AND student_id = ${one.studentId}`))!.status).toBe('late');
    // After a minute there is nothing to undo, and the page no longer offers it.
    const again = await teacher.post(`/courses/${course}/lessons/${l}/all-present`, { reason: 'Ещё раз' });
    const at2 = /at=(\d+)/.exec(String(again.headers.location))![1]!;
    t.setNow(Number(at2) + 61_000);
    expect((await teacher.get(String(again.headers.location))).body).not.toContain('id="undo-present"');
    const late = await teacher.post(`/courses/${course}/lessons/${l}/all-present/undo`, { at: at2 });
    expect(late.statusCode).toBe(422);
    expect(late.body).toContain('прошла минута');
    expect(await present()).toBeGreaterThan(5);
    // Someone else cannot undo a teacher's batch (the policy), and a student not at all.
    expect((await student.post(`/courses/${course}/lessons/${l}/all-present/undo`, { at: at2 })).statusCode).toBe(404);
  });

  it('is refused once the term was locked within the minute, and the entries stay', async () => {
    const l = (await t.store.get<{ id: number }>(sql`SELECT l.id FROM lessons l JOIN groups g ON g.id = l.group_id WHERE l.course_id = ${course}
      AND g.name = '1101' AND l.date < ${TEST_TODAY} AND l.cancelled = ${false} ORDER BY l.date LIMIT 1 OFFSET 1`))!.id;
    await t.store.tx((tx) => tx.run(sql`UPDATE attendance SET status = NULL WHERE lesson_id = ${l}`));
    const done = await teacher.post(`/courses/${course}/lessons/${l}/all-present`, { reason: 'Отмечено по списку' });
    const at = /at=(\d+)/.exec(String(done.headers.location))![1]!;
    const present = async () => (await t.store.get<{ n: number }>(sql`SELECT count(*) AS n FROM attendance WHERE lesson_id = ${l} AND status = 'present'`))!.n;
    const marked = await present();
    expect(marked).toBeGreaterThan(5);
    const term = (await t.store.get<{ id: number }>(sql`SELECT term_id AS id FROM courses WHERE id = ${course}`))!.id;
    const admin = { id: await userId(t.store, 'admin@demo.test'), role: 'admin', ip: null };
    await t.store.tx((tx) => setTermLock(tx, term, true, 'Сессия', admin, t.app.clock()));
    try {
      t.setNow(Number(at) + 5_000);
      const undo = await teacher.post(`/courses/${course}/lessons/${l}/all-present/undo`, { at });
      expect(undo.statusCode).toBe(403); // a locked term's course is no longer the teacher's to change (the policy)
      expect(undo.body).toContain('Вам нельзя изменять этот журнал.');
      expect(await present()).toBe(marked);
    } finally {
      await t.store.tx((tx) => setTermLock(tx, term, false, 'Проверка окончена', admin, t.app.clock()));
    }
  });
});

describe('a one-time password link', () => {
  it('stays on the card after the redirect, a reload and a language switch, and is gone once used', async () => {
    const teacher2 = await userId(t.store, 'teacher2@demo.test');
    const sent = await admin.post(`/admin/people/${teacher2}/reset`, {});
    expect(sent.statusCode).toBe(303);
    const where = String(sent.headers.location);
    const link = /(\/reset\/[A-Za-z0-9_-]+)/.exec((await admin.get(where)).body)?.[1];
    expect(link).toBeTruthy();
    expect((await admin.get(where)).body).toContain(link!);
    const en = await admin.get(String((await admin.post('/lang', { lang: 'en', back: where })).headers.location));
    expect(en.body).toContain(link!);
    await admin.post('/lang', { lang: 'ru', back: '/' });
    // Another person's card never shows it.
    expect((await admin.get(`/admin/people/${studentId}?done=linkCreated`)).body).not.toContain(link!);
    const { agent } = await import('./helpers/app');
    const stranger = agent(t.app);
    await stranger.get(link!);
    expect((await stranger.post(link!, { next: 'a-brand-new-password-1', repeat: 'a-brand-new-password-1' })).statusCode).toBe(303);
    expect((await admin.get(where)).body).not.toContain(link!);
  });
});

describe('the language switch on a refused form', () => {
  it('goes back to the page the form was on (the Referer on this site), not to the POST address', async () => {
    const own = `${t.app.config.publicUrl}/admin/structure`;
    const refused = await admin.post('/admin/faculties', { code: '', nameRu: '', nameEn: '' }, { referer: own });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('name="back" value="/admin/structure"');
    const foreign = await admin.post('/admin/faculties', { code: '', nameRu: '', nameEn: '' }, { referer: 'https://evil.example/admin/x' });
    expect(foreign.body).toContain('name="back" value="/admin/faculties"');
  });
});
