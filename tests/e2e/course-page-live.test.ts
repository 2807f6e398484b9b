import { describe, it, expect } from 'vitest';
import { sql } from 'drizzle-orm';
import { browserLogin, useServerAndBrowser } from '../helpers/browser';
import { loginAs } from '../helpers/app';
import { courseOf } from '../helpers/lookup';
import { TEST_TODAY } from '../helpers/constants';

const env = useServerAndBrowser();

describe('the student’s course page is live, and the bell says what it shows', () => {
  it('a mark entered by the teacher appears in the tile, the timeline and the chart without a reload; the bell’s name follows its count', async () => {
    const store = env.server.store;
    const course = await courseOf(store, 'Human Anatomy', '1101');
    const student = (await store.get<{ id: number }>(sql`SELECT id FROM users WHERE email = 'student@demo.test'`))!.id;
    const lesson = (await store.get<{ id: number }>(sql`SELECT l.id FROM lessons l JOIN groups g ON g.id = l.group_id
      WHERE l.course_id = ${course} AND g.name = '1101' AND l.date = ${TEST_TODAY}`))!.id;
    await store.run(sql`UPDATE notifications SET read_at = 1 WHERE user_id = ${student}`);

    const context = await env.browser.newContext({ locale: 'ru-RU' });
    const page = await context.newPage();
    await browserLogin(page, env.server.url, 'student@demo.test');
    await page.goto(`${env.server.url}/students/${student}/courses/${course}`);
    await page.locator('#live[data-live="connected"]').waitFor({ state: 'attached', timeout: 20_000 });
    await page.evaluate(() => { (window as unknown as { marker: boolean }).marker = true; }); // survives only without a reload
    const bell = page.locator('a.bell');
    expect(await bell.getAttribute('aria-label')).toBeNull(); // the name comes from what is drawn
    expect((await page.getByRole('link', { name: 'Уведомления', exact: true }).count())).toBe(1);
    const points = await page.locator('svg.chart circle').count();

    const teacher = await loginAs(env.server.app, 'teacher@demo.test');
    const res = await teacher.post(`/courses/${course}/cells`, { lessonId: lesson, studentId: student, value: '10', av: 0, mv: 0 });
    expect(res.statusCode).toBeLessThan(400);

    await page.locator(`#course-tile-${student}-${course}`, { hasText: 'последняя оценка 10' }).waitFor({ timeout: 15_000 });
    await page.locator(`#tl-${lesson}`, { hasText: 'Оценка: 10' }).waitFor({ timeout: 15_000 });
    await page.waitForFunction((n) => document.querySelectorAll('svg.chart circle').length === n + 1, points, { timeout: 15_000 });
    // The drawn count and the spoken name agree: one unread notification, both ways.
    await page.getByRole('link', { name: 'Уведомления 1 непрочитанное уведомление' }).waitFor({ timeout: 15_000 });
    expect(await bell.locator('.count').textContent()).toBe('1');
    expect(await bell.locator('svg').count()).toBe(1); // an inline icon, no emoji font needed
    expect(await page.evaluate(() => (window as unknown as { marker?: boolean }).marker)).toBe(true);
    await context.close();
  }, 120_000);
});
