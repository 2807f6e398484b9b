// Issue 14, item 8: the Reports page filtered by faculty, group, course and teacher (kept by sort links, page
// links and exports), the at-risk list in pages with its count; a filter outside the admin's scope is dropped.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { makeTestApp, loginAs, userId, type TestApp } from './helpers/app';
import { courseOf, groupIdOf } from './helpers/lookup';

let t: TestApp;
beforeAll(async () => { t = await makeTestApp(); });
afterAll(async () => { await t.close(); });

const unescape = (s: string) => s.replace(/&amp;/g, '&');
const countOf = (body: string, id: string) => new RegExp(`id="${id}"[^>]*><p class="pager-count" role="status">([^<]*)<`).exec(body)?.[1];
/** The body rows of one report table, as the text of their cells. */
function tableRows(body: string, id: string): string[][] {
  const at = body.indexOf(`<table class="data" id="${id}"`);
  if (at < 0) return [];
  const tbody = body.slice(at, body.indexOf('</table>', at)).split('<tbody>')[1] ?? '';
  return [...tbody.matchAll(/<tr[^>]*>(.*?)<\/tr>/gs)].map((r) => [...r[1]!.matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/gs)].map((c) => c[1]!.replace(/<[^>]+>/g, '').trim()));
}
async function allRisk(a: Awaited<ReturnType<typeof loginAs>>, query: string): Promise<string[][]> {
  const out: string[][] = [];
  for (let page = 1; page < 20; page++) {
    const rows = tableRows((await a.get(`/admin/reports?${query}&size=100&page=${page}`)).body, 'at-risk');
    const before = out.length;
    for (const r of rows) out.push(r);
    if (rows.length < 100 || out.length === before) break;
  }
  return out;
}

describe('report filters', () => {
  it('the at-risk list comes 40 to a page with its count; the last page and a page past it show the rest', async () => {
    const dean = await loginAs(t.app, 'dean@demo.test');
    const all = await allRisk(dean, 'x=1');
    expect(all.length).toBeGreaterThan(40);
    const first = await dean.get('/admin/reports');
    expect(tableRows(first.body, 'at-risk')).toHaveLength(40);
    expect(countOf(first.body, 'risk-pager')).toBe(`1–40 из ${all.length}`);
    const last = Math.ceil(all.length / 40);
    const end = await dean.get(`/admin/reports?page=${last}`);
    expect(countOf(end.body, 'risk-pager')).toBe(`${(last - 1) * 40 + 1}–${all.length} из ${all.length}`);
    expect(countOf((await dean.get(`/admin/reports?page=${last + 9}`)).body, 'risk-pager')).toBe(countOf(end.body, 'risk-pager'));
    // The export is the whole list, not a page of it.
    const csv = (await dean.get('/admin/reports.csv?table=risk&page=2')).body.trim().split('\r\n');
    expect(csv).toHaveLength(all.length + 1);
  });

  it('a group narrows every table to it; page and sort links and the exports keep the filter', async () => {
    const dean = await loginAs(t.app, 'dean@demo.test');
    const g = await groupIdOf(t.store, '1101');
    const whole = await allRisk(dean, 'x=1');
    const res = await dean.get(`/admin/reports?group=${g}&size=20`);
    expect(res.body).toMatch(new RegExp(`<option value="${g}" selected>1101</option>`));
    const risk = await allRisk(dean, `group=${g}`);
    expect(risk.length).toBeGreaterThan(0);
    expect(risk.every((r) => r[1] === '1101')).toBe(true);
    expect(risk.length).toBe(whole.filter((r) => r[1] === '1101').length);
    expect(tableRows(res.body, 'by-group').map((r) => r[0])).toEqual(['1101']);
    expect(tableRows(res.body, 'by-course').every((r) => r[1] === '1101')).toBe(true); // the groups column: only 1101 counted
    if (risk.length > 20) expect(unescape(/<a href="([^"]+)" rel="next">/.exec(res.body)![1]!)).toBe(`/admin/reports?group=${g}&size=20&page=2#at-risk`);
    const sortLink = unescape(/<a href="(\/admin\/reports\?[^"]*sortCourse=[^"]*)"/.exec(res.body)![1]!);
    expect(sortLink).toContain(`group=${g}`);
    expect(sortLink).not.toContain('page=');
    const csv = (await dean.get(`/admin/reports.csv?table=risk&group=${g}`)).body.trim().split('\r\n');
    expect(csv).toHaveLength(risk.length + 1);
    expect(res.body).toContain(`href="/admin/reports.xlsx?group=${g}`);
  });

  it('a course and a teacher narrow the tables to them', async () => {
    const dean = await loginAs(t.app, 'dean@demo.test', undefined);
    const course = await courseOf(t.store, 'Human Anatomy', '1101');
    const res = await dean.get(`/admin/reports?course=${course}`);
    const courses = tableRows(res.body, 'by-course');
    expect(courses).toHaveLength(1);
    const subject = courses[0]![0]!;
    expect((await allRisk(dean, `course=${course}`)).every((r) => r[2] === subject)).toBe(true);
    expect(res.body).toContain('id="group-not-narrowed"');
    const teacher = await userId(t.store, 'teacher@demo.test');
    const byTeacher = await dean.get(`/admin/reports?teacher=${teacher}`);
    const teachers = tableRows(byTeacher.body, 'by-teacher');
    expect(teachers).toHaveLength(1);
    for (const r of tableRows(byTeacher.body, 'completeness')) expect(r[0]).toBe(teachers[0]![0]);
    expect(tableRows(byTeacher.body, 'by-course').length).toBeGreaterThan(0);
    expect(tableRows(byTeacher.body, 'by-course').every((r) => r[2]!.includes(teachers[0]![0]!.split(' ')[0]!))).toBe(true);
  });

  it('a group, course or teacher of another faculty is dropped: the dean sees the unfiltered page, nothing of theirs', async () => {
    const fis = await loginAs(t.app, 'dean-fis@demo.test');
    const g = await groupIdOf(t.store, '1101');
    const course = await courseOf(t.store, 'Human Anatomy', '1101');
    const plain = tableRows((await fis.get('/admin/reports')).body, 'by-group');
    for (const q of [`group=${g}`, `course=${course}`, 'teacher=1', 'faculty=1', 'group=0x1', 'course=-3', 'page=zz', 'size=13']) {
      const res = await fis.get(`/admin/reports?${q}`);
      expect(res.statusCode, q).toBe(200);
      expect(res.body, q).not.toContain('>1101<');
      expect(tableRows(res.body, 'by-group'), q).toEqual(plain);
    }
  });
});
