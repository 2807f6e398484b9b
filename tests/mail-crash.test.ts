// Issue 15: the server killed (SIGKILL) in the middle of a batch of 50 messages, then started again on the
// same database: every message arrives exactly once. The kill comes while one message has been received
// whole by the SMTP server but not answered (no 250), the moment a sender cannot know the outcome; that
// message's claim expires (MAIL_CLAIM_SECONDS) and the restarted process sends it, and nothing else twice.
// Also `npm run mail:test`, the operator's test message, against the same server.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { openStore, type Store } from '../db/store';
import { PgStore } from '../db/store-pg';
import { ON_PG, createDatabase } from './helpers/pg';
import { startApp, type AppProcess } from './helpers/cluster';
import { startSmtp, type TestSmtp } from './helpers/smtp';
import { enqueueTestMessage } from '../db/queries/mail';

const dataDir = mkdtempSync(join(tmpdir(), 'zachetka-mail-crash-'));
let database: Awaited<ReturnType<typeof createDatabase>> | undefined;
let smtp: TestSmtp;
const procs: AppProcess[] = [];
let env: Record<string, string>;
beforeAll(async () => {
  smtp = await startSmtp();
  if (ON_PG) database = await createDatabase('zk_mailcrash');
  env = {
    DATA_DIR: dataDir, DEMO: 'false', SMTP_URL: smtp.url, MAIL_FROM: 'Zachetka <journal@bsmu.test>', MAIL_CLAIM_SECONDS: '2',
    SECRET: 'mail-crash-secret-mail-crash-secret-0123', ...(database ? { DATABASE_URL: database.url } : {}),
  };
});
afterAll(async () => {
  for (const p of procs) await p.kill('SIGKILL');
  await smtp.close();
  rmSync(dataDir, { recursive: true, force: true });
  await database?.drop();
});

const until = async (what: string, ok: () => boolean | Promise<boolean>, ms = 60_000) => {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

const BATCH = 50;
const address = (i: number) => `parent${String(i).padStart(2, '0')}@example.org`;

describe('mail survives kill -9 mid-send', () => {
  it('a batch of 50, the server killed while one message waits for its 250, restarted: each delivered exactly once', async () => {
    const first = await startApp(env, 'first');
    procs.push(first);
    const store: Store = database ? new PgStore(database.url) : openStore(join(dataDir, 'zachetka.sqlite'));
    try {
      const killed = new Promise<void>((resolve) => smtp.holdNext(() => { first.proc.kill('SIGKILL'); resolve(); }, 20));
      await store.tx(async (tx) => {
        for (let i = 1; i <= BATCH; i++) await enqueueTestMessage(tx, address(i), 'ru', `crash-${i}`, Date.now());
      });
      await killed;
      await new Promise((r) => first.proc.once('exit', r)).catch(() => {});
      await until('the first process to exit', () => first.proc.exitCode !== null || first.proc.signalCode !== null);
      expect(first.proc.signalCode).toBe('SIGKILL');
      const states = await store.all<{ state: string; n: number }>(sql`SELECT state, count(*) AS n FROM mail_outbox GROUP BY state ORDER BY state`);
      const by = Object.fromEntries(states.map((s) => [s.state, Number(s.n)]));
      expect(by.sent).toBe(20);
      expect(by.sending).toBe(1); // the one the SMTP server never acknowledged
      expect(smtp.inbox).toHaveLength(20);

      const second = await startApp(env, 'second');
      procs.push(second);
      await until('all 50 marked sent', async () => Number((await store.get<{ n: number }>(sql`SELECT count(*) AS n FROM mail_outbox WHERE state = 'sent'`))!.n) === BATCH);
      await new Promise((r) => setTimeout(r, 2_500)); // longer than a claim: a duplicate would have gone by now
      const got = smtp.inbox.map((m) => m.to).sort();
      expect(got).toEqual(Array.from({ length: BATCH }, (_, i) => address(i + 1)));
      expect(new Set(smtp.inbox.map((m) => m.messageId)).size).toBe(BATCH);
      expect(smtp.inbox.every((m) => /^<test:crash-\d+@bsmu\.test>$/.test(m.messageId))).toBe(true);
      expect(smtp.inbox[0].subject).toBe('Зачётка: проверочное письмо');
      await second.kill('SIGTERM');
    } finally {
      await store.close();
    }
  }, 180_000);

  it('npm run mail:test sends a test message and says so', async () => {
    smtp.reset();
    const out = await new Promise<{ code: number | null; text: string }>((resolve) => {
      const p = spawn(process.execPath, ['--import', 'tsx', 'server/cli/mail-test.ts', '--to', 'operator@example.org'], { env: { ...process.env, ...env, LOG_LEVEL: 'warn' } });
      let text = '';
      p.stdout.on('data', (d) => (text += d));
      p.stderr.on('data', (d) => (text += d));
      p.on('exit', (code) => resolve({ code, text }));
    });
    expect(out.text).toContain('Sent a test message to operator@example.org');
    expect(out.code).toBe(0);
    expect(smtp.inbox.map((m) => [m.to, m.subject])).toEqual([['operator@example.org', 'Zachetka: a test message']]);
  }, 60_000);
});
