// Scratch: size and CPU of compressing a student home page at several settings.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync, constants as z } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { openStore } from '../db/store';
import { seedDemo } from '../db/seed/demo';
import { buildApp } from '../server/app';
import { loadConfig } from '../server/config';
import { createSession, generateSessionToken, SESSION_COOKIE } from '../server/auth/session';

const dir = mkdtempSync(join(tmpdir(), 'zk-cc-'));
const store = openStore(join(dir, 'z.sqlite'));
await seedDemo(store, { today: new Date().toISOString().slice(0, 10), passwordHash: 'x' });
const app = await buildApp({ store, config: loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent' }), logger: false });
await app.ready();
for (const email of ['student@demo.test', 'parent@demo.test', 'teacher@demo.test']) {
  const id = (await store.get<{ id: number }>(sql`SELECT id FROM users WHERE email = ${email}`))!.id;
  const token = generateSessionToken();
  await createSession(store, token, id, Date.now());
  const body = Buffer.from((await app.inject({ url: '/', headers: { cookie: `${SESSION_COOKIE}=${token}` } })).body);
  const settings: [string, () => Buffer][] = [
    ['br q4 w18', () => brotliCompressSync(body, { params: { [z.BROTLI_PARAM_QUALITY]: 4, [z.BROTLI_PARAM_LGWIN]: 18, [z.BROTLI_PARAM_SIZE_HINT]: body.length } })],
    ['br q3 w18', () => brotliCompressSync(body, { params: { [z.BROTLI_PARAM_QUALITY]: 3, [z.BROTLI_PARAM_LGWIN]: 18 } })],
    ['br q2 w18', () => brotliCompressSync(body, { params: { [z.BROTLI_PARAM_QUALITY]: 2, [z.BROTLI_PARAM_LGWIN]: 18 } })],
    ['br q1', () => brotliCompressSync(body, { params: { [z.BROTLI_PARAM_QUALITY]: 1 } })],
    ['gzip 5', () => gzipSync(body, { level: 5 })],
    ['gzip 3', () => gzipSync(body, { level: 3 })],
    ['gzip 1', () => gzipSync(body, { level: 1 })],
  ];
  console.log(`${email}: ${body.length} bytes`);
  for (const [name, f] of settings) {
    for (let i = 0; i < 50; i++) f();
    const t0 = process.cpuUsage();
    let size = 0;
    for (let i = 0; i < 500; i++) size = f().length;
    const u = process.cpuUsage(t0);
    console.log(`  ${name}: ${size} bytes, ${((u.user + u.system) / 500).toFixed(0)} µs`);
  }
}
await app.close();
await store.close();
