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
//           it may prepare state (a fresh link to revoke): tests call it before taking a DB snapshot.
//           It may be async (it reads or writes through `f.store`): callers always `await c.url(f)`
//   form    POST only: a VALID body (the CSRF token is added); attacks/fuzz mutate it. May be async
//           too: callers `await c.form(f)`
//   allow   the users who may: a list of USERS, or 'all' (anonymous too) or 'users' (anyone logged in)
//   ok      statuses that count as "allowed" (default: any 2xx) — e.g. [422] for a form that is reached
//           but refuses a wrong current password
//   marker  text that only an allowed user may get (a cell id, a child card id, a student's name):
//           it must be in an allowed answer and must never be in a refused one. Synchronous: built
//           from the fixtures only (ids of demo users and groups are loaded into them once)
//   mode    'gate' (default): others get 403/404, or a redirect to /login when anonymous.
//           'filter': everyone gets the page, only `allow` see the marker (e.g. home pages)
//
// Example for a new admin page: `'GET /admin/users': [{ name: 'list', url: () => '/admin/users', allow: ['admin', 'dean', 'dean-fis'] }],`
import { randomBytes } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../../db/store';
import { courseOf, groupIdOf as groupIdByName, linkedChild, studentOfGroup } from './lookup';
import { TEST_NOW, TEST_TODAY, TEST_SECRET } from './constants';
import { CONFIRM_LINK_MS, confirmUrl, unsubscribeUrl } from '../../server/mail/tokens';

export const USERS = ['admin', 'dean', 'dean-fis', 'teacher', 'teacher2', 'teacher-parent', 'student', 'parent', 'anonymous'] as const;
export type User = (typeof USERS)[number];
export const emailOf = (u: User): string | null => (u === 'anonymous' ? null : `${u}@demo.test`);

export type Fixtures = {
  anat1101: number; hist1101: number; anatE101: number;
  lesson: Record<'anat1101' | 'hist1101' | 'anatE101', number>; // a held lesson of the course's first group
  student: Record<'anat1101' | 'hist1101' | 'anatE101', number>; // a student expected at that lesson
  studentAtDemo: number; // student@demo.test (group 1101)
  tpChild: number; // teacher-parent's son (1202): another family's student for parent@
  userIds: Record<string, number>; // every demo user's id by email (they never change)
  groupIds: Record<string, number>; // ids of the groups the matrix names (1101, 1102, E101)
  termId: number; // the current term (Anatomy 1101's)
  store: Queryable;
};

type Form = Record<string, string | number>;

export type Case = {
  name: string;
  url: (f: Fixtures) => string | Promise<string>;
  form?: (f: Fixtures) => Form | Promise<Form>;
  allow: readonly User[] | 'all' | 'users';
  ok?: number[];
  marker?: (f: Fixtures) => string;
  mode?: 'gate' | 'filter';
  /**
   * false: the route is authorised by a signed token in its URL (the links in e-mail), not by a session, so
   * it takes no CSRF token; tests/mail-links.test.ts attacks its token instead.
   */
  csrf?: false;
};

