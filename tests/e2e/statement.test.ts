// The statement's whole path in Chromium (issue 16): the dean's office opens it, the examiner types the
// results with the keyboard (Enter moves on and saves), signs it, the dean's office counter-signs, a
// correction is asked for and approved.
import { describe, it, expect } from 'vitest';
import { sql } from 'drizzle-orm';
import { browserLogin, useServerAndBrowser } from '../helpers/browser';
import { courseOf, groupIdOf } from '../helpers/lookup';

const env = useServerAndBrowser();

describe('a statement in Chromium', () => {
  it('open → keyboard entry → close → counter-sign → correction request → approved', async () => {
    const { url, store } = env.server;
    const course = await courseOf(store, 'Human Anatomy', '1101');
    const group = await groupIdOf(store, '1101');
    const errors: string[] = [];
    const deanCtx = await env.browser.newContext({ locale: 'ru-RU' });
    const dean = await deanCtx.newPage();
    dean.on('pageerror', (e) => errors.push(String(e)));
    await browserLogin(dean, url, 'dean@demo.test');
    await dean.goto(`${url}/courses/${course}/statements`);
    await dean.selectOption('#open-statement select[name=groupId]', String(group));
    const examiner = (await store.get<{ id: number }>(sql`SELECT id FROM users WHERE email = 'teacher@demo.test'`))!.id;
    await dean.selectOption('#open-statement select[name=examiner1]', String(examiner));
    await Promise.all([dean.waitForURL(/\/statements\/\d+\?done=opened/), dean.click('#open-statement button[type=submit]')]);
    const id = Number(/\/statements\/(\d+)/.exec(dean.url())![1]);

    const teacherCtx = await env.browser.newContext({ locale: 'ru-RU' });
    const teacher = await teacherCtx.newPage();
    teacher.on('pageerror', (e) => errors.push(String(e)));
    teacher.on('console', (m) => { if (m.type() === 'error' && !/status of 422/.test(m.text())) errors.push(m.text()); });
    await browserLogin(teacher, url, 'teacher@demo.test');
    await teacher.goto(`${url}/statements/${id}`);
    const inputs = teacher.locator('input.sr-input');
    const n = await inputs.count();
    expect(n).toBeGreaterThan(10);
    const prefilled = await inputs.evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
    await inputs.first().focus();
    // Latin codes: Playwright types Cyrillic without keydowns (see tests/e2e/journal.test.ts).
    const marks = ['8', '6', 'n', 'e', '9'];
    const typed: string[] = [];
    for (let i = 0; i < n; i++) {
      if (prefilled[i]) { typed.push(prefilled[i]!); await teacher.keyboard.press('Enter'); continue; }
      const k = typed.filter((_, j) => !prefilled[j]).length;
      const v = k === 1 ? '11' : marks[k % marks.length]!; // one refused mark among them
      typed.push(v);
      await teacher.keyboard.type(v);
      await teacher.keyboard.press('Enter');
      if (v === '11') await teacher.locator('tr.sr-error').first().waitFor({ timeout: 5000 });
    }
    // The refused 11 shows its message beside the row and saved nothing; the examiner fixes it by keyboard.
    const badRow = teacher.locator('tr.sr-error').first();
    expect(await badRow.textContent()).toContain('от 1 до 10');
    const badInput = badRow.locator('input.sr-input');
    await badInput.focus();
    await teacher.keyboard.press('Control+A');
    await teacher.keyboard.type('7');
    await teacher.keyboard.press('Enter');
    await teacher.locator('tr.sr-error').waitFor({ state: 'detached', timeout: 5000 });
    // Every row saved: the database has no empty result left.
    await expect.poll(async () => Number((await store.get<{ n: number }>(sql`SELECT count(*) AS n FROM statement_results WHERE statement_id = ${id} AND outcome IS NULL`))!.n),
      { timeout: 10_000 }).toBe(0);
    await teacher.reload();
    expect(await teacher.locator('input.sr-input').first().inputValue()).not.toBe('');

    await Promise.all([teacher.waitForURL(/done=closed/), teacher.click('#statement-close button')]);
    expect(await teacher.locator('#statement-status').textContent()).toContain('подписана');
    expect(await teacher.locator('input.sr-input').count()).toBe(0);

    await dean.goto(`${url}/statements/${id}`);
    await Promise.all([dean.waitForURL(/done=countersigned/), dean.click('#statement-countersign button')]);
    expect(await dean.locator('#statement-status').textContent()).toContain('заверена');

    // After signing: a correction request, approved by the dean.
    const target = (await store.get<{ studentId: number }>(sql`SELECT student_id AS "studentId" FROM statement_results WHERE statement_id = ${id} AND outcome = 'mark' AND mark = 6 LIMIT 1`))!.studentId;
    await teacher.goto(`${url}/statements/${id}`);
    await teacher.selectOption('#statement-correction-form select[name=studentId]', String(target));
    await teacher.fill('#statement-correction-form input[name=newValue]', '9');
    await teacher.fill('#statement-correction-form input[name=reason]', 'Ошибка при переносе из протокола');
    await Promise.all([teacher.waitForURL(/done=correctionSent/), teacher.click('#statement-correction-form button')]);
    await dean.goto(`${url}/statements/${id}`);
    const req = dean.locator('#statement-corrections li').last();
    await req.locator('input[name=note]').fill('Подтверждено протоколом');
    await Promise.all([dean.waitForURL(/done=decided/), req.locator('button[value=approve]').click()]);
    expect(await dean.locator(`#sr-${target}`).textContent()).toContain('9');
    expect(errors).toEqual([]);
    await deanCtx.close();
    await teacherCtx.close();
  });
});
