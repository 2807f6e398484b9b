import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { makeTestApp, loginAs, type TestApp } from './helpers/app';

let t: TestApp;
beforeAll(async () => { t = await makeTestApp(); });
afterAll(async () => { await t.close(); });

describe('reports', () => {
  it('list students at risk with their reasons, attendance by group and journal completeness, within the faculty', async () => {
    const dean = await loginAs(t.app, 'dean@demo.test');
    const started = performance.now();
    const res = await dean.get('/admin/reports');
    const ms = performance.now() - started;
    console.log(`reports page for the LF dean's office: ${Math.round(ms)} ms`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Климович Анастасия'); // the demo student has make-ups to do
    expect(res.body).toMatch(/не отработано занятий/);
    expect(res.body).toContain('<th scope="row">1101</th>');
    expect(res.body).not.toContain('<th scope="row">E101</th>');
    const fis = await loginAs(t.app, 'dean-fis@demo.test');
    const other = await fis.get('/admin/reports');
    expect(other.body).not.toContain('Климович Анастасия');
    expect(other.body).toContain('<th scope="row">E101</th>');
    const csv = await fis.get('/admin/reports.csv');
    expect(csv.body).not.toContain('Климович');
    expect((await (await loginAs(t.app, 'teacher@demo.test')).get('/admin/reports')).statusCode).toBe(404);
  });
});
