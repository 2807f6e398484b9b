// Issue 15: e-mail that reaches parents, against a real SMTP server on loopback (smtp-server), never a
// mock transport. The app's clock is fixed; each test drains the sender itself, as the timer would.
import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import { sql, type SQLWrapper } from 'drizzle-orm';
import { makeTestApp, loginAs, userId, agent, type TestApp, type Agent } from './helpers/app';
import { courseOf } from './helpers/lookup';
import { TEST_NOW, TEST_TODAY } from './helpers/constants';
import { startSmtp, type TestSmtp, type Received } from './helpers/smtp';
import { createPairingCode, redeemPairingCode } from '../db/queries/guardians';
import { enqueueTestMessage, mailModes, outboxRow, recipientOf } from '../db/queries/mail';

let smtp: TestSmtp;
beforeAll(async () => { smtp = await startSmtp(); });
afterAll(async () => { await smtp.close(); });
beforeEach(() => smtp.reset());

const apps: TestApp[] = [];
afterAll(async () => { for (const a of apps) await a.close(); });

type World = { t: TestApp; student: number; parent: number; tp: number; course: number; lesson: number; teacher: Agent };

/** An app with e-mail on; parent@ (full link) and teacher-parent@ (an attendance-only link) both watch student@. */
async function world(): Promise<World> {
  const t = await makeTestApp({ env: { SMTP_URL: smtp.url, MAIL_FROM: 'Zachetka <journal@bsmu.test>' } });
  apps.push(t);
  const student = await userId(t.store, 'student@demo.test');
  const parent = await userId(t.store, 'parent@demo.test');
  const tp = await userId(t.store, 'teacher-parent@demo.test');
  const code = await createPairingCode(t.store, student, 'attendance', { id: student, role: 'student', ip: null }, TEST_NOW);
  expect((await redeemPairingCode(t.store, code, { id: tp, role: 'guardian', ip: null }, TEST_NOW)).ok).toBe(true);
  const course = await courseOf(t.store, 'Human Anatomy', '1101');
  const lesson = (await t.store.get<{ id: number }>(sql`SELECT l.id FROM lessons l JOIN groups g ON g.id = l.group_id
    WHERE l.course_id = ${course} AND g.name = '1101' AND l.date = ${TEST_TODAY}`))!.id;
  return { t, student, parent, tp, course, lesson, teacher: await loginAs(t.app, 'teacher@demo.test') };
}

const drain = (w: World) => w.t.app.mail!.drain();
const to = (address: string) => smtp.inbox.filter((m) => m.to === address);
const pathOf = (url: string) => { const u = new URL(url); return u.pathname + u.search; };
const linkIn = (m: Received, path: string) => new RegExp(`https?://\\S+${path}\\?\\S+`).exec(m.text)?.[0];

async function write(w: World, value: string) {
  const v = async (table: 'attendance' | 'marks') => (await w.t.store.get<{ version: number }>(sql`SELECT version FROM ${sql.raw(table)}
    WHERE lesson_id = ${w.lesson} AND student_id = ${w.student}`))?.version ?? 0;
  const res = await w.teacher.post(`/courses/${w.course}/cells`, { lessonId: w.lesson, studentId: w.student, value, av: await v('attendance'), mv: await v('marks'), reason: 'проверка' });
  expect(res.statusCode).toBe(200);
}

/** The whole confirmation: ask on the account page, get the link by mail, follow it without logging in. */
async function confirm(w: World, email: string): Promise<Agent> {
  const a = await loginAs(w.t.app, email);
  expect((await a.post('/account/mail/confirm', {})).statusCode).toBe(303);
  await drain(w);
  const mail = to(email).at(-1)!;
  expect(mail.subject).toMatch(/подтвердите|confirm/i);
  const url = linkIn(mail, '/mail/confirm')!;
  const anon = agent(w.t.app);
  expect((await anon.get(pathOf(url))).body).toContain('<form method="post"'); // opening the link changes nothing
  expect((await recipientOf(w.t.store, await userId(w.t.store, email)))!.confirmedAt).toBeNull();
  const done = await w.t.app.inject({ method: 'POST', url: pathOf(url) });
  expect(done.statusCode).toBe(200);
  expect(done.body).toContain('id="mail-confirmed"');
  return a;
}

