// THE ROUTE × ROLE MATRIX (issue 7). Every route in Fastify's route table (server/app.ts `routeTable`)
// needs an entry here, or tests/route-matrix.test.ts fails naming it. The attacks and fuzz tests walk
// the same table, so a new route is covered by all three as soon as it has its line.
//
// Format: `'METHOD /path/:param': [case, case, ...]`, one case per object the route can be asked about:
//
//   { name: 'own course', url: (f) => `/courses/${f.anat1101}`, allow: ['admin', 'dean', 'teacher', 'teacher2'], marker: (f) => `id="c-...`, ok: [200] }
//
//   name    what the object is ("Anatomy 1101", "another family's student", ...)
//   url     the concrete URL, built from the fixtures `f` (ids of the demo seed, see Fixtures below);
//           it may prepare state (a fresh link to revoke): tests call it before taking a DB snapshot
//   form    POST only: a VALID body (the CSRF token is added); attacks/fuzz mutate it
//   allow   the users who may: a list of USERS, or 'all' (anonymous too) or 'users' (anyone logged in)
//   ok      statuses that count as "allowed" (default: any 2xx) — e.g. [422] for a form that is reached
//           but refuses a wrong current password
//   marker  text that only an allowed user may get (a cell id, a child card id, a student's name):
//           it must be in an allowed answer and must never be in a refused one
//   mode    'gate' (default): others get 403/404, or a redirect to /login when anonymous.
//           'filter': everyone gets the page, only `allow` see the marker (e.g. home pages)
//
// Example for a new admin page: `'GET /admin/users': [{ name: 'list', url: () => '/admin/users', allow: ['admin', 'dean', 'dean-fis'] }],`
import type { DB } from '../../db/client';
import { courseOf, linkedChild, studentOfGroup } from './lookup';
import { TEST_TODAY } from './constants';

export const USERS = ['admin', 'dean', 'dean-fis', 'teacher', 'teacher2', 'teacher-parent', 'student', 'parent', 'anonymous'] as const;
export type User = (typeof USERS)[number];
export const emailOf = (u: User): string | null => (u === 'anonymous' ? null : `${u}@demo.test`);

export type Fixtures = {
  anat1101: number; hist1101: number; anatE101: number;
  lesson: Record<'anat1101' | 'hist1101' | 'anatE101', number>; // a held lesson of the course's first group
  student: Record<'anat1101' | 'hist1101' | 'anatE101', number>; // a student expected at that lesson
  studentAtDemo: number; // student@demo.test (group 1101)
  tpChild: number; // teacher-parent's son (1202): another family's student for parent@
  db: DB;
};

export type Case = {
  name: string;
  url: (f: Fixtures) => string;
  form?: (f: Fixtures) => Record<string, string | number>;
  allow: readonly User[] | 'all' | 'users';
  ok?: number[];
  marker?: (f: Fixtures) => string;
  mode?: 'gate' | 'filter';
};

/** A valid cell write for the course's fixture lesson/student with the current versions (a reason always). */
const cellForm = (k: keyof Fixtures['lesson'], value = '7') => (f: Fixtures) => {
  const v = (t: string) => (f.db.$client.prepare(`SELECT version FROM ${t} WHERE lesson_id = ? AND student_id = ?`).get(f.lesson[k], f.student[k]) as { version: number } | undefined)?.version ?? 0;
  return { lessonId: f.lesson[k], studentId: f.student[k], value, av: v('attendance'), mv: v('marks'), reason: 'route matrix' };
};
const cellId = (k: keyof Fixtures['lesson']) => (f: Fixtures) => `id="c-${f.lesson[k]}-${f.student[k]}"`;

const ANAT1101: User[] = ['admin', 'dean', 'teacher', 'teacher2'];
const HIST1101: User[] = ['admin', 'dean', 'teacher-parent'];
const ANATE101: User[] = ['admin', 'dean-fis', 'teacher'];
const STAFF: User[] = ['admin', 'dean', 'dean-fis', 'teacher', 'teacher2', 'teacher-parent'];

