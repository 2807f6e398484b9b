// Fan-out: N sockets follow one journal; one mark is written over HTTP; how long until every
// subscriber has it, and how much server memory an idle socket costs. Called by bench/run.ts.
import { fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import type { Store } from '../db/store';
import { createSession, generateSessionToken } from '../server/auth/session';

type Input = { app: FastifyInstance; store: Store; url: string; courseId: number; lessonId: number; students: number[]; teacher: { userId: number; cookie: string; csrf: string } };

const N = Number(process.env.FANOUT_SOCKETS ?? 5000);
const ROUNDS = Number(process.env.FANOUT_ROUNDS ?? 5);
const now = () => performance.timeOrigin + performance.now();
const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

export default async function fanout({ app, store, url, courseId, lessonId, students, teacher }: Input) {
  app.config.publicUrl = url; // the sockets come from this origin
  const tokens: string[] = [];
  await store.tx(async (tx) => {
    for (let i = 0; i < N; i++) {
      const token = generateSessionToken();
      await createSession(tx, token, teacher.userId, app.clock());
      tokens.push(token);
    }
  });
  const student = students[0];
  const match = `c-${lessonId}-${student}`; // no quotes: they arrive escaped inside the JSON
  global.gc?.();
  const before = process.memoryUsage();
  const child = fork(join(dirname(fileURLToPath(import.meta.url)), 'fanout-clients.mjs'), [], { stdio: 'inherit' });
  const ready = new Promise<number>((resolve) => child.on('message', (m: { type: string; opened: number }) => { if (m.type === 'ready') resolve(m.opened); }));
  const connectStart = now();
  child.send({ url, origin: url, tokens, page: `course:${courseId}`, match });
  const opened = await ready;
  const connectMs = now() - connectStart;
  await new Promise((r) => setTimeout(r, 500));
  global.gc?.();
  const after = process.memoryUsage();

  // Several marks, one after another: the median over rounds, and the server's CPU time per mark (the
  // subscribers run in their own process), which a busy machine disturbs far less than wall time.
  const rounds: { arrivals: number[]; cpuMs: number; status: number }[] = [];
  // FANOUT_PROFILE=file.cpuprofile records the server's CPU profile over the rounds (open it in Chrome's DevTools).
  const prof = process.env.FANOUT_PROFILE ? new Session() : null;
  if (prof) {
    prof.connect();
    await prof.post('Profiler.enable');
    await prof.post('Profiler.start');
  }
  for (let r = 0; r < ROUNDS; r++) {
    const v = (await store.get<{ av: number | null; mv: number | null }>(sql`SELECT (SELECT version FROM attendance WHERE lesson_id = ${lessonId} AND student_id = ${student}) AS av,
      (SELECT version FROM marks WHERE lesson_id = ${lessonId} AND student_id = ${student}) AS mv`))!;
    const done = new Promise<number[]>((resolve) => child.once('message', (m: { type: string; arrivals: number[] }) => resolve(m.arrivals)));
    child.send({ type: 'round' });
    const cpu0 = process.cpuUsage();
    const t0 = now();
    const res = await fetch(`${url}/courses/${courseId}/cells`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: teacher.cookie, 'x-csrf-token': teacher.csrf },
      body: new URLSearchParams({ lessonId: String(lessonId), studentId: String(student), value: String(6 + (r % 2)), av: String(v.av ?? 0), mv: String(v.mv ?? 0), reason: 'fan-out bench' }).toString(),
    });
    await res.arrayBuffer();
    const arrivals = (await done).map((t) => t - t0).sort((a, b) => a - b);
    const cpu = process.cpuUsage(cpu0);
    rounds.push({ arrivals, cpuMs: (cpu.user + cpu.system) / 1000, status: res.status });
  }
  if (prof) writeFileSync(process.env.FANOUT_PROFILE!, JSON.stringify((await prof.post('Profiler.stop')).profile));
  child.kill();
  const byMedian = [...rounds].sort((a, b) => pct(a.arrivals, 50) - pct(b.arrivals, 50));
  const mid = byMedian[Math.floor(byMedian.length / 2)];
  const arrivals = mid.arrivals;
  const res = { status: rounds.every((x) => x.status === 200) ? 200 : rounds.find((x) => x.status !== 200)!.status };
  const cpuPerMark = [...rounds.map((x) => x.cpuMs)].sort((a, b) => a - b)[Math.floor(rounds.length / 2)];
  const perSocket = (after.heapUsed + after.external - before.heapUsed - before.external) / Math.max(1, opened);
  const out = {
    sockets: opened, writeStatus: res.status, received: arrivals.length, connectAllMs: Math.round(connectMs),
    medianMs: Number(pct(arrivals, 50)?.toFixed(1)), p99Ms: Number(pct(arrivals, 99)?.toFixed(1)), maxMs: Number(arrivals[arrivals.length - 1]?.toFixed(1)),
    rounds: ROUNDS, serverCpuMsPerMark: Number(cpuPerMark.toFixed(1)), serverBytesPerIdleSocket: Math.round(perSocket), serverRssDeltaMB: Math.round((after.rss - before.rss) / 1e5) / 10,
  };
  console.log(`fan-out: ${out.received}/${out.sockets} sockets got the mark; median ${out.medianMs} ms, p99 ${out.p99Ms} ms, max ${out.maxMs} ms ` +
    `(the middle of ${ROUNDS} marks); server CPU ${out.serverCpuMsPerMark} ms per mark; ` +
    `${(out.serverBytesPerIdleSocket / 1024).toFixed(1)} KiB of server heap per idle socket (RSS +${out.serverRssDeltaMB} MB); all connected in ${out.connectAllMs} ms`);
  return out;
}
