import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../db/client';
import { seedDemo } from '../../db/seed/demo';
import { hashPassword } from '../../server/auth/password';
import { TEST_TODAY, DEMO_PASSWORD } from './constants';

/** Seeds the demo university once; every test copies this file instead of seeding again. */
export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'zachetka-template-'));
  const file = join(dir, 'template.sqlite');
  const db = openDatabase(file);
  seedDemo(db, { today: TEST_TODAY, passwordHash: await hashPassword(DEMO_PASSWORD) });
  db.$client.pragma('wal_checkpoint(TRUNCATE)');
  db.$client.close();
  project.provide('templateDb', file);
  return () => rmSync(dir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    templateDb: string;
  }
}
