import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { browserLogin, useServerAndBrowser } from '../helpers/browser';
import { courseOf, linkedChild, studentOfGroup } from '../helpers/lookup';
import { TEST_TODAY } from '../helpers/constants';

const env = useServerAndBrowser();
const AXE = readFileSync(join(__dirname, '..', '..', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

type Violation = { id: string; impact: string | null; help: string; nodes: { target: string[]; html: string }[] };

/** axe-core on the page as it stands: the serious and critical violations, each with its first nodes. */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE });
  const v = await page.evaluate(async () => {
    const r = await (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<{ violations: Violation[] }> } })
      .axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
    return r.violations;
  }) as Violation[];
  return v.filter((x) => x.impact === 'serious' || x.impact === 'critical')
    .map((x) => `${x.id} (${x.impact}, ${x.nodes.length} nodes): ${x.help} — ${x.nodes.slice(0, 2).map((n) => n.html.slice(0, 120)).join(' | ')}`);
}

async function pageAs(email: string | null, lang: 'ru-RU' | 'en-GB'): Promise<Page> {
  // The CSP forbids inline scripts, axe's included: this test context alone lets the injected script run.
  const context = await env.browser.newContext({ locale: lang, bypassCSP: true });
  const page = await context.newPage();
  if (email) await browserLogin(page, env.server.url, email);
  return page;
}

describe('axe-core: no serious or critical violation on the main pages of every role', () => {
  for (const lang of ['ru-RU', 'en-GB'] as const) {
    it(`in ${lang}`, async () => {
      const store = env.server.store;
      if (lang === 'en-GB') await store.run(sql`UPDATE users SET lang = 'en'`);
      const course = await courseOf(store, 'Human Anatomy', '1101');
      const student = (await store.get<{ id: number }>(sql`SELECT id FROM users WHERE email = 'student@demo.test'`))!.id;
      const lesson = (await store.get<{ id: number }>(sql`SELECT l.id FROM lessons l JOIN groups g ON g.id = l.group_id
        WHERE l.course_id = ${course} AND g.name = '1101' AND l.date = ${TEST_TODAY}`))!.id;
      const child = await linkedChild(store, 'parent@demo.test');
      const other = await studentOfGroup(store, '1102');
      const visits: [string | null, string][] = [
        [null, '/login'],
        ['student@demo.test', '/'], ['student@demo.test', `/students/${student}/courses/${course}`],
        ['parent@demo.test', '/'], ['parent@demo.test', `/students/${child}/courses/${course}`],
        ['teacher@demo.test', '/'], ['teacher@demo.test', `/courses/${course}`], ['teacher@demo.test', `/courses/${course}/lessons/${lesson}`],
        ['dean@demo.test', '/'], ['dean@demo.test', '/admin/reports'], ['dean@demo.test', '/admin/audit'],
        ['dean@demo.test', '/admin/people'], ['dean@demo.test', `/admin/people/${other}`],
      ];
      const found: string[] = [];
      const pages = new Map<string | null, Page>();
      for (const [email, url] of visits) {
        let page = pages.get(email);
        if (!page) pages.set(email, (page = await pageAs(email, lang)));
        await page.goto(env.server.url + url);
        await page.locator('main').waitFor();
        for (const v of await seriousViolations(page)) found.push(`${email ?? 'anonymous'} ${url}: ${v}`);
      }
      for (const p of pages.values()) await p.context().close();
      if (lang === 'en-GB') await store.run(sql`UPDATE users SET lang = 'ru'`);
      expect(found).toEqual([]);
    }, 240_000);
  }
});