/** A valid cell write for the course's fixture lesson/student with the current versions (a reason always). */
const cellForm = (k: keyof Fixtures['lesson'], value = '7') => async (f: Fixtures) => {
  const v = async (t: 'attendance' | 'marks') => (await f.store.get<{ version: number }>(sql`SELECT version FROM ${sql.raw(t)} WHERE lesson_id = ${f.lesson[k]} AND student_id = ${f.student[k]}`))?.version ?? 0;
  return { lessonId: f.lesson[k], studentId: f.student[k], value, av: await v('attendance'), mv: await v('marks'), reason: 'route matrix' };
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
  'POST /account/mail': [{ name: 'own e-mail settings', url: () => '/account/mail', form: () => ({ mode_mark: 'instant', mode_absence: 'daily', mode_admission: 'weekly', mode_dispute: 'off', digestHour: 19 }), allow: 'users', ok: [303] }],
  // The matrix app has no SMTP_URL: asking for a confirmation link is refused in the user's language (tests/mail.test.ts sends one).
  'POST /account/mail/confirm': [{ name: 'own address (e-mail off)', url: () => '/account/mail/confirm', form: () => ({}), allow: 'users', ok: [422] }],
  'GET /mail/unsubscribe': [{ name: "a student's signed link", url: (f) => unsubscribeUrl('', TEST_SECRET, f.studentAtDemo, ['mark']), allow: 'all', marker: () => 'name="List-Unsubscribe"' }],
  'POST /mail/unsubscribe': [{ name: "a student's signed link (one-click)", url: (f) => unsubscribeUrl('', TEST_SECRET, f.studentAtDemo, ['mark']), form: () => ({ 'List-Unsubscribe': 'One-Click' }), allow: 'all', ok: [200], marker: () => 'id="mail-unsubscribed"', csrf: false }],
  'GET /mail/confirm': [{ name: "a student's signed link", url: (f) => confirmLink(f), allow: 'all', marker: () => 'action="/mail/confirm?u=' }],
  'POST /mail/confirm': [{ name: "a student's signed link", url: (f) => confirmLink(f), form: () => ({}), allow: 'all', ok: [200], marker: () => 'id="mail-confirmed"', csrf: false }],
  'POST /account/notifications': [{ name: 'own notification settings', url: () => '/account/notifications', form: () => ({ notify: 'mark' }), allow: 'users', ok: [303] }],
  'GET /account': [{ name: 'own account', url: () => '/account', allow: 'users' }],
  'POST /account/timezone': [{ name: 'own time zone', url: () => '/account/timezone', form: () => ({ tz: 'Europe/Minsk' }), allow: 'users', ok: [303] }],
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
  'POST /courses/:courseId/lessons/:lessonId': perCourse((f, k) => `/courses/${f[k]}/lessons/${f.lesson[k]}`, undefined, (k) => async (f) => {
    const l = (await f.store.get<{ version: number; date: string; kind: string; topic: string; g: number | null }>(sql`SELECT version, date, kind, topic, group_id AS g FROM lessons WHERE id = ${f.lesson[k]}`))!;
    return { version: l.version, date: l.date, time: '09:45', kind: l.kind, topic: l.topic, groupId: l.g ?? '', reason: 'route matrix' };
  }, [303]),
  'POST /courses/:courseId/lessons/:lessonId/cancel': perCourse((f, k) => `/courses/${f[k]}/lessons/${f.lesson[k]}/cancel`, undefined, (k) => async (f) => ({ version: await lessonVersion(f, k), cancelled: '0', reason: 'route matrix' }), [303]),
  'POST /courses/:courseId/lessons/:lessonId/all-present': perCourse((f, k) => `/courses/${f[k]}/lessons/${f.lesson[k]}/all-present`, undefined, () => () => ({ reason: 'route matrix' }), [303]),
  'POST /courses/:courseId/lessons/:lessonId/all-present/undo': perCourse((f, k) => `/courses/${f[k]}/lessons/${f.lesson[k]}/all-present/undo`, undefined, () => () => ({ at: TEST_NOW }), [303]),
  'GET /courses/:courseId/lessons/:lessonId/all-present/undo': perCourse((f, k) => `/courses/${f[k]}/lessons/${f.lesson[k]}/all-present/undo`, undefined, undefined, [303]),
  'GET /courses/:courseId/lessons/:lessonId/cancel': perCourse((f, k) => `/courses/${f[k]}/lessons/${f.lesson[k]}/cancel`, undefined, undefined, [303]),
  'GET /courses/:courseId/lessons/:lessonId/all-present': perCourse((f, k) => `/courses/${f[k]}/lessons/${f.lesson[k]}/all-present`, undefined, undefined, [303]),
  'POST /courses/:courseId/absences': perCourse((f, k) => `/courses/${f[k]}/absences`, undefined, (k) => async (f) => ({ lessonId: f.lesson[k], studentId: f.student[k], av: await recordVersion(f, k, 'attendance'), decision: 'unexcused' }), [303]),
  'POST /courses/:courseId/makeups': perCourse((f, k) => `/courses/${f[k]}/makeups`, undefined, (k) => async (f) => ({ lessonId: f.lesson[k], studentId: f.student[k], kv: await recordVersion(f, k, 'makeups'), decision: 'waived', waiveReason: 'route matrix' }), [303]),
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
  'GET /students/:studentId/courses/:courseId/disputes': [
    { name: "student@'s Anatomy page", url: (f) => `/students/${f.studentAtDemo}/courses/${f.anat1101}/disputes`, allow: ['student', 'parent', 'admin', 'dean'], marker: (f) => `id="course-tile-${f.studentAtDemo}-${f.anat1101}"` },
    { name: 'student@ in a course she does not attend', url: (f) => `/students/${f.studentAtDemo}/courses/${f.anatE101}/disputes`, allow: [] },
  ],
  'GET /guardians': [{ name: 'own consent page', url: () => '/guardians', allow: ['student'], ok: [303] }],
  'GET /students/:studentId/guardians': [
    { name: 'student@ (own links)', url: (f) => `/students/${f.studentAtDemo}/guardians`, allow: ['student', 'admin', 'dean'] },
    { name: 'an E101 student (another faculty)', url: (f) => `/students/${f.student.anatE101}/guardians`, allow: ['admin', 'dean-fis'] },
  ],
  'POST /students/:studentId/guardians/codes': [
    { name: 'student@ creates a code', url: (f) => `/students/${f.studentAtDemo}/guardians/codes`, form: () => ({ scope: 'full' }), allow: ['student', 'admin', 'dean'], ok: [303] },
  ],
  'POST /students/:studentId/guardians/:linkId': [
    { name: "scope of parent@'s link", url: async (f) => `/students/${f.studentAtDemo}/guardians/${await parentLink(f)}`, form: () => ({ scope: 'full' }), allow: ['student', 'admin', 'dean'], ok: [303] },
  ],
  'POST /students/:studentId/guardians/:linkId/revoke': [
    // A fresh link per request, so every allowed user has one to end.
    { name: 'a fresh link of student@', url: async (f) => `/students/${f.studentAtDemo}/guardians/${await freshLink(f)}/revoke`, form: () => ({}), allow: ['student', 'admin', 'dean'], ok: [303] },
  ],
  'GET /students/:studentId/guardians/codes': [{ name: "student@'s codes", url: (f) => `/students/${f.studentAtDemo}/guardians/codes`, allow: ['student', 'admin', 'dean'], ok: [303] }],
  'GET /students/:studentId/guardians/:linkId': [{ name: "parent@'s link", url: async (f) => `/students/${f.studentAtDemo}/guardians/${await parentLink(f)}`, allow: ['student', 'admin', 'dean'], ok: [303] }],
  'GET /students/:studentId/guardians/:linkId/revoke': [{ name: "parent@'s link", url: async (f) => `/students/${f.studentAtDemo}/guardians/${await parentLink(f)}/revoke`, allow: ['student', 'admin', 'dean'], ok: [303] }],
  'GET /guardian/link': [{ name: 'redeem page', url: () => '/guardian/link', allow: 'users' }],
  'POST /guardian/link': [{ name: 'a wrong code', url: () => '/guardian/link', form: () => ({ code: 'WRONG-CODE1' }), allow: 'users', ok: [422] }],
  'POST /students/:studentId/courses/:courseId/disputes': [
    { name: 'student@ disputes an Anatomy mark', url: (f) => `/students/${f.studentAtDemo}/courses/${f.anat1101}/disputes`, form: (f) => ({ lessonId: f.lesson.anat1101, subject: 'mark', comment: 'route matrix dispute' }), allow: ['student'], ok: [303] },
    { name: 'student@ in a course she does not attend', url: (f) => `/students/${f.studentAtDemo}/courses/${f.anatE101}/disputes`, form: (f) => ({ lessonId: f.lesson.anatE101, subject: 'mark', comment: 'route matrix dispute' }), allow: [] },
  ],
  'GET /disputes': [{ name: 'open disputes of my courses / faculty', url: () => '/disputes', allow: STAFF }],
  'POST /disputes/:disputeId': [
    // A fresh open dispute per request, so every allowed user has one to answer.
    { name: 'a dispute on Anatomy 1101', url: async (f) => `/disputes/${await freshDispute(f)}`, form: () => ({ decision: 'rejected', answer: 'route matrix' }), allow: ANAT1101, ok: [303] },
  ],
  'GET /disputes/:disputeId': [{ name: 'a dispute on Anatomy 1101', url: async (f) => `/disputes/${await freshDispute(f)}`, allow: ANAT1101, ok: [303] }],
  'GET /admin/mobility': [{ name: 'partners, calls and quota use', url: () => '/admin/mobility', allow: ['admin', 'dean', 'dean-fis'], marker: () => 'id="partners"' }],
  'POST /admin/mobility/partners': [{ name: 'a new partner', url: () => '/admin/mobility/partners', form: () => ({ nameOriginal: 'Université de test', nameRu: 'Тестовый университет', nameEn: 'Test University', country: 'FR', agreementNumber: `M-${uniq()}`, agreementFrom: '2025-09-01', agreementTo: '' }), allow: ['admin'], ok: [303] }],
  'POST /admin/mobility/calls': [{ name: 'a call with places for LF', url: () => '/admin/mobility/calls', form: async (f) => ({ ...(await callForm(f)) }), allow: ['admin'], ok: [303] }],
  'GET /admin/mobility/calls/:callId': [{ name: 'a call with an LF applicant', url: async (f) => `/admin/mobility/calls/${(await freshApplication(f, 'lf')).callId}`, allow: ['admin', 'dean', 'dean-fis'], marker: () => 'id="faculty-' }],
  'POST /admin/mobility/applications/:applicationId/points': [
    { name: "student@'s application (LF)", url: async (f) => `/admin/mobility/applications/${(await freshApplication(f, 'lf')).id}/points`, form: () => ({ activityPoints: 3, achievementPoints: 1, note: 'route matrix' }), allow: ['admin', 'dean'], ok: [303] },
    { name: 'an E101 application (FIS)', url: async (f) => `/admin/mobility/applications/${(await freshApplication(f, 'fis')).id}/points`, form: () => ({ activityPoints: 3, achievementPoints: 1, note: 'route matrix' }), allow: ['admin', 'dean-fis'], ok: [303] },
  ],
  'POST /admin/mobility/applications/:applicationId/decision': [
    { name: "student@'s application (LF)", url: async (f) => `/admin/mobility/applications/${(await freshApplication(f, 'lf')).id}/decision`, form: () => ({ decision: 'waitlisted', reason: 'route matrix' }), allow: ['admin', 'dean'], ok: [303] },
    { name: 'an E101 application (FIS)', url: async (f) => `/admin/mobility/applications/${(await freshApplication(f, 'fis')).id}/decision`, form: () => ({ decision: 'declined', reason: 'route matrix' }), allow: ['admin', 'dean-fis'], ok: [303] },
  ],
  'POST /admin/mobility/applications/:applicationId/placement': [
    { name: "student@'s selected application (LF)", url: async (f) => `/admin/mobility/applications/${await selectedApplication(f, 'lf')}/placement`, form: () => ({ fromDate: '2100-01-10', toDate: '2100-01-23', orderNumber: 'route matrix' }), allow: ['admin', 'dean'], ok: [303] },
    { name: 'a selected E101 application (FIS)', url: async (f) => `/admin/mobility/applications/${await selectedApplication(f, 'fis')}/placement`, form: () => ({ fromDate: '2100-01-10', toDate: '2100-01-23', orderNumber: 'route matrix' }), allow: ['admin', 'dean-fis'], ok: [303] },
  ],
  'POST /admin/mobility/placements/:placementId': [
    { name: "student@'s placement (LF)", url: async (f) => `/admin/mobility/placements/${await freshPlacement(f, 'lf')}`, form: () => ({ action: 'shorten', fromDate: '2100-01-11', toDate: '2100-01-20', reason: 'route matrix' }), allow: ['admin', 'dean'], ok: [303] },
    { name: 'an E101 placement (FIS)', url: async (f) => `/admin/mobility/placements/${await freshPlacement(f, 'fis')}`, form: () => ({ action: 'cancel', reason: 'route matrix' }), allow: ['admin', 'dean-fis'], ok: [303] },
  ],
  'GET /admin/mobility/placements/:placementId/recognitions': [
    { name: "student@'s placement (LF)", url: async (f) => `/admin/mobility/placements/${await freshPlacement(f, 'lf')}/recognitions`, allow: ['admin', 'dean'], marker: () => 'id="recognitions"' },
    { name: 'an E101 placement (FIS)', url: async (f) => `/admin/mobility/placements/${await freshPlacement(f, 'fis')}/recognitions`, allow: ['admin', 'dean-fis'], marker: () => 'id="recognitions"' },
  ],
  'POST /admin/mobility/placements/:placementId/recognitions': [
    { name: "student@'s placement, Anatomy 1101", url: async (f) => `/admin/mobility/placements/${await freshPlacement(f, 'lf')}/recognitions`, form: (f) => ({ courseId: f.anat1101, partnerCourse: 'Anatomy I', partnerGrade: 'A', mark: 9 }), allow: ['admin', 'dean'], ok: [303] },
    { name: 'an E101 placement, Anatomy E101', url: async (f) => `/admin/mobility/placements/${await freshPlacement(f, 'fis')}/recognitions`, form: (f) => ({ courseId: f.anatE101, partnerCourse: 'Anatomy I', partnerGrade: 'B', mark: 8 }), allow: ['admin', 'dean-fis'], ok: [303] },
  ],
  'GET /admin/mobility/report': [{ name: 'placements per faculty, partner and period', url: async (f) => { await freshPlacement(f, 'lf'); return '/admin/mobility/report'; }, allow: ['admin', 'dean', 'dean-fis'], marker: () => 'id="placement-filters"' }],
  'GET /admin/mobility/report.csv': [{ name: 'the placements as CSV', url: async (f) => { await freshPlacement(f, 'fis'); return '/admin/mobility/report.csv?from=2100-01-01'; }, allow: ['admin', 'dean', 'dean-fis'] }],
  'POST /admin/mobility/partners/:partnerId': [{ name: 'a partner', url: async (f) => `/admin/mobility/partners/${await freshPartner(f)}`, form: () => ({ nameOriginal: 'Université de test', nameRu: 'Тестовый университет', nameEn: 'Test University', country: 'FR', agreementNumber: `M-${uniq()}`, agreementFrom: '2025-09-01', agreementTo: '' }), allow: ['admin'], ok: [303] }],
  'POST /admin/mobility/partners/:partnerId/close': [{ name: 'a partner with an open-ended agreement', url: async (f) => `/admin/mobility/partners/${await freshPartner(f)}/close`, form: () => ({}), allow: ['admin'], ok: [303] }],
  'POST /admin/mobility/calls/:callId': [{ name: 'a call open to 1101', url: async (f) => `/admin/mobility/calls/${await freshCall(f)}`, form: () => ({ fromDate: '2100-01-10', toDate: '2100-01-24', deadline: '2099-12-30', places_1: 3, places_2: 2 }), allow: ['admin'], ok: [303] }],
  'POST /admin/mobility/calls/:callId/close': [{ name: 'a call open to 1101', url: async (f) => `/admin/mobility/calls/${await freshCall(f)}/close`, form: () => ({}), allow: ['admin'], ok: [303] }],
  'GET /mobility': [{ name: "a student's own mobility page", url: async (f) => { await freshApplication(f, 'lf'); return '/mobility'; }, allow: ['student'], marker: () => 'id="my-applications"' }],
  'POST /mobility/calls/:callId/apply': [
    { name: 'a call open to 1101', url: async (f) => `/mobility/calls/${await freshCall(f)}/apply`, form: () => ({ motivation: 'route matrix motivation' }), allow: ['student'], ok: [303] },
    // A student of another year: the call is not for them, whoever asks.
    { name: 'a call for year 5', url: async (f) => `/mobility/calls/${await freshCall(f, 5)}/apply`, form: () => ({ motivation: 'route matrix motivation' }), allow: [] },
  ],
  'GET /admin/structure': [{ name: 'faculties, departments and groups', url: () => '/admin/structure', allow: ['admin', 'dean', 'dean-fis'], marker: () => 'id="new-group-' }],
  'POST /admin/faculties': [{ name: 'a new faculty', url: () => '/admin/faculties', form: () => ({ code: `F${uniq()}`, nameRu: 'Новый факультет', nameEn: 'New faculty' }), allow: ['admin'], ok: [303] }],
  'POST /admin/departments': [{ name: 'a department of LF', url: () => '/admin/departments', form: () => ({ facultyId: 1, nameRu: `Кафедра ${uniq()}`, nameEn: 'Department' }), allow: ['admin', 'dean'], ok: [303] }],
  'POST /admin/groups': [{ name: 'a group of LF', url: () => '/admin/groups', form: () => ({ facultyId: 1, name: `G${uniq()}`, year: 1, language: 'ru', programme: 'degree' }), allow: ['admin', 'dean'], ok: [303] }],
  'POST /admin/terms': [{ name: 'a term in a future year', url: () => '/admin/terms', form: () => { const y = 2100 + (++counter % 7000); return { nameRu: `Семестр ${y}`, nameEn: `Term ${y}`, startsOn: `${y}-02-01`, endsOn: `${y}-06-30` }; }, allow: ['admin'], ok: [303] }],
  'GET /admin/courses': [{ name: 'courses of the current term', url: () => '/admin/courses', allow: ['admin', 'dean', 'dean-fis'] }],
  'POST /admin/subjects': [{ name: 'a subject of an LF department', url: () => '/admin/subjects', form: () => ({ departmentId: 1, code: `S${uniq()}`, nameRu: 'Дисциплина', nameEn: 'Subject' }), allow: ['admin', 'dean'], ok: [303] }],
  'POST /admin/courses': [{ name: 'a course for 1101', url: async (f) => { await freshSubject(f); return '/admin/courses'; }, form: (f) => newCourseForm(f), allow: ['admin', 'dean'], ok: [303] }],
  'GET /admin/courses/:courseId': [
    { name: 'Anatomy 1101', url: (f) => `/admin/courses/${f.anat1101}`, allow: ['admin', 'dean'], marker: (f) => `id="course-settings-${f.anat1101}"` },
    { name: 'Anatomy E101 (FIS)', url: (f) => `/admin/courses/${f.anatE101}`, allow: ['admin', 'dean-fis'], marker: (f) => `id="course-settings-${f.anatE101}"` },
  ],
  'POST /admin/courses/:courseId/rules': [
    { name: 'a fresh course of 1101, confirmed', url: async (f) => `/admin/courses/${await freshCourse(f)}/rules`, form: () => ({ version: 1, minRating: 4, absenceCapPercent: 25, absenceWarnPercent: 20, capCounts: 'unexcused', requireMakeups: '1', finalRule: 'exam_only', examWeight: 0.5, confirm: '1' }), allow: ['admin', 'dean'], ok: [303] },
    // Issue 14.14: not yet confirmed, the answer is the page that says whose admission the rules would move.
    { name: 'a fresh course of 1101, asked first', url: async (f) => `/admin/courses/${await freshCourse(f)}/rules`, form: () => ({ version: 1, minRating: 4, absenceCapPercent: 25, absenceWarnPercent: 20, capCounts: 'unexcused', requireMakeups: '1', finalRule: 'exam_only', examWeight: 0.5 }), allow: ['admin', 'dean'], ok: [200], marker: () => 'id="rules-reach"' },
  ],
  'POST /admin/courses/:courseId/teachers': [{ name: 'a fresh course of 1101', url: async (f) => `/admin/courses/${await freshCourse(f)}/teachers`, form: (f) => ({ teacherId: userIdOf(f, 'teacher-parent@demo.test'), role: 'assistant' }), allow: ['admin', 'dean'], ok: [303] }],
  'POST /admin/courses/:courseId/groups': [{ name: 'a fresh course of 1101 gains 1102', url: async (f) => `/admin/courses/${await freshCourse(f)}/groups`, form: (f) => ({ groupId: groupId(f, '1102') }), allow: ['admin', 'dean'], ok: [303] }],
  'POST /admin/courses/:courseId/teachers/:teacherId/remove': [{ name: "a fresh course's assistant", url: async (f) => `/admin/courses/${await freshCourse(f)}/teachers/${userIdOf(f, 'teacher2@demo.test')}/remove`, form: () => ({}), allow: ['admin', 'dean'], ok: [303] }],
  'GET /admin/terms': [{ name: 'terms', url: () => '/admin/terms', allow: ['admin', 'dean', 'dean-fis'] }],
  // Fresh fixture terms, so locking never closes the demo term the other cases write to.
  'POST /admin/terms/:termId/lock': [{ name: 'a fresh open term', url: async (f) => `/admin/terms/${await freshTerm(f, false)}/lock`, form: () => ({ reason: 'route matrix', confirm: '1' }), allow: ['admin'], ok: [303] }],
  'POST /admin/terms/:termId/unlock': [{ name: 'a fresh locked term', url: async (f) => `/admin/terms/${await freshTerm(f, true)}/unlock`, form: () => ({ reason: 'route matrix', confirm: '1' }), allow: ['admin'], ok: [303] }],
  'GET /admin/terms/:termId/lock': [{ name: 'a fresh open term', url: async (f) => `/admin/terms/${await freshTerm(f, false)}/lock`, allow: ['admin'], marker: () => 'id="term-reach"' }],
  'GET /admin/terms/:termId/unlock': [{ name: 'a fresh locked term', url: async (f) => `/admin/terms/${await freshTerm(f, true)}/unlock`, allow: ['admin'], marker: () => 'id="term-reach"' }],
  'POST /courses/:courseId/corrections': [
    { name: 'Anatomy 1101 (term open: refused with a message)', url: (f) => `/courses/${f.anat1101}/corrections`, form: (f) => ({ lessonId: f.lesson.anat1101, studentId: f.student.anat1101, field: 'mark', newValue: '7', reason: 'route matrix' }), allow: ['teacher', 'teacher2'], ok: [422] },
    { name: 'Histology 1101 (another teacher)', url: (f) => `/courses/${f.hist1101}/corrections`, form: (f) => ({ lessonId: f.lesson.hist1101, studentId: f.student.hist1101, field: 'mark', newValue: '7', reason: 'route matrix' }), allow: ['teacher-parent'], ok: [422] },
  ],
  'GET /admin/corrections': [{ name: 'pending corrections', url: () => '/admin/corrections', allow: ['admin', 'dean', 'dean-fis'] }],
  'POST /admin/corrections/:id': [
    { name: 'a request on Anatomy 1101', url: async (f) => `/admin/corrections/${await freshCorrection(f)}`, form: () => ({ decision: 'reject', note: 'route matrix' }), allow: ['admin', 'dean'], ok: [303] },
  ],
  'GET /admin/corrections/:id': [{ name: 'a request on Anatomy 1101', url: async (f) => `/admin/corrections/${await freshCorrection(f)}`, allow: ['admin', 'dean'], ok: [303] }],
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
  'GET /courses/:courseId/statement': perCourse((f, k) => `/courses/${f[k]}/statement`, undefined, undefined, [303]),
  'GET /admin/import': [{ name: 'import page', url: () => '/admin/import', allow: ['admin', 'dean', 'dean-fis'] }],
  'POST /admin/import': [{ name: 'an upload without a file', url: () => '/admin/import', form: () => ({}), allow: ['admin', 'dean', 'dean-fis'], ok: [422] }],
  'POST /admin/import/apply': [{ name: 'an empty roster', url: () => '/admin/import/apply', form: () => ({ rows: '[]' }), allow: ['admin', 'dean', 'dean-fis'], ok: [303] }],
  'GET /admin/import/apply': [{ name: 'the apply form opened directly', url: () => '/admin/import/apply', allow: ['admin', 'dean', 'dean-fis'], ok: [303] }],
  'GET /admin/people': [{ name: 'people of my faculty', url: () => '/admin/people?q=Климович', allow: ['admin', 'dean', 'dean-fis'] }],
  // A fresh LF student per request: disabling a demo account would sign it out of every later case.
  'GET /admin/people/new': [{ name: 'new-person form', url: () => '/admin/people/new', allow: ['admin', 'dean', 'dean-fis'] }],
  'POST /admin/people': [
    { name: 'a new student of 1101 (LF)', url: () => '/admin/people', form: (f) => newStudentForm(f, '1101'), allow: ['admin', 'dean'], ok: [303] },
    { name: 'a new student of E101 (FIS)', url: () => '/admin/people', form: (f) => newStudentForm(f, 'E101'), allow: ['admin', 'dean-fis'], ok: [303] },
  ],
  'GET /admin/people/:userId': [
    { name: 'student@ (LF)', url: (f) => `/admin/people/${f.studentAtDemo}`, allow: ['admin', 'dean'], marker: (f) => `id="person-${f.studentAtDemo}"` },
    { name: 'an E101 student (FIS)', url: (f) => `/admin/people/${f.student.anatE101}`, allow: ['admin', 'dean-fis'], marker: (f) => `id="person-${f.student.anatE101}"` },
    // Issue 10.1: administrators' cards are the university's, and a dean-recorded guardian link gives no office a staff account.
    { name: 'admin@ (the university administrator)', url: (f) => `/admin/people/${userIdOf(f, 'admin@demo.test')}`, allow: [], marker: (f) => `id="person-${userIdOf(f, 'admin@demo.test')}"` },
    { name: 'dean-fis@ (a dean)', url: (f) => `/admin/people/${userIdOf(f, 'dean-fis@demo.test')}`, allow: ['admin'], marker: (f) => `id="person-${userIdOf(f, 'dean-fis@demo.test')}"` },
    { name: 'teacher-parent@ (an LF teacher with a recorded link)', url: (f) => `/admin/people/${userIdOf(f, 'teacher-parent@demo.test')}`, allow: ['admin', 'dean'], marker: (f) => `id="person-${userIdOf(f, 'teacher-parent@demo.test')}"` },
  ],
  'POST /admin/people/:userId': [{ name: 'an LF student, unchanged details', url: async (f) => `/admin/people/${await studentOfGroup(f.store, '1101', 2)}`, form: async (f) => detailsForm(f, await studentOfGroup(f.store, '1101', 2)), allow: ['admin', 'dean'], ok: [303] }],
  'POST /admin/people/:userId/roles': [{ name: 'teacher of Anatomy for an LF student', url: async (f) => `/admin/people/${await freshStudent(f)}/roles`, form: () => ({ role: 'teacher', departmentId: 1 }), allow: ['admin', 'dean'], ok: [303] }],
  'POST /admin/people/:userId/roles/:roleId/revoke': [{ name: 'a fresh LF teacher grant', url: (f) => freshTeacherGrant(f), form: () => ({ reason: 'route matrix' }), allow: ['admin', 'dean'], ok: [303] }],
  'POST /admin/people/:userId/group': [{ name: 'an LF student to 1102', url: async (f) => `/admin/people/${await freshStudent(f)}/group`, form: (f) => ({ groupId: groupId(f, '1102'), fromDate: '2026-11-01', reason: 'route matrix' }), allow: ['admin', 'dean'], ok: [303] }],
  'POST /admin/people/:userId/guardians': [{ name: 'a recorded guardian of an LF student', url: async (f) => `/admin/people/${await freshStudent(f)}/guardians`, form: () => ({ email: `guardian-${Math.random().toString(36).slice(2)}@example.test`, surname: 'Матрица', givenName: 'Отец', scope: 'full', consentNote: 'route matrix' }), allow: ['admin', 'dean'], ok: [303] }],
  'POST /admin/people/:userId/disable': [
    { name: 'an LF student', url: async (f) => `/admin/people/${await freshStudent(f)}/disable`, form: () => ({ reason: 'route matrix' }), allow: ['admin', 'dean'], ok: [303] },
    { name: 'a second LF dean', url: async (f) => `/admin/people/${await freshDean(f)}/disable`, form: () => ({ reason: 'route matrix' }), allow: ['admin'], ok: [303] },
  ],
  'POST /admin/people/:userId/enable': [{ name: 'an LF student', url: async (f) => `/admin/people/${await freshStudent(f)}/enable`, form: () => ({ reason: 'route matrix' }), allow: ['admin', 'dean'], ok: [303] }],
  'POST /admin/people/:userId/reset': [
    { name: 'an E101 student (FIS)', url: (f) => `/admin/people/${f.student.anatE101}/reset`, form: () => ({}), allow: ['admin', 'dean-fis'], ok: [303] },
    { name: 'admin@ (the university administrator)', url: (f) => `/admin/people/${userIdOf(f, 'admin@demo.test')}/reset`, form: () => ({}), allow: [] },
    { name: 'dean@ (a dean)', url: (f) => `/admin/people/${userIdOf(f, 'dean@demo.test')}/reset`, form: () => ({}), allow: ['admin'], ok: [303] },
    { name: 'a second LF dean', url: async (f) => `/admin/people/${await freshDean(f)}/reset`, form: () => ({}), allow: ['admin'], ok: [303] },
  ],
  'GET /reset/:token': [{ name: 'an unknown link', url: () => '/reset/AAAAAAAAAAAAAAAAAAAAAAAA', allow: [] }],
  'POST /reset/:token': [{ name: 'an unknown link', url: () => '/reset/AAAAAAAAAAAAAAAAAAAAAAAA', form: () => ({ next: 'a-new-password-1', repeat: 'a-new-password-1' }), allow: [] }],
  'GET /groups/:groupId/journal': [
    { name: 'group 1101 (LF)', url: (f) => `/groups/${groupIdOf(f, '1101')}/journal`, allow: ['admin', 'dean'], marker: (f) => `id="gj-course-${f.anat1101}"` },
    { name: 'group E101 (FIS)', url: (f) => `/groups/${groupIdOf(f, 'E101')}/journal`, allow: ['admin', 'dean-fis'], marker: (f) => `id="gj-course-${f.anatE101}"` },
    { name: 'no such group', url: () => '/groups/999999/journal', allow: [] },
  ],
  // The session (issue 16): fresh statements per request, so each allowed user has one in the state the route needs.
  'GET /statements/:statementId': [
    { name: 'an Anatomy 1101 statement', url: async (f) => `/statements/${await freshStatement(f, 'anat1101', 'open')}`, allow: ANAT1101, marker: () => 'id="statement-table"' },
    { name: 'an Anatomy E101 statement (FIS)', url: async (f) => `/statements/${await freshStatement(f, 'anatE101', 'open')}`, allow: ANATE101, marker: () => 'id="statement-table"' },
    { name: 'no such statement', url: () => '/statements/999999', allow: [] },
  ],
  'GET /courses/:courseId/statements': perCourse((f, k) => `/courses/${f[k]}/statements`),
  'POST /courses/:courseId/statements': [
    { name: 'Anatomy 1101, group 1101', url: async (f) => { await closeOpenStatements(f, f.anat1101); return `/courses/${f.anat1101}/statements`; },
      form: (f) => ({ groupId: groupId(f, '1101'), kind: 'exam', date: '2026-12-20', examiner1: userIdOf(f, 'teacher@demo.test') }), allow: ['admin', 'dean'], ok: [303] },
    { name: 'Anatomy E101 (FIS)', url: async (f) => { await closeOpenStatements(f, f.anatE101); return `/courses/${f.anatE101}/statements`; },
      form: (f) => ({ groupId: groupId(f, 'E101'), kind: 'exam', date: '2026-12-20', examiner1: userIdOf(f, 'teacher@demo.test') }), allow: ['admin', 'dean-fis'], ok: [303] },
  ],
  'POST /courses/:courseId/retakes': [
    { name: "student@'s Anatomy debt", url: async (f) => { await freshDebt(f); return `/courses/${f.anat1101}/retakes`; },
      form: (f) => ({ studentId: f.studentAtDemo, kind: 'exam', date: '2027-01-10', examiner1: userIdOf(f, 'teacher@demo.test') }), allow: ['admin', 'dean'], ok: [303] },
  ],
  'POST /statements/:statementId/results': [
    { name: 'an open Anatomy 1101 statement (teacher@ examines)', url: async (f) => `/statements/${await freshStatement(f, 'anat1101', 'open')}/results`,
      form: (f) => ({ [`r${f.studentAtDemo}`]: 'н', [`v${f.studentAtDemo}`]: 1 }), allow: ['teacher'], ok: [303] },
  ],
  'POST /statements/:statementId/close': [
    { name: 'a typed Anatomy 1101 statement', url: async (f) => `/statements/${await freshStatement(f, 'anat1101', 'open', 7)}/close`, form: () => ({ version: 1 }), allow: ['teacher'], ok: [303] },
  ],
  'POST /statements/:statementId/countersign': [
    { name: 'a signed Anatomy 1101 statement', url: async (f) => `/statements/${await freshStatement(f, 'anat1101', 'closed', 7)}/countersign`, form: () => ({ version: 1 }), allow: ['admin', 'dean'], ok: [303] },
  ],
  'POST /statements/:statementId/corrections': [
    { name: 'a signed Anatomy 1101 statement', url: async (f) => `/statements/${await freshStatement(f, 'anat1101', 'closed', 7)}/corrections`,
      form: (f) => ({ studentId: f.studentAtDemo, newValue: '6', reason: 'route matrix' }), allow: ['teacher'], ok: [303] },
  ],
  'POST /statement-corrections/:correctionId': [
    { name: 'a request on an Anatomy 1101 statement', url: async (f) => `/statement-corrections/${await freshStatementCorrection(f)}`, form: () => ({ decision: 'reject', note: 'route matrix' }),
      allow: ['admin', 'dean'], ok: [303] },
  ],
  'GET /students/:studentId/record-book': [
    { name: 'student@ (own)', url: (f) => `/students/${f.studentAtDemo}/record-book`, allow: ['student', 'parent', 'admin', 'dean'], marker: (f) => `id="record-book-${f.studentAtDemo}"` },
    // An attendance-only link shows no results, not even the record book's existence.
    { name: "teacher-parent's son (her link: attendance only)", url: (f) => `/students/${f.tpChild}/record-book`, allow: ['admin', 'dean'], marker: (f) => `id="record-book-${f.tpChild}"` },
    { name: 'an E101 student (another faculty)', url: (f) => `/students/${f.student.anatE101}/record-book`, allow: ['admin', 'dean-fis'], marker: (f) => `id="record-book-${f.student.anatE101}"` },
  ],
  'GET /students/:studentId/record-book.xlsx': [
    { name: 'student@ (own)', url: (f) => `/students/${f.studentAtDemo}/record-book.xlsx`, allow: ['student', 'parent', 'admin', 'dean'] },
    { name: "teacher-parent's son (her link: attendance only)", url: (f) => `/students/${f.tpChild}/record-book.xlsx`, allow: ['admin', 'dean'] },
  ],
  'GET /debts': [{ name: 'debtors of my faculty', url: () => '/debts', allow: ['admin', 'dean', 'dean-fis'] }],
  'POST /debts/:debtId': [
    { name: "student@'s Anatomy debt", url: async (f) => `/debts/${await freshDebtId(f)}`, form: () => ({ deadline: '2027-02-15', version: 1 }), allow: ['admin', 'dean'], ok: [303] },
  ],
  // The session calendar: every course of the demo has its groups' days (db/seed/session.ts).
  'GET /courses/:courseId/session-dates': perCourse((f, k) => `/courses/${f[k]}/session-dates`, () => () => 'id="session-dates"'),
  'POST /courses/:courseId/session-dates': [
    { name: 'Anatomy 1101, group 1101', url: (f) => `/courses/${f.anat1101}/session-dates`, form: (f) => sessionDateForm(f, f.anat1101, '1101'), allow: ['admin', 'dean'], ok: [303] },
    { name: 'Anatomy E101 (FIS)', url: (f) => `/courses/${f.anatE101}/session-dates`, form: (f) => sessionDateForm(f, f.anatE101, 'E101'), allow: ['admin', 'dean-fis'], ok: [303] },
  ],
  'POST /session-dates/:sessionDateId/remove': [
    { name: 'a credit day of Anatomy 1101', url: async (f) => `/session-dates/${await freshSessionDate(f, f.anat1101, '1101')}/remove`, form: () => ({ version: 1 }), allow: ['admin', 'dean'], ok: [303] },
    { name: 'a credit day of Anatomy E101 (FIS)', url: async (f) => `/session-dates/${await freshSessionDate(f, f.anatE101, 'E101')}/remove`, form: () => ({ version: 1 }),
      allow: ['admin', 'dean-fis'], ok: [303] },
    { name: 'no such day', url: () => '/session-dates/999999/remove', form: () => ({ version: 1 }), allow: [] },
  ],
  'GET /admin/session-reports': [{ name: 'the session of my faculty', url: () => '/admin/session-reports', allow: ['admin', 'dean', 'dean-fis'], marker: () => 'id="session-filter"' }],
  'GET /admin/session-reports.csv': [
    { name: 'results by group and course (CSV)', url: () => '/admin/session-reports.csv', allow: ['admin', 'dean', 'dean-fis'] },
    { name: 'averages, sorted (CSV)', url: () => '/admin/session-reports.csv?table=averages&sortAverages=-overall', allow: ['admin', 'dean', 'dean-fis'] },
  ],
  'GET /admin/session-reports.xlsx': [{ name: 'every session table (XLSX)', url: () => '/admin/session-reports.xlsx', allow: ['admin', 'dean', 'dean-fis'] }],
  'GET /absences/pending': [{ name: 'excuses awaiting the dean', url: () => '/absences/pending', allow: ['admin', 'dean', 'dean-fis'] }],
};

