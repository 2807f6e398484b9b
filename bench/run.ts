// `npm run bench`: the real server on a fresh copy of the demo database, measured with autocannon,
// next to the physical limits of this stack on this machine (a bare Fastify route, raw SQLite
// commits with WAL + synchronous=FULL). See README, "Benchmarks: how to run and read them".
import Fastify from 'fastify';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync, brotliCompressSync, constants as zlib } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { sql, type SQL } from 'drizzle-orm';
import { openStore, type Queryable, type Store } from '../db/store';
import { seedDemo, addDays } from '../db/seed/demo';
import { hashPassword } from '../server/auth/password';
import { createSession, generateSessionToken, SESSION_COOKIE } from '../server/auth/session';
import { CSRF_COOKIE, csrfTokenFor, newCsrfSeed } from '../server/auth/csrf';
import { buildApp } from '../server/app';
import { loadConfig } from '../server/config';
import { dateInZone } from '../views/format';
import { currentTerm } from '../db/queries/terms';
import { currentUserById } from '../db/queries/users';
import { loadJournal } from '../db/queries/journal';
import { journalSummaries } from '../server/journal/summaries';
import { journalPage } from '../views/journal/page';
import type { ViewCtx } from '../views/context';
import { measureStartTimes } from './start-time';
import { renderJournalPage } from '../server/journal/page-render';

const here = dirname(fileURLToPath(import.meta.url));
const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const RENDER_N = 200;
const TZ = 'Europe/Minsk';

type Row = { scenario: string; reqPerSec: number; p50: number | null; p99: number | null; baseline: string; ratio: number | null; errors?: number; non2xx?: number; note?: string; statementsPerRequest?: number; commitsPerRequest?: number };

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

function runCannon(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon({ duration: DURATION, connections: CONNECTIONS, ...opts }, (err, res) => (err ? reject(err) : resolve(res)));
  });
}

/** A migrated database file as the app opens it; `close` closes both of its connections. */
function openBenchStore(file: string): { store: Store; close: () => Promise<void> } {
  const store = openStore(file);
  return { store, close: () => store.close() };
}

/** A session and a CSRF pair made directly, as a logged-in browser would hold them. */
async function browserOf(app: FastifyInstance, store: Store, email: string) {
  const id = (await store.get<{ id: number }>(sql`SELECT id FROM users WHERE email = ${email}`))!.id;
  const token = generateSessionToken();
  const { id: sessionId } = await store.tx((tx) => createSession(tx, token, id, Date.now()));
  const seed = newCsrfSeed();
  return { userId: id, cookie: `${SESSION_COOKIE}=${token}; ${CSRF_COOKIE}=${seed}`, csrf: csrfTokenFor(app.config.secret, seed, sessionId) };
}

/** The new row's id of an `INSERT … RETURNING id` (inside a transaction: the store writes only there). */
const insertId = async (tx: Queryable, q: SQL) => (await tx.get<{ id: number }>(q))!.id;

