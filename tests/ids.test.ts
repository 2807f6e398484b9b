// Ids are plain decimals (issue 10, "also noticed" A): Number() read '0x12', '18.0', '1e1', '+18', '018' and
// ' 18' as 18, so /students/0x12 opened /students/18. Every route reads ids through server/params.ts.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import WebSocket from 'ws';
import { sql } from 'drizzle-orm';
import { makeTestApp, userId, type TestApp } from './helpers/app';
import { clientFor, type Client } from './helpers/session';
import { loadFixtures, type Fixtures } from './helpers/routes';
import { startServer, type LiveServer } from './helpers/browser';
import { createSession, generateSessionToken } from '../server/auth/session';
import { Id, parseId } from '../server/params';
import { OptionalId } from '../server/forms';
import { TEST_NOW } from './helpers/constants';

/** Other spellings of the id n that Number() (and so z.coerce.number) accepted. */
const aliases = (n: number) => [
  `0x${n.toString(16)}`, `${n}.0`, `${n}.`, `${n}e0`, `${n / 10}e1`, `+${n}`, `0${n}`, `00${n}`, `%20${n}`, `${n}%20`,
  `${n}abc`, `${n}%00`, `-${n}`, `0b${n.toString(2)}`, `0o${n.toString(8)}`, `${n},0`, `${n}_0`, '0', '-0', 'Infinity', 'NaN',
  '9007199254740993', '99999999999999999999', '%EF%BC%91%EF%BC%98' /* fullwidth digits */,
];

let t: TestApp;
let f: Fixtures;
let admin: Client;
let teacher: Client;
beforeAll(async () => {
  t = await makeTestApp();
  f = await loadFixtures(t.store);
  admin = await clientFor(t.app, t.store, 'admin@demo.test');
  teacher = await clientFor(t.app, t.store, 'teacher@demo.test');
});
afterAll(async () => { await t.close(); });

