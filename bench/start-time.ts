// Time from `npm start` to listening, on a fresh clone (the tracked files copied to a temporary folder,
// node_modules linked as `npm ci` would have installed it): the first start (which builds, migrates and
// seeds the demo university) and a restart on the same data. Run alone: `tsx bench/start-time.ts [source dir]`.
import { spawn, execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export type StartTimes = { firstStartMs: number; restartMs: number };

/** Milliseconds from spawning `npm start` until it prints its URL; then it is stopped with SIGTERM. */
function timeStart(cwd: string, dataDir: string): Promise<number> {
  return new Promise((res, rej) => {
    const t0 = performance.now();
    const child = spawn('npm', ['start'], {
      cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: '', DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn' },
    });
    let out = '';
    let ms: number | null = null;
    const onData = (b: Buffer) => {
      out += b;
      if (ms === null && out.includes('is running at')) {
        ms = performance.now() - t0;
        process.kill(-child.pid!, 'SIGTERM'); // npm and the server it started: the process group
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', () => (ms === null ? rej(new Error(`npm start exited before listening:\n${out}`)) : res(ms)));
  });
}

export async function measureStartTimes(source: string): Promise<StartTimes> {
  const dir = mkdtempSync(join(tmpdir(), 'zachetka-start-'));
  try {
    const clone = join(dir, 'clone');
    mkdirSync(clone);
    const tracked = execFileSync('git', ['-C', source, 'ls-files', '-z'], { encoding: 'utf8' }).split('\0').filter(Boolean);
    for (const f of tracked) cpSync(join(source, f), join(clone, f));
    symlinkSync(resolve(source, 'node_modules'), join(clone, 'node_modules'));
    const data = join(dir, 'data');
    const firstStartMs = await timeStart(clone, data);
    const restartMs = await timeStart(clone, data);
    return { firstStartMs, restartMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const source = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
  const t = await measureStartTimes(source);
  console.log(`npm start to listening (${source}): first start ${Math.round(t.firstStartMs)} ms, restart ${Math.round(t.restartMs)} ms`);
}