/** Three cases for a course-scoped route: own course, another teacher's, another faculty's. */
function perCourse(url: (f: Fixtures, k: CourseKey) => string | Promise<string>, marker?: (k: CourseKey) => (f: Fixtures) => string,
  form?: (k: CourseKey) => (f: Fixtures) => Form | Promise<Form>, ok?: number[]): Case[] {
  const cases: [string, CourseKey, User[]][] = [['Anatomy 1101', 'anat1101', ANAT1101], ["Histology 1101 (another teacher's)", 'hist1101', HIST1101], ['Anatomy E101 (another faculty)', 'anatE101', ANATE101]];
  return cases.map(([name, k, allow]) => ({ name, url: (f) => url(f, k), allow, marker: marker?.(k), form: form?.(k), ok }));
}
type CourseKey = keyof Fixtures['lesson'];
/** An id the demo seed gave (loaded once by loadFixtures). */
const known = (m: Record<string, number>, key: string): number => {
  const id = m[key];
  if (id === undefined) throw new Error(`no fixture id for ${key}`);
  return id;
};
const groupIdOf = (f: Fixtures, name: string) => known(f.groupIds, name);
/** The new row's id of an INSERT … RETURNING id, in a transaction of its own. */
const insertId = async (s: Queryable, q: SQL) => (await s.get<{ id: number }>(q))!.id;
/** A random suffix for unique e-mails and codes (was SQLite's lower(hex(randomblob(n)))). */
const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const parentLink = async (f: Fixtures) => (await f.store.get<{ id: number }>(sql`SELECT l.id FROM guardian_links l JOIN users u ON u.id = l.guardian_id WHERE u.email = 'parent@demo.test' AND l.student_id = ${f.studentAtDemo}`))!.id;
/** A partner with an open-ended agreement signed in 2025, as the partner form writes it. */
const freshPartner = (f: Fixtures) => f.store.tx((tx) => insertId(tx, sql`INSERT INTO mobility_partners (name_original, name_ru, name_en, country, agreement_number, agreement_from)
  VALUES ('Matrix University', 'Матрица', 'Matrix University', 'FR', ${`MX-${hex(6)}`}, '2025-09-01') RETURNING id`));
