import { doneKey, earlierOutcome, formTokenOf, once, seeOther, withDone } from '../prg';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { viewCtx } from '../plugins/request-context';
import { allowed } from '../policy';
import { adminFacultiesOr404 } from '../policy/require';
import { notFound } from '../http-error';
import { Id, OptionalId, Version, fieldsOf } from '../forms';
import { currentTerm } from '../../db/queries/terms';
import { allTerms } from '../../db/queries/admin-terms';
import { groupChoices, departmentChoices } from '../../db/queries/admin-people';
import {
  coursesOfTerm, subjectChoices, teacherChoices, subjectCodeTaken, createSubject, duplicateCourseGroup, createCourse,
  courseSettings, saveCourseRules, addCourseTeacher, removeCourseTeacher, courseStudentIds, addCourseGroup, courseSubjectTerm,
} from '../../db/queries/admin-courses';
import { DEFAULT_COURSE_RULES, parseCourseRules } from '../domain/rules';
import { admissionBefore, admissionOf, noticeAdmissions } from '../progress/notices';
import { rulesConfirmPage, type RulesReach } from '../../views/admin/rules-confirm';
import { spendFormToken } from '../../db/queries/form-tokens';
import type { CourseRules } from '../domain/types';
import { coursesPage, courseSettingsPage } from '../../views/admin/courses';
import type { Notice } from '../../views/layout/notice';
import { t } from '../../views/admin/structure-strings';
import { registerNav } from '../../views/layout/nav';

registerNav({ href: '/admin/courses', label: { en: 'Courses', ru: 'Курсы' }, roles: ['admin'], order: 48.5 });

const Percent = z.union([z.literal(''), z.coerce.number().min(0).max(100)]).optional().transform((v) => (v === '' || v === undefined ? null : v));
const RulesForm = z.object({
  minRating: Percent, absenceCapPercent: Percent, absenceWarnPercent: Percent,
  capCounts: z.enum(['all', 'unexcused']).default('all'),
  requireMakeups: z.literal('1').optional(),
  finalRule: z.enum(['mean_rating_exam', 'exam_only', 'rating_only']).default('mean_rating_exam'),
  examWeight: z.coerce.number().min(0).max(1).default(0.5),
});

/** Carries a preview's counts out of the transaction that is rolled back to compute them. */
class RulesPreview extends Error {
  constructor(readonly reach: RulesReach | null) { super('rules preview'); }
}

/** The form's rules on top of the course's current ones: weights and kinds the form does not show stay. */
function rulesFrom(f: z.infer<typeof RulesForm>, base: CourseRules): CourseRules {
  const finalRule: CourseRules['finalRule'] = f.finalRule === 'exam_only' ? { kind: 'exam_only' } : f.finalRule === 'rating_only' ? { kind: 'rating_only', rounding: 'half_up' } : { kind: 'mean_rating_exam', examWeight: f.examWeight, rounding: 'half_up' };
  return { ...base, admission: { ...base.admission, minRating: f.minRating, absenceCapPercent: f.absenceCapPercent, absenceWarnPercent: f.absenceWarnPercent, capCounts: f.capCounts, requireMakeups: f.requireMakeups === '1' }, finalRule };
}

/** Repeated checkboxes arrive as an array, a single one as a string. */
const many = z.union([Id, z.array(Id)]).optional().transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));

