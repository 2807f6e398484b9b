// `npm run bench:cluster`: the same four scenarios on one process on SQLite (the embedded default) and on
// three processes sharing PostgreSQL and Redis (a private redis-server and a database made for the run,
// both gone afterwards), next to the hello-world baseline of the same run. Every app is a real child
// process (bench/cluster-node.ts: server/main.ts's start with the per-user socket cap lifted); the load
// is spread evenly over the processes, as a round-robin balancer would. Figures on a shared machine are
// only comparable within one run: read the ratios.
import Fastify from 'fastify';
import autocannon from 'autocannon';
import { fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { openStore, type Store } from '../db/store';
import { openPgStore } from '../db/client-pg';
import { seedDemo } from '../db/seed/demo';
import { hashPassword } from '../server/auth/password';
import { createSession, generateSessionToken, SESSION_COOKIE } from '../server/auth/session';
import { CSRF_COOKIE, csrfTokenFor, newCsrfSeed } from '../server/auth/csrf';
import { dateInZone } from '../views/format';
import { startApp, CLUSTER_PUBLIC_URL, type AppProcess } from '../tests/helpers/cluster';
import { startRedis } from '../tests/helpers/redis';
import { createDatabase } from '../tests/helpers/pg';

const here = dirname(fileURLToPath(import.meta.url));
const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 12);
const SOCKETS = Number(process.env.FANOUT_SOCKETS ?? 3000);
const SECRET = randomBytes(32).toString('hex');
const TZ = 'Europe/Minsk';

type Figure = { reqPerSec: number; p50: number; p99: number; non2xx: number; errors: number };
type FanOut = { sockets: number; received: number; medianMs: number; p99Ms: number; maxMs: number; connectAllMs: number };
type Setup = { name: string; nodes: AppProcess[]; store: Store };

const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

function cannon(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon({ duration: DURATION, ...opts }, (err, res) => (err ? reject(err) : resolve(res)));
  });
}

/**
 * One autocannon per process, at once, the connections shared evenly. req/s add up; p50 is the mean of
 * the processes' medians and p99 the worst of their p99s (autocannon keeps no merged histogram).
 */
async function spread(bases: string[], opts: (base: string) => autocannon.Options): Promise<Figure> {
  const each = Math.max(1, Math.round(CONNECTIONS / bases.length));
  const rs = await Promise.all(bases.map((b) => cannon({ connections: each, ...opts(b) })));
  return {
    reqPerSec: rs.reduce((a, r) => a + r.requests.average, 0),
    p50: rs.reduce((a, r) => a + r.latency.p50, 0) / rs.length,
    p99: Math.max(...rs.map((r) => r.latency.p99)),
    non2xx: rs.reduce((a, r) => a + r.non2xx, 0),
    errors: rs.reduce((a, r) => a + r.errors + r.timeouts, 0),
  };
}

/** A session and CSRF pair made directly, as a logged-in browser holds them (valid on every process). */
async function browserOf(store: Store, email: string) {
  const id = (await store.get<{ id: number }>(sql`SELECT id FROM users WHERE email = ${email}`))!.id;
  const token = generateSessionToken();
  const { id: sessionId } = await store.tx((tx) => createSession(tx, token, id, Date.now()));
  const seed = newCsrfSeed();
  return { userId: id, token, cookie: `${SESSION_COOKIE}=${token}; ${CSRF_COOKIE}=${seed}`, csrf: csrfTokenFor(SECRET, seed, sessionId) };
}

