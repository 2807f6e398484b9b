import { defineConfig } from 'vitest/config';

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
