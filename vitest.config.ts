import { defineConfig } from 'vitest/config';
import { statfsSync } from 'node:fs';

// The tests' SQLite files go to a RAM disk when the machine has one with room: every commit of the app
// syncs the file (synchronous=FULL), and on a disk that fsync was over half the time of the fuzz test.
// What the tests check (results, isolation, the audit chain, kill -9 recovery) does not depend on the disk;
// the app's own durability setting is unchanged, and `npm run bench` measures on the real disk.
function ramDisk(): string | null {
  try {
    const s = statfsSync('/dev/shm');
    return s.bavail * s.bsize > 2 * 1024 ** 3 ? '/dev/shm' : null;
  } catch {
    return null;
  }
}
const RAM = process.env.ZK_TEST_TMPDIR ?? ramDisk();
if (RAM) process.env.TMPDIR = RAM;

// Three projects: `npx vitest run --project unit` takes seconds (no demo seed, no server);
// integration runs the app on copies of one seeded demo database; browser drives Chromium.
const UNIT = ['tests/domain/**/*.test.ts', 'tests/unit/**/*.test.ts', 'tests/{config,i18n,views}.test.ts'];

// `npm run test:pg` (TEST_DB=postgres): the same tests with every app on a PostgreSQL database of its own.
// A statement there is a round trip to another process, so the slowest tests get more time.
const ON_PG = process.env.TEST_DB === 'postgres';

export default defineConfig({
  test: {
    testTimeout: ON_PG ? 60_000 : 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two cores: more workers than that only adds contention (browser tests start Chromium).
    maxWorkers: 2,
    reporters: ['default'],
    projects: [
      { extends: true, test: { name: 'unit', include: UNIT } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/**/*.test.ts'],
          exclude: [...UNIT, 'tests/e2e/**'],
          globalSetup: ['tests/helpers/global-setup.ts'],
        },
      },
      {
        extends: true,
        // A browser test signs several people in on a shared 2-core machine: time enough, and waits for states.
        test: { name: 'browser', include: ['tests/e2e/**/*.test.ts'], globalSetup: ['tests/helpers/global-setup.ts'], testTimeout: 120_000 },
      },
    ],
  },
});