export const MATRIX: Record<string, Case[]> = {
  'GET /public/*': [{ name: 'stylesheet and scripts', url: () => '/public/app.js', allow: 'all' }],
  'GET /vendor/*': [{ name: 'htmx', url: () => '/vendor/htmx.min.js', allow: 'all' }],
  'GET /login': [{ name: 'login page', url: () => '/login', allow: 'all', ok: [200, 303] }],
  'POST /login': [{ name: 'wrong password', url: () => '/login', form: () => ({ email: 'admin@demo.test', password: 'not-the-password' }), allow: 'all', ok: [401, 429] }],
  'POST /logout': [{ name: 'own session', url: () => '/logout', form: () => ({}), allow: 'all', ok: [303] }],
  'POST /lang': [{ name: 'own language', url: () => '/lang', form: () => ({ lang: 'ru', back: '/' }), allow: 'all', ok: [303] }],
  'POST /account/notifications': [{ name: 'own notification settings', url: () => '/account/notifications', form: () => ({ notify: 'mark' }), allow: 'users', ok: [200, 303] }],
  'GET /account': [{ name: 'own account', url: () => '/account', allow: 'users' }],
  'POST /account/password': [{ name: 'own password (wrong current)', url: () => '/account/password', form: () => ({ current: 'wrong-wrong', next: 'new-password-123', repeat: 'new-password-123' }), allow: 'users', ok: [422] }],
  'GET /': [
    { name: 'home', url: () => '/', allow: 'users' },
    { name: "parent@'s child", url: () => '/', allow: ['parent'], marker: (f) => `id="child-${f.studentAtDemo}"`, mode: 'filter' },
    { name: "teacher-parent's son (another family)", url: () => '/', allow: ['teacher-parent'], marker: (f) => `id="child-${f.tpChild}"`, mode: 'filter' },
  ],
  'GET /courses/:courseId': [
    { name: 'Anatomy 1101 (teacher@, teacher2@)', url: (f) => `/courses/${f.anat1101}`, allow: ANAT1101, marker: cellId('anat1101') },
    { name: "Histology 1101 (another teacher's)", url: (f) => `/courses/${f.hist1101}`, allow: HIST1101, marker: cellId('hist1101') },
    { name: 'Anatomy E101 (another faculty)', url: (f) => `/courses/${f.anatE101}`, allow: ANATE101, marker: cellId('anatE101') },
    { name: 'no such course', url: () => '/courses/999999', allow: [] },
  ],
  'GET /courses/:courseId/cells/:lessonId/:studentId': [
    { name: 'Anatomy 1101 cell', url: (f) => `/courses/${f.anat1101}/cells/${f.lesson.anat1101}/${f.student.anat1101}`, allow: ANAT1101, marker: cellId('anat1101') },
    { name: 'Histology 1101 cell', url: (f) => `/courses/${f.hist1101}/cells/${f.lesson.hist1101}/${f.student.hist1101}`, allow: HIST1101, marker: cellId('hist1101') },
    { name: 'Anatomy E101 cell', url: (f) => `/courses/${f.anatE101}/cells/${f.lesson.anatE101}/${f.student.anatE101}`, allow: ANATE101, marker: cellId('anatE101') },
    { name: 'Histology lesson through the Anatomy course', url: (f) => `/courses/${f.anat1101}/cells/${f.lesson.hist1101}/${f.student.hist1101}`, allow: [] },
  ],
  'POST /courses/:courseId/cells': [
    { name: 'Anatomy 1101 cell', url: (f) => `/courses/${f.anat1101}/cells`, form: cellForm('anat1101'), allow: ANAT1101, marker: cellId('anat1101') },
    { name: 'Histology 1101 cell', url: (f) => `/courses/${f.hist1101}/cells`, form: cellForm('hist1101'), allow: HIST1101, marker: cellId('hist1101') },
    { name: 'Anatomy E101 cell', url: (f) => `/courses/${f.anatE101}/cells`, form: cellForm('anatE101'), allow: ANATE101, marker: cellId('anatE101') },
  ],

  'GET /courses': [{ name: 'course list', url: () => '/courses', allow: STAFF }],
  'GET /courses/:courseId/lessons/:lessonId': perCourse((f, k) => `/courses/${f[k]}/lessons/${f.lesson[k]}`, (k) => (f) => `id="lr-${f.lesson[k]}-${f.student[k]}"`),
  'POST /courses/:courseId/lessons': perCourse((f, k) => `/courses/${f[k]}/lessons`, undefined, () => () => ({ date: '2026-12-01', time: '09:45', kind: 'seminar', topic: 'route matrix', groupId: '' }), [303]),
  'POST /courses/:courseId/lessons/:lessonId': perCourse((f, k) => `/courses/${f[k]}/lessons/${f.lesson[k]}`, undefined, (k) => (f) => {
    const l = f.db.$client.prepare('SELECT version, date, kind, topic, group_id AS g FROM lessons WHERE id = ?').get(f.lesson[k]) as { version: number; date: string; kind: string; topic: string; g: number | null };
    return { version: l.version, date: l.date, time: '09:45', kind: l.kind, topic: l.topic, groupId: l.g ?? '', reason: 'route matrix' };
  }),
  'POST /courses/:courseId/lessons/:lessonId/cancel': perCourse((f, k) => `/courses/${f[k]}/lessons/${f.lesson[k]}/cancel`, undefined, (k) => (f) => ({ version: lessonVersion(f, k), cancelled: '0', reason: 'route matrix' })),
  'POST /courses/:courseId/lessons/:lessonId/all-present': perCourse((f, k) => `/courses/${f[k]}/lessons/${f.lesson[k]}/all-present`, undefined, () => () => ({ reason: 'route matrix' })),
  'POST /courses/:courseId/absences': perCourse((f, k) => `/courses/${f[k]}/absences`, undefined, (k) => (f) => ({ lessonId: f.lesson[k], studentId: f.student[k], av: recordVersion(f, k, 'attendance'), decision: 'unexcused' }), [303]),
  'POST /courses/:courseId/makeups': perCourse((f, k) => `/courses/${f[k]}/makeups`, undefined, (k) => (f) => ({ lessonId: f.lesson[k], studentId: f.student[k], kv: recordVersion(f, k, 'makeups'), decision: 'waived', waiveReason: 'route matrix' }), [303]),
  'GET /courses/:courseId/cells/:lessonId/:studentId/history': perCourse((f, k) => `/courses/${f[k]}/cells/${f.lesson[k]}/${f.student[k]}/history`),
  'GET /courses/:courseId/makeups': perCourse((f, k) => `/courses/${f[k]}/makeups`),
  'GET /makeups': [{ name: 'pending make-ups of my department / faculty', url: () => '/makeups', allow: STAFF }],
  'GET /students/:studentId': [
    { name: 'student@ (own record)', url: (f) => `/students/${f.studentAtDemo}`, allow: ['student', 'parent', 'admin', 'dean'], marker: (f) => `id="course-tile-${f.studentAtDemo}-${f.anat1101}"` },
    { name: "teacher-parent's son (another family)", url: (f) => `/students/${f.tpChild}`, allow: ['teacher-parent', 'admin', 'dean'] },
    { name: 'an E101 student (another faculty)', url: (f) => `/students/${f.student.anatE101}`, allow: ['admin', 'dean-fis'] },
  ],
  'GET /students/:studentId/courses/:courseId': [
    { name: 'student@ in Anatomy', url: (f) => `/students/${f.studentAtDemo}/courses/${f.anat1101}`, allow: ['student', 'parent', 'admin', 'dean'], marker: (f) => `id="course-tile-${f.studentAtDemo}-${f.anat1101}"` },
    { name: 'student@ in a course she does not attend', url: (f) => `/students/${f.studentAtDemo}/courses/${f.anatE101}`, allow: [] },
  ],
  'GET /guardians': [{ name: 'own consent page', url: () => '/guardians', allow: ['student'], ok: [303] }],
  'GET /students/:studentId/guardians': [
    { name: 'student@ (own links)', url: (f) => `/students/${f.studentAtDemo}/guardians`, allow: ['student', 'admin', 'dean'] },
    { name: 'an E101 student (another faculty)', url: (f) => `/students/${f.student.anatE101}/guardians`, allow: ['admin', 'dean-fis'] },
  ],
  'POST /students/:studentId/guardians/codes': [
    { name: 'student@ creates a code', url: (f) => `/students/${f.studentAtDemo}/guardians/codes`, form: () => ({ scope: 'full' }), allow: ['student', 'admin', 'dean'] },
  ],
  'POST /students/:studentId/guardians/:linkId': [
    { name: "scope of parent@'s link", url: (f) => `/students/${f.studentAtDemo}/guardians/${parentLink(f)}`, form: () => ({ scope: 'full' }), allow: ['student', 'admin', 'dean'] },
  ],
  'POST /students/:studentId/guardians/:linkId/revoke': [
    // A fresh link per request, so every allowed user has one to end.
    { name: 'a fresh link of student@', url: (f) => `/students/${f.studentAtDemo}/guardians/${freshLink(f)}/revoke`, form: () => ({}), allow: ['student', 'admin', 'dean'] },
  ],
  'GET /guardian/link': [{ name: 'redeem page', url: () => '/guardian/link', allow: 'users' }],
  'POST /guardian/link': [{ name: 'a wrong code', url: () => '/guardian/link', form: () => ({ code: 'WRONG-CODE1' }), allow: 'users', ok: [422] }],
  'POST /students/:studentId/courses/:courseId/disputes': [
    { name: 'student@ disputes an Anatomy mark', url: (f) => `/students/${f.studentAtDemo}/courses/${f.anat1101}/disputes`, form: (f) => ({ lessonId: f.lesson.anat1101, subject: 'mark', comment: 'route matrix dispute' }), allow: ['student'] },
    { name: 'student@ in a course she does not attend', url: (f) => `/students/${f.studentAtDemo}/courses/${f.anatE101}/disputes`, form: (f) => ({ lessonId: f.lesson.anatE101, subject: 'mark', comment: 'route matrix dispute' }), allow: [] },
  ],
  'GET /disputes': [{ name: 'open disputes of my courses / faculty', url: () => '/disputes', allow: STAFF }],
  'POST /disputes/:disputeId': [
    // A fresh open dispute per request, so every allowed user has one to answer.
    { name: 'a dispute on Anatomy 1101', url: (f) => `/disputes/${freshDispute(f)}`, form: () => ({ decision: 'rejected', answer: 'route matrix' }), allow: ANAT1101 },
  ],
  'GET /admin/structure': [{ name: 'faculties, departments and groups', url: () => '/admin/structure', allow: ['admin', 'dean', 'dean-fis'], marker: () => 'id="new-group-' }],
  'POST /admin/faculties': [{ name: 'a new faculty', url: () => '/admin/faculties', form: () => ({ code: `F${uniq()}`, nameRu: 'Новый факультет', nameEn: 'New faculty' }), allow: ['admin'] }],
  'POST /admin/departments': [{ name: 'a department of LF', url: () => '/admin/departments', form: () => ({ facultyId: 1, nameRu: `Кафедра ${uniq()}`, nameEn: 'Department' }), allow: ['admin', 'dean'] }],
  'POST /admin/groups': [{ name: 'a group of LF', url: () => '/admin/groups', form: () => ({ facultyId: 1, name: `G${uniq()}`, year: 1, language: 'ru', programme: 'degree' }), allow: ['admin', 'dean'] }],
  'POST /admin/terms': [{ name: 'a term in a future year', url: () => '/admin/terms', form: () => { const y = 2100 + (++counter % 7000); return { nameRu: `Семестр ${y}`, nameEn: `Term ${y}`, startsOn: `${y}-02-01`, endsOn: `${y}-06-30` }; }, allow: ['admin'] }],
  'GET /admin/courses': [{ name: 'courses of the current term', url: () => '/admin/courses', allow: ['admin', 'dean', 'dean-fis'] }],
  'POST /admin/subjects': [{ name: 'a subject of an LF department', url: () => '/admin/subjects', form: () => ({ departmentId: 1, code: `S${uniq()}`, nameRu: 'Дисциплина', nameEn: 'Subject' }), allow: ['admin', 'dean'] }],
  'POST /admin/courses': [{ name: 'a course for 1101', url: (f) => { freshSubject(f); return '/admin/courses'; }, form: (f) => newCourseForm(f), allow: ['admin', 'dean'], ok: [303] }],
  'GET /admin/courses/:courseId': [
    { name: 'Anatomy 1101', url: (f) => `/admin/courses/${f.anat1101}`, allow: ['admin', 'dean'], marker: (f) => `id="course-settings-${f.anat1101}"` },
    { name: 'Anatomy E101 (FIS)', url: (f) => `/admin/courses/${f.anatE101}`, allow: ['admin', 'dean-fis'], marker: (f) => `id="course-settings-${f.anatE101}"` },
  ],
  'POST /admin/courses/:courseId/rules': [{ name: 'a fresh course of 1101', url: (f) => `/admin/courses/${freshCourse(f)}/rules`, form: () => ({ version: 1, minRating: 4, absenceCapPercent: 25, absenceWarnPercent: 20, capCounts: 'unexcused', requireMakeups: '1', finalRule: 'exam_only', examWeight: 0.5 }), allow: ['admin', 'dean'] }],
  'POST /admin/courses/:courseId/teachers': [{ name: 'a fresh course of 1101', url: (f) => `/admin/courses/${freshCourse(f)}/teachers`, form: (f) => ({ teacherId: userIdOf(f, 'teacher-parent@demo.test'), role: 'assistant' }), allow: ['admin', 'dean'] }],
  'POST /admin/courses/:courseId/groups': [{ name: 'a fresh course of 1101 gains 1102', url: (f) => `/admin/courses/${freshCourse(f)}/groups`, form: (f) => ({ groupId: groupId(f, '1102') }), allow: ['admin', 'dean'] }],
  'POST /admin/courses/:courseId/teachers/:teacherId/remove': [{ name: "a fresh course's assistant", url: (f) => `/admin/courses/${freshCourse(f)}/teachers/${userIdOf(f, 'teacher2@demo.test')}/remove`, form: () => ({}), allow: ['admin', 'dean'] }],
  'GET /admin/terms': [{ name: 'terms', url: () => '/admin/terms', allow: ['admin', 'dean', 'dean-fis'] }],
  // Fresh fixture terms, so locking never closes the demo term the other cases write to.
  'POST /admin/terms/:termId/lock': [{ name: 'a fresh open term', url: (f) => `/admin/terms/${freshTerm(f, false)}/lock`, form: () => ({ reason: 'route matrix' }), allow: ['admin'] }],
  'POST /admin/terms/:termId/unlock': [{ name: 'a fresh locked term', url: (f) => `/admin/terms/${freshTerm(f, true)}/unlock`, form: () => ({ reason: 'route matrix' }), allow: ['admin'] }],
  'POST /courses/:courseId/corrections': [
    { name: 'Anatomy 1101 (term open: refused with a message)', url: (f) => `/courses/${f.anat1101}/corrections`, form: (f) => ({ lessonId: f.lesson.anat1101, studentId: f.student.anat1101, field: 'mark', newValue: '7', reason: 'route matrix' }), allow: ['teacher', 'teacher2'], ok: [422] },
    { name: 'Histology 1101 (another teacher)', url: (f) => `/courses/${f.hist1101}/corrections`, form: (f) => ({ lessonId: f.lesson.hist1101, studentId: f.student.hist1101, field: 'mark', newValue: '7', reason: 'route matrix' }), allow: ['teacher-parent'], ok: [422] },
  ],
  'GET /admin/corrections': [{ name: 'pending corrections', url: () => '/admin/corrections', allow: ['admin', 'dean', 'dean-fis'] }],
  'POST /admin/corrections/:id': [
    { name: 'a request on Anatomy 1101', url: (f) => `/admin/corrections/${freshCorrection(f)}`, form: () => ({ decision: 'reject', note: 'route matrix' }), allow: ['admin', 'dean'] },
  ],
  // A plain GET (no upgrade, no Origin) is refused for everyone; tests/live.test.ts drives real sockets.
  'GET /live': [{ name: 'plain GET without an upgrade', url: () => '/live?page=home', allow: [] }],
  'GET /notifications': [{ name: 'own notifications', url: () => '/notifications', allow: 'users' }],
  'POST /notifications/read-all': [{ name: 'own notifications', url: () => '/notifications/read-all', form: () => ({}), allow: 'users', ok: [303] }],
  'GET /admin/audit': [{ name: 'audit trail', url: () => '/admin/audit', allow: ['admin', 'dean', 'dean-fis'] }],
  'GET /admin/audit.csv': [{ name: 'audit export (CSV)', url: () => '/admin/audit.csv?action=term', allow: ['admin', 'dean', 'dean-fis'] }],
  'GET /admin/audit.xlsx': [{ name: 'audit export (XLSX)', url: () => '/admin/audit.xlsx?action=term', allow: ['admin', 'dean', 'dean-fis'] }],
  'GET /admin/reports': [{ name: 'reports of my faculty', url: () => '/admin/reports', allow: ['admin', 'dean', 'dean-fis'] }],
  'GET /admin/reports.csv': [
    { name: 'students at risk (CSV)', url: () => '/admin/reports.csv', allow: ['admin', 'dean', 'dean-fis'] },
    { name: 'by course, sorted (CSV)', url: () => '/admin/reports.csv?table=course&sortCourse=-absent', allow: ['admin', 'dean', 'dean-fis'] },
  ],
  'GET /admin/reports.xlsx': [{ name: 'every report table (XLSX)', url: () => '/admin/reports.xlsx', allow: ['admin', 'dean', 'dean-fis'] }],
  'GET /courses/:courseId/statement': perCourse((f, k) => `/courses/${f[k]}/statement`),
  'GET /admin/import': [{ name: 'import page', url: () => '/admin/import', allow: ['admin', 'dean', 'dean-fis'] }],
  'POST /admin/import': [{ name: 'an upload without a file', url: () => '/admin/import', form: () => ({}), allow: ['admin', 'dean', 'dean-fis'], ok: [422] }],
  'POST /admin/import/apply': [{ name: 'an empty roster', url: () => '/admin/import/apply', form: () => ({ rows: '[]' }), allow: ['admin', 'dean', 'dean-fis'] }],
  'GET /admin/people': [{ name: 'people of my faculty', url: () => '/admin/people?q=Климович', allow: ['admin', 'dean', 'dean-fis'] }],
  // A fresh LF student per request: disabling a demo account would sign it out of every later case.
  'GET /admin/people/new': [{ name: 'new-person form', url: () => '/admin/people/new', allow: ['admin', 'dean', 'dean-fis'] }],
  'POST /admin/people': [
    { name: 'a new student of 1101 (LF)', url: () => '/admin/people', form: (f) => newStudentForm(f, '1101'), allow: ['admin', 'dean'] },
    { name: 'a new student of E101 (FIS)', url: () => '/admin/people', form: (f) => newStudentForm(f, 'E101'), allow: ['admin', 'dean-fis'] },
  ],
  'GET /admin/people/:userId': [
    { name: 'student@ (LF)', url: (f) => `/admin/people/${f.studentAtDemo}`, allow: ['admin', 'dean'], marker: (f) => `id="person-${f.studentAtDemo}"` },
    { name: 'an E101 student (FIS)', url: (f) => `/admin/people/${f.student.anatE101}`, allow: ['admin', 'dean-fis'], marker: (f) => `id="person-${f.student.anatE101}"` },
    // Issue 10.1: administrators' cards are the university's, and a dean-recorded guardian link gives no office a staff account.
    { name: 'admin@ (the university administrator)', url: (f) => `/admin/people/${userIdOf(f, 'admin@demo.test')}`, allow: [], marker: (f) => `id="person-${userIdOf(f, 'admin@demo.test')}"` },
    { name: 'dean-fis@ (a dean)', url: (f) => `/admin/people/${userIdOf(f, 'dean-fis@demo.test')}`, allow: ['admin'], marker: (f) => `id="person-${userIdOf(f, 'dean-fis@demo.test')}"` },
    { name: 'teacher-parent@ (an LF teacher with a recorded link)', url: (f) => `/admin/people/${userIdOf(f, 'teacher-parent@demo.test')}`, allow: ['admin', 'dean'], marker: (f) => `id="person-${userIdOf(f, 'teacher-parent@demo.test')}"` },
  ],
  'POST /admin/people/:userId': [{ name: 'an LF student, unchanged details', url: (f) => `/admin/people/${studentOfGroup(f.db, '1101', 2)}`, form: (f) => detailsForm(f, studentOfGroup(f.db, '1101', 2)), allow: ['admin', 'dean'] }],
  'POST /admin/people/:userId/roles': [{ name: 'teacher of Anatomy for an LF student', url: (f) => `/admin/people/${freshStudent(f)}/roles`, form: () => ({ role: 'teacher', departmentId: 1 }), allow: ['admin', 'dean'] }],
  'POST /admin/people/:userId/roles/:roleId/revoke': [{ name: 'a fresh LF teacher grant', url: (f) => freshTeacherGrant(f), form: () => ({ reason: 'route matrix' }), allow: ['admin', 'dean'] }],
  'POST /admin/people/:userId/group': [{ name: 'an LF student to 1102', url: (f) => `/admin/people/${freshStudent(f)}/group`, form: (f) => ({ groupId: groupId(f, '1102'), fromDate: '2026-11-01', reason: 'route matrix' }), allow: ['admin', 'dean'] }],
  'POST /admin/people/:userId/guardians': [{ name: 'a recorded guardian of an LF student', url: (f) => `/admin/people/${freshStudent(f)}/guardians`, form: () => ({ email: `guardian-${Math.random().toString(36).slice(2)}@example.test`, surname: 'Матрица', givenName: 'Отец', scope: 'full', consentNote: 'route matrix' }), allow: ['admin', 'dean'] }],
  'POST /admin/people/:userId/disable': [
    { name: 'an LF student', url: (f) => `/admin/people/${freshStudent(f)}/disable`, form: () => ({ reason: 'route matrix' }), allow: ['admin', 'dean'] },
    { name: 'a second LF dean', url: (f) => `/admin/people/${freshDean(f)}/disable`, form: () => ({ reason: 'route matrix' }), allow: ['admin'] },
  ],
  'POST /admin/people/:userId/enable': [{ name: 'an LF student', url: (f) => `/admin/people/${freshStudent(f)}/enable`, form: () => ({ reason: 'route matrix' }), allow: ['admin', 'dean'] }],
  'POST /admin/people/:userId/reset': [
    { name: 'an E101 student (FIS)', url: (f) => `/admin/people/${f.student.anatE101}/reset`, form: () => ({}), allow: ['admin', 'dean-fis'] },
    { name: 'admin@ (the university administrator)', url: (f) => `/admin/people/${userIdOf(f, 'admin@demo.test')}/reset`, form: () => ({}), allow: [] },
    { name: 'dean@ (a dean)', url: (f) => `/admin/people/${userIdOf(f, 'dean@demo.test')}/reset`, form: () => ({}), allow: ['admin'] },
    { name: 'a second LF dean', url: (f) => `/admin/people/${freshDean(f)}/reset`, form: () => ({}), allow: ['admin'] },
  ],
  'GET /reset/:token': [{ name: 'an unknown link', url: () => '/reset/AAAAAAAAAAAAAAAAAAAAAAAA', allow: [] }],
  'POST /reset/:token': [{ name: 'an unknown link', url: () => '/reset/AAAAAAAAAAAAAAAAAAAAAAAA', form: () => ({ next: 'a-new-password-1', repeat: 'a-new-password-1' }), allow: [] }],
  'GET /groups/:groupId/journal': [
    { name: 'group 1101 (LF)', url: (f) => `/groups/${groupIdOf(f, '1101')}/journal`, allow: ['admin', 'dean'], marker: (f) => `id="gj-course-${f.anat1101}"` },
    { name: 'group E101 (FIS)', url: (f) => `/groups/${groupIdOf(f, 'E101')}/journal`, allow: ['admin', 'dean-fis'], marker: (f) => `id="gj-course-${f.anatE101}"` },
    { name: 'no such group', url: () => '/groups/999999/journal', allow: [] },
  ],
  'GET /absences/pending': [{ name: 'excuses awaiting the dean', url: () => '/absences/pending', allow: ['admin', 'dean', 'dean-fis'] }],
};

