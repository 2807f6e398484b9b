// `npm start` runs the compiled server (dist/, built by scripts/build.mjs when the sources are newer):
// routes, migrations, static files and the roster worker must all be found from there.
import { describe, it, expect } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isStale } from '../scripts/build.mjs';

// It starts the embedded default (SQLite in DATA_DIR) whatever TEST_DB says: the PostgreSQL run of the suite
// would repeat it exactly, so it runs in the default run only.
describe.skipIf(process.env.TEST_DB === 'postgres')('npm start (compiled JavaScript)', () => {
  it('builds when stale, then serves the login page, a static file and the vendored htmx from dist/', async () => {
    const data = mkdtempSync(join(tmpdir(), 'zachetka-start-'));
    const child = spawn(process.execPath, ['scripts/start.mjs'], {
      env: { ...process.env, NODE_OPTIONS: '', DATA_DIR: data, PORT: '0', LOG_LEVEL: 'warn', DEMO: 'false' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        const onData = (b: Buffer) => {
          out += b;
          const m = /running at (http:\/\/\S+)/.exec(out);
          if (m) resolve(m[1]);
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
      });
      expect(isStale()).toBe(false);
      const login = await fetch(`${url}/login`);
      expect(login.status).toBe(200);
      expect(await login.text()).toContain('name="password"');
      expect((await fetch(`${url}/public/journal.js`)).status).toBe(200);
      expect((await fetch(`${url}/vendor/htmx.min.js`)).status).toBe(200);
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      rmSync(data, { recursive: true, force: true });
    }
  }, 180_000);
});
