import { describe, it, expect } from 'vitest';
import { sql } from 'drizzle-orm';
import { browserLogin, useServerAndBrowser } from '../helpers/browser';

const env = useServerAndBrowser();

describe('a parent abroad is offered the device’s time zone once', () => {
  it('in Kolkata: the offer appears, "yes" switches the footer and the account, and it is not offered again', async () => {
    const context = await env.browser.newContext({ locale: 'ru-RU', timezoneId: 'Asia/Kolkata' });
    const page = await context.newPage();
    await browserLogin(page, env.server.url, 'parent@demo.test');
    const offer = page.locator('#tz-offer');
    await offer.waitFor({ state: 'visible' });
    expect(await offer.locator('[data-tz-browser]').textContent()).toMatch(/^Asia\/(Kolkata|Calcutta)$/);
    await Promise.all([page.waitForURL(`${env.server.url}/`), offer.getByRole('button', { name: 'Да, использовать его' }).click()]);
    await page.locator('footer', { hasText: /Время указано для часового пояса Asia\/(Kolkata|Calcutta)/ }).waitFor();
    const tz = (await env.server.store.get<{ tz: string }>(sql`SELECT time_zone AS tz FROM users WHERE email = 'parent@demo.test'`))!.tz;
    expect(tz).toMatch(/^Asia\/(Kolkata|Calcutta)$/);
    expect(await offer.isHidden()).toBe(true); // same zone now
    await context.close();
  });

  it('"no" keeps the account’s zone and the question does not come back on the next page', async () => {
    const context = await env.browser.newContext({ locale: 'ru-RU', timezoneId: 'America/New_York' });
    const page = await context.newPage();
    await browserLogin(page, env.server.url, 'teacher@demo.test');
    const offer = page.locator('#tz-offer');
    await offer.waitFor({ state: 'visible' });
    await offer.getByRole('button', { name: 'Нет, оставить Europe/Minsk' }).click();
    await offer.waitFor({ state: 'hidden' });
    await page.reload();
    await page.locator('footer', { hasText: 'Europe/Minsk' }).waitFor();
    await page.waitForFunction(() => document.readyState === 'complete');
    expect(await offer.isHidden()).toBe(true);
    expect(await page.evaluate(() => localStorage.getItem('zachetka.tzOffered'))).toBe('America/New_York');
    await context.close();
  });
});