async function measure({ nodes, store }: Setup, today: string) {
  const bases = nodes.map((n) => n.base);
  const student = await browserOf(store, 'student@demo.test');
  const teacher = await browserOf(store, 'teacher@demo.test');
  // The latest group lesson of teacher@ up to today, and its students not absent (whose marks can be set).
  const lesson = (await store.get<{ id: number; courseId: number }>(sql`SELECT l.id, l.course_id AS "courseId" FROM lessons l
    JOIN course_teachers ct ON ct.course_id = l.course_id JOIN users t ON t.id = ct.teacher_id
    WHERE t.email = 'teacher@demo.test' AND l.group_id IS NOT NULL AND l.cancelled = ${false} AND l.date <= ${today}
    ORDER BY l.date DESC, l.id LIMIT 1`))!;
  const cells = await store.all<{ s: number; av: number; mv: number; v: number }>(sql`SELECT m.student_id AS s,
      COALESCE(a.version, 0) AS av, COALESCE(k.version, 0) AS mv, COALESCE(k.value, 0) AS v
    FROM lessons l JOIN group_memberships m ON m.group_id = l.group_id AND m.from_date <= l.date AND m.to_date IS NULL
    LEFT JOIN attendance a ON a.lesson_id = l.id AND a.student_id = m.student_id
    LEFT JOIN marks k ON k.lesson_id = l.id AND k.student_id = m.student_id
    WHERE l.id = ${lesson.id} AND (a.status IS NULL OR a.status <> 'absent')
      AND NOT EXISTS (SELECT 1 FROM excused_periods e WHERE e.student_id = m.student_id AND l.date BETWEEN e.from_date AND e.to_date)
    ORDER BY m.student_id`);
  const gz = { 'accept-encoding': 'br, gzip' };
  const home = await spread(bases, (b) => ({ url: `${b}/`, headers: { ...gz, cookie: student.cookie } }));
  const journal = await spread(bases, (b) => ({ url: `${b}/courses/${lesson.courseId}`, headers: { ...gz, cookie: teacher.cookie } }));

  // Mark writes: a request takes a free student of the lesson (shared by every process's load), writes
  // the other of 7/8, and gives the student back with the versions the answer carries.
  const state = new Map(cells.map((c) => [c.s, { av: Number(c.av), mv: Number(c.mv), v: Number(c.v) }]));
  const free = cells.map((c) => c.s);
  const fan = free.pop()!; // kept apart for the fan-out
  type Ctx = { s?: number };
  const write = await spread(bases, (b) => ({
    url: `${b}/courses/${lesson.courseId}/cells`,
    requests: [{
      method: 'POST',
      setupRequest: (req: autocannon.Request, ctx: Ctx) => {
        const s = free.shift()!;
        ctx.s = s;
        const st = state.get(s)!;
        const value = st.v === 7 ? 8 : 7;
        const body = new URLSearchParams({ lessonId: String(lesson.id), studentId: String(s), value: String(value), av: String(st.av), mv: String(st.mv), reason: 'bench' }).toString();
        return { ...req, method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: teacher.cookie, 'x-csrf-token': teacher.csrf } };
      },
      onResponse: (status: number, body: string, ctx: Ctx) => {
        const s = ctx.s;
        if (s === undefined) return;
        const m = new RegExp(`id="c-${lesson.id}-${s}"[^>]*data-av="(\\d+)" data-mv="(\\d+)"[^>]*>(\\d*)<`).exec(body);
        if (m) state.set(s, { av: Number(m[1]), mv: Number(m[2]), v: Number(m[3] || 0) });
        free.push(s);
      },
    }] as unknown as autocannon.Request[],
  }));

  // Fan-out: SOCKETS sockets as teacher@ following the journal, spread over the processes; one mark
  // saved on the first; how long until every socket has it.
  const tokens: string[] = [];
  await store.tx(async (tx) => {
    for (let i = 0; i < SOCKETS; i++) {
      const token = generateSessionToken();
      await createSession(tx, token, teacher.userId, Date.now());
      tokens.push(token);
    }
  });
  const per = Math.ceil(SOCKETS / bases.length);
  const children = bases.map(() => fork(join(here, 'fanout-clients.mjs'), [], { stdio: 'inherit' }));
  const readies = children.map((c) => new Promise<number>((r) => c.on('message', (m: { type: string; opened: number }) => { if (m.type === 'ready') r(m.opened); })));
  const dones = children.map((c) => new Promise<number[]>((r) => c.on('message', (m: { type: string; arrivals: number[] }) => { if (m.type === 'done') r(m.arrivals); })));
  const now = () => performance.timeOrigin + performance.now();
  const c0 = now();
  children.forEach((c, i) => c.send({ url: bases[i], origin: CLUSTER_PUBLIC_URL, tokens: tokens.slice(i * per, (i + 1) * per), page: `course:${lesson.courseId}`, match: `c-${lesson.id}-${fan}` }));
  const opened = (await Promise.all(readies)).reduce((a, n) => a + n, 0);
  const connectAllMs = Math.round(now() - c0);
  await new Promise((r) => setTimeout(r, 1000)); // every socket joins its topic
  const st = state.get(fan)!;
  const t0 = now();
  const res = await fetch(`${bases[0]}/courses/${lesson.courseId}/cells`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: teacher.cookie, 'x-csrf-token': teacher.csrf },
    body: new URLSearchParams({ lessonId: String(lesson.id), studentId: String(fan), value: String(st.v === 6 ? 5 : 6), av: String(st.av), mv: String(st.mv), reason: 'fan-out bench' }).toString(),
  });
  const arrivals = (await Promise.all(dones)).flat().map((t) => t - t0).sort((a, b) => a - b);
  for (const c of children) c.kill();
  const fanout: FanOut = {
    sockets: opened, received: arrivals.length, connectAllMs,
    medianMs: Number(pct(arrivals, 50)?.toFixed(1)), p99Ms: Number(pct(arrivals, 99)?.toFixed(1)), maxMs: Number(arrivals.at(-1)?.toFixed(1)),
  };
  if (res.status !== 200) console.log(`fan-out write answered ${res.status}`);
  return { home, journal, write, fanout };
}

