import { sql } from 'drizzle-orm';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { makeTestApp, loginAs, agent, userId, type TestApp } from './helpers/app';

let t: TestApp;
beforeAll(async () => { t = await makeTestApp(); });
afterAll(async () => { await t.close(); });

describe('people', () => {
  it('a dean disables a student of the faculty (signed out at once) and enables them again; another faculty cannot', async () => {
    const student = await loginAs(t.app, 'student@demo.test');
    const id = await userId(t.store, 'student@demo.test');
    const fis = await loginAs(t.app, 'dean-fis@demo.test');
    expect((await fis.post(`/admin/people/${id}/disable`, { reason: 'проверка' })).statusCode).toBe(404);
    expect((await fis.get('/admin/people?q=Климович')).body).not.toContain(`id="person-${id}"`);
    const dean = await loginAs(t.app, 'dean@demo.test');
    expect((await dean.get('/admin/people?q=Климович')).body).toContain(`id="person-${id}"`);
    expect((await dean.get('/admin/people?q=Климович')).body).toContain('Студент · 1101'); // roles in the reader's language
    expect((await dean.post(`/admin/people/${id}/disable`, { reason: '' })).statusCode).toBe(422);
    expect((await dean.post(`/admin/people/${id}/disable`, { reason: 'Академический отпуск' })).statusCode).toBe(303);
    expect((await student.get('/')).statusCode).toBe(303);
    await expect(loginAs(t.app, 'student@demo.test')).rejects.toThrow();
    expect((await dean.post(`/admin/people/${id}/enable`, { reason: 'Вышла из отпуска' })).statusCode).toBe(303);
    await loginAs(t.app, 'student@demo.test');
  });

  it('a one-time reset link sets a new password, ends every session, and works once', async () => {
    const teacher2 = await loginAs(t.app, 'teacher2@demo.test');
    const admin = await loginAs(t.app, 'admin@demo.test');
    const res = await admin.get(String((await admin.post(`/admin/people/${await userId(t.store, 'teacher2@demo.test')}/reset`, {})).headers.location));
    const link = /(\/reset\/[A-Za-z0-9_-]+)/.exec(res.body)![1];
    const stranger = agent(t.app);
    expect((await stranger.get(link)).statusCode).toBe(200);
    expect((await stranger.post(link, { next: 'short', repeat: 'short' })).statusCode).toBe(422);
    expect((await stranger.post(link, { next: 'a-brand-new-password', repeat: 'a-brand-new-password' })).statusCode).toBe(303);
    expect((await teacher2.get('/')).statusCode).toBe(303); // the old session is gone
    await loginAs(t.app, 'teacher2@demo.test', 'a-brand-new-password');
    expect((await stranger.get(link)).statusCode).toBe(404); // spent
    expect((await (await loginAs(t.app, 'teacher@demo.test')).get('/admin/people')).statusCode).toBe(404);
  });

  it('two submissions of one link at once set one password (argon2 runs between the look-up and the write)', async () => {
    const admin = await loginAs(t.app, 'admin@demo.test');
    const res = await admin.get(String((await admin.post(`/admin/people/${await userId(t.store, 'teacher2@demo.test')}/reset`, {})).headers.location));
    const link = /(\/reset\/[A-Za-z0-9_-]+)/.exec(res.body)![1];
    const resets = async () => (await t.store.get<{ n: number }>(sql`SELECT count(*) AS n FROM audit_log
      WHERE action = 'user.password_reset' AND entity_id = ${await userId(t.store, 'teacher2@demo.test')}`))!.n;
    const before = await resets();
    const [a, b] = [agent(t.app), agent(t.app)];
    await Promise.all([a.get(link), b.get(link)]);
    const answers = await Promise.all([
      a.post(link, { next: 'first-new-password', repeat: 'first-new-password' }),
      b.post(link, { next: 'second-new-password', repeat: 'second-new-password' }),
    ]);
    expect(answers.map((r) => r.statusCode).sort()).toEqual([303, 404]);
    expect(await resets()).toBe(before + 1);
  });
});
