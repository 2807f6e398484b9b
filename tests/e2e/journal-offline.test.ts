// Issue 14, item 3 in Chromium: an entry typed without a connection waits (in the page, and across a
// reload in localStorage), the page says how many wait, and each goes out when the connection is back;
// a refused entry stays in its cell, marked, with the message next to it, until corrected or Escape.
import { describe, it, expect, beforeAll } from 'vitest';
import { sql } from 'drizzle-orm';
import type { BrowserContext, Page } from 'playwright-core';
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

const markOf = async (student: number) =>
  (await env.server.store.get<{ value: number | null }>(sql`SELECT value FROM marks WHERE lesson_id = ${lesson} AND student_id = ${student}`))?.value ?? null;

async function openGrid(): Promise<{ context: BrowserContext; page: Page; students: number[] }> {
  const context = await env.browser.newContext({ locale: 'ru-RU', viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await browserLogin(page, env.server.url, 'teacher@demo.test');
  await page.goto(`${env.server.url}/courses/${course}?group=${group}`);
  const students = await page.locator(`td[role=gridcell][data-l="${lesson}"]`).evaluateAll((tds) => tds.map((td) => Number(td.getAttribute('data-s'))));
  return { context, page, students };
}

async function until(check: () => Promise<boolean>, what: string) {
  for (let i = 0; i < 150; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('journal entries without a connection', () => {
  it('wait while offline, say how many, and are saved in order when the connection is back', async () => {
    const { context, page, students } = await openGrid();
    await page.locator(`#c-${lesson}-${students[0]}`).focus();
    await context.setOffline(true);
    await page.keyboard.type('6');
    await page.keyboard.press('Enter');
    await page.keyboard.type('7');
    await page.keyboard.press('Enter');
    await page.locator('#save-state', { hasText: 'Ожидают отправки: 2' }).waitFor({ timeout: 10_000 });
    await page.locator(`#c-${lesson}-${students[1]}.queued`).waitFor();
    expect(await page.locator(`#c-${lesson}-${students[1]}`).textContent()).toBe('7');
    expect(await markOf(students[0]!)).not.toBe(6);
    await context.setOffline(false);
    await page.locator('#save-state.saved').waitFor({ timeout: 15_000 });
    await until(async () => (await markOf(students[1]!)) === 7, 'the second entry in the database');
    expect(await markOf(students[0]!)).toBe(6);
    expect(await page.locator(`#journal td.queued`).count()).toBe(0);
    await context.close();
  });

  it('survive a reload in the browser’s storage and go out once the server is reachable', async () => {
    const { context, page, students } = await openGrid();
    const refuse = (route: { abort: () => Promise<void> }) => route.abort();
    await page.route('**/cells', refuse);
    await page.locator(`#c-${lesson}-${students[2]}`).focus();
    await page.keyboard.type('5');
    await page.keyboard.press('Enter');
    await page.locator(`#c-${lesson}-${students[2]}.queued`).waitFor({ timeout: 10_000 });
    await page.reload();
    // After the reload: still shown where it was typed, still counted, still not in the database.
    await page.locator(`#c-${lesson}-${students[2]}.queued`).waitFor({ timeout: 10_000 });
    expect(await page.locator(`#c-${lesson}-${students[2]}`).textContent()).toBe('5');
    await page.locator('#save-state', { hasText: 'Ожидают отправки: 1' }).waitFor({ timeout: 10_000 });
    expect(await markOf(students[2]!)).not.toBe(5);
    await page.unroute('**/cells', refuse);
    await until(async () => (await markOf(students[2]!)) === 5, 'the entry in the database after the reload');
    await page.locator('#save-state.saved').waitFor({ timeout: 15_000 });
    expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('zachetka.cells.')).length)).toBe(0);
    await context.close();
  });
});

describe('a refused entry', () => {
  it('stays in its cell, marked, with the message next to it; Escape brings the stored value back', async () => {
    const { context, page, students } = await openGrid();
    const cell = page.locator(`#c-${lesson}-${students[3]}`);
    const stored = (await cell.textContent())?.trim() ?? '';
    await cell.focus();
    await page.keyboard.type('11');
    await page.keyboard.press('Enter');
    await page.locator(`#c-${lesson}-${students[3]}.refused`).waitFor({ timeout: 10_000 });
    expect(await cell.getAttribute('aria-invalid')).toBe('true');
    expect(await cell.locator('.cell-msg').textContent()).toContain('от 1 до 10');
    expect(await cell.evaluate((td) => td.firstChild?.textContent)).toBe('11');
    // Editing it again starts from what was typed; Enter unchanged keeps it refused.
    await cell.focus();
    await page.keyboard.press('F2');
    expect(await cell.locator('input').inputValue()).toBe('11');
    await page.keyboard.press('Escape');
    expect((await cell.textContent())?.trim()).toBe(stored);
    expect(await cell.getAttribute('class')).not.toContain('refused');
    expect(await markOf(students[3]!)).not.toBe(11);
    // Typed again and corrected: saved, the mark and the message gone.
    await cell.focus();
    await page.keyboard.type('11');
    await page.keyboard.press('Enter');
    await page.locator(`#c-${lesson}-${students[3]}.refused`).waitFor({ timeout: 10_000 });
    await cell.focus();
    await page.keyboard.press('F2');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await page.keyboard.type('9');
    await page.keyboard.press('Enter');
    await until(async () => (await markOf(students[3]!)) === 9, 'the corrected entry in the database');
    await page.locator(`#c-${lesson}-${students[3]}:not(.refused)`).waitFor({ timeout: 10_000 });
    expect(await page.locator(`#c-${lesson}-${students[3]} .cell-msg`).count()).toBe(0);
    await context.close();
  });
});
