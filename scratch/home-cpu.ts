// Scratch: server CPU per family home view through the app (inject), with the progress cache and without.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { openStore } from '../db/store';
import { seedDemo } from '../db/seed/demo';
import { hashPassword } from '../server/auth/password';
import { buildApp } from '../server/app';
import { loadConfig } from '../server/config';
import { createSession, generateSessionToken, SESSION_COOKIE } from '../server/auth/session';

const dir = mkdtempSync(join(tmpdir(), 'zk-home-'));
const store = openStore(join(dir, 'z.sqlite'));
const today = new Date().toISOString().slice(0, 10);
await seedDemo(store, { today, passwordHash: await hashPassword('x') });
const app = await buildApp({ store, config: loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent' }), logger: false });
await app.ready();
const cookieOf = async (email: string) => {
  const id = (await store.get<{ id: number }>(sql`SELECT id FROM users WHERE email = ${email}`))!.id;
  const token = generateSessionToken();
  await createSession(store, token, id, Date.now());
  return `${SESSION_COOKIE}=${token}`;
};
const drop = { auditId: 0, entity: 'audit:term', action: 'x', courseId: null, studentId: null, lessonId: null, actorId: null };
for (const email of ['student@demo.test', 'parent@demo.test']) {
  const cookie = await cookieOf(email);
  for (const mode of ['uncached', 'cached', 'uncached', 'cached']) {
    const n = 400;
    for (let i = 0; i < 50; i++) await app.inject({ url: '/', headers: { cookie, 'accept-encoding': 'br' } });
    const t0 = process.cpuUsage();
    for (let i = 0; i < n; i++) {
      if (mode === 'uncached') app.progress.invalidate(drop);
      const r = await app.inject({ url: '/', headers: { cookie, 'accept-encoding': 'br' } });
      if (r.statusCode !== 200) throw new Error(String(r.statusCode));
    }
    const u = process.cpuUsage(t0);
    console.log(`${email} ${mode}: ${((u.user + u.system) / n / 1000).toFixed(2)} ms CPU per GET /`);
  }
}
await app.close();
await store.close();
