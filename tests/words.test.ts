import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { sql } from 'drizzle-orm';
import { makeTestApp, loginAs, userId, type TestApp } from './helpers/app';
import { courseOf, linkedChild } from './helpers/lookup';

// Numbers and words as a Russian reader meets them: plural forms, decimal commas, each count once.
let t: TestApp;
beforeAll(async () => { t = await makeTestApp(); });
afterAll(async () => { await t?.close(); });

const visible = (h: string) => h.replace(/<script[\s\S]*?<\/script>/g, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('numbers and words on Russian pages', () => {
  it('the student home and course page: decimal commas, each absence count once, plural forms', async () => {
    const a = await loginAs(t.app, 'student@demo.test');
    const me = await userId(t.store, 'student@demo.test');
    const course = await courseOf(t.store, 'Human Anatomy', '1101');
    for (const url of ['/', `/students/${me}/courses/${course}`]) {
      const body = (await a.get(url)).body;
      const text = visible(body);
      expect(text).not.toMatch(/Рейтинг: \d+\.\d/);
      expect(body).not.toMatch(/Пропуски: <b>(\d+)<\/b> <small class="muted">\1 из/);
      expect(text).toMatch(/Пропуски: \d+ из \d+/);
      expect(text).not.toContain('занятий: 1 ');
      expect(text).not.toContain('(?)');
    }
    const page = (await a.get(`/students/${me}/courses/${course}`)).body;
    expect(page).toMatch(/<title>\d\d\.\d\d: \d+,\d\d<\/title>/); // the chart's tooltips: "17.11: 7,56", not "7.56"
    expect(page).not.toMatch(/<title>\d\d\.\d\d: \d+\.\d\d<\/title>/);
  });

  it('the teacher home: "51 студент", "32 студента"', async () => {
    const a = await loginAs(t.app, 'teacher@demo.test');
    const text = visible((await a.get('/')).body);
    expect(text).toMatch(/ 51 студент(?![а-я])/);
    expect(text).toMatch(/ 34 студента(?![а-я])/);
    expect(text).not.toMatch(/ (1|21|31|41|51) студентов/);
    expect(text).not.toMatch(/ ([2-4]|2[2-4]|3[2-4]) студентов/);
  });

  it('a parent reads about the child, not "you are admitted"; the student reads about herself', async () => {
    const child = await linkedChild(t.store, 'parent@demo.test');
    const course = await courseOf(t.store, 'Human Anatomy', '1101');
    const parent = await loginAs(t.app, 'parent@demo.test');
    await t.store.run(sql`UPDATE users SET lang = 'en' WHERE email IN ('parent@demo.test', 'student@demo.test')`);
    const seen = visible((await parent.get(`/students/${child}/courses/${course}`)).body);
    expect(seen).toContain('Nothing: Anastasiya is admitted so far.'); // the passport's given name on an English page
    expect(seen).not.toContain('you are admitted');
    const student = await loginAs(t.app, 'student@demo.test');
    expect(visible((await student.get(`/students/${child}/courses/${course}`)).body)).toContain('Nothing: you are admitted so far.');
    await t.store.run(sql`UPDATE users SET lang = 'ru' WHERE email IN ('parent@demo.test', 'student@demo.test')`);
  });

  it('the greeting follows the hour where the reader is: no "Добрый день" at 04:00', async () => {
    const a = await loginAs(t.app, 'teacher@demo.test');
    t.setNow(Date.parse('2026-11-24T01:00:00Z')); // 04:00 in Minsk
    try {
      const text = visible((await a.get('/')).body);
      expect(text).not.toContain('Добрый день');
      expect(text).toContain('Здравствуйте, ');
      t.setNow(Date.parse('2026-11-24T05:00:00Z')); // 08:00
      expect(visible((await a.get('/')).body)).toContain('Доброе утро, ');
    } finally {
      t.setNow(Date.parse('2026-11-24T09:00:00Z'));
    }
  });
});
