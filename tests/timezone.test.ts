import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { sql } from 'drizzle-orm';
import { makeTestApp, loginAs, userId, type TestApp } from './helpers/app';

let t: TestApp;
beforeAll(async () => { t = await makeTestApp(); });
afterAll(async () => { await t?.close(); });

const zoneOf = async (email: string) => (await t.store.get<{ tz: string }>(sql`SELECT time_zone AS tz FROM users WHERE email = ${email}`))!.tz;

describe('each user reads instants in their own time zone', () => {
  it('a parent picks Asia/Kolkata: the footer names it, times follow it, the change is audited', async () => {
    const parent = await loginAs(t.app, 'parent@demo.test');
    const form = (await parent.get('/account')).body;
    expect(form).toContain('<option selected>Europe/Minsk</option>');
    expect(form).toMatch(/<option>Asia\/(Kolkata|Calcutta)<\/option>/);
    const res = await parent.post('/account/timezone', { tz: 'Asia/Kolkata', back: '/account?tz=saved#tz' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/account?tz=saved#tz');
    expect(await zoneOf('parent@demo.test')).toBe('Asia/Kolkata');
    const after = (await parent.get('/account?tz=saved')).body;
    expect(after).toContain('Часовой пояс сохранён: Asia/Kolkata.');
    expect(after).toContain('Время указано для часового пояса Asia/Kolkata');
    const row = await t.store.get<{ before: string; after: string }>(sql`SELECT before, after FROM audit_log WHERE action = 'user.update' AND actor_id = ${await userId(t.store, 'parent@demo.test')} ORDER BY id DESC LIMIT 1`);
    expect(row).toEqual({ before: JSON.stringify({ tz: 'Europe/Minsk' }), after: JSON.stringify({ tz: 'Asia/Kolkata' }) });
    // Lesson dates stay the university's: the same day labels as before, only instants move (12:00 Minsk = 14:30 Kolkata).
    const notes = (await parent.get('/notifications')).body;
    expect(notes).not.toMatch(/Europe\/Minsk/);
  });

  it('refuses a zone that does not exist, a huge value and a foreign redirect, changing nothing', async () => {
    const a = await loginAs(t.app, 'student@demo.test');
    for (const tz of ['Mars/Olympus', 'x'.repeat(5000), '']) {
      const res = await a.post('/account/timezone', { tz });
      expect(res.statusCode).toBe(422);
      expect(res.body).toContain('Выберите часовой пояс из списка.');
    }
    expect(await zoneOf('student@demo.test')).toBe('Europe/Minsk');
    const res = await a.post('/account/timezone', { tz: 'UTC', back: '//evil.example/' });
    expect(res.headers.location).toBe('/account?tz=saved#tz');
    expect(await zoneOf('student@demo.test')).toBe('UTC');
  });

  it('the header offers the browser’s zone through a form hidden until the script sees a different one', async () => {
    const a = await loginAs(t.app, 'teacher@demo.test');
    const body = (await a.get('/')).body;
    expect(body).toMatch(/<form method="post" action="\/account\/timezone" class="tz-offer no-print" id="tz-offer" hidden data-tz="Europe\/Minsk">/);
    expect(body).toContain('src="/public/tz.js"');
  });
});
