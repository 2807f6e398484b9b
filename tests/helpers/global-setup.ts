import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { openStoreOn } from './store';
import { seedDemo } from '../../db/seed/demo';
import { openPgStore } from '../../db/client-pg';
import { hashPassword } from '../../server/auth/password';
import { TEST_TODAY, DEMO_PASSWORD } from './constants';
import { ON_PG, createDatabase } from './pg';

/**
 * Seeds the demo university once; every test copies it instead of seeding again: a file on SQLite,
 * on PostgreSQL a template database each test clones with CREATE DATABASE … TEMPLATE (dropped at teardown).
 */
export default async function setup(project: TestProject) {
  const passwordHash = await hashPassword(DEMO_PASSWORD); // before the seed's transactions: no argon2 inside one
  if (ON_PG) {
    const template = await createDatabase('zk_template');
    try {
      const store = await openPgStore(template.url);
      await seedDemo(store, { today: TEST_TODAY, passwordHash });
      await store.close(); // a template must have no open connection when it is copied
    } catch (e) {
      await template.drop();
      throw e;
    }
    project.provide('templateDb', template.name);
    return () => template.drop();
  }
  const dir = mkdtempSync(join(tmpdir(), 'zachetka-template-'));
  const file = join(dir, 'template.sqlite');
  const template = openStoreOn(file);
  await seedDemo(template.store, { today: TEST_TODAY, passwordHash });
  await template.store.sqlite.checkpoint();
  await template.close();
  project.provide('templateDb', file);
  return () => rmSync(dir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** The seeded SQLite file, or on PostgreSQL the name of the seeded template database. */
    templateDb: string;
  }
}
