import type { FastifyInstance } from 'fastify';
import type { Lang } from '../db/schema';
import { existingEmails } from '../db/queries/users';

export const DEMO_PASSWORD = 'demo-password';

/** The demo logins README promises; shown on the login page and printed at start in demo mode. */
export const DEMO_LOGINS: { email: string; en: string; ru: string }[] = [
  { email: 'admin@demo.test', en: 'university-wide administrator', ru: 'администратор университета' },
  { email: 'dean@demo.test', en: "dean's office, Faculty of General Medicine", ru: 'деканат лечебного факультета' },
  { email: 'teacher@demo.test', en: 'teacher of anatomy (lecture streams)', ru: 'преподаватель анатомии (потоки)' },
  { email: 'student@demo.test', en: 'student, group 1101', ru: 'студентка группы 1101' },
  { email: 'parent@demo.test', en: "parent of student@demo.test", ru: 'родитель student@demo.test' },
  { email: 'teacher-parent@demo.test', en: 'teacher who is also a parent', ru: 'преподаватель и родитель' },
];

export async function demoAccountsFor(app: FastifyInstance, lang: Lang): Promise<{ email: string; label: string }[]> {
  if (!app.config.demo) return [];
  const exists = await existingEmails(app.store, DEMO_LOGINS.map((a) => a.email));
  return DEMO_LOGINS.filter((a) => exists.has(a.email)).map((a) => ({ email: a.email, label: a[lang] }));
}