/** A mobility call for degree students of `year`, with places for both faculties, applications until 2099 (at a partner with an open-ended agreement: the placement lies in 2100). */
const freshCall = (f: Fixtures, year = 1) => f.store.tx(async (tx) => {
  const id = await insertId(tx, sql`INSERT INTO mobility_calls (partner_id, from_date, to_date, programme, year, deadline, weights)
    SELECT min(id), '2100-01-10', '2100-01-23', 'degree', ${year}, '2099-12-31', '{}' FROM mobility_partners WHERE agreement_to IS NULL RETURNING id`);
  await tx.run(sql`INSERT INTO mobility_quotas (call_id, faculty_id, places) SELECT ${id}, id, 2 FROM faculties`);
  return id;
});
/** An application to a fresh call: by student@ (LF, 1101) or by the E101 fixture student (FIS). */
const freshApplication = async (f: Fixtures, who: 'lf' | 'fis') => {
  const callId = await freshCall(f);
  const studentId = who === 'lf' ? f.studentAtDemo : f.student.anatE101;
  const id = await f.store.tx((tx) => insertId(tx, sql`INSERT INTO mobility_applications (call_id, student_id, faculty_id, motivation, applied_at)
    SELECT ${callId}, ${studentId}, g.faculty_id, 'route matrix', ${TEST_NOW} FROM groups g WHERE g.name = ${who === 'lf' ? '1101' : 'E101'} RETURNING id`));
  return { id, callId };
};
const selectedApplication = async (f: Fixtures, who: 'lf' | 'fis') => {
  const a = await freshApplication(f, who);
  await f.store.tx((tx) => tx.run(sql`UPDATE mobility_applications SET decision = 'selected', decision_reason = 'route matrix' WHERE id = ${a.id}`));
  return a.id;
};
/** A selected application's placement with its excused period, as the placement route writes them. */
const freshPlacement = async (f: Fixtures, who: 'lf' | 'fis') => {
  const applicationId = await selectedApplication(f, who);
  return f.store.tx(async (tx) => {
    const a = (await tx.get<{ s: number; p: number }>(sql`SELECT a.student_id AS s, c.partner_id AS p FROM mobility_applications a JOIN mobility_calls c ON c.id = a.call_id WHERE a.id = ${applicationId}`))!;
    const period = await insertId(tx, sql`INSERT INTO excused_periods (student_id, reason_id, from_date, to_date, document_ref)
      SELECT ${a.s}, id, '2100-01-10', '2100-01-23', 'route matrix' FROM absence_reasons WHERE code = 'mobility' RETURNING id`);
    return insertId(tx, sql`INSERT INTO mobility_placements (application_id, student_id, partner_id, from_date, to_date, order_number, excused_period_id)
      VALUES (${applicationId}, ${a.s}, ${a.p}, '2100-01-10', '2100-01-23', 'route matrix', ${period}) RETURNING id`);
  });
};
const callForm = async (f: Fixtures) => {
  const partner = (await f.store.get<{ id: number }>(sql`SELECT min(id) AS id FROM mobility_partners WHERE agreement_to IS NULL`))!.id;
  return { partnerId: partner, fromDate: '2100-01-10', toDate: '2100-01-23', deadline: '2099-12-31', programme: 'degree', year: 4,
    places_1: 2, places_2: 0, w_average: 10, w_ratings: 5, w_unexcusedAbsence: 1, w_openDebt: 5, w_activity: 1, w_achievements: 1, w_maxOpenDebts: 0 };
};
const freshDispute = (f: Fixtures) => f.store.tx((tx) => insertId(tx, sql`INSERT INTO disputes (student_id, lesson_id, subject, comment) VALUES (${f.studentAtDemo}, ${f.lesson.anat1101}, 'mark', 'route matrix') RETURNING id`));
const freshTerm = (f: Fixtures, locked: boolean) => f.store.tx((tx) => insertId(tx, sql`INSERT INTO terms (name_ru, name_en, starts_on, ends_on, locked_at) VALUES ('т', 't', '2030-02-01', '2030-06-30', ${locked ? 1 : null}) RETURNING id`));
const freshCorrection = (f: Fixtures) => f.store.tx((tx) => insertId(tx, sql`INSERT INTO correction_requests (lesson_id, student_id, field, new_value, reason, requested_by) SELECT ${f.lesson.anat1101}, ${f.student.anat1101}, 'mark', '7', 'route matrix', id FROM users WHERE email = 'teacher@demo.test' RETURNING id`));
const freshStudent = (f: Fixtures) => f.store.tx(async (tx) => {
  const id = await insertId(tx, sql`INSERT INTO users (email, surname, given_name) VALUES (${`matrix-${hex(6)}@students.demo.test`}, 'Матрица', 'Тест') RETURNING id`);
  await tx.run(sql`INSERT INTO user_roles (user_id, role) VALUES (${id}, 'student')`);
  await tx.run(sql`INSERT INTO group_memberships (student_id, group_id, from_date) SELECT ${id}, id, '2026-09-01' FROM groups WHERE name = '1101'`);
  return id;
});
/** Another dean's office of LF: a fresh one per request, so disabling it signs no demo account out. */
const freshDean = (f: Fixtures) => f.store.tx(async (tx) => {
  const id = await insertId(tx, sql`INSERT INTO users (email, surname, given_name) VALUES (${`matrix-${hex(6)}@demo.test`}, 'Матрица', 'Декан') RETURNING id`);
  await tx.run(sql`INSERT INTO user_roles (user_id, role, faculty_id) SELECT ${id}, 'admin', id FROM faculties WHERE code = 'LF'`);
  return id;
});
const groupId = (f: Fixtures, name: string) => known(f.groupIds, name);
const newStudentForm = (f: Fixtures, group: string) => ({ email: `new-${Math.random().toString(36).slice(2)}@students.demo.test`, surname: 'Новикова', givenName: 'Мария', nameLatin: 'NOVIKOVA Mariya', role: 'student', groupId: groupId(f, group), fromDate: '2026-11-02', lang: 'ru' });
const detailsForm = async (f: Fixtures, id: number) => {
  const u = (await f.store.get<Record<string, string | number>>(sql`SELECT email, surname, given_name AS "givenName",
    coalesce(name_latin, '') AS "nameLatin", version FROM users WHERE id = ${id}`))!;
  return { ...u, lang: 'ru' };
};
const freshTeacherGrant = (f: Fixtures) => f.store.tx(async (tx) => {
  const id = await insertId(tx, sql`INSERT INTO users (email, surname, given_name) VALUES (${`matrix-${hex(6)}@demo.test`}, 'Матрица', 'Преподаватель') RETURNING id`);
  const role = await insertId(tx, sql`INSERT INTO user_roles (user_id, role, department_id) VALUES (${id}, 'teacher', 1) RETURNING id`);
  return `/admin/people/${id}/roles/${role}/revoke`;
});
let counter = 0;
/** A short value no other call of this test run returns (codes and names must be unique). */
const uniq = () => `${process.pid % 1000}${++counter}`.slice(-6);
const userIdOf = (f: Fixtures, email: string) => known(f.userIds, email);
const currentTermId = (f: Fixtures) => f.termId;
const freshSubject = (f: Fixtures) => f.store.tx((tx) => insertId(tx, sql`INSERT INTO subjects (department_id, code, name_ru, name_en) VALUES (1, ${`M${hex(5)}`}, 'Матрица', 'Matrix') RETURNING id`));
/** The newest subject that no course uses yet (read only: the form may be built before the URL). */
const newCourseForm = async (f: Fixtures) => ({
  termId: currentTermId(f), subjectId: (await f.store.get<{ id: number }>(sql`SELECT id FROM subjects s WHERE NOT EXISTS (SELECT 1 FROM courses c WHERE c.subject_id = s.id) ORDER BY id DESC LIMIT 1`))?.id ?? 1,
  groupId: groupId(f, '1101'), lecturerId: userIdOf(f, 'teacher@demo.test'), scale: 'ten', minRating: 4, absenceCapPercent: 30, capCounts: 'all', finalRule: 'mean_rating_exam', examWeight: 0.5,
});
/** A course of 1101 in the current term taught by teacher@ (lecturer) and teacher2@ (assistant). */
const freshCourse = (f: Fixtures) => f.store.tx(async (tx) => {
  const subject = await freshSubject({ ...f, store: tx }); // its own subject: adding a group never meets an existing course
  const id = await insertId(tx, sql`INSERT INTO courses (subject_id, term_id, scale_id) SELECT ${subject}, ${currentTermId(f)}, id FROM scales WHERE code = 'ten' RETURNING id`);
  await tx.run(sql`INSERT INTO course_groups (course_id, group_id) VALUES (${id}, ${groupId(f, '1101')})`);
  await tx.run(sql`INSERT INTO course_teachers (course_id, teacher_id, role) VALUES (${id}, ${userIdOf(f, 'teacher@demo.test')}, 'lecturer'), (${id}, ${userIdOf(f, 'teacher2@demo.test')}, 'assistant')`);
  return id;
});
const freshLink = (f: Fixtures) => f.store.tx((tx) => insertId(tx, sql`INSERT INTO guardian_links (guardian_id, student_id, scope, consent, consented_at) SELECT id, ${f.studentAtDemo}, 'attendance', 'dean_recorded', 0 FROM users WHERE email = 'teacher2@demo.test' RETURNING id`));
/** A statement of the course's fixture group examined by teacher@, with student@'s (or the fixture student's) row; typed with a mark when given. */
const freshStatement = (f: Fixtures, k: CourseKey, status: 'open' | 'closed', mark?: number) => f.store.tx(async (tx) => {
  const group = k === 'anatE101' ? groupId(f, 'E101') : groupId(f, '1101');
  const id = await insertId(tx, sql`INSERT INTO statements (number, course_id, group_id, kind, date, attempt, status, opened_by)
    VALUES (${`M-${hex(6)}`}, ${f[k]}, ${group}, 'exam', '2026-12-20', 1, ${status}, ${userIdOf(f, 'admin@demo.test')}) RETURNING id`);
  await tx.run(sql`INSERT INTO statement_examiners (statement_id, teacher_id, position) VALUES (${id}, ${userIdOf(f, 'teacher@demo.test')}, 1)`);
  await tx.run(sql`INSERT INTO statement_results (statement_id, student_id, outcome, mark) VALUES (${id}, ${f.student[k]}, ${mark === undefined ? null : 'mark'}, ${mark ?? null})`);
  return id;
});
/** A valid session-calendar form for the group's planned exam day (the seed's), at its current version. */
const sessionDateForm = async (f: Fixtures, courseId: number, group: string) => {
  const d = await f.store.get<{ kind: string; version: number }>(sql`SELECT kind, version FROM session_dates WHERE course_id = ${courseId}
    AND group_id = ${groupIdOf(f, group)} AND kind = 'exam'`);
  return { groupId: groupIdOf(f, group), kind: 'exam', date: '2027-01-22', reserveDate: '2027-01-29', startsAt: '09:00', room: '214', version: d?.version ?? '' };
};
/** A credit day of the course for the group, made if it is not there (a removal takes it away). */
const freshSessionDate = async (f: Fixtures, courseId: number, group: string) => {
  const g = groupIdOf(f, group);
  const had = await f.store.get<{ id: number }>(sql`SELECT id FROM session_dates WHERE course_id = ${courseId} AND group_id = ${g} AND kind = 'credit'`);
  if (had) {
    await f.store.tx((tx) => tx.run(sql`UPDATE session_dates SET version = 1 WHERE id = ${had.id}`));
    return had.id;
  }
  return f.store.tx((tx) => insertId(tx, sql`INSERT INTO session_dates (course_id, group_id, kind, date) VALUES (${courseId}, ${g}, 'credit', '2026-12-28') RETURNING id`));
};
const closeOpenStatements = (f: Fixtures, courseId: number) => f.store.tx((tx) => tx.run(sql`UPDATE statements SET status = 'closed' WHERE course_id = ${courseId} AND status = 'open'`));
/** student@ owes Anatomy 1101 from a fresh closed statement, and is on no open one. */
const freshDebt = async (f: Fixtures) => {
  await closeOpenStatements(f, f.anat1101);
  const st = await freshStatement(f, 'anat1101', 'closed', 2);
  // Earlier fixture attempts would make this the second retake (a commission): they are made not to count.
  await f.store.tx((tx) => tx.run(sql`UPDATE statement_results SET outcome = 'absent_excused', mark = NULL WHERE student_id = ${f.studentAtDemo}
    AND statement_id IN (SELECT id FROM statements WHERE course_id = ${f.anat1101} AND status <> 'open')`));
  await f.store.tx((tx) => tx.run(sql`INSERT INTO academic_debts (student_id, course_id, statement_id, deadline) VALUES (${f.studentAtDemo}, ${f.anat1101}, ${st}, '2027-02-01')`));
};
/** A debt of student@ in Anatomy 1101 at version 1, on a closed statement of its own. */
const freshDebtId = async (f: Fixtures) => {
  const st = await freshStatement(f, 'anat1101', 'closed', 2);
  return f.store.tx((tx) => insertId(tx, sql`INSERT INTO academic_debts (student_id, course_id, statement_id, deadline) VALUES (${f.studentAtDemo}, ${f.anat1101}, ${st}, '2027-02-01') RETURNING id`));
};
const freshStatementCorrection = async (f: Fixtures) => {
  const st = await freshStatement(f, 'anat1101', 'closed', 7);
  return f.store.tx((tx) => insertId(tx, sql`INSERT INTO statement_corrections (statement_id, student_id, new_value, reason, requested_by)
    VALUES (${st}, ${f.studentAtDemo}, '6', 'route matrix', ${userIdOf(f, 'teacher@demo.test')}) RETURNING id`));
};
const lessonVersion = async (f: Fixtures, k: CourseKey) => (await f.store.get<{ version: number }>(sql`SELECT version FROM lessons WHERE id = ${f.lesson[k]}`))!.version;
const recordVersion = async (f: Fixtures, k: CourseKey, table: 'attendance' | 'makeups') =>
  (await f.store.get<{ version: number }>(sql`SELECT version FROM ${sql.raw(table)} WHERE lesson_id = ${f.lesson[k]} AND student_id = ${f.student[k]}`))?.version ?? 0;

