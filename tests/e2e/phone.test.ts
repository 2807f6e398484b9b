import { describe, it, expect } from 'vitest';
import { sql } from 'drizzle-orm';
import { browserLogin, useServerAndBrowser } from '../helpers/browser';
import { courseOf } from '../helpers/lookup';
import { TEST_TODAY } from '../helpers/constants';

const env = useServerAndBrowser();

describe('a teacher on a 360 × 740 phone', () => {
  for (const locale of ['ru-RU', 'en-GB'] as const) {
    it(`(${locale}) a compact header, whole words on the status buttons, names in full, a bell drawn as an icon with its word`, async () => {
      const store = env.server.store;
      await store.run(sql`UPDATE users SET lang = ${locale === 'ru-RU' ? 'ru' : 'en'} WHERE email = 'teacher@demo.test'`);
      const course = await courseOf(store, 'Human Anatomy', '1101');
      const lesson = (await store.get<{ id: number }>(sql`SELECT l.id FROM lessons l JOIN groups g ON g.id = l.group_id
        WHERE l.course_id = ${course} AND g.name = '1101' AND l.date = ${TEST_TODAY}`))!.id;
      const context = await env.browser.newContext({ locale, timezoneId: 'Europe/Minsk', viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
      const page = await context.newPage();
      await browserLogin(page, env.server.url, 'teacher@demo.test');
      const header = await page.locator('header.top').boundingBox();
      expect(header!.height).toBeLessThanOrEqual(80); // was 282 px
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
      const bell = page.locator('a.bell');
      expect(await bell.locator('svg').count()).toBe(1);
      expect(await bell.locator('.bell-label').isVisible()).toBe(true);
      expect(await bell.locator('.bell-label').textContent()).toBe(locale === 'ru-RU' ? 'Уведомления' : 'Notifications');

      await page.goto(`${env.server.url}/courses/${course}/lessons/${lesson}`);
      const cut = await page.locator('.seg button').evaluateAll((bs) => bs.filter((b) => b.scrollWidth > b.clientWidth).map((b) => b.textContent));
      expect(cut).toEqual([]);

      await page.goto(`${env.server.url}/courses/${course}`);
      const names = await page.locator('table.journal tbody th.st').evaluateAll((ths) => ths.map((th) => ({ cut: th.scrollWidth > th.clientWidth, text: th.textContent })));
      expect(names.filter((n) => n.cut)).toEqual([]);
      await context.close();
    }, 120_000);
  }
});