export default async function adminCourseRoutes(app: FastifyInstance) {
  const scopeOf = (req: FastifyRequest) => adminFacultiesOr404(req.user);
  const actor = (req: FastifyRequest) => ({ id: req.user!.id, role: 'admin', ip: req.ip });

  const list = async (req: FastifyRequest, reply: FastifyReply, termId: number | null, o: Notice = {}, status = 200) => {
    const f = scopeOf(req);
    const ctx = viewCtx(req);
    const terms = await allTerms(app.store);
    let term = terms.find((x) => x.id === termId);
    if (!term) {
      const current = await currentTerm(app.store, ctx.today);
      term = terms.find((x) => x.id === current?.id);
    }
    if (!term) throw notFound();
    const [courses, subjects, teachers, groups, departments] = await Promise.all([
      coursesOfTerm(app.store, term.id, f), subjectChoices(app.store), teacherChoices(app.store), groupChoices(app.store, f), departmentChoices(app.store, f),
    ]);
    return reply.code(status).type('text/html').send(coursesPage(ctx, {
      terms, termId: term.id, termLocked: !!term.lockedAt, courses, subjects, teachers, groups, departments, defaults: DEFAULT_COURSE_RULES,
    }, o).value);
  };

  app.get('/admin/courses', async (req, reply) => {
    const q = z.object({ term: Id }).safeParse(req.query ?? {});
    const done = doneKey(req, ['created'] as const);
    return list(req, reply, q.success ? q.data.term : null, done ? { message: t(req.lang, done) } : {});
  });

  app.post('/admin/subjects', async (req, reply) => {
    const f = scopeOf(req);
    const earlier = await earlierOutcome(app.store, req);
    if (earlier) return seeOther(reply, earlier);
    const body = z.object({ departmentId: Id, code: z.string().trim().min(1).max(20).regex(/^[\p{L}\d_-]+$/u), nameRu: z.string().trim().min(2).max(200), nameEn: z.string().trim().min(2).max(200) }).safeParse(req.body ?? {});
    if (!body.success) return list(req, reply, null, { error: t(req.lang, 'invalid', { fields: fieldsOf(body.error) }) }, 422);
    if (!(await departmentChoices(app.store, f)).some((d) => d.id === body.data.departmentId)) return list(req, reply, null, { error: t(req.lang, 'notYourScope') }, 403);
    if (await subjectCodeTaken(app.store, body.data.code)) return list(req, reply, null, { error: t(req.lang, 'subjectTaken', { code: body.data.code }) }, 422);
    return seeOther(reply, await once(app.store, req, withDone('/admin/courses', 'created'), (tx) => createSubject(tx, body.data, actor(req), app.clock())));
  });

  app.post('/admin/courses', async (req, reply) => {
    const f = scopeOf(req);
    const earlier = await earlierOutcome(app.store, req);
    if (earlier) return seeOther(reply, earlier);
    const raw = (req.body ?? {}) as Record<string, unknown>;
    const body = z.object({ termId: Id, subjectId: Id, groupId: many, lecturerId: OptionalId, assistantId: OptionalId, scale: z.enum(['ten', 'pass_fail', 'five', 'percent']) }).safeParse(raw);
    const rules = RulesForm.safeParse(raw);
    const termId = body.success ? body.data.termId : null;
    if (!body.success || !rules.success) return list(req, reply, termId, { error: t(req.lang, 'invalid', { fields: [body.success ? '' : fieldsOf(body.error), rules.success ? '' : fieldsOf(rules.error)].filter(Boolean).join(', ') }) }, 422);
    const b = body.data;
    const term = (await allTerms(app.store)).find((x) => x.id === b.termId);
    const subject = (await subjectChoices(app.store)).find((s) => s.id === b.subjectId);
    const teachers = await teacherChoices(app.store);
    if (!term || !subject) return list(req, reply, termId, { error: t(req.lang, 'invalid', { fields: !term ? 'termId' : 'subjectId' }) }, 422);
    if (term.lockedAt) return list(req, reply, termId, { error: t(req.lang, 'termLocked') }, 422);
    if (b.groupId.length === 0) return list(req, reply, termId, { error: t(req.lang, 'chooseGroups') }, 422);
    const mine = await groupChoices(app.store, f);
    if (!b.groupId.every((g) => mine.some((x) => x.id === g))) return list(req, reply, termId, { error: t(req.lang, 'notYourScope') }, 403);
    if (!b.lecturerId || !teachers.some((x) => x.id === b.lecturerId)) return list(req, reply, termId, { error: t(req.lang, 'chooseLecturer') }, 422);
    if (b.assistantId && !teachers.some((x) => x.id === b.assistantId)) return list(req, reply, termId, { error: t(req.lang, 'invalid', { fields: 'assistantId' }) }, 422);
    const dup = await duplicateCourseGroup(app.store, b.subjectId, b.termId, b.groupId);
    if (dup) return list(req, reply, termId, { error: t(req.lang, 'courseExists', { subject: req.lang === 'ru' ? subject.nameRu : subject.nameEn, group: dup }) }, 422);
    const draft = { subjectId: b.subjectId, termId: b.termId, scaleCode: b.scale, groupIds: b.groupId, lecturerId: b.lecturerId, assistantIds: b.assistantId ? [b.assistantId] : [], rules: rulesFrom(rules.data, DEFAULT_COURSE_RULES) };
    return seeOther(reply, await once(app.store, req, (id: number) => `/admin/courses/${id}`, (tx) => createCourse(tx, draft, actor(req), app.clock())));
  });

  /** A course the admin covers (through its groups' faculties); others do not exist for them. */
  const covered = async (req: FastifyRequest) => {
    scopeOf(req);
    const p = z.object({ courseId: Id }).safeParse(req.params);
    const c = p.success ? await courseSettings(app.store, p.data.courseId) : undefined;
    if (!c || !(await allowed(req, { do: 'journal.override', courseId: c.id }))) throw notFound();
    return c;
  };
  const settings = async (req: FastifyRequest, reply: FastifyReply, courseId: number, o: Notice = {}, status = 200) => {
    const c = (await courseSettings(app.store, courseId))!;
    const addable = (await groupChoices(app.store, scopeOf(req))).filter((g) => !c.groups.some((x) => x.id === g.id));
    return reply.code(status).type('text/html').send(courseSettingsPage(viewCtx(req), c, parseCourseRules(c.rules), await teacherChoices(app.store), addable, o).value);
  };

  app.get('/admin/courses/:courseId', async (req, reply) => {
    const c = await covered(req);
    const done = doneKey(req, ['rulesSaved', 'teacherAdded', 'groupAdded', 'teacherRemoved'] as const);
    return settings(req, reply, c.id, done ? { message: t(req.lang, done) } : {});
  });

  app.post('/admin/courses/:courseId/rules', async (req, reply) => {
    const c = await covered(req);
    if (c.termLocked) return settings(req, reply, c.id, { error: t(req.lang, 'termLocked') }, 422);
    const raw = (req.body ?? {}) as Record<string, unknown>;
    const f = RulesForm.safeParse(raw);
    const v = Version.safeParse(raw.version);
    if (!f.success || !v.success) return settings(req, reply, c.id, { error: t(req.lang, 'invalid', { fields: f.success ? 'version' : fieldsOf(f.error) }) }, 422);
    const now = app.clock();
    const rules = rulesFrom(f.data, parseCourseRules(c.rules));
    // Not confirmed yet: the same change is made in a transaction that is rolled back, to count whose
    // admission it would move, and the confirmation page says so (the term lock's pattern).
    if (raw.confirm !== '1') {
      const reach = await app.store.tx(async (tx) => {
        const students = await courseStudentIds(tx, c.id);
        const keys = students.map((studentId) => ({ studentId, courseId: c.id }));
        const before = await admissionOf(tx, keys, now, app.config.universityTz);
        const saved = await saveCourseRules(tx, c.id, v.data, rules, actor(req), now);
        const after = await admissionOf(tx, keys, now, app.config.universityTz);
        const moved = (from: boolean) => keys.filter((k) => before.get(`${k.studentId}:${k.courseId}`) === from && after.get(`${k.studentId}:${k.courseId}`) === !from).length;
        throw new RulesPreview(saved === null ? null : { students: students.length, loseAdmission: moved(true), gainAdmission: moved(false) });
      }).catch((e: unknown) => (e instanceof RulesPreview ? e.reach : Promise.reject(e)));
      if (!reach) return settings(req, reply, c.id, { error: t(req.lang, 'invalid', { fields: 'version' }) }, 409);
      const values = Object.entries(raw).filter(([k]) => k in RulesForm.shape || k === 'version').map(([k, val]) => [k, String(val)] as [string, string]);
      return reply.type('text/html').send(rulesConfirmPage(viewCtx(req), c, reach, values).value);
    }
    const earlier = await earlierOutcome(app.store, req);
    if (earlier) return seeOther(reply, earlier);
    const saved = await app.store.tx(async (tx) => {
      const students = await courseStudentIds(tx, c.id);
      const before = await admissionBefore(tx, students.map((studentId) => ({ studentId, courseId: c.id })), now, app.config.universityTz);
      const auditId = await saveCourseRules(tx, c.id, v.data, rules, actor(req), now);
      // Admission follows the rules at once: a flip is notified like one caused by a mark, in the same
      // transaction. (The publisher pushes each student's new course tile from the audit row.)
      if (auditId !== null) {
        const checks = students.map((studentId) => ({ studentId, courseId: c.id, auditId }));
        await noticeAdmissions(tx, checks, now, app.config.universityTz, before);
        const token = formTokenOf(req);
        if (token) await spendFormToken(tx, req.user!.id, token, withDone(`/admin/courses/${c.id}`, 'rulesSaved'), now);
      }
      return auditId !== null;
    });
    if (!saved) return settings(req, reply, c.id, { error: t(req.lang, 'invalid', { fields: 'version' }) }, 409);
    return seeOther(reply, withDone(`/admin/courses/${c.id}`, 'rulesSaved'));
  });

  app.post('/admin/courses/:courseId/teachers', async (req, reply) => {
    const c = await covered(req);
    const earlier = await earlierOutcome(app.store, req);
    if (earlier) return seeOther(reply, earlier);
    if (c.termLocked) return settings(req, reply, c.id, { error: t(req.lang, 'termLocked') }, 422);
    const body = z.object({ teacherId: Id, role: z.enum(['lecturer', 'assistant']) }).safeParse(req.body ?? {});
    if (!body.success || !(await teacherChoices(app.store)).some((x) => x.id === body.data.teacherId)) return settings(req, reply, c.id, { error: t(req.lang, 'invalid', { fields: body.success ? 'teacherId' : fieldsOf(body.error) }) }, 422);
    if (c.teachers.some((x) => x.id === body.data.teacherId)) return settings(req, reply, c.id, { error: t(req.lang, 'alreadyTeaches') }, 422);
    return seeOther(reply, await once(app.store, req, withDone(`/admin/courses/${c.id}`, 'teacherAdded'),
      (tx) => addCourseTeacher(tx, c.id, body.data.teacherId, body.data.role, actor(req), app.clock())));
  });

  app.post('/admin/courses/:courseId/groups', async (req, reply) => {
    const c = await covered(req);
    const earlier = await earlierOutcome(app.store, req);
    if (earlier) return seeOther(reply, earlier);
    if (c.termLocked) return settings(req, reply, c.id, { error: t(req.lang, 'termLocked') }, 422);
    const body = z.object({ groupId: Id }).safeParse(req.body ?? {});
    if (!body.success) return settings(req, reply, c.id, { error: t(req.lang, 'chooseGroups') }, 422);
    if (!(await groupChoices(app.store, scopeOf(req))).some((g) => g.id === body.data.groupId)) return settings(req, reply, c.id, { error: t(req.lang, 'notYourScope') }, 403);
    const st = await courseSubjectTerm(app.store, c.id);
    const dup = await duplicateCourseGroup(app.store, st.subjectId, st.termId, [body.data.groupId]);
    if (dup) return settings(req, reply, c.id, { error: t(req.lang, 'courseExists', { subject: req.lang === 'ru' ? c.subjectRu : c.subjectEn, group: dup }) }, 422);
    return seeOther(reply, await once(app.store, req, withDone(`/admin/courses/${c.id}`, 'groupAdded'),
      (tx) => addCourseGroup(tx, c.id, body.data.groupId, actor(req), app.clock())));
  });

  app.post('/admin/courses/:courseId/teachers/:teacherId/remove', async (req, reply) => {
    const c = await covered(req);
    const earlier = await earlierOutcome(app.store, req);
    if (earlier) return seeOther(reply, earlier);
    const p = z.object({ teacherId: Id }).safeParse(req.params);
    const teacher = p.success ? c.teachers.find((x) => x.id === p.data.teacherId) : undefined;
    if (!teacher) throw notFound();
    if (c.termLocked) return settings(req, reply, c.id, { error: t(req.lang, 'termLocked') }, 422);
    if (teacher.role === 'lecturer' && c.teachers.filter((x) => x.role === 'lecturer').length === 1) return settings(req, reply, c.id, { error: t(req.lang, 'lastLecturer') }, 422);
    return seeOther(reply, await once(app.store, req, withDone(`/admin/courses/${c.id}`, 'teacherRemoved'),
      (tx) => removeCourseTeacher(tx, c.id, teacher.id, actor(req), app.clock())));
  });
}