/** The big journal: a new group of 30 students, a course of 60 dated lessons (the last one today), records filled. */
function createBigCourse(store: Store, today: string): Promise<{ courseId: number; todayLesson: number; students: number[] }> {
  return store.tx(async (tx) => {
    const term = (await currentTerm(tx, today))!;
    const one = async (q: SQL) => (await tx.get<{ id: number }>(q))!.id;
    const faculty = await one(sql`SELECT id FROM faculties WHERE code = 'LF'`);
    const subject = await one(sql`SELECT id FROM subjects ORDER BY id LIMIT 1`);
    const scale = await one(sql`SELECT id FROM scales WHERE code = 'ten'`);
    const teacher = await one(sql`SELECT id FROM users WHERE email = 'teacher@demo.test'`);
    const group = await insertId(tx, sql`INSERT INTO groups (faculty_id, name, programme, year, language) VALUES (${faculty}, ${'B130'}, ${'degree'}, ${1}, ${'ru'}) RETURNING id`);
    const courseId = await insertId(tx, sql`INSERT INTO courses (subject_id, term_id, scale_id, rules) VALUES (${subject}, ${term.id}, ${scale}, ${'{}'}) RETURNING id`);
    await tx.run(sql`INSERT INTO course_groups (course_id, group_id) VALUES (${courseId}, ${group})`);
    await tx.run(sql`INSERT INTO course_teachers (course_id, teacher_id, role) VALUES (${courseId}, ${teacher}, ${'lecturer'})`);
    const students: number[] = [];
    for (let i = 0; i < 30; i++) {
      const id = await insertId(tx, sql`INSERT INTO users (email, surname, given_name, patronymic, lang, updated_at)
        VALUES (${`bench.${i}@students.demo.test`}, ${`Студентов${String(i).padStart(2, '0')}`}, ${'Иван'}, ${'Петрович'}, ${'ru'}, ${Date.now()}) RETURNING id`);
      await tx.run(sql`INSERT INTO user_roles (user_id, role) VALUES (${id}, 'student')`);
      await tx.run(sql`INSERT INTO group_memberships (student_id, group_id, from_date) VALUES (${id}, ${group}, ${term.startsOn})`);
      students.push(id);
    }
    let todayLesson = 0;
    for (let i = 0; i < 60; i++) {
      // Two lessons a day going back from today; lesson 59 is today's.
      const date = addDays(today, -Math.floor((59 - i) / 2));
      const startsAt = Date.parse(`${date}T${i % 2 ? '11:35' : '08:00'}:00+03:00`);
      const lesson = await insertId(tx, sql`INSERT INTO lessons (course_id, group_id, kind, topic, date, starts_at, updated_by, updated_at)
        VALUES (${courseId}, ${group}, ${i % 2 ? 'practical' : 'lecture'}, ${`Тема ${i + 1}`}, ${date}, ${startsAt}, ${teacher}, ${startsAt}) RETURNING id`);
      if (i === 59) todayLesson = lesson;
      for (const [k, s] of students.entries()) {
        const absent = (k * 7 + i * 3) % 17 === 0;
        await tx.run(sql`INSERT INTO attendance (lesson_id, student_id, status, updated_by, updated_at) VALUES (${lesson}, ${s}, ${absent ? 'absent' : 'present'}, ${teacher}, ${startsAt})`);
        if (!absent && i % 2 && (k + i) % 3 === 0) {
          await tx.run(sql`INSERT INTO marks (lesson_id, student_id, value, updated_by, updated_at) VALUES (${lesson}, ${s}, ${4 + ((k + i) % 7)}, ${teacher}, ${startsAt})`);
        }
      }
    }
    return { courseId, todayLesson, students };
  });
}

/**
 * A faculty at production size: every current student of the faculty's groups is cloned (a new user
 * in the same group with a copy of the template's attendance, marks and make-ups) until the faculty
 * has about `target` students. Returns the faculty's head-count afterwards.
 */
