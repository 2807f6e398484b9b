import { describe, it, expect } from 'vitest';
import { sql } from 'drizzle-orm';
import type { BrowserContext, Page } from 'playwright-core';
import { browserLogin, useServerAndBrowser } from '../helpers/browser';

const env = useServerAndBrowser();

/** Collects console errors and uncaught exceptions of every page the context opens. */
function watchErrors(context: BrowserContext, errors: string[]): void {
  context.on('page', (page) => {
    page.on('console', (m) => { if (m.type() === 'error') errors.push(`${page.url()}: ${m.text()}`); });
    page.on('pageerror', (e) => errors.push(`${page.url()}: ${String(e)}`));
  });
}

/** The page is no wider than the window: nothing scrolls sideways. */
async function expectNoHorizontalOverflow(page: Page): Promise<void> {
  const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  expect(scroll, `horizontal overflow on ${page.url()}`).toBeLessThanOrEqual(client);
}

const nav = (page: Page, name: string) => page.getByRole('navigation').getByRole('link', { name, exact: true });

describe("the dean's office sets up a new group in Chromium", () => {
  it('creates group 1104, enrols a student who sets a password, gives the group a Latin course with its rules, and prints the journal', async () => {
    const { url, store } = env.server;
    const errors: string[] = [];
    const lf = (await store.get<{ id: number }>(sql`SELECT f.id FROM faculties f JOIN user_roles r ON r.faculty_id = f.id JOIN users u ON u.id = r.user_id WHERE u.email = 'dean@demo.test' AND r.role = 'admin'`))!.id;

    const dean = await env.browser.newContext({ locale: 'ru-RU', viewport: { width: 1280, height: 800 } });
    watchErrors(dean, errors);
    const page = await dean.newPage();
    await browserLogin(page, url, 'dean@demo.test');
    await page.getByRole('heading', { name: 'Факультеты и группы' }).waitFor();

    // 1. Structure: a new first-year Russian-medium group in the dean's own faculty.
    await nav(page, 'Структура').click();
    await page.getByRole('heading', { level: 1, name: 'Структура' }).waitFor();
    await expectNoHorizontalOverflow(page);
    const groupForm = page.locator(`#new-group-${lf}`);
    await groupForm.getByLabel('Номер группы').fill('1104');
    await groupForm.getByLabel('Курс').fill('1');
    await groupForm.getByLabel('Язык обучения').selectOption({ label: 'русский' });
    await groupForm.getByRole('button', { name: 'Новая группа' }).click();
    await page.getByRole('status').filter({ hasText: 'Создано.' }).waitFor();
    const groupRow = page.locator(`#faculty-${lf} tbody tr`).filter({ has: page.getByRole('rowheader', { name: '1104', exact: true }) });
    await expect.poll(() => groupRow.count()).toBe(1);
    expect((await groupRow.locator('td').first().textContent())?.trim()).toBe('1 курс');
    expect(await groupRow.getAttribute('id')).toMatch(/^group-\d+$/);
    const groupId = Number((await groupRow.getAttribute('id'))!.slice('group-'.length));
    await expectNoHorizontalOverflow(page);

    // 2. People: a new student of 1104; the card shows the one-time link to set a password.
    await nav(page, 'Пользователи').click();
    await page.getByRole('heading', { level: 1, name: 'Пользователи' }).waitFor();
    await expectNoHorizontalOverflow(page);
    await page.getByRole('link', { name: 'Новый пользователь' }).click();
    await page.getByRole('heading', { level: 1, name: 'Новый пользователь' }).waitFor();
    await expectNoHorizontalOverflow(page);
    const form = page.locator('#new-person');
    await form.getByLabel('Эл. почта').fill('vera.bogdanovich@students.demo.test');
    await form.getByLabel('Фамилия').fill('Богданович');
    await form.getByLabel('Имя', { exact: true }).fill('Вера');
    await form.getByLabel('Студент', { exact: true }).check();
    await form.locator('select[name=groupId]').selectOption({ label: '1104' });
    await form.getByRole('button', { name: 'Создать' }).click();
    await page.getByRole('heading', { level: 1, name: 'Богданович Вера' }).waitFor();
    const link = (await page.locator('#people-message code.secret').textContent())?.trim() ?? '';
    expect(link).toMatch(new RegExp(`^${url}/reset/[\\w-]+$`));
    expect(await page.locator('#memberships tbody th').allTextContents()).toEqual(['1104']);
    await expectNoHorizontalOverflow(page);

    // 3. The student, in her own browser, sets a password through the link and signs in with it.
    const student = await env.browser.newContext({ locale: 'ru-RU', viewport: { width: 1280, height: 800 } });
    watchErrors(student, errors);
    const sp = await student.newPage();
    await sp.goto(link);
    await sp.getByRole('heading', { level: 1, name: 'Новый пароль' }).waitFor();
    await sp.getByLabel('Новый пароль', { exact: true }).fill('latin-is-fun-2026');
    await sp.getByLabel('Новый пароль ещё раз').fill('latin-is-fun-2026');
    await sp.getByRole('button', { name: 'Сохранить пароль' }).click();
    await sp.waitForURL(`${url}/login`);
    await sp.locator('input[name=email]').waitFor();
    await browserLogin(sp, url, 'vera.bogdanovich@students.demo.test', 'latin-is-fun-2026');
    await sp.getByRole('heading', { name: 'Моя успеваемость' }).waitFor();

    // 4. Courses: Latin for 1104 in the current term, with a lecturer; the new course's settings open.
    await nav(page, 'Курсы').click();
    await page.getByRole('heading', { level: 1, name: 'Курсы' }).waitFor();
    await expectNoHorizontalOverflow(page);
    const course = page.locator('#new-course');
    await course.getByLabel('Дисциплина').selectOption({ label: 'Латинский язык (LAT)' });
    await course.getByRole('checkbox', { name: '1104', exact: true }).check();
    const lecturer = course.locator('select[name=lecturerId]');
    await lecturer.selectOption({ label: 'Адамович Наталья Сергеевна — Кафедра латинского языка' });
    await course.getByRole('button', { name: 'Создать' }).click();
    await page.locator('h1[id^="course-settings-"]').waitFor();
    expect(page.url()).toMatch(new RegExp(`^${url}/admin/courses/\\d+$`));
    const courseId = Number(page.url().split('/').pop());
    expect(await page.locator(`#course-settings-${courseId}`).textContent()).toBe('Латинский язык · 1104');
    expect(await page.locator('[id^="course-teacher-"]').count()).toBe(1);
    await expectNoHorizontalOverflow(page);
    // The student's own page now lists the course.
    await sp.reload();
    await sp.getByRole('heading', { level: 3, name: 'Латинский язык' }).waitFor();
    expect(await sp.locator(`[id$="-${courseId}"].tile`).count()).toBe(1);

    // 5. The rules: a stricter absence cap, saved and shown back.
    const rules = page.locator('#course-rules');
    await rules.getByLabel('Допуск: предел пропусков, %').fill('20');
    await rules.getByRole('button', { name: 'Сохранить правила' }).click();
    // Asked first: the page says how many students the rules reach; applied there.
    await page.locator('#rules-reach').waitFor();
    await page.locator('#rules-confirm button[type="submit"]').click();
    await page.getByRole('status').filter({ hasText: 'Правила сохранены' }).waitFor();
    expect(await page.locator('#course-rules input[name=absenceCapPercent]').inputValue()).toBe('20');
    const saved = (await store.get<{ rules: string }>(sql`SELECT rules FROM courses WHERE id = ${courseId}`))!;
    expect(JSON.parse(saved.rules).admission.absenceCapPercent).toBe(20);
    await expectNoHorizontalOverflow(page);

    // 6. The printable journal of 1104, from the home page's list of groups: the course and the student.
    await page.getByRole('navigation').getByRole('link', { name: 'Главная' }).click();
    await page.getByRole('heading', { name: 'Факультеты и группы' }).waitFor();
    await page.getByRole('link', { name: /^печать\s*:\s*1104$/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Журнал группы · Группа 1104' }).waitFor();
    expect(page.url()).toBe(`${url}/groups/${groupId}/journal`);
    const sheet = page.locator(`#gj-course-${courseId}`);
    expect((await sheet.getByRole('heading', { level: 2 }).textContent())?.trim()).toBe('Латинский язык');
    expect(await sheet.getByRole('rowheader').allTextContents()).toEqual(['Богданович Вера']);

    await student.close();
    await dean.close();
    expect(errors).toEqual([]);
    // Three password hashes (two logins and the reset) and a dozen pages: ~15 s alone, more beside other workers.
  }, 90_000);
});
