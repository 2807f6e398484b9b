import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { makeTestApp, loginAs, type TestApp, type Agent } from './helpers/app';

let t: TestApp;
beforeAll(async () => { t = await makeTestApp(); });
afterAll(async () => { await t.close(); });

const TABLES = ['risk', 'course', 'teacher', 'group', 'completeness'];

async function workbook(a: Agent, url = '/admin/reports.xlsx') {
  const res = await a.get(url);
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toContain('spreadsheetml');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  return wb;
}
const sheetRows = (ws: ExcelJS.Worksheet) => {
  const out: unknown[][] = [];
  ws.eachRow((r) => out.push((r.values as unknown[]).slice(1)));
  return out;
};
/** Everything a user can get from the reports: the page, every CSV and the workbook's cells. */
async function everything(a: Agent): Promise<string> {
  const parts = [(await a.get('/admin/reports')).body];
  for (const table of TABLES) parts.push((await a.get(`/admin/reports.csv?table=${table}`)).body);
  const wb = await workbook(a);
  wb.eachSheet((ws) => parts.push(JSON.stringify(sheetRows(ws))));
  return parts.join('\n');
}

describe('reports', () => {
  it('list students at risk with their reasons, attendance by group and journal completeness, within the faculty', async () => {
    const dean = await loginAs(t.app, 'dean@demo.test');
    const started = performance.now();
    const res = await dean.get('/admin/reports');
    const ms = performance.now() - started;
    console.log(`reports page for the LF dean's office: ${Math.round(ms)} ms`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Климович Анастасия'); // the demo student has make-ups to do
    expect(res.body).toMatch(/не отработано: \d+ заняти(е|я|й)/);
    // "At risk" is the admission verdict, which already bars for absences over the cap and a failing rating.
    expect(res.body).toMatch(/пропуски [\d,]+ % — больше допустимых 30 %/);
    // The at-risk list comes in pages: the reasons of all its rows, on pages of 100.
    const all = (await dean.get('/admin/reports?size=100')).body + (await dean.get('/admin/reports?size=100&page=2')).body;
    expect(all).toMatch(/рейтинг \d+(,\d+)? &lt; 4</); // the decimal comma on a Russian page
    expect(all).not.toMatch(/рейтинг \d+\.\d/);
    expect(res.body).toContain('<th scope="row">1101</th>');
    expect(res.body).toContain('href="/admin/reports.xlsx"');
    expect(res.body).not.toContain('<th scope="row">E101</th>');
    const fis = await loginAs(t.app, 'dean-fis@demo.test');
    const other = await fis.get('/admin/reports');
    expect(other.body).not.toContain('Климович Анастасия');
    expect(other.body).toContain('<th scope="row">E101</th>');
    const csv = await fis.get('/admin/reports.csv');
    expect(csv.body).not.toContain('Климович');
    const teacher = await loginAs(t.app, 'teacher@demo.test');
    for (const url of ['/admin/reports', '/admin/reports.csv?table=course', '/admin/reports.xlsx']) expect((await teacher.get(url)).statusCode).toBe(404);
  });

  it('export every table to one workbook: a sheet per table, bold headers in the user language, the known rows', async () => {
    const dean = await loginAs(t.app, 'dean@demo.test');
    const wb = await workbook(dean);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Зона риска', 'По курсам', 'По преподавателям', 'По группам', 'Заполненность']);
    const risk = wb.getWorksheet('Зона риска')!;
    expect(risk.getRow(1).font?.bold).toBe(true);
    expect(risk.getRow(1).getCell(1).value).toBe('Студент');
    expect(risk.getColumn(1).width).toBeGreaterThan(10);
    expect(sheetRows(risk).some((r) => r[0] === 'Климович Анастасия' && /не отработано/.test(String(r[3])))).toBe(true);
    const groups = sheetRows(wb.getWorksheet('По группам')!);
    expect(groups.slice(1).map((r) => r[0])).toEqual(['1101', '1102', '1103', '1201', '1202', '1301']);
    expect(typeof groups[1][2]).toBe('number'); // numbers stay numbers for the spreadsheet
    expect(wb.worksheets[1].getCell('F2').numFmt).toBe('0.0');
    const en = await workbook(await loginAs(t.app, 'dean-fis@demo.test')); // an English-speaking user
    expect(en.worksheets.map((w) => w.name)).toEqual(['At risk', 'By course', 'By teacher', 'By group', 'Completeness']);
    expect(sheetRows(en.worksheets[1])[0]).toEqual(['Subject', 'Groups', 'Teachers', 'Students', 'Average mark', 'Absences, %', 'Not admitted']);
  });

  it('CSV of any table: BOM, CRLF, headers in the user language; an unknown table falls back to students at risk', async () => {
    const dean = await loginAs(t.app, 'dean@demo.test');
    const csv = await dean.get('/admin/reports.csv?table=teacher');
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.startsWith('\uFEFFПреподаватель,')).toBe(true);
    expect(csv.body.endsWith('\r\n')).toBe(true);
    expect(csv.body.split('\r\n').length).toBeGreaterThan(3);
    const fallback = await dean.get('/admin/reports.csv?table=users');
    expect(fallback.statusCode).toBe(200);
    expect(fallback.body).toContain('Климович Анастасия');
  });

  it('the LF dean never sees E101 or another faculty’s teachers anywhere; the FIS dean does', async () => {
    const lf = await everything(await loginAs(t.app, 'dean@demo.test'));
    for (const s of ['E101', 'E102', 'E201', 'Горбач Людмила', 'Пашкевич Ольга']) expect(lf).not.toContain(s);
    const fis = await everything(await loginAs(t.app, 'dean-fis@demo.test'));
    for (const s of ['E101', 'E201', 'Горбач Людмила', 'Пашкевич Ольга']) expect(fis).toContain(s);
    expect(fis).not.toContain('1101');
    // A teacher of both faculties (teacher@ teaches Anatomy in 1101 and in E101) counts only the dean's courses.
    const teachers = sheetRows((await workbook(await loginAs(t.app, 'dean@demo.test'))).getWorksheet('По преподавателям')!);
    expect(teachers.find((r) => r[0] === 'Савицкий Андрей')?.[1]).toBe(2);
  });

  it('by course: head-count, average mark and absence rate agree with a direct count', async () => {
    const q = t.store;
    const course = (await q.get<{ id: number }>(sql`SELECT c.id FROM courses c JOIN course_groups cg ON cg.course_id = c.id JOIN groups g ON g.id = cg.group_id
      JOIN subjects s ON s.id = c.subject_id WHERE g.name = '1101' AND s.name_en = 'Human Anatomy'`))!;
    const students = (await q.get<{ n: number }>(sql`SELECT count(*) AS n FROM group_memberships m JOIN course_groups cg ON cg.group_id = m.group_id WHERE cg.course_id = ${course.id} AND m.to_date IS NULL`))!.n;
    const att = (await q.get<{ absent: number; n: number }>(sql`SELECT sum(CASE WHEN a.status = 'absent' THEN 1 ELSE 0 END) AS absent, count(*) AS n FROM attendance a JOIN lessons l ON l.id = a.lesson_id
      WHERE l.course_id = ${course.id} AND l.cancelled = ${false} AND a.status IS NOT NULL`))!;
    const avg = (await q.get<{ v: number }>(sql`SELECT avg(m.value) AS v FROM marks m JOIN lessons l ON l.id = m.lesson_id WHERE l.course_id = ${course.id} AND l.cancelled = ${false} AND m.value IS NOT NULL`))!.v;
    const rows = sheetRows((await workbook(await loginAs(t.app, 'dean@demo.test'))).getWorksheet('По курсам')!);
    expect(rows[0]).toEqual(['Дисциплина', 'Группы', 'Преподаватели', 'Студентов', 'Средний балл', 'Пропуски, %', 'Не допущены']);
    const row = rows.find((r) => r[0] === 'Анатомия человека' && r[1] === '1101, 1102, 1103')!;
    expect(row[3]).toBe(students);
    expect(row[4]).toBeCloseTo(avg, 2);
    expect(row[5]).toBeCloseTo((100 * att.absent) / att.n, 1);
    expect(row[6]).toBeGreaterThanOrEqual(1); // Климович is not admitted in Anatomy
  });

  it('draws a bar per group in scope with a title and an accessible name', async () => {
    for (const [email, n] of [['dean@demo.test', 6], ['dean-fis@demo.test', 3], ['admin@demo.test', 9]] as const) {
      const body = (await (await loginAs(t.app, email)).get('/admin/reports')).body;
      const svg = /<svg class="chart bar-chart"[^>]*>[\s\S]*?<\/svg>/.exec(body)?.[0] ?? '';
      expect(svg).toMatch(/role="img" aria-label="[^"]+"/);
      expect(svg.match(/<rect class="bar"/g)?.length, email).toBe(n);
      expect(svg.match(/<title>/g)?.length).toBe(n + 1);
      expect(svg).not.toMatch(/style=/);
    }
  });

  it('sorts each table on the server by its own parameter; a bad value falls back to the default', async () => {
    const dean = await loginAs(t.app, 'dean@demo.test');
    const absences = (body: string) => {
      const table = /<table class="data" id="by-course"[\s\S]*?<\/table>/.exec(body)![0];
      return [...table.matchAll(/<tr>(?:<td[^>]*>[\s\S]*?<\/td>){5}<td class="num">([\d,]+)<\/td>/g)].map((m) => Number(m[1].replace(',', '.')));
    };
    const desc = await dean.get('/admin/reports?sortCourse=-absent');
    const values = absences(desc.body);
    expect(values.length).toBe(10);
    expect(values).toEqual([...values].sort((a, b) => b - a));
    expect(desc.body).toContain('id="by-course" data-sort="-absent"');
    expect(desc.body).toMatch(/aria-sort="descending"><a href="\/admin\/reports\?sortCourse=absent#by-course"/);
    const bad = await dean.get('/admin/reports?sortCourse=%3Cscript%3E&sort=drop%20table&days=-5');
    expect(bad.statusCode).toBe(200);
    expect(bad.body).toContain('id="by-course" data-sort="subject"');
    expect(bad.body).toContain('id="at-risk" data-sort="group"');
    const byName = await dean.get('/admin/reports?sort=name');
    expect(byName.body).toContain('id="at-risk" data-sort="name"');
  });
});

