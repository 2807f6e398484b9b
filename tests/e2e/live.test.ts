import { describe, it, expect } from 'vitest';
import type { Page } from 'playwright-core';
import { browserLogin, useServerAndBrowser } from '../helpers/browser';
import { courseOf } from '../helpers/lookup';
import { TEST_TODAY } from '../helpers/constants';

const env = useServerAndBrowser();

async function open(email: string, url: string): Promise<Page> {
  const context = await env.browser.newContext({ locale: 'ru-RU' });
  const page = await context.newPage();
  await browserLogin(page, env.server.url, email);
  if (url !== '/') await page.goto(env.server.url + url);
  // Wait until the page's socket is up (hx-ws fires this when it connects).
  await page.evaluate(() => new Promise<void>((resolve) => {
    document.addEventListener('htmx:ws:after:connection', () => resolve(), { once: true });
    setTimeout(resolve, 1500);
  }));
  return page;
}

describe('live in Chromium: a mark appears on open pages without a reload', () => {
  it('the student’s home, the parent’s home and a second teacher’s journal show the teacher’s mark within a second', async () => {
    const course = courseOf(env.server.db, 'Human Anatomy', '1101');
    const student = (env.server.db.$client.prepare("SELECT id FROM users WHERE email = 'student@demo.test'").get() as { id: number }).id;
    const lesson = (env.server.db.$client.prepare(`SELECT l.id FROM lessons l JOIN groups g ON g.id = l.group_id WHERE l.course_id = ? AND g.name = '1101' AND l.date = ?`).get(course, TEST_TODAY) as { id: number }).id;
    const studentPage = await open('student@demo.test', '/');
    const parentPage = await open('parent@demo.test', '/');
    const colleague = await open('teacher2@demo.test', `/courses/${course}`);
    const tileBefore = await studentPage.locator(`#course-tile-${student}-${course}`).textContent();
    await studentPage.evaluate(() => { (window as unknown as { marker: boolean }).marker = true; }); // survives only without a reload

    const teacher = await open('teacher@demo.test', `/courses/${course}`);
    await teacher.locator(`#c-${lesson}-${student}`).focus();
    await teacher.keyboard.type('10');
    const started = Date.now();
    await teacher.keyboard.press('Enter');

    await colleague.waitForFunction(([id]) => document.getElementById(id)?.textContent?.trim() === '10', [`c-${lesson}-${student}`], { timeout: 1000 });
    await studentPage.waitForFunction(([id, before]) => document.getElementById(id)?.textContent !== before, [`course-tile-${student}-${course}`, tileBefore] as const, { timeout: 1000 });
    await parentPage.waitForFunction(([id]) => !!document.getElementById(id)?.textContent?.includes('Пропуски'), [`child-${student}`], { timeout: 1000 });
    const elapsed = Date.now() - started;
    console.log(`live: mark visible on the other pages ${elapsed} ms after Enter`);
    expect(elapsed).toBeLessThan(1500);
    expect(await studentPage.locator(`#course-tile-${student}-${course}`).textContent()).toContain('последняя оценка 10');
    expect(await studentPage.evaluate(() => (window as unknown as { marker?: boolean }).marker)).toBe(true);
    for (const p of [studentPage, parentPage, colleague, teacher]) await p.context().close();
  });
});
