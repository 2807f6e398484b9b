// Fan-out: N sockets follow one journal; one mark is written over HTTP; how long until every
// subscriber has it, and how much server memory an idle socket costs. Called by bench/run.ts.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import type { Store } from '../db/store';
import { createSession, generateSessionToken } from '../server/auth/session';

type Input = { app: FastifyInstance; store: Store; url: string; courseId: number; lessonId: number; students: number[]; teacher: { userId: number; cookie: string; csrf: string } };

const N = Number(process.env.FANOUT_SOCKETS ?? 5000);
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
  const done = new Promise<number[]>((resolve) => child.on('message', (m: { type: string; arrivals: number[] }) => { if (m.type === 'done') resolve(m.arrivals); }));
  const connectStart = now();
  child.send({ url, origin: url, tokens, page: `course:${courseId}`, match });
  const opened = await ready;
  const connectMs = now() - connectStart;
  await new Promise((r) => setTimeout(r, 500));
  global.gc?.();
  const after = process.memoryUsage();

  const v = (await store.get<{ av: number | null; mv: number | null }>(sql`SELECT (SELECT version FROM attendance WHERE lesson_id = ${lessonId} AND student_id = ${student}) AS av,
    (SELECT version FROM marks WHERE lesson_id = ${lessonId} AND student_id = ${student}) AS mv`))!;
  const t0 = now();
  const res = await fetch(`${url}/courses/${courseId}/cells`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: teacher.cookie, 'x-csrf-token': teacher.csrf },
    body: new URLSearchParams({ lessonId: String(lessonId), studentId: String(student), value: '6', av: String(v.av ?? 0), mv: String(v.mv ?? 0), reason: 'fan-out bench' }).toString(),
  });
  const arrivals = (await done).map((t) => t - t0).sort((a, b) => a - b);
  child.kill();
  const perSocket = (after.heapUsed + after.external - before.heapUsed - before.external) / Math.max(1, opened);
  const out = {
    sockets: opened, writeStatus: res.status, received: arrivals.length, connectAllMs: Math.round(connectMs),
    medianMs: Number(pct(arrivals, 50)?.toFixed(1)), p99Ms: Number(pct(arrivals, 99)?.toFixed(1)), maxMs: Number(arrivals[arrivals.length - 1]?.toFixed(1)),
    serverBytesPerIdleSocket: Math.round(perSocket), serverRssDeltaMB: Math.round((after.rss - before.rss) / 1e5) / 10,
  };
  console.log(`fan-out: ${out.received}/${out.sockets} sockets got the mark; median ${out.medianMs} ms, p99 ${out.p99Ms} ms, max ${out.maxMs} ms; ` +
    `${(out.serverBytesPerIdleSocket / 1024).toFixed(1)} KiB of server heap per idle socket (RSS +${out.serverRssDeltaMB} MB); all connected in ${out.connectAllMs} ms`);
  return out;
}
