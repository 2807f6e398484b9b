import { describe, it, expect } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { browserLogin, useServerAndBrowser } from '../helpers/browser';
import { courseOf } from '../helpers/lookup';

const env = useServerAndBrowser();

async function phone(email: string): Promise<Page> {
  const context = await env.browser.newContext({ locale: 'ru-RU', viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await browserLogin(page, env.server.url, email);
  return page;
}

const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

describe('students and parents on a 360 × 740 phone', () => {
  it('a student sees her courses with admission reasons, and a course page with its chart, without horizontal scrolling', async () => {
    const page = await phone('student@demo.test');
    await page.getByRole('heading', { name: 'Моя успеваемость' }).waitFor();
    expect(await page.locator('article.tile').count()).toBeGreaterThanOrEqual(4);
    expect(await page.locator('.badge.bad', { hasText: 'Не допущен' }).count()).toBeGreaterThan(0);
    expect(await page.locator('ul.reasons li').first().textContent()).toMatch(/не отработано|рейтинг|пропуски/);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(tmpdir(), 'zachetka-student-360.png'), fullPage: true });
    await page.getByRole('link', { name: 'Анатомия человека' }).first().click();
    await page.locator('svg.chart').waitFor();
    await page.locator('svg.calendar').waitFor();
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await page.context().close();
  });

  it('a parent sees the child attendance first, and the child page, without horizontal scrolling', async () => {
    const page = await phone('parent@demo.test');
    await page.getByRole('heading', { name: 'Мои дети' }).waitFor();
    const card = page.locator('article.tile').first();
    expect(await card.textContent()).toMatch(/Пропуски: \d+/);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await card.getByRole('link').click();
    await page.getByRole('heading', { name: 'Климович Анастасия Сергеевна' }).waitFor();
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(tmpdir(), 'zachetka-parent-360.png'), fullPage: true });
    await page.context().close();
  });

  it('pages stay light: every family page under 60 KB compressed', async () => {
    const page = await phone('student@demo.test');
    const student = (await env.server.store.get<{ id: number }>(sql`SELECT id FROM users WHERE email = 'student@demo.test'`))!.id;
    const course = await courseOf(env.server.store, 'Human Anatomy', '1101');
    for (const url of ['/', `/students/${student}`, `/students/${student}/courses/${course}`, `/students/${student}/guardians`]) {
      // The document and everything it loads (htmx, its extensions, our scripts and stylesheet).
      const parts = await page.evaluate(async (u) => {
        const html = await (await fetch(u)).text();
        const doc = new DOMParser().parseFromString(html, 'text/html');
        const assets = [...doc.querySelectorAll('script[src], link[rel=stylesheet]')].map((e) => e.getAttribute('src') ?? e.getAttribute('href')!);
        return [html, ...(await Promise.all(assets.map(async (a) => (await fetch(a)).text())))];
      }, url);
      const size = parts.reduce((n, p) => n + gzipSync(p).length, 0);
      console.log(`page weight ${url}: ${gzipSync(parts[0]).length} B gzip document, ${size} B gzip with htmx, scripts and CSS`);
      expect(size).toBeLessThan(60 * 1024);
    }
    await page.context().close();
  });
});
