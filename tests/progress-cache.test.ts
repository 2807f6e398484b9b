// Issue 13, item 1: the students' course verdicts (server/progress/progress-cache.ts) are kept between
// views and dropped by the change stream. Property: after any write the register accepts (every POST
// route of the route × role matrix, in random orders), what the cache answers for a student equals a
// full recomputation from the records, for the students the write names and a sample of the rest.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { makeTestApp, type TestApp } from './helpers/app';
import { clientFor, type Client } from './helpers/session';
import { MATRIX, emailOf, loadFixtures, someAllowedUser, type Case, type Fixtures, type User } from './helpers/routes';
import { studentCourseProgress } from '../server/progress/student-progress';
import { cachedProgress } from '../server/progress/progress-cache';
import { TEST_TODAY } from './helpers/constants';

let t: TestApp;
let f: Fixtures;
let sample: number[];
const clients = new Map<User, Client>();
beforeAll(async () => {
  t = await makeTestApp({ loginLimits: { windowMs: 60_000, perAccount: 1_000_000, perAddress: 1_000_000 } });
  f = await loadFixtures(t.store);
  const all = (await t.store.all<{ id: number }>(sql`SELECT DISTINCT m.student_id AS id FROM group_memberships m WHERE m.to_date IS NULL ORDER BY m.student_id`)).map((r) => r.id);
  sample = [...new Set([...Object.values(f.student), f.studentAtDemo, f.tpChild, ...all.filter((_, i) => i % 25 === 0)])];
});
afterAll(async () => { await t.close(); });

const client = async (u: User) => {
  if (!clients.has(u)) clients.set(u, await clientFor(t.app, t.store, emailOf(u)));
  return clients.get(u)!;
};

/** Every student the sample holds, and the ones the form names, answered by the cache and recomputed. */
async function compare(extra: number[], what: string) {
  const cached = cachedProgress(t.app.progress, t.store);
  for (const id of new Set([...sample, ...extra])) {
    const fresh = await studentCourseProgress(t.store, id, f.termId, TEST_TODAY);
    expect(await cached(id, f.termId, TEST_TODAY), `${what}: student ${id}`).toEqual(fresh);
  }
}

const writes = Object.entries(MATRIX).filter(([r]) => r.startsWith('POST ')).flatMap(([route, cs]) => cs.filter((c) => c.form).map((c) => ({ route, c })));

async function apply({ route, c }: { route: string; c: Case }): Promise<number[]> {
  const url = await c.url(f);
  const form = (await c.form!(f)) as Record<string, unknown>;
  const named = [form.studentId, /\/(?:students|people)\/(\d+)/.exec(url)?.[1]].map(Number).filter((n) => Number.isInteger(n) && n > 0);
  // Fixtures (a fresh course, user or link) are written straight into the tables, past the change stream
  // the app's own writes go through: start from a cache that knows them, filled for everyone compared.
  t.app.progress.invalidate({ auditId: 0, entity: 'audit:fixture', action: 'fixture', courseId: null, studentId: null, lessonId: null, actorId: null });
  const cached = cachedProgress(t.app.progress, t.store);
  for (const id of new Set([...sample, ...named])) await cached(id, f.termId, TEST_TODAY);
  const res = await (await client(someAllowedUser(c))).post(url, form);
  expect(res.statusCode, `${route} (${c.name})`).toBeLessThan(500);
  await t.app.publisher.drain();
  return named;
}

describe('the progress cache', () => {
  it('answers from memory once computed: a second home view computes nothing', async () => {
    const student = await client('student');
    await student.get('/');
    const s0 = t.store.stats.statements;
    await student.get('/');
    const cachedRun = t.store.stats.statements - s0;
    t.app.progress.invalidate({ auditId: 0, entity: 'audit:term', action: 'term.update', courseId: null, studentId: null, lessonId: null, actorId: null });
    const s1 = t.store.stats.statements;
    await student.get('/');
    expect(cachedRun).toBeLessThan(t.store.stats.statements - s1);
  });

  it('equals a recomputation after every write route, in random orders', async () => {
    await compare([], 'warm');
    await fc.assert(fc.asyncProperty(fc.shuffledSubarray(writes, { minLength: 8, maxLength: 16 }), async (batch) => {
      for (const w of batch) {
        const named = await apply(w);
        await compare(named, `${w.route} (${w.c.name})`);
      }
    }), { numRuns: 4, seed: Number(process.env.FC_SEED ?? Date.now() % 2 ** 31) });
  }, 600_000);
});
