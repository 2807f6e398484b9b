// Issue 15, item 4: names a foreign family can read. A person has their name in Latin script as in the
// passport; English pages and English mail use it, Russian pages keep the Cyrillic one, statements print both,
// and the people search finds either.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { sql, type SQL } from 'drizzle-orm';
import { makeTestApp, loginAs, userId, type TestApp, type Agent } from './helpers/app';
import { courseOf, groupIdOf, studentOfGroup } from './helpers/lookup';
import { startSmtp, type TestSmtp } from './helpers/smtp';
import { TEST_TODAY } from './helpers/constants';

let t: TestApp;
const q = async <T>(query: SQL) => (await t.store.get<T>(query)) as T;
beforeAll(async () => { t = await makeTestApp(); });
afterAll(async () => { await t.close(); });

type Row = { email: string; surname: string; givenName: string; nameLatin: string | null; lang: string; version: number };
const person = (id: number) => q<Row>(sql`SELECT email, surname, given_name AS "givenName", name_latin AS "nameLatin", lang, version FROM users WHERE id = ${id}`);

async function english(email: string): Promise<Agent> {
  const a = await loginAs(t.app, email);
  expect((await a.post('/lang', { lang: 'en', back: '/' })).statusCode).toBe(303);
  return a;
}

function upload(a: Agent, name: string, content: string) {
  const boundary = '----zachetka' + Math.random().toString(16).slice(2);
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${a.csrf}\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/csv\r\n\r\n`),
    Buffer.from(content),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return t.app.inject({ method: 'POST', url: '/admin/import', payload: body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: Object.entries(a.cookies).map(([k, v]) => `${k}=${v}`).join('; ') } });
}

describe('the dean’s office records the Latin name', () => {
  it('sets it on the person card: saved, shown again, audited; bad input is refused in the reader’s language and changes nothing', async () => {
    const dean = await loginAs(t.app, 'dean@demo.test');
    const id = await studentOfGroup(t.store, '1102', 2);
    const u = await person(id);
    const form = { email: u.email, surname: u.surname, givenName: u.givenName, lang: u.lang };
    const card = await dean.get(`/admin/people/${id}`);
    expect(card.body).toContain('name="nameLatin"');
    expect(card.body).toContain('ФИО латиницей (как в паспорте)');

    const sent = await dean.post(`/admin/people/${id}`, { ...form, nameLatin: '  PETROVA   Anna-Maria ', version: u.version });
    expect(sent.statusCode).toBe(303);
    expect((await person(id)).nameLatin).toBe('PETROVA Anna-Maria');
    const reload = await dean.get(String(sent.headers.location));
    expect(reload.body).toContain('value="PETROVA Anna-Maria"');
    const audit = await q<{ before: string; after: string }>(sql`SELECT before, after FROM audit_log WHERE action = 'user.update' AND entity_id = ${id} ORDER BY id DESC LIMIT 1`);
    expect(JSON.parse(audit.before).nameLatin).toBe(u.nameLatin);
    expect(JSON.parse(audit.after).nameLatin).toBe('PETROVA Anna-Maria');

    const now = await person(id);
    const audits = async () => (await q<{ n: number }>(sql`SELECT count(*) AS n FROM audit_log WHERE entity_id = ${id} AND action = 'user.update'`)).n;
    const before = Number(await audits());
    for (const bad of ['Петрова Анна', 'PETROVA 2', 'PETROVA <Anna>', 'A'.repeat(101)]) {
      const res = await dean.post(`/admin/people/${id}`, { ...form, nameLatin: bad, version: now.version });
      expect(res.statusCode, bad).toBe(422);
      expect(res.body).toContain('Проверьте поля: nameLatin');
      expect(res.body).toContain('ФИО латиницей может содержать только латинские буквы');
    }
    const en = await english('dean@demo.test');
    const refused = await en.post(`/admin/people/${id}`, { ...form, nameLatin: 'Петрова', version: now.version });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('The name in Latin script may hold only Latin letters');
    expect(await person(id)).toEqual(now);
    expect(Number(await audits())).toBe(before);

    // A form without the field (opened before it existed) keeps the name; a blank one clears it.
    expect((await dean.post(`/admin/people/${id}`, { ...form, version: now.version })).statusCode).toBe(303);
    expect((await person(id)).nameLatin).toBe('PETROVA Anna-Maria');
    const kept = await person(id);
    expect((await dean.post(`/admin/people/${id}`, { ...form, nameLatin: '', version: kept.version })).statusCode).toBe(303);
    expect((await person(id)).nameLatin).toBeNull();
  });

  it('creates a person with one from the new-person form', async () => {
    const fis = await loginAs(t.app, 'dean-fis@demo.test');
    const res = await fis.post('/admin/people', { email: 'aarav.sharma.new@students.demo.test', surname: 'Шарма', givenName: 'Аарав', nameLatin: 'SHARMA Aarav',
      role: 'student', groupId: await groupIdOf(t.store, 'E101'), fromDate: TEST_TODAY, lang: 'en' });
    expect(res.statusCode).toBe(303);
    const id = await userId(t.store, 'aarav.sharma.new@students.demo.test');
    expect((await person(id)).nameLatin).toBe('SHARMA Aarav');
    const created = await q<{ after: string }>(sql`SELECT after FROM audit_log WHERE action = 'user.create' AND entity_id = ${id}`);
    expect(JSON.parse(created.after).nameLatin).toBe('SHARMA Aarav');
  });

  it('imports it from the roster’s Latin-name column, under any of its usual headings', async () => {
    const admin = await loginAs(t.app, 'admin@demo.test');
    const csv = 'surname;given_name;email;group;ФИО латиницей\r\n'
      + 'Перера;Нимал;nimal.perera.lat@students.demo.test;E102;PERERA Nimal\r\n'
      + 'Хаддад;Лина;lina.haddad.lat@students.demo.test;E102;\r\n'
      + 'Окафор;Ада;ada.okafor.lat@students.demo.test;E102;Окафор Ада\r\n';
    const preview = await upload(admin, 'roster.csv', csv);
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain('<td>PERERA Nimal</td>');
    expect(preview.body).toContain('ФИО латиницей может содержать только латинские буквы'); // the third row
    const rows = /name="rows" value="([^"]+)"/.exec(preview.body)![1].replace(/&quot;/g, '"');
    expect((await admin.post('/admin/import/apply', { rows })).statusCode).toBe(303);
    expect((await person(await userId(t.store, 'nimal.perera.lat@students.demo.test'))).nameLatin).toBe('PERERA Nimal');
    expect((await person(await userId(t.store, 'lina.haddad.lat@students.demo.test'))).nameLatin).toBeNull();
    expect(await q(sql`SELECT id FROM users WHERE email = 'ada.okafor.lat@students.demo.test'`)).toBeUndefined();

    for (const heading of ['Name (Latin)', 'name_latin']) {
      const p = await upload(admin, 'r.csv', `surname,given_name,email,group,${heading}\r\nКарими,Сара,sara.karimi.${heading.length}@students.demo.test,E102,KARIMI Sara\r\n`);
      expect(p.body, heading).toContain('<td>KARIMI Sara</td>');
    }
  });
});

describe('which name a page shows', () => {
  it('an English page shows the Latin name, a Russian page the Cyrillic one', async () => {
    const id = await studentOfGroup(t.store, 'E101');
    const s = await person(id);
    expect(s.nameLatin).toMatch(/^[A-Z-]+ [A-Z][a-z]+$/); // the demo's foreign students have one
    const en = await english('dean-fis@demo.test');
    const enPage = await en.get(`/students/${id}`);
    expect(enPage.statusCode).toBe(200);
    expect(enPage.body).toContain(`<h1>${s.nameLatin}</h1>`);
    const ru = await loginAs(t.app, 'admin@demo.test');
    const ruPage = await ru.get(`/students/${id}`);
    expect(ruPage.body).toContain(`<h1>${s.surname} ${s.givenName}</h1>`);
    expect(ruPage.body).not.toContain(s.nameLatin!);
    // The journal grid: the short Latin form in English, the Cyrillic in Russian.
    const course = await courseOf(t.store, 'Human Anatomy', 'E101');
    const [surnameLatin, givenLatin] = s.nameLatin!.split(' ');
    const teacherEn = await english('teacher@demo.test');
    expect((await teacherEn.get(`/courses/${course}`)).body).toContain(`<span class="nm">${surnameLatin} ${givenLatin.charAt(0)}.</span>`);
    const teacherRu = await loginAs(t.app, 'teacher@demo.test');
    await teacherRu.post('/lang', { lang: 'ru', back: '/' });
    const ruGrid = (await teacherRu.get(`/courses/${course}`)).body;
    expect(ruGrid).toContain(`<span class="nm">${s.surname} ${s.givenName.charAt(0)}.</span>`);
    expect(ruGrid).not.toContain(s.nameLatin!);
  });

  it('a foreign student’s English home greets them by the Latin given name and names the teachers in Latin script', async () => {
    const id = await studentOfGroup(t.store, 'E101');
    const s = await person(id);
    const teacher = await person(await userId(t.store, 'teacher@demo.test'));
    expect(teacher.nameLatin).toBeTruthy();
    const en = await english(s.email);
    const home = (await en.get('/')).body;
    expect(home).toMatch(new RegExp(`<h1>[^<]*, ${s.nameLatin!.split(' ').slice(1).join(' ')}</h1>`));
    expect(home).not.toContain(`, ${s.givenName}</h1>`);
    expect(home).toContain(teacher.nameLatin!);
    expect(home).not.toContain(`${teacher.surname} ${teacher.givenName.charAt(0)}.`);
    const ru = await loginAs(t.app, s.email);
    await ru.post('/lang', { lang: 'ru', back: '/' });
    const ruHome = (await ru.get('/')).body;
    expect(ruHome).toContain(`, ${s.givenName}</h1>`);
    expect(ruHome).toContain(`${teacher.surname} ${teacher.givenName.charAt(0)}.`);
  });

  it('the record book names the examiner by the passport name on an English page', async () => {
    const row = await q<{ studentId: number; latin: string; surname: string; givenName: string }>(sql`SELECT r.student_id AS "studentId", u.name_latin AS latin,
      u.surname, u.given_name AS "givenName" FROM statement_results r JOIN statements st ON st.id = r.statement_id AND st.status <> 'open'
      JOIN statement_examiners e ON e.statement_id = st.id AND e.position = 1 JOIN users u ON u.id = e.teacher_id
      WHERE u.name_latin IS NOT NULL AND r.outcome IS NOT NULL ORDER BY r.student_id LIMIT 1`);
    expect(row).toBeTruthy();
    const en = (await (await english('admin@demo.test')).get(`/students/${row.studentId}/record-book`)).body;
    expect(en).toContain(`<td>${row.latin}</td>`);
    const admin = await loginAs(t.app, 'admin@demo.test');
    await admin.post('/lang', { lang: 'ru', back: '/' });
    const ru = (await admin.get(`/students/${row.studentId}/record-book`)).body;
    expect(ru).toContain(`<td>${row.surname} ${row.givenName}</td>`);
    expect(ru).not.toContain(row.latin);
  });

  it('a parent’s home names the child in the page’s language', async () => {
    const ru = await loginAs(t.app, 'parent@demo.test');
    const ruHome = (await ru.get('/')).body;
    expect(ruHome).toContain('Климович Анастасия Сергеевна');
    expect(ruHome).not.toContain('KLIMOVICH');
    const enHome = (await (await english('parent@demo.test')).get('/')).body;
    expect(enHome).toContain('KLIMOVICH Anastasiya');
    expect(enHome).not.toContain('Климович Анастасия');
  });

  it('a statement shows both forms for each student, whatever the page’s language', async () => {
    const dean = await loginAs(t.app, 'dean@demo.test');
    const course = await courseOf(t.store, 'Human Anatomy', '1101');
    const res = await dean.post(`/courses/${course}/statements`, { groupId: await groupIdOf(t.store, '1101'), kind: 'exam', date: '2026-12-20',
      examiner1: await userId(t.store, 'teacher@demo.test') });
    expect(res.statusCode).toBe(303);
    const url = String(res.headers.location);
    const student = await person(await userId(t.store, 'student@demo.test'));
    expect(student.nameLatin).toBe('KLIMOVICH Anastasiya');
    const both = '<span class="nm-cyr">Климович Анастасия Сергеевна</span><br><span class="nm-lat">KLIMOVICH Anastasiya</span>';
    expect((await dean.get(url)).body).toContain(both);
    expect((await (await english('teacher@demo.test')).get(url)).body).toContain(both);
    // A student without a Latin name: the Cyrillic one alone.
    const plain = await q<{ surname: string; givenName: string; patronymic: string }>(sql`SELECT u.surname, u.given_name AS "givenName", u.patronymic
      FROM statement_results r JOIN users u ON u.id = r.student_id
      WHERE r.statement_id = ${Number(/\/statements\/(\d+)/.exec(url)![1])} AND u.name_latin IS NULL LIMIT 1`);
    expect((await dean.get(url)).body).toContain(`<span class="nm-cyr">${plain.surname} ${plain.givenName} ${plain.patronymic}</span></td>`);
  });
});

describe('the people search finds either name', () => {
  it('by the Latin name, folding case; by the Cyrillic one as before', async () => {
    const admin = await loginAs(t.app, 'admin@demo.test');
    const id = await userId(t.store, 'student@demo.test');
    for (const term of ['klimovich anast', 'KLIMOVICH', 'Климович Анастасия'.split(' ')[0]!, 'климович']) {
      const res = await admin.get(`/admin/people?q=${encodeURIComponent(term)}`);
      expect(res.body, term).toContain(`id="person-${id}"`);
    }
    const foreign = await person(await studentOfGroup(t.store, 'E101'));
    const found = await admin.get(`/admin/people?q=${encodeURIComponent(foreign.nameLatin!.toLowerCase())}`);
    expect(found.body).toContain(`id="person-${await studentOfGroup(t.store, 'E101')}"`);
    expect((await admin.get(`/admin/people?q=${encodeURIComponent(foreign.surname)}`)).body).toContain(foreign.nameLatin!); // shown beside
    expect((await admin.get('/admin/people?q=zzqxlatin')).body).not.toContain('id="person-');
  });
});

describe('English mail names the child in Latin script', () => {
  let smtp: TestSmtp;
  let m: TestApp;
  beforeAll(async () => {
    smtp = await startSmtp();
    m = await makeTestApp({ env: { SMTP_URL: smtp.url, MAIL_FROM: 'Zachetka <journal@bsmu.test>' } });
  });
  afterAll(async () => { await m.close(); await smtp.close(); });

  async function confirmMail(email: string) {
    const a = await loginAs(m.app, email);
    expect((await a.post('/account/mail/confirm', {})).statusCode).toBe(303);
    await m.app.mail!.drain();
    const mail = smtp.inbox.filter((x) => x.to === email).at(-1)!;
    const url = new URL(/https?:\/\/\S+\/mail\/confirm\?\S+/.exec(mail.text)![0]);
    expect((await m.app.inject({ method: 'POST', url: url.pathname + url.search })).statusCode).toBe(200);
  }

  async function markFor(value: string) {
    const course = await courseOf(m.store, 'Human Anatomy', '1101');
    const student = await userId(m.store, 'student@demo.test');
    const lesson = (await m.store.get<{ id: number }>(sql`SELECT l.id FROM lessons l JOIN groups g ON g.id = l.group_id
      WHERE l.course_id = ${course} AND g.name = '1101' AND l.date = ${TEST_TODAY}`))!.id;
    const v = async (table: 'attendance' | 'marks') => (await m.store.get<{ version: number }>(sql`SELECT version FROM ${sql.raw(table)}
      WHERE lesson_id = ${lesson} AND student_id = ${student}`))?.version ?? 0;
    const teacher = await loginAs(m.app, 'teacher@demo.test');
    const res = await teacher.post(`/courses/${course}/cells`, { lessonId: lesson, studentId: student, value, av: await v('attendance'), mv: await v('marks'), reason: 'проверка' });
    expect(res.statusCode).toBe(200);
    await m.app.mail!.drain();
  }

  it('a parent reading in English gets the child’s Latin name; in Russian, the Cyrillic one', async () => {
    await confirmMail('parent@demo.test');
    const parent = await userId(m.store, 'parent@demo.test');
    await m.store.run(sql`UPDATE users SET lang = 'en' WHERE id = ${parent}`);
    smtp.inbox.length = 0;
    await markFor('8');
    const en = smtp.inbox.filter((x) => x.to === 'parent@demo.test');
    expect(en).toHaveLength(1);
    expect(en[0].html).toContain('<html lang="en">');
    for (const part of [en[0].subject, en[0].text, en[0].html]) {
      expect(part).toContain('KLIMOVICH Anastasiya');
      expect(part).not.toContain('Климович');
    }
    await m.store.run(sql`UPDATE users SET lang = 'ru' WHERE id = ${parent}`);
    smtp.inbox.length = 0;
    await markFor('9');
    const ru = smtp.inbox.filter((x) => x.to === 'parent@demo.test');
    expect(ru).toHaveLength(1);
    expect(ru[0].subject).toContain('Климович');
    expect(ru[0].text).not.toContain('KLIMOVICH');
  });
});