function growFaculty(store: Store, code: string, target: number): Promise<number> {
  return store.tx(async (tx) => {
    const faculty = (await tx.get<{ id: number }>(sql`SELECT id FROM faculties WHERE code = ${code}`))!.id;
    const templates = await tx.all<{ id: number; groupId: number; from: string }>(sql`SELECT m.student_id AS id, m.group_id AS "groupId", m.from_date AS "from"
      FROM group_memberships m JOIN groups g ON g.id = m.group_id WHERE g.faculty_id = ${faculty} AND m.to_date IS NULL ORDER BY m.student_id`);
    const copies = Math.max(0, Math.ceil(target / templates.length) - 1);
    for (let k = 1; k <= copies; k++) {
      for (const t of templates) {
        const id = await insertId(tx, sql`INSERT INTO users (email, surname, given_name, patronymic, name_latin, lang, updated_at)
          SELECT 'clone' || ${k} || '.' || email, surname, given_name, patronymic, name_latin, lang, updated_at FROM users WHERE id = ${t.id} RETURNING id`);
        await tx.run(sql`INSERT INTO user_roles (user_id, role) VALUES (${id}, 'student')`);
        await tx.run(sql`INSERT INTO group_memberships (student_id, group_id, from_date) VALUES (${id}, ${t.groupId}, ${t.from})`);
        await tx.run(sql`INSERT INTO attendance (lesson_id, student_id, status, reason_status, reason_id, updated_by, updated_at)
          SELECT lesson_id, ${id}, status, reason_status, reason_id, updated_by, updated_at FROM attendance WHERE student_id = ${t.id}`);
        await tx.run(sql`INSERT INTO marks (lesson_id, student_id, value, updated_by, updated_at)
          SELECT lesson_id, ${id}, value, updated_by, updated_at FROM marks WHERE student_id = ${t.id}`);
        await tx.run(sql`INSERT INTO makeups (lesson_id, student_id, status, done_on, teacher_id, mark, waive_reason, updated_by, updated_at)
          SELECT lesson_id, ${id}, status, done_on, teacher_id, mark, waive_reason, updated_by, updated_at FROM makeups WHERE student_id = ${t.id}`);
      }
    }
    return (await tx.get<{ n: number }>(sql`SELECT count(*) AS n FROM group_memberships m JOIN groups g ON g.id = m.group_id
      WHERE g.faculty_id = ${faculty} AND m.to_date IS NULL`))!.n;
  });
}

/**
 * Raw better-sqlite3: one single-row INSERT per transaction, WAL + synchronous=FULL, for ~2 s. Raw on
 * purpose, beneath the store: it is the physical limit the app's writes are compared with.
 */
