// Issue 14, item 5 in Chromium at 1280 and 360 px: the journal opens at today's lesson with its first
// cell focused; "Today" and a skip link go back there; typing a name filters the rows.
import { describe, it, expect, beforeAll } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { browserLogin, useServerAndBrowser } from '../helpers/browser';
import { lessonOfDay } from '../helpers/lookup';
import { TEST_TODAY } from '../helpers/constants';

const env = useServerAndBrowser();
let course: number;
let lesson: number;
let group: number;

beforeAll(async () => {
  ({ course, group, lesson } = await lessonOfDay(env.server.store, 'Human Anatomy', '1101', TEST_TODAY));
});

/** Whether the element's box lies inside the scrolling grid's visible box. */
const visibleInGrid = (page: Page, selector: string) => page.evaluate((sel) => {
  const el = document.querySelector(sel)!.getBoundingClientRect();
  const wrap = document.querySelector('.journal-wrap')!.getBoundingClientRect();
  return el.left >= wrap.left && el.right <= wrap.right + 1;
}, selector);

describe.each([[1280, 800], [360, 740]])('the journal at %d px', (width, height) => {
  it('opens at today with its first cell focused; Today and the skip link come back; the name filter narrows the rows', async () => {
    const context = await env.browser.newContext({ locale: 'ru-RU', viewport: { width, height } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await browserLogin(page, env.server.url, 'teacher@demo.test');
    await page.goto(`${env.server.url}/courses/${course}?group=${group}`);
    await page.waitForFunction((l) => document.activeElement?.getAttribute('data-l') === String(l), lesson, { timeout: 10_000 });
    const first = await page.evaluate(() => document.activeElement?.id);
    expect(first).toMatch(new RegExp(`^c-${lesson}-\\d+$`));
    expect(await visibleInGrid(page, `#h-${lesson}`)).toBe(true);

    // Scrolled back to the start of term, "Сегодня" returns to today's column.
    await page.evaluate(() => { document.querySelector('.journal-wrap')!.scrollLeft = 0; });
    await page.getByRole('button', { name: 'Сегодня' }).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(first);
    expect(await visibleInGrid(page, `#h-${lesson}`)).toBe(true);

    // From the top of the page: the site's skip link past the header, then the journal's, into the grid.
    await page.locator('a.skip[href="#main"]').focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('skip-to-grid');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(first);

    // Filter as you type: only the matching rows stay, and arrows move through them only.
    const surname = await page.locator('#journal tbody tr:nth-child(3) th.st .nm').textContent();
    const part = surname!.split(' ')[0]!.slice(0, 5);
    await page.fill('#journal-filter', part.toLowerCase());
    const shown = await page.locator('#journal tbody tr:not([hidden])').count();
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(await page.locator('#journal tbody tr').count());
    for (const name of await page.locator('#journal tbody tr:not([hidden]) th.st .nm').allTextContents()) expect(name.toLowerCase()).toContain(part.toLowerCase());
    await page.fill('#journal-filter', 'Нетакогостудента');
    expect(await page.locator('#journal tbody tr:not([hidden])').count()).toBe(0);
    expect(await page.locator('#journal-filter-none').textContent()).toContain('Нет студентов');
    await page.fill('#journal-filter', '');
    expect(await page.locator('#journal tbody tr[hidden]').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('the lesson list on a phone', () => {
  it('Enter in a mark field saves the mark (not a status button), in place', async () => {
    const context = await env.browser.newContext({ locale: 'ru-RU', viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    await browserLogin(page, env.server.url, 'teacher@demo.test');
    await page.goto(`${env.server.url}/courses/${course}/lessons/${lesson}`);
    const row = page.locator('li.lesson-row').nth(4);
    const id = await row.getAttribute('id');
    const studentId = Number(id!.split('-')[2]);
    await row.locator('input[name=mark]').fill('8');
    await row.locator('input[name=mark]').press('Enter');
    await page.locator(`#${id} .now`, { hasText: '8' }).waitFor({ timeout: 10_000 });
    const m = await env.server.store.get<{ value: number }>(sql`SELECT value FROM marks WHERE lesson_id = ${lesson} AND student_id = ${studentId}`);
    expect(m?.value).toBe(8);
    expect(page.url()).toContain(`/lessons/${lesson}`);
    await context.close();
  });
});
