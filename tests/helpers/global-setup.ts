import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { openStoreOn } from './store';
import { seedDemo } from '../../db/seed/demo';
import { hashPassword } from '../../server/auth/password';
import { TEST_TODAY, DEMO_PASSWORD } from './constants';

/** Seeds the demo university once; every test copies this file instead of seeding again. */
export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'zachetka-template-'));
  const file = join(dir, 'template.sqlite');
  const passwordHash = await hashPassword(DEMO_PASSWORD); // before the seed's transactions: no argon2 inside one
  const template = openStoreOn(file);
  await seedDemo(template.store, { today: TEST_TODAY, passwordHash });
  await template.store.sqlite.checkpoint();
  await template.close();
  project.provide('templateDb', file);
  return () => rmSync(dir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    templateDb: string;
  }
}