describe('journal completeness across faculties', () => {
  it('counts for each dean only the lessons of their own groups, also for a teacher of both faculties', async () => {
    const own = await makeTestApp();
    try {
      const q = own.store;
      const courseOf = async (group: string) => (await q.get<{ id: number }>(sql`SELECT c.id FROM courses c JOIN course_groups cg ON cg.course_id = c.id JOIN groups g ON g.id = cg.group_id
        JOIN subjects s ON s.id = c.subject_id WHERE g.name = ${group} AND s.name_en = 'Human Anatomy'`))!.id;
      const groupId = async (name: string) => (await q.get<{ id: number }>(sql`SELECT id FROM groups WHERE name = ${name}`))!.id;
      // teacher@ (Савицкий Андрей) lectures Anatomy in 1101 and in E101: one unmarked past lesson in each.
      for (const g of ['1101', 'E101']) {
        const [course, group] = [await courseOf(g), await groupId(g)];
        await q.run(sql`INSERT INTO lessons (course_id, group_id, kind, topic, date, starts_at) VALUES (${course}, ${group}, 'practical', 'unmarked', '2026-11-10', ${Date.parse('2026-11-10T06:00:00Z')})`);
      }
      const missingOf = async (email: string) => {
        const wb = await workbook(await loginAs(own.app, email));
        const find = (sheet: number) => sheetRows(wb.worksheets[sheet]).find((r) => r[0] === 'Савицкий Андрей');
        return { completeness: find(4)?.[2], byTeacher: find(2)?.[4] }; // sheet names follow each user's language
      };
      expect(await missingOf('dean@demo.test')).toEqual({ completeness: 1, byTeacher: 1 });
      expect(await missingOf('dean-fis@demo.test')).toEqual({ completeness: 1, byTeacher: 1 });
      expect(await missingOf('admin@demo.test')).toEqual({ completeness: 2, byTeacher: 2 });
      const page = (await (await loginAs(own.app, 'dean@demo.test')).get('/admin/reports?sortGroup=-missing')).body;
      expect(page).toMatch(/id="by-group" data-sort="-missing"><thead>[\s\S]*?<tbody><tr><th scope="row">1101<\/th><td class="num">\d+<\/td><td class="num">[^<]+<\/td><td class="num">1<\/td>/);
    } finally {
      await own.close();
    }
  });
});
