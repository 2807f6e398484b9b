import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { makeTestApp, loginAs, type TestApp } from './helpers/app';
import { groupIdOf, studentOfGroup } from './helpers/lookup';

let t: TestApp;
beforeAll(async () => { t = await makeTestApp(); });
afterAll(async () => { await t?.close(); });

describe('a dean clicks from the faculty to a group to a student', () => {
  it('home → group (a link) → student (a link) → the student’s record; the person card links to it too', async () => {
    const dean = await loginAs(t.app, 'dean@demo.test');
    const g = await groupIdOf(t.store, '1102');
    const home = (await dean.get('/')).body;
    expect(home).toContain(`<th scope="row"><a href="/groups/${g}/journal">1102</a></th>`);
    const group = (await dean.get(`/groups/${g}/journal`)).body;
    const student = await studentOfGroup(t.store, '1102');
    expect(group).toContain(`<a href="/students/${student}">`);
    expect((await dean.get(`/students/${student}`)).statusCode).toBe(200);
    const card = (await dean.get(`/admin/people/${student}`)).body;
    expect(card).toContain(`<a class="button" href="/students/${student}" id="student-record">Оценки и посещаемость</a>`);
  });

  it('an empty completeness table says so instead of showing bare headers', async () => {
    const dean = await loginAs(t.app, 'dean@demo.test');
    const body = (await dean.get('/admin/reports?days=60')).body;
    expect(body).toMatch(/<p class="muted" id="completeness-empty">Во всех занятиях старше 60 дней посещаемость отмечена\.<\/p>/);
  });
});