/** Three cases for a course-scoped route: own course, another teacher's, another faculty's. */
function perCourse(url: (f: Fixtures, k: CourseKey) => string, marker?: (k: CourseKey) => (f: Fixtures) => string,
  form?: (k: CourseKey) => (f: Fixtures) => Record<string, string | number>, ok?: number[]): Case[] {
  const cases: [string, CourseKey, User[]][] = [['Anatomy 1101', 'anat1101', ANAT1101], ["Histology 1101 (another teacher's)", 'hist1101', HIST1101], ['Anatomy E101 (another faculty)', 'anatE101', ANATE101]];
  return cases.map(([name, k, allow]) => ({ name, url: (f) => url(f, k), allow, marker: marker?.(k), form: form?.(k), ok }));
}
type CourseKey = keyof Fixtures['lesson'];
const groupIdOf = (f: Fixtures, name: string) => (f.db.$client.prepare('SELECT id FROM groups WHERE name = ?').get(name) as { id: number }).id;
const parentLink = (f: Fixtures) => (f.db.$client.prepare("SELECT l.id FROM guardian_links l JOIN users u ON u.id = l.guardian_id WHERE u.email = 'parent@demo.test' AND l.student_id = ?").get(f.studentAtDemo) as { id: number }).id;
const freshDispute = (f: Fixtures) => Number(f.db.$client.prepare("INSERT INTO disputes (student_id, lesson_id, subject, comment) VALUES (?, ?, 'mark', 'route matrix')").run(f.studentAtDemo, f.lesson.anat1101).lastInsertRowid);
const freshTerm = (f: Fixtures, locked: boolean) => Number(f.db.$client.prepare("INSERT INTO terms (name_ru, name_en, starts_on, ends_on, locked_at) VALUES ('т', 't', '2030-02-01', '2030-06-30', ?)").run(locked ? 1 : null).lastInsertRowid);
const freshCorrection = (f: Fixtures) => Number(f.db.$client.prepare("INSERT INTO correction_requests (lesson_id, student_id, field, new_value, reason, requested_by) SELECT ?, ?, 'mark', '7', 'route matrix', id FROM users WHERE email = 'teacher@demo.test'").run(f.lesson.anat1101, f.student.anat1101).lastInsertRowid);
const freshStudent = (f: Fixtures) => {
  const q = f.db.$client;
  const id = Number(q.prepare("INSERT INTO users (email, surname, given_name) VALUES ('matrix-' || lower(hex(randomblob(6))) || '@students.demo.test', 'Матрица', 'Тест')").run().lastInsertRowid);
  q.prepare("INSERT INTO user_roles (user_id, role) VALUES (?, 'student')").run(id);
  q.prepare("INSERT INTO group_memberships (student_id, group_id, from_date) SELECT ?, id, '2026-09-01' FROM groups WHERE name = '1101'").run(id);
  return id;
};
/** Another dean's office of LF: a fresh one per request, so disabling it signs no demo account out. */
const freshDean = (f: Fixtures) => {
  const q = f.db.$client;
  const id = Number(q.prepare("INSERT INTO users (email, surname, given_name) VALUES ('matrix-' || lower(hex(randomblob(6))) || '@demo.test', 'Матрица', 'Декан')").run().lastInsertRowid);
  q.prepare("INSERT INTO user_roles (user_id, role, faculty_id) SELECT ?, 'admin', id FROM faculties WHERE code = 'LF'").run(id);
  return id;
};
const groupId = (f: Fixtures, name: string) => (f.db.$client.prepare('SELECT id FROM groups WHERE name = ?').get(name) as { id: number }).id;
const newStudentForm = (f: Fixtures, group: string) => ({ email: `new-${Math.random().toString(36).slice(2)}@students.demo.test`, surname: 'Новикова', givenName: 'Мария', role: 'student', groupId: groupId(f, group), fromDate: '2026-11-02', lang: 'ru' });
const detailsForm = (f: Fixtures, id: number) => {
  const u = f.db.$client.prepare('SELECT email, surname, given_name AS givenName, version FROM users WHERE id = ?').get(id) as Record<string, string | number>;
  return { ...u, lang: 'ru' };
};
const freshTeacherGrant = (f: Fixtures) => {
  const q = f.db.$client;
  const id = Number(q.prepare("INSERT INTO users (email, surname, given_name) VALUES ('matrix-' || lower(hex(randomblob(6))) || '@demo.test', 'Матрица', 'Преподаватель')").run().lastInsertRowid);
  const role = Number(q.prepare("INSERT INTO user_roles (user_id, role, department_id) VALUES (?, 'teacher', 1)").run(id).lastInsertRowid);
  return `/admin/people/${id}/roles/${role}/revoke`;
};
let counter = 0;
/** A short value no other call of this test run returns (codes and names must be unique). */
const uniq = () => `${process.pid % 1000}${++counter}`.slice(-6);
const userIdOf = (f: Fixtures, email: string) => (f.db.$client.prepare('SELECT id FROM users WHERE email = ?').get(email) as { id: number }).id;
const currentTermId = (f: Fixtures) => (f.db.$client.prepare('SELECT term_id AS id FROM courses WHERE id = ?').get(f.anat1101) as { id: number }).id;
const freshSubject = (f: Fixtures) => f.db.$client.prepare("INSERT INTO subjects (department_id, code, name_ru, name_en) VALUES (1, 'M' || lower(hex(randomblob(5))), 'Матрица', 'Matrix')").run();
/** The newest subject that no course uses yet (read only: the form may be built before the URL). */
const newCourseForm = (f: Fixtures) => ({
  termId: currentTermId(f), subjectId: (f.db.$client.prepare('SELECT id FROM subjects s WHERE NOT EXISTS (SELECT 1 FROM courses c WHERE c.subject_id = s.id) ORDER BY id DESC LIMIT 1').get() as { id: number } | undefined)?.id ?? 1,
  groupId: groupId(f, '1101'), lecturerId: userIdOf(f, 'teacher@demo.test'), scale: 'ten', minRating: 4, absenceCapPercent: 30, capCounts: 'all', finalRule: 'mean_rating_exam', examWeight: 0.5,
});
/** A course of 1101 in the current term taught by teacher@ (lecturer) and teacher2@ (assistant). */
const freshCourse = (f: Fixtures) => {
  const q = f.db.$client;
  const subject = Number(freshSubject(f).lastInsertRowid); // its own subject: adding a group never meets an existing course
  const id = Number(q.prepare("INSERT INTO courses (subject_id, term_id, scale_id) SELECT ?, ?, id FROM scales WHERE code = 'ten'").run(subject, currentTermId(f)).lastInsertRowid);
  q.prepare('INSERT INTO course_groups (course_id, group_id) VALUES (?, ?)').run(id, groupId(f, '1101'));
  q.prepare("INSERT INTO course_teachers (course_id, teacher_id, role) VALUES (?, ?, 'lecturer'), (?, ?, 'assistant')").run(id, userIdOf(f, 'teacher@demo.test'), id, userIdOf(f, 'teacher2@demo.test'));
  return id;
};
const freshLink = (f: Fixtures) => Number(f.db.$client.prepare("INSERT INTO guardian_links (guardian_id, student_id, scope, consent, consented_at) SELECT id, ?, 'attendance', 'dean_recorded', 0 FROM users WHERE email = 'teacher2@demo.test'").run(f.studentAtDemo).lastInsertRowid);
const lessonVersion = (f: Fixtures, k: CourseKey) => (f.db.$client.prepare('SELECT version FROM lessons WHERE id = ?').get(f.lesson[k]) as { version: number }).version;
const recordVersion = (f: Fixtures, k: CourseKey, table: 'attendance' | 'makeups') =>
  (f.db.$client.prepare(`SELECT version FROM ${table} WHERE lesson_id = ? AND student_id = ?`).get(f.lesson[k], f.student[k]) as { version: number } | undefined)?.version ?? 0;

