import { it } from 'vitest';
import { sql } from 'drizzle-orm';
import { browserLogin, useServerAndBrowser } from '../../helpers/browser';
import { courseOf } from '../../helpers/lookup';

const env = useServerAndBrowser();
it('screenshots', async () => {
  const s = env.server.store;
  const course = await courseOf(s, 'Human Anatomy', '1101');
  const group = (await s.get<{ id: number }>(sql`SELECT id FROM groups WHERE name = '1101'`))!.id;
  for (const [w, h] of [[1280, 800], [360, 740]]) {
    const context = await env.browser.newContext({ locale: 'ru-RU', viewport: { width: w, height: h } });
    const page = await context.newPage();
    await browserLogin(page, env.server.url, 'teacher@demo.test');
    await page.goto(`${env.server.url}/courses/${course}?group=${group}`);
    await page.waitForFunction(() => document.activeElement?.matches('td[role=gridcell]'));
    await page.keyboard.type('11');
    await page.keyboard.press('Enter');
    await page.locator('td.refused').waitFor();
    await context.setOffline(true);
    await page.keyboard.type('7');
    await page.keyboard.press('Enter');
    await page.locator('td.queued').waitFor();
    await page.screenshot({ path: `/tmp/ux-journal-${w}.png` });
    await context.setOffline(false);
    const admin = await env.browser.newContext({ locale: 'ru-RU', viewport: { width: w, height: h } });
    const p2 = await admin.newPage();
    await browserLogin(p2, env.server.url, 'admin@demo.test');
    const term = (await s.get<{ id: number }>(sql`SELECT term_id AS id FROM courses LIMIT 1`))!.id;
    await p2.goto(`${env.server.url}/admin/terms/${term}/lock`);
    await p2.screenshot({ path: `/tmp/ux-lock-${w}.png` });
    await context.close(); await admin.close();
  }
}, 120_000);
