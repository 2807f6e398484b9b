import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Id } from '../params';
// exceljs is loaded on the first export, not at start: it is a quarter of the server's start-up time.
const loadExcel = async () => (await import('exceljs')).default;
import { viewCtx } from '../plugins/request-context';
import { adminFacultiesOr404 } from '../policy/require';
import { searchAudit, namesForIds, type AuditFilter, type AuditListRow } from '../../db/queries/audit-search';
import { verifyAuditChain } from '../../db/queries/audit';
import { auditPage } from '../../views/admin/audit';
import { t } from '../../views/admin/strings';
import { registerNav } from '../../views/layout/nav';
import { lastEventId } from '../../db/queries/live';
import { actionLabel, describeChange, referencedIds, roleLabel } from '../../views/audit/words';
import { t as ta } from '../../views/audit/strings';
import { coursesOfTerm } from '../../db/queries/admin-courses';
import { currentTerm } from '../../db/queries/terms';
import { dateInZone } from '../domain/time';
import { csvDocument } from '../../views/csv';

registerNav({ href: '/admin/audit', label: { en: 'Audit', ru: 'Аудит' }, roles: ['admin'], order: 52 });

const Filter = z.object({
  actor: z.string().trim().max(100).optional(),
  student: z.string().trim().max(100).optional(),
  courseId: Id.optional().or(z.literal('').transform(() => undefined)),
  // A group the form offers (mark, attendance, …) or one exact action (mark.create), as links to the trail carry.
  action: z.string().trim().max(60).regex(/^[a-z_]+(\.[a-z_]+)?$/).optional().or(z.literal('').transform(() => undefined)),
  from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional().or(z.literal('').transform(() => undefined)),
  to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional().or(z.literal('').transform(() => undefined)),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  verify: z.string().optional(),
});

const EXPORT_LIMIT = 50_000;

export default async function adminAuditRoutes(app: FastifyInstance) {
  const scopeOf = (req: FastifyRequest) => adminFacultiesOr404(req.user);
  const filterOf = (req: FastifyRequest) => {
    const f = Filter.safeParse(req.query ?? {});
    return f.success ? f.data : { page: 1 };
  };

  app.get('/admin/audit', async (req, reply) => {
    const scope = scopeOf(req);
    const f = filterOf(req) as AuditFilter & { verify?: string };
    const { rows, more } = await searchAudit(app.store, f, scope);
    let chain: string | undefined;
    if (f.verify) {
      const r = await verifyAuditChain(app.store);
      chain = r.ok ? t(req.lang, 'chainOk', { rows: r.rows }) : `!${t(req.lang, 'chainBroken', { id: r.badId, problem: r.problem })}`;
    }
    const unfiltered = f.page === 1 && !f.actor && !f.student && !f.courseId && !f.action && !f.from && !f.to;
    const term = await currentTerm(app.store, dateInZone(app.clock(), app.config.universityTz));
    const courses = term ? await coursesOfTerm(app.store, term.id, scope) : [];
    const names = await namesForIds(app.store, referencedIds(rows));
    const liveSince = unfiltered ? await lastEventId(app.store) : undefined;
    return reply.type('text/html').send(auditPage(viewCtx(req), { filter: f, rows, more, courses, names, chain, liveSince }).value);
  });

  const exportRows = async (req: FastifyRequest) => {
    const { rows } = await searchAudit(app.store, { ...filterOf(req), page: 1 }, scopeOf(req), EXPORT_LIMIT);
    const names = await namesForIds(app.store, referencedIds(rows));
    const lang = req.lang;
    // Times stay UTC (a column anyone can sort and compare); words are the reader's language.
    return rows.map((r: AuditListRow) => [r.id, new Date(r.at).toISOString(), r.actorName ?? '', roleLabel(lang, r.actorRole), r.ip ?? '',
      actionLabel(lang, r.action), lang === 'ru' ? r.subjectRu ?? '' : r.subjectEn ?? '', r.studentName ?? '',
      describeChange(lang, 'UTC', r, names), r.reason ?? '']);
  };
  const HEAD_KEYS = ['h.id', 'h.at', 'h.actor', 'h.role', 'h.ip', 'h.action', 'h.course', 'h.student', 'h.change', 'h.reason'] as const;
  const head = (req: FastifyRequest) => HEAD_KEYS.map((k) => ta(req.lang, k));

  app.get('/admin/audit.csv', async (req, reply) => {
    const body = csvDocument([head(req), ...(await exportRows(req))]);
    return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="audit.csv"').send(body);
  });

  app.get('/admin/audit.xlsx', async (req, reply) => {
    const wb = new (await loadExcel()).Workbook();
    const ws = wb.addWorksheet('audit');
    ws.addRow(head(req)).font = { bold: true };
    for (const r of await exportRows(req)) ws.addRow(r);
    const buf = await wb.xlsx.writeBuffer();
    return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').header('content-disposition', 'attachment; filename="audit.xlsx"').send(Buffer.from(buf));
  });
}