describe('the id helper', () => {
  it('reads only plain decimal ids within the range a table holds (PostgreSQL integer)', () => {
    for (const ok of ['1', '18', '2147483647', 2147483647, 18]) expect(parseId(ok), String(ok)).toBe(Number(ok));
    for (const bad of ['0x12', '18.0', '1e1', '+18', '018', ' 18', '18 ', '18abc', '-18', '0', '', '2147483648', 2147483648, '9999999999999', '9007199254740992', '１８', 18.5, 0, -1, NaN, null, undefined, ['18']]) {
      expect(parseId(bad), JSON.stringify(bad)).toBeNull();
      expect(Id.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    expect(OptionalId.parse('')).toBeNull();
    expect(OptionalId.parse('7')).toBe(7);
    expect(OptionalId.safeParse('07').success).toBe(false);
  });
});

describe('an id in the path', () => {
  it('opens /students/N and refuses every other spelling of N with 404', async () => {
    const n = f.studentAtDemo;
    expect((await admin.get(`/students/${n}`)).statusCode).toBe(200);
    for (const alias of [...aliases(n), '0x12', '18.0', '1e1', '+18', '018', '%2018', '18abc']) {
      const res = await admin.get(`/students/${alias}`);
      expect(res.statusCode, `/students/${alias}`).toBe(404);
    }
  });

  it('refuses other spellings of a course id: the journal and the student\'s course page', async () => {
    const c = f.anat1101;
    expect((await teacher.get(`/courses/${c}`)).statusCode).toBe(200);
    expect((await admin.get(`/students/${f.studentAtDemo}/courses/${c}`)).statusCode).toBe(200);
    for (const alias of aliases(c)) {
      expect((await teacher.get(`/courses/${alias}`)).statusCode, `/courses/${alias}`).toBe(404);
      expect((await admin.get(`/students/${f.studentAtDemo}/courses/${alias}`)).statusCode, alias).toBe(404);
    }
  });
});

describe('an id beyond what a table holds', () => {
  // PostgreSQL compares a path id with an integer column as an integer and refuses 9999999999999: a 500.
  it('answers 404 in paths and refuses it in forms, on either database', async () => {
    for (const url of ['/students/2147483648', '/admin/people/9999999999999', '/courses/9999999999999/journal']) {
      expect((await admin.get(url)).statusCode, url).toBe(404);
    }
    expect((await admin.post('/admin/people/9999999999999/disable', {})).statusCode).toBe(404);
    expect((await admin.get('/admin/audit?actor=9999999999999')).statusCode).toBeLessThan(500);
  });
});

describe('an id in a form body', () => {
  const versions = async () => {
    const v = async (tb: 'attendance' | 'marks') => (await t.store.get<{ version: number }>(sql`SELECT version FROM ${sql.raw(tb)} WHERE lesson_id = ${f.lesson.anat1101} AND student_id = ${f.student.anat1101}`))?.version ?? 0;
    return { av: await v('attendance'), mv: await v('marks') };
  };
  // In a transaction on purpose: that runs on the store's writer connection, whose total_changes()
  // counts every write of the app (the read-only connection outside a transaction never changes a row).
  // PostgreSQL has no such counter: there every table a cell write could touch is fingerprinted instead.
  const changes = () => t.store.dialect === 'sqlite'
    ? t.store.tx(async (tx) => (await tx.get<{ n: number }>(sql`SELECT total_changes() AS n`))!.n)
    : t.store.get<{ n: number }>(sql`SELECT (SELECT count(*) FROM audit_log) + (SELECT coalesce(sum(version), 0) FROM marks)
        + (SELECT coalesce(sum(version), 0) FROM attendance) + (SELECT coalesce(sum(version), 0) FROM makeups)
        + (SELECT count(*) FROM notifications) AS n`).then((r) => r!.n);

  it('refuses a cell write whose lesson or student id is another spelling (400, nothing written)', async () => {
    const url = `/courses/${f.anat1101}/cells`;
    for (const alias of aliases(f.lesson.anat1101).filter((a) => !a.includes('%'))) {
      const before = { ...(await versions()), changes: await changes() };
      const res = await teacher.post(url, { lessonId: alias, studentId: f.student.anat1101, value: '6', ...(await versions()), reason: 'id test' });
      expect(res.statusCode, `lessonId=${alias}`).toBe(400);
      expect({ ...(await versions()), changes: await changes() }).toEqual(before);
    }
    for (const alias of aliases(f.student.anat1101).filter((a) => !a.includes('%')).slice(0, 8)) {
      const res = await teacher.post(url, { lessonId: f.lesson.anat1101, studentId: alias, value: '6', ...(await versions()), reason: 'id test' });
      expect(res.statusCode, `studentId=${alias}`).toBe(400);
    }
    // The plain spelling is written: the 400s above were the id check.
    expect((await teacher.post(url, { lessonId: f.lesson.anat1101, studentId: f.student.anat1101, value: '6', ...(await versions()), reason: 'id test' })).statusCode).toBe(200);
  });

  it('refuses a version beyond an integer column (PostgreSQL answered 500): 400, nothing written', async () => {
    const url = `/courses/${f.anat1101}/cells`;
    // Audit rows and versions, not total_changes(): the visit log's batched write may land in between.
    const audit = async () => (await t.store.get<{ n: number }>(sql`SELECT count(*) AS n FROM audit_log`))!.n;
    for (const big of ['2147483648', '99999999999', '1e23']) {
      const before = { ...(await versions()), audit: await audit() };
      const res = await teacher.post(url, { lessonId: f.lesson.anat1101, studentId: f.student.anat1101, value: '5', av: big, mv: big, reason: 'v' });
      expect(res.statusCode, big).toBe(400);
      expect({ ...(await versions()), audit: await audit() }).toEqual(before);
    }
  });
});

describe('an id in the live page name', () => {
  let s: LiveServer;
  beforeAll(async () => { s = await startServer(); });
  afterAll(async () => { await s.close(); });

  const follow = async (page: string) => {
    const token = generateSessionToken();
    await createSession(s.store, token, await userId(s.store, 'teacher@demo.test'), TEST_NOW);
    return new Promise<number | 'open'>((resolve, reject) => {
      const ws = new WebSocket(`${s.url.replace('http', 'ws')}/live?page=${encodeURIComponent(page)}`, { headers: { origin: s.url, cookie: `zsession=${token}` } });
      const timer = setTimeout(() => { ws.close(); resolve('open'); }, 500);
      ws.on('close', (code) => { clearTimeout(timer); resolve(code); });
      ws.on('error', reject);
    });
  };

  it('follows course:N and closes on course:0N (nothing to follow)', async () => {
    const c = (await loadFixtures(s.store)).anat1101;
    expect(await follow(`course:${c}`)).toBe('open');
    expect(await follow(`course:0${c}`)).toBe(4404);
  });
});
