import { sql } from 'drizzle-orm';
import { it } from 'vitest';
import { makeTestApp, loginAs } from '../tests/helpers/app';
it('timing', async () => {
  const t = await makeTestApp();
  const n = await t.store.get<{ n: number }>(sql`SELECT count(*) AS n FROM users`);
  for (const who of ['admin@demo.test', 'dean@demo.test']) {
    const a = await loginAs(t.app, who);
    await a.get('/admin/people');
    const ms: number[] = [];
    for (let i = 0; i < 10; i++) { const s = performance.now(); await a.get(`/admin/people?page=${i + 1}`); ms.push(performance.now() - s); }
    ms.sort((x, y) => x - y);
    console.log(who, 'users', n, 'median ms', ms[5].toFixed(1), 'max', ms[9].toFixed(1));
  }
  await t.close();
});
