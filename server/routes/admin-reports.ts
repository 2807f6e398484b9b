import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { viewCtx } from '../plugins/request-context';
import { adminFacultyIds } from '../policy';
import { notFound } from '../http-error';
import { currentTerm } from '../../db/queries/terms';
import { facultyOverview } from '../../db/queries/admin-home';
import { studentsInFaculties, completeness } from '../../db/queries/reports';
import { studentCourseProgress } from '../progress/student-progress';
import { reportsPage, type AtRisk } from '../../views/admin/reports';
import { translateKey } from '../../views/translate';
import { registerNav } from '../../views/layout/nav';

registerNav({ href: '/admin/reports', label: { en: 'Reports', ru: 'Отчёты' }, roles: ['admin'], order: 53 });

const Query = z.object({ sort: z.enum(['group', 'name']).default('group'), days: z.coerce.number().int().min(0).max(60).default(3) });

export default async function adminReportRoutes(app: FastifyInstance) {
  /** Every not-admitted (student, course) in the admin's faculties, with the rule's reasons. */
  const gather = (req: FastifyRequest) => {
    const faculties = adminFacultyIds(req.user);
    const ctx = viewCtx(req);
    const term = currentTerm(app.db, ctx.today);
    if (!faculties || !term) throw notFound();
    const q = Query.safeParse(req.query ?? {});
    const { sort, days } = q.success ? q.data : { sort: 'group' as const, days: 3 };
    const atRisk: AtRisk[] = [];
    for (const s of studentsInFaculties(app.db, faculties)) {
      for (const c of studentCourseProgress(app.db, s.id, term.id, ctx.today)) {
        if (!c.admission.admitted) atRisk.push({ studentId: s.id, name: `${s.surname} ${s.givenName}`, groupName: s.groupName, subject: ctx.lang === 'ru' ? c.subjectRu : c.subjectEn, reasons: c.admission.reasons });
      }
    }
    if (sort === 'name') atRisk.sort((a, b) => a.name.localeCompare(b.name, ctx.lang));
    return { ctx, term, faculties, atRisk, sort, days };
  };

  app.get('/admin/reports', async (req, reply) => {
    const g = gather(req);
    return reply.type('text/html').send(reportsPage(g.ctx, g.atRisk, facultyOverview(app.db, g.faculties, g.term.id, g.ctx.today), completeness(app.db, g.faculties, g.term.id, g.ctx.today, g.days), g.days, g.sort).value);
  });

  app.get('/admin/reports.csv', async (req, reply) => {
    const g = gather(req);
    const cell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
    const lines = [['student', 'group', 'subject', 'reasons'], ...g.atRisk.map((r) => [r.name, r.groupName, r.subject, r.reasons.map((x) => translateKey(g.ctx.lang, x.code, x.params)).join('; ')])];
    return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="students-at-risk.csv"').send('\uFEFF' + lines.map((l) => l.map(cell).join(',')).join('\r\n') + '\r\n');
  });
}
