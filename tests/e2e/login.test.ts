import { describe, it, expect } from 'vitest';
import { browserLogin, useServerAndBrowser } from '../helpers/browser';

const env = useServerAndBrowser();

describe('in Chromium, each demo role logs in and sees its own home page', () => {
  it.each([
    ['teacher@demo.test', ['Мои занятия сегодня', 'Мои курсы'], ['My lessons today', 'My courses']],
    ['student@demo.test', ['Моя успеваемость'], ['My progress']],
    ['parent@demo.test', ['Мои дети'], ['My children']],
    ['admin@demo.test', ['Факультеты и группы'], ['Faculties and groups']],
    ['dean@demo.test', ['Факультеты и группы'], ['Faculties and groups']],
    ['teacher-parent@demo.test', ['Мои курсы', 'Мои дети'], ['My courses', 'My children']],
  ])('%s', async (email, ru, en) => {
    const context = await env.browser.newContext({ locale: 'ru-RU' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(String(e)));
    await browserLogin(page, env.server.url, email);
    for (const text of ru) await page.getByRole('heading', { name: text, exact: true }).waitFor();
    // Switch the language with the header button; the choice sticks for the account.
    // Wait for the new page itself: a load-state wait would resolve at once on the old one.
    await page.getByRole('button', { name: /English/ }).click();
    await page.waitForSelector('html[lang=en]');
    for (const text of en) await page.getByRole('heading', { name: text, exact: true }).waitFor();
    await page.reload();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    // Back to Russian so later runs of the same account start from the seeded language.
    await page.getByRole('button', { name: /Русский/ }).click();
    // Closing mid-navigation, with the live socket of the page opening, can stall Chromium's close.
    for (const text of ru) await page.getByRole('heading', { name: text, exact: true }).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('refuses a wrong password with a message and no session', async () => {
    const context = await env.browser.newContext({ locale: 'en-GB' });
    const page = await context.newPage();
    await page.goto(`${env.server.url}/login`);
    await page.fill('input[name=email]', 'teacher@demo.test');
    await page.fill('input[name=password]', 'not-the-password');
    await page.click('button[type=submit].primary');
    expect((await page.getByRole('alert').textContent())?.trim()).toBe('Wrong e-mail or password.');
    expect((await context.cookies()).find((c) => c.name === 'zsession')).toBeUndefined();
    await context.close();
  });
});
