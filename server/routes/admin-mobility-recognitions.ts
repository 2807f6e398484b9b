// Credit recognition after a mobility placement (issue 17): the dean's office covering the placement's
// faculty records what the student earned at the partner against the student's own courses; the record
// book shows it as recognised, the partner named. Another faculty's placement is as good as missing.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Id } from '../params';
import { fieldsOf, requiredText } from '../forms';
import { viewCtx } from '../plugins/request-context';
import { adminFacultiesOr404 } from '../policy/require';
import { mayDecideApplication } from '../policy';
import { notFound } from '../http-error';
import { doneKey, once, seeOther, withDone } from '../prg';
import { placementById, type Placement } from '../../db/queries/mobility-placements';
import { applicationById } from '../../db/queries/mobility';
import { courseOfStudent, coursesOfStudent, recognitionsOfPlacement, setRecognition } from '../../db/queries/mobility-recognitions';
import { recognise } from '../domain/mobility-recognition';
import { recognitionsPage } from '../../views/mobility/recognitions';
import { t } from '../../views/mobility/strings';
import type { Notice } from '../../views/layout/notice';

// The mark is optional (a pass/fail course takes none): '' means none; anything else must be an integer.
const Mark = z.union([z.literal(''), z.coerce.number().int().min(0).max(1000)]).optional().transform((v) => (v === '' || v === undefined ? null : v));
const Body = z.object({ courseId: Id, partnerCourse: requiredText(300), partnerGrade: requiredText(40), mark: Mark });

export default async function adminMobilityRecognitionRoutes(app: FastifyInstance) {
  const placementOr404 = async (req: FastifyRequest): Promise<Placement> => {
    adminFacultiesOr404(req.user);
    const p = z.object({ placementId: Id }).safeParse(req.params);
    const placement = p.success ? await placementById(app.store, p.data.placementId) : undefined;
    if (!placement || !mayDecideApplication(req.user, placement)) throw notFound();
    return placement;
  };

  const show = async (req: FastifyRequest, reply: FastifyReply, p: Placement, o: Notice = {}, status = 200) => {
    const a = (await applicationById(app.store, p.applicationId))!;
    const data = { placement: p, application: a, courses: await coursesOfStudent(app.store, p.studentId), recognitions: await recognitionsOfPlacement(app.store, p.id) };
    return reply.code(status).type('text/html').send(recognitionsPage(viewCtx(req), data, o).value);
  };

  app.get('/admin/mobility/placements/:placementId/recognitions', async (req, reply) => {
    if (!req.user) return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 303);
    const p = await placementOr404(req);
    const done = doneKey(req, ['recognitionSaved'] as const);
    return show(req, reply, p, done ? { message: t(req.lang, done) } : {});
  });

  app.post('/admin/mobility/placements/:placementId/recognitions', async (req, reply) => {
    const p = await placementOr404(req);
    const body = Body.safeParse(req.body ?? {});
    if (!body.success) return show(req, reply, p, { error: t(req.lang, 'recognitionInvalid', { fields: fieldsOf(body.error) }) }, 422);
    if (p.cancelledAt !== null) return show(req, reply, p, { error: t(req.lang, 'refused_placementCancelled') }, 409);
    const course = await courseOfStudent(app.store, p.studentId, body.data.courseId);
    if (!course) return show(req, reply, p, { error: t(req.lang, 'refused_notTheirCourse') }, 422);
    const scale = { kind: course.scaleKind, min: course.scaleMin, max: course.scaleMax, passMin: course.passMin };
    const result = recognise(scale, body.data.mark);
    if ('refusal' in result) {
      return show(req, reply, p, { error: t(req.lang, `refused_${result.refusal}`, { min: Math.max(scale.min, scale.passMin), max: scale.max }) }, 422);
    }
    const r = {
      placementId: p.id, studentId: p.studentId, courseId: course.courseId, partnerId: p.partnerId, ...result,
      partnerCourse: body.data.partnerCourse, partnerGrade: body.data.partnerGrade, recognisedOn: viewCtx(req).today,
    };
    const back = withDone(`/admin/mobility/placements/${p.id}/recognitions`, 'recognitionSaved');
    return seeOther(reply, await once(app.store, req, back, (tx) => setRecognition(tx, r, { id: req.user!.id, role: 'admin', ip: req.ip }, app.clock())));
  });
}