async function seeded(store: Store, today: string, passwordHash: string) {
  const t0 = performance.now();
  await seedDemo(store, { today, passwordHash });
  return Math.round(performance.now() - t0);
}

async function main() {
  const started = performance.now();
  const today = dateInZone(Date.now(), TZ);
  console.log(`Zachetka cluster bench: ${DURATION} s per scenario, ${CONNECTIONS} connections, ${SOCKETS} sockets, ${cpus().length} CPU(s), Node ${process.version}`);
  const hello = Fastify({ logger: false });
  hello.get('/', async () => 'hello world');
  await hello.listen({ port: 0, host: '127.0.0.1' });
  const h = await cannon({ url: `http://127.0.0.1:${(hello.server.address() as AddressInfo).port}/`, connections: CONNECTIONS });
  await hello.close();
  const helloRps = h.requests.average;
  const passwordHash = await hashPassword('demo-password'); // before the seed's transactions: no argon2 inside one
  const common = { SECRET, PUBLIC_URL: CLUSTER_PUBLIC_URL, LOG_LEVEL: 'silent', DEMO: 'false' };
  const results: Record<string, Awaited<ReturnType<typeof measure>>> = {};

  // 1. One process on a SQLite file.
  const dir = mkdtempSync(join(tmpdir(), 'zachetka-bench-cluster-'));
  try {
    const file = join(dir, 'bench.sqlite');
    const store = openStore(file);
    await seeded(store, today, passwordHash);
    const nodes = [await startApp({ ...common, DATA_DIR: dir, DATABASE_FILE: file }, 'sqlite', 'bench/cluster-node.ts')];
    try {
      results['1 process, SQLite'] = await measure({ name: 'sqlite', nodes, store }, today);
    } finally {
      await Promise.all(nodes.map((n) => n.kill()));
      await store.close();
    }

    // 2. Three processes on one PostgreSQL database and one Redis.
    const redis = await startRedis();
    const db = await createDatabase('zachetka_bench');
    let store2: Store | undefined;
    const nodes2: AppProcess[] = [];
    try {
      store2 = await openPgStore(db.url);
      await seeded(store2, today, passwordHash);
      const env = { ...common, DATA_DIR: dir, DATABASE_URL: db.url, REDIS_URL: redis.url };
      nodes2.push(...(await Promise.all(['A', 'B', 'C'].map((n) => startApp(env, n, 'bench/cluster-node.ts')))));
      results['3 processes, PostgreSQL + Redis'] = await measure({ name: 'cluster', nodes: nodes2, store: store2 }, today);
    } finally {
      await Promise.all(nodes2.map((n) => n.kill()));
      await store2?.close();
      await db.drop();
      await redis.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  // Report.
  const fmt = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : '—');
  const lines = [['setup', 'scenario', 'req/s', 'p50 ms', 'p99 ms', 'vs hello', 'non-2xx/err']];
  lines.push(['baseline', 'fastify hello world (1 process)', fmt(helloRps, 0), fmt(h.latency.p50, 2), fmt(h.latency.p99, 2), '100.0 %', `${h.non2xx}/${h.errors}`]);
  for (const [setup, r] of Object.entries(results)) {
    for (const [name, f] of [['GET / student home', r.home], ['GET journal (course page)', r.journal], ['POST cell (mark write + audit)', r.write]] as const) {
      lines.push([setup, name, fmt(f.reqPerSec, 0), fmt(f.p50, 2), fmt(f.p99, 2), `${((f.reqPerSec / helloRps) * 100).toFixed(1)} %`, `${f.non2xx}/${f.errors}`]);
    }
  }
  const widths = lines[0].map((_, i) => Math.max(...lines.map((l) => l[i].length)));
  for (const [i, l] of lines.entries()) {
    console.log(l.map((c, j) => (j < 2 ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join('  '));
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
  console.log('');
  for (const [setup, r] of Object.entries(results)) {
    const f = r.fanout;
    console.log(`fan-out, ${setup}: ${f.received}/${f.sockets} sockets got one mark; median ${f.medianMs} ms, p99 ${f.p99Ms} ms, max ${f.maxMs} ms (all connected in ${f.connectAllMs} ms)`);
  }
  const outDir = join(here, 'results');
  mkdirSync(outDir, { recursive: true });
  const out = join(outDir, `cluster-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(out, JSON.stringify({ at: new Date().toISOString(), node: process.version, cpus: cpus().length, durationSeconds: DURATION, connections: CONNECTIONS, sockets: SOCKETS,
    hello: { reqPerSec: helloRps, p50: h.latency.p50, p99: h.latency.p99 }, results }, null, 2));
  console.log(`\nwritten ${out} (total ${Math.round((performance.now() - started) / 1000)} s)`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
