// Issue 14, item 8 in a browser: the people list and the at-risk report in pages, at 360 px and 1280 px —
// the count readable, the page links big enough to tap and kept on screen, the filters carried by them.
import { describe, it, expect } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { browserLogin, useServerAndBrowser } from '../helpers/browser';

const env = useServerAndBrowser();

/** Nothing on the page is wider than the window (a sideways-scrolling page on a phone). */
const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

describe('long lists in pages', () => {
  for (const [width, height, locale] of [[360, 740, 'ru-RU'], [1280, 800, 'en-GB']] as const) {
    it(`(${width} px, ${locale}) the people list pages with its filters; the report's at-risk list too`, async () => {
      const store = env.server.store;
      const ru = locale === 'ru-RU';
      await store.run(sql`UPDATE users SET lang = ${ru ? 'ru' : 'en'} WHERE email = 'dean@demo.test'`);
      const phone = width < 600;
      const context = await env.browser.newContext({ locale, timezoneId: 'Europe/Minsk', viewport: { width, height }, isMobile: phone, hasTouch: phone });
      const page = await context.newPage();
      await browserLogin(page, env.server.url, 'dean@demo.test');

      await page.goto(`${env.server.url}/admin/people`);
      await page.locator('#people-filters select[name="role"]').selectOption('student');
      await page.locator('#people-filters button[type="submit"]').click();
      await page.waitForURL(/role=student/);
      const count = page.locator('#people-pager .pager-count');
      await expect.poll(() => count.textContent()).toMatch(ru ? /^1–40 из \d+$/ : /^1–40 of \d+$/);
      const firstPage = await page.locator('table.people-list tbody tr').evaluateAll((rs) => rs.map((r) => r.id));
      expect(firstPage).toHaveLength(40);
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      // Thumb-sized page links (WCAG 2.5.5: 44 × 44 CSS px), on screen.
      const next = page.locator('#people-pager a[rel="next"]');
      const box = (await next.boundingBox())!;
      expect(box.height).toBeGreaterThanOrEqual(44);
      expect(box.x + box.width).toBeLessThanOrEqual(width);
      await next.click();
      await page.waitForURL(/page=2/);
      expect(page.url()).toContain('role=student');
      await expect.poll(() => count.textContent()).toMatch(ru ? /^41–\d+ из \d+$/ : /^41–\d+ of \d+$/);
      expect(await page.locator('#people-pager a[aria-current="page"]').textContent()).toBe('2');
      const secondPage = await page.locator('table.people-list tbody tr').evaluateAll((rs) => rs.map((r) => r.id));
      expect(secondPage.some((id) => firstPage.includes(id))).toBe(false);
      expect(await page.locator('#people-filters select[name="role"]').inputValue()).toBe('student'); // the filter stays chosen
      // On a phone a row stacks (name, roles, actions) instead of a table wider than the screen.
      const row = page.locator('table.people-list tbody tr').first();
      expect((await row.boundingBox())!.width).toBeLessThanOrEqual(width);
      expect(await overflow(page)).toBeLessThanOrEqual(0);

      await page.goto(`${env.server.url}/admin/reports`);
      const risk = page.locator('#risk-pager .pager-count');
      await expect.poll(() => risk.textContent()).toMatch(ru ? /^1–40 из \d+$/ : /^1–40 of \d+$/);
      await page.locator('#report-filters select[name="group"]').selectOption({ label: '1101' });
      await page.locator('#report-filters button[type="submit"]').click();
      await page.waitForURL(/group=\d+/);
      const groups = await page.locator('#at-risk tbody tr td:nth-child(2)').allTextContents();
      expect(groups.length).toBeGreaterThan(0);
      expect(new Set(groups)).toEqual(new Set(['1101']));
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      await context.close();
    }, 120_000);
  }
});
