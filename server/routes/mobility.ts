import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Id } from '../params';
import { viewCtx } from '../plugins/request-context';
import { mayApplyForMobility } from '../policy';
import { notFound } from '../http-error';
import { doneKey, FormRefused, once, seeOther, withDone } from '../prg';
import { applicationsOfStudent, apply, callById, listCalls, studentGroupNow, type Call } from '../../db/queries/mobility';
import { applyRefusal, callOpen } from '../domain/mobility-call';
import { mobilityStudentPage } from '../../views/mobility/student';
import { placementsOfStudent } from '../../db/queries/mobility-placements';
import { placementsCard } from '../../views/mobility/placements';
import { t } from '../../views/mobility/strings';
import type { Notice } from '../../views/layout/notice';
import { registerNav } from '../../views/layout/nav';

registerNav({ href: '/mobility', label: { en: 'Mobility', ru: 'Мобильность' }, roles: ['student'], order: 30 });

const facts = (c: Call) => ({ programme: c.programme, year: c.year, deadline: c.deadline, facultyIds: c.quotas.map((q) => q.facultyId) });

/** A student's own mobility page: the open calls they may apply to, and their own applications only. */
export default async function mobilityRoutes(app: FastifyInstance) {
  const show = async (req: FastifyRequest, reply: FastifyReply, o: Notice = {}, status = 200) => {
    const ctx = viewCtx(req);
    const studentId = req.user!.id;
    const group = (await studentGroupNow(app.store, studentId, ctx.today)) ?? null;
    const mine = await applicationsOfStudent(app.store, studentId);
    const calls = await listCalls(app.store);
    const byId = new Map(calls.map((c) => [c.id, c]));
    const open = calls.filter((c) => callOpen(c, ctx.today) && applyRefusal(facts(c), group, ctx.today, false) === null)
      .map((call) => ({ call, refusal: applyRefusal(facts(call), group, ctx.today, mine.some((a) => a.callId === call.id)) }));
    const own = mine.map((a) => ({ ...a, call: byId.get(a.callId)! }));
    return reply.code(status).type('text/html').send(mobilityStudentPage(ctx, open, own, o, placementsCard(ctx.lang, await placementsOfStudent(app.store, studentId))).value);
  };
  const studentOr404 = (req: FastifyRequest) => {
    if (!mayApplyForMobility(req.user)) throw notFound();
  };

  app.get('/mobility', async (req, reply) => {
    if (!req.user) return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 303);
    studentOr404(req);
    const done = doneKey(req, ['applied'] as const);
    return show(req, reply, done ? { message: t(req.lang, done) } : {});
  });

  app.post('/mobility/calls/:callId/apply', async (req, reply) => {
    studentOr404(req);
    const p = z.object({ callId: Id }).safeParse(req.params);
    const call = p.success ? await callById(app.store, p.data.callId) : undefined;
    if (!call) throw notFound();
    const body = z.object({ motivation: z.string().trim().min(10).max(2000) }).safeParse(req.body ?? {});
    if (!body.success) return show(req, reply, { error: t(req.lang, 'motivationRequired') }, 422);
    const today = viewCtx(req).today;
    const studentId = req.user!.id;
    const group = (await studentGroupNow(app.store, studentId, today)) ?? null;
    const applied = (await applicationsOfStudent(app.store, studentId)).some((a) => a.callId === call.id);
    const refusal = applyRefusal(facts(call), group, today, applied);
    if (refusal) return show(req, reply, { error: t(req.lang, `refused_${refusal}`) }, refusal === 'applied' ? 409 : 403);
    try {
      return seeOther(reply, await once(app.store, req, withDone('/mobility', 'applied'), async (tx) => {
        const id = await apply(tx, { callId: call.id, studentId, facultyId: group!.facultyId, motivation: body.data.motivation }, { id: studentId, role: 'student', ip: req.ip }, app.clock());
        if (id === 0) throw new FormRefused('applied');
      }));
    } catch (e) {
      if (e instanceof FormRefused) return show(req, reply, { error: t(req.lang, 'refused_applied') }, 409);
      throw e;
    }
  });
}
