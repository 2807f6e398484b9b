// The placements report (issue 17): placements per faculty, partner and period, as a page with filters
// and as CSV. A dean's office sees its own faculty's placements only; a filter outside its scope (a stale
// bookmark, a guessed id) or a date that is no date is dropped, not obeyed, as on the other reports.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Id } from '../params';
import { Day } from '../forms';
import { viewCtx } from '../plugins/request-context';
import { adminFacultiesOr404 } from '../policy/require';
import { facultyChoices } from '../../db/queries/admin-people';
import { listPartners } from '../../db/queries/mobility';
import { placementsReport } from '../../db/queries/mobility-placements';
import { placementColumns, placementsReportPage, type PlacementReportFilter } from '../../views/mobility/report';
import { csvDocument } from '../../views/csv';
import { t } from '../../views/mobility/strings';

const Query = z.object({
  faculty: Id.nullable().catch(null).default(null), partner: Id.nullable().catch(null).default(null),
  from: Day.nullable().catch(null).default(null), to: Day.nullable().catch(null).default(null),
});

export default async function adminMobilityReportRoutes(app: FastifyInstance) {
  const gather = async (req: FastifyRequest) => {
    const scope = adminFacultiesOr404(req.user);
    const asked = Query.parse(req.query && typeof req.query === 'object' ? req.query : {});
    const faculties = (await facultyChoices(app.store, scope)).map((f) => ({ id: f.id, nameRu: f.label, nameEn: f.labelEn ?? f.label }));
    const partners = (await listPartners(app.store)).map((p) => ({ id: p.id, nameRu: p.nameRu, nameEn: p.nameEn }));
    const badPeriod = asked.from !== null && asked.to !== null && asked.to < asked.from;
    const filter: PlacementReportFilter = {
      facultyId: faculties.some((f) => f.id === asked.faculty) ? asked.faculty : null,
      partnerId: partners.some((p) => p.id === asked.partner) ? asked.partner : null,
      from: badPeriod ? null : asked.from, to: badPeriod ? null : asked.to,
    };
    const facultyIds = filter.facultyId === null ? scope : [filter.facultyId];
    const rows = await placementsReport(app.store, { facultyIds, partnerId: filter.partnerId, from: filter.from, to: filter.to });
    return { ctx: viewCtx(req), rows, filter, faculties, partners, badPeriod };
  };

  app.get('/admin/mobility/report', async (req, reply) => {
    const g = await gather(req);
    const o = g.badPeriod ? { error: t(g.ctx.lang, 'badPeriod') } : {};
    return reply.type('text/html').send(placementsReportPage(g.ctx, g, o).value);
  });

  app.get('/admin/mobility/report.csv', async (req, reply) => {
    const g = await gather(req);
    const cols = placementColumns(g.ctx.lang);
    return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="mobility-placements.csv"')
      .send(csvDocument([cols.map((c) => c.head), ...g.rows.map((r) => cols.map((c) => c.value(r)))]));
  });
}
