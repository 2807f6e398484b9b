import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { Id, parseId } from '../params';
import { viewCtx } from '../plugins/request-context';
import { mayPrintGroupJournal } from '../policy';
import { HttpError, notFound } from '../http-error';
import { currentTerm } from '../../db/queries/terms';
import { loadJournal } from '../../db/queries/journal';
import { groupWithFaculty, groupCourseIds, termsForPrint } from '../../db/queries/group-journal';
import { journalSummaries } from '../journal/summaries';
import { groupJournalPage, type GroupJournalCourse } from '../../views/group-journal/page';

const Params = z.object({ groupId: Id });

export default async function groupJournalRoutes(app: FastifyInstance) {
  app.get('/groups/:groupId/journal', async (req, reply) => {
    if (!req.user) return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 303);
    const p = Params.safeParse(req.params);
    const group = p.success ? await groupWithFaculty(app.store, p.data.groupId) : undefined;
    if (!group || !mayPrintGroupJournal(req.user, group.facultyId)) throw notFound();
    const ctx = viewCtx(req);
    const terms = await termsForPrint(app.store);
    const raw = (req.query as Record<string, unknown> | undefined)?.term;
    let termId: number | undefined;
    if (raw === undefined || raw === '') termId = (await currentTerm(app.store, ctx.today))?.id;
    else if (typeof raw === 'string' && parseId(raw) !== null) termId = parseId(raw)!;
    else throw new HttpError(422, 'groupJournal.badTerm');
    const term = terms.find((x) => x.id === termId);
    if (!term) throw new HttpError(404, 'groupJournal.noTerm');
    const courses: GroupJournalCourse[] = [];
    for (const courseId of await groupCourseIds(app.store, group.id, term.id, ctx.lang)) {
      const d = await loadJournal(app.store, courseId, group.id);
      if (d) courses.push({ d, summaries: journalSummaries(d, ctx.today) });
    }
    return reply.type('text/html').send(groupJournalPage(ctx, group, term, terms, courses).value);
  });
}