const q = <T>(w: World, query: SQLWrapper) => w.t.store.get<T>(query) as Promise<T>;

describe('confirmation comes first', () => {
  it('nothing but the link goes to an unconfirmed address, and an altered link confirms nothing', async () => {
    const w = await world();
    const parent = await loginAs(w.t.app, 'parent@demo.test');
    expect((await parent.get('/account')).body).toMatch(/id="mail-state" data-state="none"/);
    expect((await parent.post('/account/mail/confirm', {})).statusCode).toBe(303);
    await write(w, '7');
    await drain(w);
    const got = to('parent@demo.test');
    expect(got.map((m) => m.subject)).toEqual(['Зачётка: подтвердите адрес электронной почты']);
    expect(got[0].text).not.toContain('оценка');
    const url = new URL(linkIn(got[0], '/mail/confirm')!);
    const forged = new URL(url);
    forged.searchParams.set('t', url.searchParams.get('t')!.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')));
    const other = new URL(url);
    other.searchParams.set('u', String(w.tp)); // the parent's token for another account
    for (const bad of [forged, other]) {
      const res = await w.t.app.inject({ method: 'POST', url: bad.pathname + bad.search });
      expect(res.statusCode).toBe(403);
      expect(res.body).toContain('id="mail-link-bad"');
    }
    expect((await recipientOf(w.t.store, w.parent))!.confirmedAt).toBeNull();
    expect(await recipientOf(w.t.store, w.tp)).toBeUndefined();
    expect((await w.t.app.inject({ method: 'POST', url: url.pathname + url.search })).statusCode).toBe(200);
    expect((await recipientOf(w.t.store, w.parent))!.confirmedAt).toBe(TEST_NOW);
    expect((await parent.get('/account')).body).toMatch(/id="mail-state" data-state="confirmed"/);
  });
});

describe('what is sent, to whom', () => {
  it("a teacher's mark reaches the full-scope parent in Russian, text and HTML, with one-click unsubscribe; never the attendance-only one", async () => {
    const w = await world();
    await confirm(w, 'parent@demo.test');
    await confirm(w, 'teacher-parent@demo.test');
    smtp.inbox.length = 0;
    await write(w, '8');
    await drain(w);
    const mails = to('parent@demo.test');
    expect(mails).toHaveLength(1);
    const m = mails[0];
    expect(m.subject).toMatch(/^Зачётка, .+: Анатомия человека, .+: оценка 8$/);
    expect(m.text).toContain('оценка 8');
    expect(m.html).toContain('оценка 8');
    expect(m.html).toContain('<html lang="ru">');
    expect(m.header('List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(m.header('List-Unsubscribe')).toMatch(/^<http:\/\/\S+\/mail\/unsubscribe\?u=\d+&k=mark&t=[\w-]+>$/);
    expect(m.messageId).toMatch(/^<notice:\d+@bsmu\.test>$/);
    expect(to('teacher-parent@demo.test')).toEqual([]);
  });

  it("digests go at 19:00 on each recipient's clock (Kolkata, then New York), grouped by child, and the attendance-only one carries no mark", async () => {
    const w = await world();
    const parent = await confirm(w, 'parent@demo.test');
    const tp = await confirm(w, 'teacher-parent@demo.test');
    await w.t.store.run(sql`UPDATE users SET time_zone = 'America/New_York' WHERE id = ${w.parent}`);
    await w.t.store.run(sql`UPDATE users SET time_zone = 'Asia/Kolkata' WHERE id = ${w.tp}`);
    const daily = { mode_mark: 'daily', mode_absence: 'daily', mode_admission: 'daily', mode_dispute: 'daily', digestHour: '19' };
    expect((await parent.post('/account/mail', daily)).statusCode).toBe(303);
    expect((await tp.post('/account/mail', daily)).statusCode).toBe(303);
    await drain(w); // the windows open now (14:30 in Kolkata, 04:00 in New York)
    smtp.inbox.length = 0;
    await write(w, '3');
    await write(w, 'н');
    await drain(w);
    expect(smtp.inbox).toEqual([]); // nothing at once

    const kolkata19 = Date.parse('2026-11-24T13:30:00Z');
    w.t.setNow(kolkata19 - 60_000);
    await drain(w);
    expect(smtp.inbox).toEqual([]);
    w.t.setNow(kolkata19);
    await drain(w);
    expect(smtp.inbox.map((m) => m.to)).toEqual(['teacher-parent@demo.test']);
    const d = smtp.inbox[0];
    expect(d.subject).toBe('Зачётка: новое за день');
    expect(d.text).toMatch(/Анатомия человека[\s\S]*пропуск/);
    expect(d.text).toMatch(/^(\S+ ){1,2}\S+\n  Анатомия человека\n    - /m); // the child's name, the course, the lines
    for (const part of [d.text, d.html]) expect(part).not.toMatch(/оценк|допуск|\b3\b/);

    const newYork19 = Date.parse('2026-11-25T00:00:00Z');
    w.t.setNow(newYork19 - 60_000);
    await drain(w);
    expect(to('parent@demo.test')).toEqual([]);
    w.t.setNow(newYork19);
    await drain(w);
    const p = to('parent@demo.test');
    expect(p).toHaveLength(1);
    expect(p[0].text).toContain('оценка 3');
    expect(p[0].text).toContain('пропуск');
    expect(p[0].html).toContain('оценка 3');

    // A day with nothing new: no digest.
    w.t.setNow(newYork19 + 86_400_000);
    await drain(w);
    expect(smtp.inbox).toHaveLength(2);
  });

  it('a revoked link stops a message already queued', async () => {
    const w = await world();
    await confirm(w, 'parent@demo.test');
    const student = await loginAs(w.t.app, 'student@demo.test');
    smtp.inbox.length = 0;
    smtp.answer = (address) => (address === 'parent@demo.test' ? { code: 451, message: 'try later' } : null);
    await write(w, '9');
    await drain(w);
    const row = await q<{ state: string; attempts: number }>(w, sql`SELECT state, attempts FROM mail_outbox WHERE kind = 'notice' AND user_id = ${w.parent}`);
    expect(row).toMatchObject({ state: 'queued', attempts: 1 });
    const link = (await q<{ id: number }>(w, sql`SELECT id FROM guardian_links WHERE guardian_id = ${w.parent} AND student_id = ${w.student} AND revoked_at IS NULL`)).id;
    expect((await student.post(`/students/${w.student}/guardians/${link}/revoke`, {})).statusCode).toBe(303);
    smtp.answer = () => null;
    w.t.setNow(TEST_NOW + 10 * 60_000);
    await drain(w);
    expect(to('parent@demo.test')).toEqual([]);
    expect((await q<{ state: string }>(w, sql`SELECT state FROM mail_outbox WHERE kind = 'notice' AND user_id = ${w.parent}`)).state).toBe('dropped');
  });
  it('a disabled account is mailed nothing more, queued messages included', async () => {
    const w = await world();
    await confirm(w, 'parent@demo.test');
    smtp.reset();
    smtp.answer = () => ({ code: 421, message: 'service not available' });
    await write(w, '7');
    await drain(w);
    expect((await q<{ state: string }>(w, sql`SELECT state FROM mail_outbox WHERE kind = 'notice' AND user_id = ${w.parent}`)).state).toBe('queued');
    await w.t.store.run(sql`UPDATE users SET disabled = ${true} WHERE id = ${w.parent}`);
    smtp.answer = () => null;
    w.t.setNow(TEST_NOW + 10 * 60_000);
    await drain(w);
    expect(to('parent@demo.test')).toEqual([]);
    expect((await q<{ state: string; lastError: string }>(w, sql`SELECT state, last_error AS "lastError" FROM mail_outbox WHERE kind = 'notice' AND user_id = ${w.parent}`)))
      .toEqual({ state: 'dropped', lastError: 'account disabled' });
  });
});

describe('delivery', () => {
  it('connection refused is temporary: the message waits and is tried again later', async () => {
    const t = await makeTestApp({ env: { SMTP_URL: 'smtp://127.0.0.1:9', MAIL_FROM: 'journal@bsmu.test' } });
    apps.push(t);
    await enqueueTestMessage(t.store, 'someone@example.org', 'en', 'refused', TEST_NOW);
    await t.app.mail!.drain();
    const row = await outboxRow(t.store, 'test:refused');
    expect(row).toMatchObject({ state: 'queued', attempts: 1 });
    expect(row!.lastError).toMatch(/ECONNREFUSED/);
  });

  it('451, then accepted: delivered once, after the backoff', async () => {
    const w = await world();
    await confirm(w, 'parent@demo.test');
    smtp.inbox.length = 0;
    smtp.answer = (address, n) => (address === 'parent@demo.test' && n === 2 ? { code: 451, message: '4.7.1 greylisted' } : null);
    await write(w, '6');
    await drain(w);
    expect(to('parent@demo.test')).toEqual([]);
    await drain(w); // not due yet
    expect(to('parent@demo.test')).toEqual([]);
    w.t.setNow(TEST_NOW + 61_000);
    await drain(w);
    await drain(w);
    expect(to('parent@demo.test').map((m) => m.subject)).toEqual([expect.stringContaining('оценка 6')]);
    expect(await q<{ state: string; attempts: number }>(w, sql`SELECT state, attempts FROM mail_outbox WHERE kind = 'notice' AND user_id = ${w.parent}`))
      .toMatchObject({ state: 'sent', attempts: 2 });
  });

  it('550 marks the address failing, shown to the user and to the dean\'s office', async () => {
    const w = await world();
    const parent = await confirm(w, 'parent@demo.test');
    smtp.answer = (address) => (address === 'parent@demo.test' ? { code: 550, message: '5.1.1 no such mailbox' } : null);
    await write(w, '5');
    await drain(w);
    expect((await q<{ state: string }>(w, sql`SELECT state FROM mail_outbox WHERE kind = 'notice' AND user_id = ${w.parent}`)).state).toBe('failed');
    expect((await recipientOf(w.t.store, w.parent))!.failingReason).toContain('no such mailbox');
    expect((await parent.get('/account')).body).toMatch(/id="mail-state" data-state="failing" class="error-box">[^<]*no such mailbox/);
    const dean = await loginAs(w.t.app, 'dean@demo.test');
    const page = (await dean.get(`/students/${w.student}/guardians`)).body;
    expect(page).toMatch(/parent@demo\.test<\/small> · <small class="mail-state mail-failing">/);
    // Nothing more is tried there.
    smtp.answer = () => null;
    await write(w, '4');
    w.t.setNow(TEST_NOW + 3_600_000);
    await drain(w);
    expect(to('parent@demo.test').filter((m) => /оценка/.test(m.subject))).toEqual([]);
  });
});

describe('unsubscribe', () => {
  it('the one-click link stops that kind, without logging in; an altered one changes nothing', async () => {
    const w = await world();
    await confirm(w, 'parent@demo.test');
    smtp.inbox.length = 0;
    await write(w, '8');
    await drain(w);
    const url = new URL(linkIn(to('parent@demo.test')[0], '/mail/unsubscribe')!);
    expect(url.searchParams.get('k')).toBe('mark');
    const altered = new URL(url);
    altered.searchParams.set('k', 'absence');
    const forged = await w.t.app.inject({ method: 'POST', url: altered.pathname + altered.search, payload: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(forged.statusCode).toBe(403);
    expect((await mailModes(w.t.store, w.parent)).absence).toBe('instant');
    // RFC 8058: the mail client POSTs the URL with this body; no cookie, no CSRF token.
    const res = await w.t.app.inject({ method: 'POST', url: url.pathname + url.search, payload: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('id="mail-unsubscribed"');
    expect(await mailModes(w.t.store, w.parent)).toMatchObject({ mark: 'off', absence: 'instant' });
    smtp.inbox.length = 0;
    await write(w, '9');
    await write(w, 'н');
    await drain(w);
    const after = to('parent@demo.test').map((m) => m.subject);
    expect(after.some((s) => s.includes('оценка'))).toBe(false);
    expect(after.some((s) => s.includes('пропуск'))).toBe(true);
  });
});
