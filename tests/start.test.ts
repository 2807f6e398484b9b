import { describe, it, expect, afterAll, beforeAll } from 'vitest';
import { ON_PG, createDatabase } from './helpers/pg';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dataDir = mkdtempSync(join(tmpdir(), 'zachetka-start-'));
// Under test:pg the server starts on an empty PostgreSQL database instead of a new SQLite file.
let database: Awaited<ReturnType<typeof createDatabase>> | undefined;
beforeAll(async () => {
  if (ON_PG) database = await createDatabase('zk_start');
});
afterAll(async () => {
  rmSync(dataDir, { recursive: true, force: true });
  await database?.drop();
});

/** Runs `npm start`'s entry point as a real process and collects what it prints. */
function start(env: Record<string, string> = {}): { proc: ChildProcess; output: () => string; url: Promise<string> } {
  // node itself with tsx's loader (not the tsx CLI), so the signal reaches the server, not a wrapper.
  const proc = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn', ...(database ? { DATABASE_URL: database.url } : {}), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const url = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed:\n${out}`)), 60_000);
    proc.stdout!.on('data', () => {
      const m = /running at (http:\/\/\S+)/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    proc.on('exit', () => { clearTimeout(timer); reject(new Error(`exited early:\n${out}`)); });
  });
  url.catch(() => {}); // the bad-config case never prints a URL; that is awaited separately
  return { proc, output: () => out, url };
}

function stop(proc: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => { proc.on('exit', (code) => resolve(code)); proc.kill('SIGTERM'); });
}

describe('npm start', () => {
  it('creates the database, seeds the demo once, prints the URL and logins, and stops cleanly', async () => {
    const first = start();
    const url = await first.url;
    expect(first.output()).toContain('Seeded the demo university');
    expect(first.output()).toContain('teacher@demo.test');
    const page = await fetch(`${url}/login`);
    expect(page.status).toBe(200);
    expect(await stop(first.proc)).toBe(0);

    const second = start();
    await second.url;
    expect(second.output()).not.toContain('Seeded');
    expect(second.output()).toContain('student@demo.test');
    expect(await stop(second.proc)).toBe(0);
  }, 120_000);

  it('refuses a bad configuration naming the variable', async () => {
    const bad = start({ PORT: 'eighty' });
    const code = await new Promise<number | null>((resolve) => bad.proc.on('exit', resolve));
    expect(code).toBe(2);
    expect(bad.output()).toMatch(/PORT: must be a port number/);
  }, 60_000);

  it('refuses a DATABASE_URL that is not PostgreSQL, or whose server does not answer, saying which', async () => {
    const scheme = start({ DATABASE_URL: 'mysql://u:hunter2@127.0.0.1/zachetka' });
    expect(await new Promise<number | null>((resolve) => scheme.proc.on('exit', resolve))).toBe(2);
    expect(scheme.output()).toMatch(/DATABASE_URL: DATABASE_URL must start with postgres:\/\//);
    const down = start({ DATABASE_URL: 'postgres://u:hunter2@127.0.0.1:1/zachetka' });
    expect(await new Promise<number | null>((resolve) => down.proc.on('exit', resolve))).toBe(2);
    expect(down.output()).toMatch(/Cannot reach PostgreSQL at postgres:\/\/u:\*\*\*@127\.0\.0\.1:1\/zachetka/);
    expect(scheme.output() + down.output()).not.toMatch(/hunter2/);
  }, 60_000);
});
