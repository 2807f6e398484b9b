import { describe, it, expect } from 'vitest';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { browserLogin, useServerAndBrowser } from '../helpers/browser';

const env = useServerAndBrowser();

async function xlsx(rows: (string | null)[][]): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Студенты');
  ws.addRow(['surname', 'given_name', 'patronymic', 'email', 'group', 'record_book', 'lang']);
  for (const r of rows) ws.addRow(r);
  const file = join(mkdtempSync(join(tmpdir(), 'zachetka-xlsx-')), 'roster.xlsx');
  await wb.xlsx.writeFile(file);
  return file;
}

describe('an admin imports an XLSX roster in Chromium', () => {
  it('sees two bad rows in the preview, fixes the file, applies it, and the students are in their group', async () => {
    const context = await env.browser.newContext({ locale: 'en-GB' });
    const page = await context.newPage();
    await browserLogin(page, env.server.url, 'admin@demo.test');
    await page.goto(`${env.server.url}/admin/import`);
    const good = [['Perera', 'Nimal', null, 'nimal.perera.e@students.demo.test', 'E102', '26510290', 'en'], ['Haddad', 'Lina', null, 'lina.haddad.e@students.demo.test', 'E102', '26510291', 'en']];
    await page.setInputFiles('input[type=file]', await xlsx([...good, ['Okafor', 'Ada', null, 'ada.okafor@', 'E102', null, 'en'], ['Sharma', 'Dev', null, 'dev.sharma.e@students.demo.test', 'E999', null, 'en']]));
    await page.evaluate(() => { (window as unknown as { beforeUpload?: number }).beforeUpload = 1; });
    await page.getByRole('button', { name: /Предпросмотр|Preview/ }).click();
    await page.locator('main:not([aria-busy]) #import-preview').waitFor();
    expect(await page.locator('#import-preview tr.imp-skip').count()).toBe(2);
    // The preview came through public/upload-progress.js: the page was swapped in place, not reloaded.
    expect(await page.evaluate(() => (window as unknown as { beforeUpload?: number }).beforeUpload)).toBe(1);
    // The two valid rows could go in now, the others skipped; the hint and the skipped rows' CSV are there.
    expect(await page.locator('form[action="/admin/import/apply"] button').textContent()).toMatch(/\(2\).*\(2\)|2 valid rows, skip the 2/);
    await page.locator('#import-fix-hint').waitFor();
    expect(await page.locator('#import-skipped-csv').getAttribute('href')).toContain('ada.okafor%40');

    await page.setInputFiles('input[type=file]', await xlsx([...good, ['Okafor', 'Ada', null, 'ada.okafor@students.demo.test', 'E102', null, 'en'], ['Sharma', 'Dev', null, 'dev.sharma.e@students.demo.test', 'E101', null, 'en']]));
    await page.getByRole('button', { name: /Предпросмотр|Preview/ }).click();
    await page.locator('main:not([aria-busy]) #import-preview').waitFor();
    expect(await page.locator('#import-preview tr.imp-skip').count()).toBe(0);
    await page.locator('form[action="/admin/import/apply"] button').click();
    await page.locator('#import-done').waitFor();
    const inGroups = await env.server.store.all(sql`SELECT u.email, g.name FROM users u JOIN group_memberships m ON m.student_id = u.id JOIN groups g ON g.id = m.group_id
      WHERE u.email IN ('nimal.perera.e@students.demo.test', 'lina.haddad.e@students.demo.test', 'ada.okafor@students.demo.test', 'dev.sharma.e@students.demo.test') ORDER BY u.email`);
    expect(inGroups).toEqual([
      { email: 'ada.okafor@students.demo.test', name: 'E102' }, { email: 'dev.sharma.e@students.demo.test', name: 'E101' },
      { email: 'lina.haddad.e@students.demo.test', name: 'E102' }, { email: 'nimal.perera.e@students.demo.test', name: 'E102' },
    ]);
    await context.close();
  });
});
