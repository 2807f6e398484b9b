// A mobility call from opening to selection in Chromium (issue 17): the university administration opens
// the call, a student applies from her own page, the dean's office sees her ranked with the score's
// components, enters points with a note and selects her with a reason; she reloads and sees the result.
// Then the student's page and the ranking page are photographed at 1280 and 360 px in ru and en.
import { describe, it, expect } from 'vitest';
import { sql } from 'drizzle-orm';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { browserLogin, useServerAndBrowser } from '../helpers/browser';
import { courseOf } from '../helpers/lookup';

const env = useServerAndBrowser();
const SHOTS = process.env.MOB_SHOTS ?? join(tmpdir(), 'mob-shots');

async function pageAs(email: string, o: { locale?: string; width?: number } = {}): Promise<Page> {
  const width = o.width ?? 1280;
  const context = await env.browser.newContext({ locale: o.locale ?? 'ru-RU', viewport: { width, height: width < 500 ? 740 : 900 } });
  const page = await context.newPage();
  await browserLogin(page, env.server.url, email);
  return page;
}

const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
let callId = 0;
let applicationId = 0;

describe('a mobility call in Chromium', () => {
  it('opened → applied with a motivation → ranked, scored and selected by the dean\'s office → the student sees it', async () => {
    const { url, store } = env.server;
    const errors: string[] = [];
    const watch = (p: Page) => {
      p.on('pageerror', (e) => errors.push(String(e)));
      p.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    };

    // The university administration opens a call for first-year degree students of the faculty of medicine.
    const admin = await pageAs('admin@demo.test');
    watch(admin);
    await admin.goto(`${url}/admin/mobility`);
    const form = admin.locator('#new-call');
    const partner = (await store.get<{ id: number }>(sql`SELECT id FROM mobility_partners WHERE name_en LIKE 'I. M. Sechenov%'`))!.id;
    await form.locator('select[name=partnerId]').selectOption(String(partner));
    await form.locator('input[name=fromDate]').fill('2027-02-15');
    await form.locator('input[name=toDate]').fill('2027-02-28');
    await form.locator('select[name=programme]').selectOption('degree');
    await form.locator('input[name=year]').fill('1');
    await form.locator('input[name=deadline]').fill('2026-12-15');
    await form.locator('input[name=places_1]').fill('2');
    await Promise.all([admin.waitForURL(/done=callOpened/), form.locator('button[type=submit]').click()]);
    await admin.getByText('Конкурс объявлен.').waitFor();
    callId = (await store.get<{ id: number }>(sql`SELECT max(id) AS id FROM mobility_calls`))!.id;
    await admin.locator(`#call-${callId}`).waitFor();

    // The student applies from her own page.
    const student = await pageAs('student@demo.test');
    watch(student);
    await student.goto(`${url}/mobility`);
    const apply = student.locator(`#apply-${callId}`);
    await apply.locator('textarea[name=motivation]').fill('Хочу пройти клиническую практику по хирургии в Сеченовском университете.');
    await Promise.all([student.waitForURL(/done=applied/), apply.locator('button[type=submit]').click()]);
    await student.getByText('Заявка отправлена.').waitFor();
    const mine = student.locator('#my-applications li').first();
    expect(await mine.textContent()).toContain('на рассмотрении');
    applicationId = Number((await mine.getAttribute('id'))!.replace('application-', ''));
    expect(applicationId).toBeGreaterThan(0);

    // The dean's office of that faculty sees her ranked, with each component of the score.
    const dean = await pageAs('dean@demo.test');
    watch(dean);
    await dean.goto(`${url}/admin/mobility/calls/${callId}`);
    const row = dean.locator(`#applicant-${applicationId}`);
    await row.waitFor();
    expect(await row.locator('td').first().textContent()).toBe('1');
    const head = await dean.locator('#faculty-1 thead').textContent();
    for (const c of ['Средний балл', 'Рейтинги', 'Пропуски без уважительной причины', 'Задолженности', 'Активность', 'Достижения', 'Итог']) {
      expect(head).toContain(c);
    }
    await dean.locator(`#applicant-${applicationId} + tr.details summary`).click();
    await dean.getByText('клиническую практику по хирургии').waitFor();

    // Points with a note, then the selection with a reason.
    const points = dean.locator(`#points-${applicationId}`);
    await points.locator('input[name=activityPoints]').fill('4');
    await points.locator('input[name=achievementPoints]').fill('2');
    await points.locator('input[name=note]').fill('СНО кафедры хирургии, доклад на конференции');
    await Promise.all([dean.waitForURL(/done=pointsSaved/), points.locator('button[type=submit]').click()]);
    await dean.getByText('Баллы сохранены.').waitFor();
    // The weights are the call form's defaults: the row shows value × weight = points for the new points.
    expect(await dean.locator(`#applicant-${applicationId}`).textContent()).toMatch(/4 × [\d,.]+ = [\d,.]+/);
    expect(await dean.locator(`#points-${applicationId} input[name=note]`).inputValue()).toBe('СНО кафедры хирургии, доклад на конференции');

    const decide = dean.locator(`#decide-${applicationId}`);
    await decide.locator('input[name=reason]').fill('Первое место в рейтинге факультета');
    await Promise.all([dean.waitForURL(/done=decided/), decide.locator('button[value=selected]').click()]);
    await dean.getByText('Решение записано, студент уведомлён.').waitFor();
    expect(await dean.locator(`#decision-${applicationId}`).textContent()).toBe('отобран(а)');
    await dean.locator(`#applicant-${applicationId} + tr.details form[action$="/placement"]`).waitFor();

    // The student reloads: the decision and its reason, and the bell counts the notification.
    await student.reload();
    const result = student.locator(`#application-${applicationId}`);
    await result.getByText('отобран(а)').waitFor();
    expect(await result.textContent()).toContain('Первое место в рейтинге факультета');
    await student.locator('#unread .count').waitFor();
    expect(Number(await student.locator('#unread .count').textContent())).toBeGreaterThanOrEqual(1);
    await Promise.all([student.waitForURL(/\/notifications/), student.locator('a.bell').click()]);
    await student.getByText(/вы отобраны на стажировку/).first().waitFor();

    expect(errors).toEqual([]);
    for (const p of [admin, student, dean]) await p.context().close();
  });

  it('the student\'s page and the ranking page at 1280 and 360 px, in ru and en', async () => {
    expect(callId).toBeGreaterThan(0);
    const { url, store } = env.server;
    mkdirSync(SHOTS, { recursive: true });
    for (const lang of ['ru', 'en'] as const) {
      await store.run(sql`UPDATE users SET lang = ${lang} WHERE email IN ('student@demo.test', 'dean@demo.test')`);
      for (const width of [1280, 360]) {
        const student = await pageAs('student@demo.test', { locale: lang === 'ru' ? 'ru-RU' : 'en-GB', width });
        await student.goto(`${url}/mobility`);
        await student.locator(`#application-${applicationId}`).waitFor();
        await student.screenshot({ path: join(SHOTS, `student-${lang}-${width}.png`), fullPage: true });
        expect(await overflow(student), `student ${lang} ${width}`).toBeLessThanOrEqual(0);
        await student.context().close();

        const dean = await pageAs('dean@demo.test', { locale: lang === 'ru' ? 'ru-RU' : 'en-GB', width });
        await dean.goto(`${url}/admin/mobility/calls/${callId}`);
        await dean.locator(`#applicant-${applicationId}`).waitFor();
        await dean.screenshot({ path: join(SHOTS, `ranking-${lang}-${width}.png`), fullPage: true });
        expect(await overflow(dean), `ranking ${lang} ${width}`).toBeLessThanOrEqual(0);
        // Every button of the applicant's forms is on screen, not scrolled away inside the table.
        for (const b of await dean.locator(`#points-${applicationId} button, #decide-${applicationId} button`).all()) {
          const box = (await b.boundingBox())!;
          expect(box.x + box.width, `${lang} ${width}: ${await b.textContent()}`).toBeLessThanOrEqual(width);
        }
        await dean.context().close();
      }
    }
    await store.run(sql`UPDATE users SET lang = 'ru' WHERE email IN ('student@demo.test', 'dean@demo.test')`);
  });

  it('the dean\'s office records the placement and recognises a mark from the partner; the student\'s record book shows it', async () => {
    expect(applicationId).toBeGreaterThan(0);
    const { url, store } = env.server;
    const anat = await courseOf(store, 'Human Anatomy', '1101');
    const dean = await pageAs('dean@demo.test', { width: 360 });
    await dean.goto(`${url}/admin/mobility/calls/${callId}`);
    const place = dean.locator(`#place-${applicationId}`);
    await place.locator('input[name=orderNumber]').fill('77-с');
    await Promise.all([dean.waitForURL(/done=placementCreated/), place.locator('button[type=submit]').click()]);
    await Promise.all([dean.waitForURL(/\/recognitions$/), dean.getByRole('link', { name: 'Перезачёт' }).click()]);
    const form = dean.locator('#recognise');
    await form.locator('select[name=courseId]').selectOption(String(anat));
    await form.locator('input[name=partnerCourse]').fill('Анатомия человека (модуль 2)');
    await form.locator('input[name=partnerGrade]').fill('5 (отлично)');
    await form.locator('input[name=mark]').fill('9');
    await Promise.all([dean.waitForURL(/done=recognitionSaved/), form.locator('button[type=submit]').click()]);
    await dean.locator(`#recognition-${anat}`).waitFor();
    expect(await overflow(dean)).toBeLessThanOrEqual(0);
    mkdirSync(SHOTS, { recursive: true });
    await dean.screenshot({ path: join(SHOTS, 'recognition-ru-360.png'), fullPage: true });
    await dean.context().close();

    const student = await pageAs('student@demo.test');
    const studentId = (await store.get<{ id: number }>(sql`SELECT id FROM users WHERE email = 'student@demo.test'`))!.id;
    await student.goto(`${url}/students/${studentId}/record-book`);
    const row = student.locator(`#rb-${anat}`);
    await row.getByText('перезачтено (Первый МГМУ им. И. М. Сеченова)').waitFor();
    expect(await row.textContent()).toContain('9');
    await student.screenshot({ path: join(SHOTS, 'record-book-ru-1280.png'), fullPage: true });
    await student.context().close();
  });
});