/** Ids of the demo seed the matrix talks about. */
export async function loadFixtures(s: Queryable): Promise<Fixtures> {
  const anat1101 = await courseOf(s, 'Human Anatomy', '1101');
  const hist1101 = await courseOf(s, 'Histology', '1101');
  const anatE101 = await courseOf(s, 'Human Anatomy', 'E101');
  const heldLesson = async (courseId: number, group: string) => (await s.get<{ id: number }>(sql`SELECT l.id FROM lessons l JOIN groups g ON g.id = l.group_id
      WHERE l.course_id = ${courseId} AND g.name = ${group} AND l.date <= ${TEST_TODAY} AND l.cancelled = ${false} ORDER BY l.date DESC, l.id LIMIT 1`))!.id;
  const studentAtDemo = (await s.get<{ id: number }>(sql`SELECT id FROM users WHERE email = 'student@demo.test'`))!.id;
  const userIds: Record<string, number> = {};
  for (const u of USERS) {
    const email = emailOf(u);
    if (email) userIds[email] = (await s.get<{ id: number }>(sql`SELECT id FROM users WHERE email = ${email}`))!.id;
  }
  const groupIds: Record<string, number> = {};
  for (const g of ['1101', '1102', 'E101']) groupIds[g] = await groupIdByName(s, g);
  return {
    anat1101, hist1101, anatE101, store: s, userIds, groupIds,
    termId: (await s.get<{ id: number }>(sql`SELECT term_id AS id FROM courses WHERE id = ${anat1101}`))!.id,
    lesson: { anat1101: await heldLesson(anat1101, '1101'), hist1101: await heldLesson(hist1101, '1101'), anatE101: await heldLesson(anatE101, 'E101') },
    student: { anat1101: studentAtDemo, hist1101: await studentOfGroup(s, '1101', 1), anatE101: await studentOfGroup(s, 'E101', 0) },
    studentAtDemo,
    tpChild: await linkedChild(s, 'teacher-parent@demo.test'),
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

/** A confirmation link as the sender makes it, for a student who asked (a fresh, unconfirmed address each time). */
async function confirmLink(f: Fixtures): Promise<string> {
  await f.store.run(sql`INSERT INTO mail_recipients (user_id, address, updated_at) VALUES (${f.studentAtDemo}, 'student@demo.test', ${TEST_NOW})
    ON CONFLICT (user_id) DO UPDATE SET address = 'student@demo.test', confirmed_at = NULL`);
  return confirmUrl('', TEST_SECRET, f.studentAtDemo, 'student@demo.test', TEST_NOW + CONFIRM_LINK_MS);
}
