// `npm start`: open (or create) the database, migrate, seed the demo university on a first start,
// listen, and shut down cleanly on SIGINT/SIGTERM.
import { loadConfig, ConfigError } from './config';
import { isEmpty } from '../db/client';
import { openConfiguredStore } from '../db/open';
import { DatabaseUrlError, displayUrl } from '../db/client-pg';
import { buildApp } from './app';
import { seedDemo } from '../db/seed/demo';
import { hashPassword } from './auth/password';
import { DEMO_LOGINS, DEMO_PASSWORD } from './demo-accounts';
import { dateInZone } from '../views/format';
import { openSharedState, SharedStateError } from './shared-state';

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
  const started = performance.now();
  // Before the database: an unreachable Redis stops the start at once, with its name.
  let shared;
  try {
    shared = await openSharedState(config, (err) => console.error(`Redis: ${err.message}`));
  } catch (e) {
    if (e instanceof SharedStateError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
  let store;
  try {
    store = await openConfiguredStore(config);
  } catch (e) {
    if (e instanceof DatabaseUrlError) {
      console.error(e.message);
      await shared.close();
      process.exit(2);
    }
    throw e;
  }
  let seeded = false;
  if (config.demo && (await isEmpty(store))) {
    const passwordHash = await hashPassword(DEMO_PASSWORD); // before the seed's transaction: no argon2 inside one
    try {
      const summary = await seedDemo(store, { today: dateInZone(Date.now(), config.universityTz), passwordHash });
      seeded = true;
      console.log(`Seeded the demo university: ${summary.students} students, ${summary.teachers} teachers, ${summary.courses} courses, ${summary.marks} marks.`);
    } catch (e) {
      // Several processes started at once on an empty database: one seed commits, the others' (one
      // transaction each) roll back on its unique keys. The register is there either way.
      if (await isEmpty(store)) throw e;
    }
  }
  const app = await buildApp({ store, config, bus: shared.bus, loginThrottle: shared.loginThrottle });
  // Handlers go in before listening: a signal during start-up still closes the database cleanly.
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    try {
      await app.close();
    } finally {
      await shared.close();
      await store.close();
      process.exit(0);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = config.publicUrl.replace(/:\d+$/, `:${port}`);
  // One write, so whoever reads the banner sees all of it at once.
  const lines = [`\nZachetka is running at ${url}  (started in ${Math.round(performance.now() - started)} ms)`,
    `Database: ${config.databaseUrl ? displayUrl(config.databaseUrl) : config.databaseFile}${seeded ? ' (new, demo university seeded)' : ''}`,
    `Shared state: ${shared.describe}`];
  if (config.demo && !(await isEmpty(app.store))) {
    lines.push(`\nDemo logins (password: ${DEMO_PASSWORD}):`);
    for (const a of DEMO_LOGINS) lines.push(`  ${a.email.padEnd(26)} ${a.en}`);
  }
  console.log(lines.join('\n'));

}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