/** Ids of the demo seed the matrix talks about. */
export function loadFixtures(db: DB): Fixtures {
  const anat1101 = courseOf(db, 'Human Anatomy', '1101');
  const hist1101 = courseOf(db, 'Histology', '1101');
  const anatE101 = courseOf(db, 'Human Anatomy', 'E101');
  const heldLesson = (courseId: number, group: string) => (db.$client.prepare(`SELECT l.id FROM lessons l JOIN groups g ON g.id = l.group_id
      WHERE l.course_id = ? AND g.name = ? AND l.date <= ? AND l.cancelled = 0 ORDER BY l.date DESC, l.id LIMIT 1`).get(courseId, group, TEST_TODAY) as { id: number }).id;
  const studentAtDemo = (db.$client.prepare("SELECT id FROM users WHERE email = 'student@demo.test'").get() as { id: number }).id;
  return {
    anat1101, hist1101, anatE101, db,
    lesson: { anat1101: heldLesson(anat1101, '1101'), hist1101: heldLesson(hist1101, '1101'), anatE101: heldLesson(anatE101, 'E101') },
    student: { anat1101: studentAtDemo, hist1101: studentOfGroup(db, '1101', 1), anatE101: studentOfGroup(db, 'E101', 0) },
    studentAtDemo,
    tpChild: linkedChild(db, 'teacher-parent@demo.test'),
  };
}

/** The matrix key of a route-table entry. */
export const routeKey = (r: { method: string; url: string }) => `${r.method} ${r.url}`;

export function allowed(c: Case, u: User): boolean {
  if (c.allow === 'all') return true;
  if (c.allow === 'users') return u !== 'anonymous';
  return c.allow.includes(u);
}

/** A user who may use the case (for attacks and fuzz: the request must get past the policy). */
export function someAllowedUser(c: Case): User {
  if (c.allow === 'all') return 'teacher';
  if (c.allow === 'users') return 'teacher';
  return c.allow.includes('teacher') ? 'teacher' : c.allow[0] ?? 'anonymous';
}