function sqliteBaseline(dir: string): { txPerSec: number; p50: number; p99: number } {
  const db = new Database(join(dir, 'raw.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER, b TEXT)');
  const insert = db.prepare('INSERT INTO t (a, b) VALUES (?, ?)');
  const tx = db.transaction((i: number) => insert.run(i, 'x'.repeat(40)));
  const lat: number[] = [];
  const end = performance.now() + 2000;
  let n = 0;
  while (performance.now() < end) {
    const t0 = performance.now();
    tx.immediate(n++);
    lat.push(performance.now() - t0);
  }
  db.close();
  return { txPerSec: n / 2, p50: percentile(lat, 50), p99: percentile(lat, 99) };
}

async function main() {
  const started = performance.now();
  const today = dateInZone(Date.now(), TZ);
  const dir = mkdtempSync(join(tmpdir(), 'zachetka-bench-'));
  const rows: Row[] = [];
  const extra: Record<string, unknown> = {};
  try {
    console.log(`Zachetka bench: ${DURATION} s per scenario, ${CONNECTIONS} connections, ${cpus().length} CPU(s), Node ${process.version}, today ${today}`);
    // 1. A freshly seeded database, copied so the template stays clean.
    const passwordHash = await hashPassword('demo-password'); // before the seed's transactions: no argon2 inside one
    const template = openBenchStore(join(dir, 'template.sqlite'));
    await seedDemo(template.store, { today, passwordHash });
    await template.store.sqlite!.checkpoint();
    await template.close();
    const file = join(dir, 'bench.sqlite');
    const src = new Database(join(dir, 'template.sqlite'), { readonly: true }); // a file copy, as the operator's backup makes it
    await src.backup(file);
    src.close();
    const { store, close: closeStore } = openBenchStore(file);
    const big = await createBigCourse(store, today);

    // 2. Baselines: the physical limits of this stack here.
    const raw = sqliteBaseline(dir);
    const hello = Fastify({ logger: false });
    hello.get('/', async () => 'hello world');
    await hello.listen({ port: 0, host: '127.0.0.1' });
    const helloUrl = `http://127.0.0.1:${(hello.server.address() as AddressInfo).port}/`;
    const h = await runCannon({ url: helloUrl });
    await hello.close();
    rows.push({ scenario: 'baseline: fastify hello world', reqPerSec: h.requests.average, p50: h.latency.p50, p99: h.latency.p99, baseline: '—', ratio: null });
    rows.push({ scenario: 'baseline: sqlite insert tx (WAL+FULL)', reqPerSec: raw.txPerSec, p50: raw.p50, p99: raw.p99, baseline: '—', ratio: null, note: 'tx/s, 1 writer' });
    const helloRps = h.requests.average;

    // 3. The real app, listening.
    const config = loadConfig({ DATA_DIR: dir, DATABASE_FILE: file, LOG_LEVEL: 'silent', SECRET: 'bench-secret-bench-secret-bench-secret-01' });
    // The fan-out opens thousands of sockets as one teacher: the per-user socket cap would refuse them.
    const liveLimits = { socketsPerUser: Number.MAX_SAFE_INTEGER, connections: { burst: Number.MAX_SAFE_INTEGER, perSecond: 1e9 } };
    const app = await buildApp({ store, config, logger: false, liveLimits });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const student = await browserOf(app, store, 'student@demo.test');
    const parent = await browserOf(app, store, 'parent@demo.test');
    const teacher = await browserOf(app, store, 'teacher@demo.test');
    const dean = await browserOf(app, store, 'dean@demo.test');
    const admin = await browserOf(app, store, 'admin@demo.test');
    const gz = { 'accept-encoding': 'br, gzip' };

    // SQL statements per request: the store counts every statement it runs (both connections); the
    // count over a scenario divided by its requests. Requests still in flight when autocannon stops
    // make it approximate for the concurrent scenarios; the 1-at-a-time ones are exact.
    const statements = () => store.stats.statements;
    const httpScenario = async (scenario: string, opts: autocannon.Options, baseline: { name: string; value: number }) => {
      const s0 = statements();
      const c0 = store.stats.commits;
      const r = await runCannon(opts);
      const done = r.requests.total ?? 0;
      const statementsPerRequest = done > 0 ? (statements() - s0) / done : undefined;
      // Commits (fsyncs) per request: group commit lets concurrent saves share one.
      const commitsPerRequest = done > 0 ? (store.stats.commits - c0) / done : undefined;
      rows.push({ scenario, reqPerSec: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, baseline: baseline.name, ratio: r.requests.average / baseline.value, errors: r.errors + r.timeouts, non2xx: r.non2xx, statementsPerRequest, commitsPerRequest });
      return r;
    };
    const helloBase = { name: 'hello world', value: helloRps };
    // One request at a time for BENCH_SECONDS (at least 3): the time one user waits, for pages too slow for autocannon's window.
    const serialScenario = async (scenario: string, url: string, headers: Record<string, string>) => {
      const lat: number[] = [];
      let non2xx = 0;
      await (await fetch(url, { headers })).arrayBuffer(); // warm-up; also waits out requests still queued from the previous scenario
      const s0 = statements();
      const t0 = performance.now();
      while (lat.length < 3 || performance.now() - t0 < DURATION * 1000) {
        const s = performance.now();
        const res = await fetch(url, { headers });
        await res.arrayBuffer();
        lat.push(performance.now() - s);
        if (res.status < 200 || res.status >= 300) non2xx++;
      }
      const secs = (performance.now() - t0) / 1000;
      const statementsPerRequest = (statements() - s0) / lat.length;
      rows.push({ scenario, reqPerSec: lat.length / secs, p50: percentile(lat, 50), p99: percentile(lat, 99), baseline: helloBase.name, ratio: lat.length / secs / helloBase.value, errors: 0, non2xx, statementsPerRequest });
    };
    await httpScenario('GET /login (anonymous)', { url: `${base}/login`, headers: gz }, helloBase);
    await httpScenario('GET / student home', { url: `${base}/`, headers: { ...gz, cookie: student.cookie } }, helloBase);
    await httpScenario('GET / parent home', { url: `${base}/`, headers: { ...gz, cookie: parent.cookie } }, helloBase);
    await httpScenario('GET journal 30×60', { url: `${base}/courses/${big.courseId}`, headers: { ...gz, cookie: teacher.cookie } }, helloBase);
    const headCount = async (code: string | null) => (await store.get<{ n: number }>(sql`SELECT count(*) AS n FROM group_memberships m JOIN groups g ON g.id = m.group_id JOIN faculties f ON f.id = g.faculty_id
      WHERE m.to_date IS NULL ${code === null ? sql`` : sql`AND f.code = ${code}`}`))!.n;
    // Warm-up: the first reports request prepares its statements; later ones are the steady state.
    for (const who of [dean, admin]) await (await fetch(`${base}/admin/reports`, { headers: { ...gz, cookie: who.cookie } })).arrayBuffer();
    await httpScenario(`reports page, LF dean (${await headCount('LF')} students)`, { url: `${base}/admin/reports`, headers: { ...gz, cookie: dean.cookie } }, helloBase);
    await httpScenario(`reports page, university admin (${await headCount(null)} students)`, { url: `${base}/admin/reports`, headers: { ...gz, cookie: admin.cookie } }, helloBase);
    await serialScenario(`reports page, LF dean (${await headCount('LF')} students), 1 at a time`, `${base}/admin/reports`, { ...gz, cookie: dean.cookie });
    await serialScenario(`reports page, university admin (${await headCount(null)} students), 1 at a time`, `${base}/admin/reports`, { ...gz, cookie: admin.cookie });

    // Server-side render time of the big journal, called directly (no HTTP): load + summaries + render, and render alone.
    const user = (await currentUserById(store, teacher.userId))!;
    const ctx: ViewCtx = { lang: 'ru', tz: TZ, user, csrf: teacher.csrf, nonce: 'bench-nonce', path: `/courses/${big.courseId}`, today };
    const whole: number[] = [];
    const renderOnly: number[] = [];
    let htmlOut = '';
    const loadStatements0 = statements();
    for (let i = 0; i < RENDER_N; i++) {
      const t0 = performance.now();
      const d = (await loadJournal(store, big.courseId))!;
      const s = journalSummaries(d, today);
      const t1 = performance.now();
      htmlOut = journalPage(ctx, d, s, { editable: true, groupId: null }).value;
      const t2 = performance.now();
      whole.push(t2 - t0);
      renderOnly.push(t2 - t1);
    }
    const statementsPerLoad = (statements() - loadStatements0) / RENDER_N;
    // The route's path: rows from the row cache (warm after the first call), records read only for missing rows.
    const cachedWhole: number[] = [];
    await renderJournalPage(store, app.journalRows, ctx, big.courseId, null, { editable: true, groupId: null });
    const cachedStatements0 = statements();
    for (let i = 0; i < RENDER_N; i++) {
      const t0 = performance.now();
      await renderJournalPage(store, app.journalRows, ctx, big.courseId, null, { editable: true, groupId: null });
      cachedWhole.push(performance.now() - t0);
    }
    const statementsPerCachedLoad = (statements() - cachedStatements0) / RENDER_N;
    const raw8 = Buffer.byteLength(htmlOut);
    const gzBytes = gzipSync(htmlOut).length;
    const brBytes = brotliCompressSync(htmlOut, { params: { [zlib.BROTLI_PARAM_QUALITY]: 4 } }).length;
    extra.journalRender = {
      n: RENDER_N, loadAndRender: { medianMs: round(percentile(whole, 50)), p99Ms: round(percentile(whole, 99)) },
      renderOnly: { medianMs: round(percentile(renderOnly, 50)), p99Ms: round(percentile(renderOnly, 99)) },
      pageBytes: { raw: raw8, gzip: gzBytes, brotliQ4: brBytes }, statementsPerLoad,
      rowsCached: { medianMs: round(percentile(cachedWhole, 50)), p99Ms: round(percentile(cachedWhole, 99)), statementsPerLoad: statementsPerCachedLoad },
    };

    // Mark writes: each connection owns one student of today's lesson and alternates 7/8, so every
    // write changes the record (version bump + audit row). Versions are tracked from the responses.
    // autocannon resets its per-request context between requests, so students come from a pool: a
    // request takes a free one, its response returns it (with the version the server now holds).
    const free = [...big.students];
    const markVersion = new Map<number, number>(
      (await store.all<{ s: number; v: number }>(sql`SELECT student_id AS s, version AS v FROM marks WHERE lesson_id = ${big.todayLesson}`)).map((r) => [r.s, r.v]),
    );
    const attVersion = new Map<number, number>(
      (await store.all<{ s: number; v: number }>(sql`SELECT student_id AS s, version AS v FROM attendance WHERE lesson_id = ${big.todayLesson}`)).map((r) => [r.s, r.v]),
    );
    // Start from the stored value so the first write changes it too (an unchanged write keeps its version).
    const lastValue = new Map<number, number>(
      (await store.all<{ s: number; v: number }>(sql`SELECT student_id AS s, value AS v FROM marks WHERE lesson_id = ${big.todayLesson} AND value IS NOT NULL`)).map((r) => [r.s, r.v]),
    );
    type Ctx = { s?: number };
    const auditRows = async () => (await store.get<{ n: number }>(sql`SELECT count(*) AS n FROM audit_log`))!.n;
    const auditBefore = await auditRows();
    await httpScenario('POST cell (mark write + audit)', {
      url: `${base}/courses/${big.courseId}/cells`,
      requests: [{
        method: 'POST',
        setupRequest: (req: autocannon.Request, context: Ctx) => {
          const s = free.shift()!;
          context.s = s;
          const value = lastValue.get(s) === 7 ? 8 : 7; // alternate: every write changes the record
          lastValue.set(s, value);
          const body = new URLSearchParams({ lessonId: String(big.todayLesson), studentId: String(s), value: String(value), av: String(attVersion.get(s) ?? 0), mv: String(markVersion.get(s) ?? 0), reason: 'bench' }).toString();
          return { ...req, method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: teacher.cookie, 'x-csrf-token': teacher.csrf } };
        },
        onResponse: (status: number, body: string, context: Ctx) => {
          if (status !== 200 && process.env.BENCH_DEBUG) console.log(status, body.slice(0, 200));
          const s = context.s;
          if (s === undefined) return;
          if (status === 200) markVersion.set(s, (markVersion.get(s) ?? 0) + 1);
          free.push(s);
        },
      }] as unknown as autocannon.Request[],
    }, { name: 'sqlite tx', value: raw.txPerSec });
    extra.markWrites = { auditRowsAdded: (await auditRows()) - auditBefore };

    // Fan-out: another engineer's harness (issue 4), run when it exists.
    const fanoutFile = join(here, 'fanout.ts');
    if (existsSync(fanoutFile)) {
      const mod = (await import(pathToFileURL(fanoutFile).href)) as Record<string, unknown>;
      const fn = (mod.default ?? Object.values(mod).find((v) => typeof v === 'function')) as ((o: unknown) => Promise<unknown>) | undefined;
      if (fn) {
        const out = await fn({ app, store, url: base, courseId: big.courseId, lessonId: big.todayLesson, students: big.students, teacher, durationSeconds: DURATION, connections: CONNECTIONS });
        extra.fanout = out;
        console.log('fan-out:', JSON.stringify(out));
      } else console.log('fan-out: bench/fanout.ts exports no function');
    } else console.log('fan-out: see issue 4');

    // A faculty at production size (BENCH_LF_STUDENTS, 1,500 by default; 0 skips it): the reports
    // page and its exports again, one request at a time.
    const lfTarget = Number(process.env.BENCH_LF_STUDENTS ?? 1500);
    if (lfTarget > 0) {
      const t0 = performance.now();
      const lfNow = await growFaculty(store, 'LF', lfTarget);
      console.log(`grew LF to ${lfNow} students in ${Math.round(performance.now() - t0)} ms`);
      await serialScenario(`reports page, LF dean (${lfNow} students), 1 at a time`, `${base}/admin/reports`, { ...gz, cookie: dean.cookie });
      await serialScenario(`reports page, university admin (${await headCount(null)} students), 1 at a time`, `${base}/admin/reports`, { ...gz, cookie: admin.cookie });
      await serialScenario(`reports.xlsx, LF dean (${lfNow} students), 1 at a time`, `${base}/admin/reports.xlsx`, { ...gz, cookie: dean.cookie });
      await serialScenario(`reports.csv, LF dean (${lfNow} students), 1 at a time`, `${base}/admin/reports.csv`, { ...gz, cookie: dean.cookie });
    }

    await app.close();
    await closeStore();

    // 4. Report.
    const fmt = (n: number | null, d = 1) => (n === null || n === undefined ? '—' : n.toFixed(d));
    const table = [
      ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'baseline', 'ratio', 'non-2xx/err', 'SQL/req', 'commits/req'],
      ...rows.map((r) => [r.scenario, fmt(r.reqPerSec, r.reqPerSec < 10 ? 2 : 0), fmt(r.p50, 2), fmt(r.p99, 2), r.baseline, r.ratio === null ? '—' : `${(r.ratio * 100).toFixed(1)} %`, r.non2xx === undefined ? (r.note ?? '') : `${r.non2xx}/${r.errors}`, r.statementsPerRequest === undefined ? '—' : fmt(r.statementsPerRequest, 1),
        r.commitsPerRequest === undefined ? '—' : fmt(r.commitsPerRequest, 2)]),
    ];
    const widths = table[0].map((_, i) => Math.max(...table.map((l) => String(l[i]).length)));
    for (const [i, line] of table.entries()) {
      console.log(line.map((c, j) => (j === 0 ? String(c).padEnd(widths[j]) : String(c).padStart(widths[j]))).join('  '));
      if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
    }
    const jr = extra.journalRender as { loadAndRender: { medianMs: number; p99Ms: number }; renderOnly: { medianMs: number; p99Ms: number }; pageBytes: { raw: number; gzip: number; brotliQ4: number }; statementsPerLoad: number };
    console.log(`\njournal 30×60 server time (N=${RENDER_N}, direct call): load+summaries+render median ${jr.loadAndRender.medianMs} ms, p99 ${jr.loadAndRender.p99Ms} ms; render only median ${jr.renderOnly.medianMs} ms, p99 ${jr.renderOnly.p99Ms} ms; ${jr.statementsPerLoad} SQL statements per load`);
    const rc = (extra.journalRender as { rowsCached: { medianMs: number; p99Ms: number; statementsPerLoad: number } }).rowsCached;
    console.log(`journal 30×60 as the route renders it (rows cached): median ${rc.medianMs} ms, p99 ${rc.p99Ms} ms (${Math.round(1000 / rc.medianMs)}/s one at a time), ${rc.statementsPerLoad} SQL statements`);
    console.log(`journal 30×60 page size: ${jr.pageBytes.raw} B raw, ${jr.pageBytes.gzip} B gzip, ${jr.pageBytes.brotliQ4} B brotli (q4, as served)`);
    console.log(`mark writes: ${(extra.markWrites as { auditRowsAdded: number }).auditRowsAdded} audit rows appended`);

    // Start-up of a fresh clone with `npm start` (BENCH_START=0 skips it): the first start builds, migrates and seeds.
    if (process.env.BENCH_START !== '0') {
      const st = await measureStartTimes(join(here, '..'));
      extra.startTimes = st;
      console.log(`npm start to listening, fresh clone: first start ${Math.round(st.firstStartMs)} ms (build + migrate + demo seed), restart ${Math.round(st.restartMs)} ms`);
    }

    const outDir = join(here, 'results');
    mkdirSync(outDir, { recursive: true });
    const out = join(outDir, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(out, JSON.stringify({ at: new Date().toISOString(), node: process.version, cpus: cpus().length, durationSeconds: DURATION, connections: CONNECTIONS, rows, ...extra }, null, 2));
    console.log(`\nwritten ${out} (total ${Math.round((performance.now() - started) / 1000)} s)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
