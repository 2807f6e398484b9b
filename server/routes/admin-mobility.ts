import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Id } from '../params';
import { Day, fieldsOf, requiredText } from '../forms';
import { viewCtx } from '../plugins/request-context';
import { adminFacultiesOr404 } from '../policy/require';
import { mayDecideApplication, mayKeepMobilityCatalogue } from '../policy';
import { notFound } from '../http-error';
import { FormRefused, doneKey, once, seeOther, withDone } from '../prg';
import { facultyChoices } from '../../db/queries/admin-people';
import { currentTerm } from '../../db/queries/terms';
import {
  agreementNumberTaken, applicationById, applicationsOfCall, callById, createCall, createPartner, decide, listCalls, listPartners,
  partnerById, quotaUse, setPoints, updatePartner, agreementNumberTakenByOther, updateCall,
} from '../../db/queries/mobility';
import { callOpen } from '../domain/mobility-call';
import { formatDay } from '../../views/format';
import { PROGRAMMES } from '../../db/schema';
import { changePlacement, createPlacement, placementById, placementOfApplication } from '../../db/queries/mobility-placements';
import { parseWeights, rankCandidates, type ScoreWeights } from '../domain/mobility-score';
import { candidateRecord } from '../mobility/candidate-record';
import { mobilityAdminPage } from '../../views/mobility/admin';
import { mobilityCallPage, type FacultyCandidates } from '../../views/mobility/call';
import { t } from '../../views/mobility/strings';
import type { Notice } from '../../views/layout/notice';
import { registerNav } from '../../views/layout/nav';

registerNav({ href: '/admin/mobility', label: { en: 'Mobility', ru: 'Мобильность' }, roles: ['admin'], order: 52 });

const Name = z.string().trim().min(2).max(300);
const Weight = z.coerce.number().min(0).max(100);
const Points = z.coerce.number().int().min(0).max(100);
const PartnerBody = z.object({
  nameOriginal: Name, nameRu: Name, nameEn: Name, country: z.string().trim().toUpperCase().regex(/^[A-Z]{2}$/),
  agreementNumber: requiredText(40), agreementFrom: Day, agreementTo: z.union([z.literal(''), Day]).optional().transform((v) => v || null),
}).refine((b) => b.agreementTo === null || b.agreementTo > b.agreementFrom, { path: ['agreementTo'] });
const Places = z.coerce.number().int().min(0).max(100);
/** The day before a university-local day (UTC arithmetic on dates): closing a call ends its applications yesterday. */
const dayBefore = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

export default async function adminMobilityRoutes(app: FastifyInstance) {
  const actor = (req: FastifyRequest) => ({ id: req.user!.id, role: 'admin', ip: req.ip });

  const showOverview = async (req: FastifyRequest, reply: FastifyReply, o: Notice = {}, status = 200) => {
    const scope = adminFacultiesOr404(req.user);
    const faculties = (await facultyChoices(app.store, 'all')).map((f) => ({ id: f.id, nameRu: f.label, nameEn: f.labelEn ?? f.label }));
    const data = {
      partners: await listPartners(app.store), calls: await listCalls(app.store), quotaUse: await quotaUse(app.store, scope),
      faculties, university: mayKeepMobilityCatalogue(req.user),
    };
    return reply.code(status).type('text/html').send(mobilityAdminPage(viewCtx(req), data, o).value);
  };

  app.get('/admin/mobility', async (req, reply) => {
    const done = doneKey(req, ['partnerAdded', 'callOpened', 'partnerSaved', 'partnerClosed', 'callSaved', 'callClosed'] as const);
    return showOverview(req, reply, done ? { message: t(req.lang, done) } : {});
  });

  app.post('/admin/mobility/partners', async (req, reply) => {
    adminFacultiesOr404(req.user);
    if (!mayKeepMobilityCatalogue(req.user)) return showOverview(req, reply, { error: t(req.lang, 'onlyUniversity') }, 403);
    const body = PartnerBody.safeParse(req.body ?? {});
    if (!body.success) return showOverview(req, reply, { error: t(req.lang, 'invalid', { fields: fieldsOf(body.error) }) }, 422);
    if (await agreementNumberTaken(app.store, body.data.agreementNumber)) {
      return showOverview(req, reply, { error: t(req.lang, 'agreementTaken', { no: body.data.agreementNumber }) }, 422);
    }
    return seeOther(reply, await once(app.store, req, withDone('/admin/mobility', 'partnerAdded'), (tx) => createPartner(tx, body.data, actor(req), app.clock())));
  });

  app.post('/admin/mobility/calls', async (req, reply) => {
    adminFacultiesOr404(req.user);
    if (!mayKeepMobilityCatalogue(req.user)) return showOverview(req, reply, { error: t(req.lang, 'onlyUniversity') }, 403);
    const raw = (req.body ?? {}) as Record<string, unknown>;
    const body = z.object({
      partnerId: Id, fromDate: Day, toDate: Day, deadline: Day, programme: z.enum(PROGRAMMES), year: z.coerce.number().int().min(1).max(7),
      w_average: Weight, w_ratings: Weight, w_unexcusedAbsence: Weight, w_openDebt: Weight, w_activity: Weight, w_achievements: Weight,
      w_maxOpenDebts: z.union([z.literal(''), z.coerce.number().int().min(0).max(20)]).optional(),
    }).safeParse(raw);
    if (!body.success) return showOverview(req, reply, { error: t(req.lang, 'invalid', { fields: fieldsOf(body.error) }) }, 422);
    const b = body.data;
    const partner = await partnerById(app.store, b.partnerId);
    if (!partner) return showOverview(req, reply, { error: t(req.lang, 'invalid', { fields: 'partnerId' }) }, 422);
    // A closed (or expiring) agreement sends nobody: the placement must end within it.
    if (partner.agreementTo !== null && partner.agreementTo < b.toDate) {
      return showOverview(req, reply, { error: t(req.lang, 'agreementEnded', { date: formatDay(partner.agreementTo, req.lang) }) }, 422);
    }
    if (b.toDate < b.fromDate || b.deadline >= b.fromDate) return showOverview(req, reply, { error: t(req.lang, 'badDates') }, 422);
    const quotas: { facultyId: number; places: number }[] = [];
    for (const f of await facultyChoices(app.store, 'all')) {
      const places = z.coerce.number().int().min(0).max(100).safeParse(raw[`places_${f.id}`] ?? 0);
      if (!places.success) return showOverview(req, reply, { error: t(req.lang, 'invalid', { fields: `places_${f.id}` }) }, 422);
      if (places.data > 0) quotas.push({ facultyId: f.id, places: places.data });
    }
    if (quotas.length === 0) return showOverview(req, reply, { error: t(req.lang, 'noPlaces') }, 422);
    const weights: ScoreWeights = {
      average: b.w_average, ratings: b.w_ratings, unexcusedAbsence: b.w_unexcusedAbsence, openDebt: b.w_openDebt,
      activity: b.w_activity, achievements: b.w_achievements, maxOpenDebts: b.w_maxOpenDebts === '' || b.w_maxOpenDebts === undefined ? null : b.w_maxOpenDebts,
    };
    const call = { partnerId: b.partnerId, fromDate: b.fromDate, toDate: b.toDate, programme: b.programme, year: b.year, deadline: b.deadline, weights: JSON.stringify(weights) };
    return seeOther(reply, await once(app.store, req, withDone('/admin/mobility', 'callOpened'), (tx) => createCall(tx, call, quotas, actor(req), app.clock())));
  });

  // ---------- the administration edits and closes partners and calls ----------
  const catalogueOr404 = (req: FastifyRequest) => {
    adminFacultiesOr404(req.user);
    return mayKeepMobilityCatalogue(req.user);
  };
  const partnerOr404 = async (req: FastifyRequest) => {
    const p = z.object({ partnerId: Id }).safeParse(req.params);
    const partner = p.success ? await partnerById(app.store, p.data.partnerId) : undefined;
    if (!partner) throw notFound();
    return partner;
  };

  app.post('/admin/mobility/partners/:partnerId', async (req, reply) => {
    const university = catalogueOr404(req);
    const before = await partnerOr404(req);
    if (!university) return showOverview(req, reply, { error: t(req.lang, 'onlyUniversity') }, 403);
    const body = PartnerBody.safeParse(req.body ?? {});
    if (!body.success) return showOverview(req, reply, { error: t(req.lang, 'invalid', { fields: fieldsOf(body.error) }) }, 422);
    if (await agreementNumberTakenByOther(app.store, body.data.agreementNumber, before.id)) {
      return showOverview(req, reply, { error: t(req.lang, 'agreementTaken', { no: body.data.agreementNumber }) }, 422);
    }
    return seeOther(reply, await once(app.store, req, withDone('/admin/mobility', 'partnerSaved'), (tx) => updatePartner(tx, before, body.data, 'edit', actor(req), app.clock())));
  });

  app.post('/admin/mobility/partners/:partnerId/close', async (req, reply) => {
    const university = catalogueOr404(req);
    const before = await partnerOr404(req);
    if (!university) return showOverview(req, reply, { error: t(req.lang, 'onlyUniversity') }, 403);
    const today = viewCtx(req).today;
    if (before.agreementTo !== null && before.agreementTo <= today) return showOverview(req, reply, { error: t(req.lang, 'partnerClosedAlready') }, 409);
    if (before.agreementFrom >= today) return showOverview(req, reply, { error: t(req.lang, 'partnerNotStarted') }, 409);
    const { id: _id, ...p } = before;
    return seeOther(reply, await once(app.store, req, withDone('/admin/mobility', 'partnerClosed'), (tx) => updatePartner(tx, before, { ...p, agreementTo: today }, 'close', actor(req), app.clock())));
  });

  const callOr404 = async (req: FastifyRequest) => {
    const p = z.object({ callId: Id }).safeParse(req.params);
    const call = p.success ? await callById(app.store, p.data.callId) : undefined;
    if (!call) throw notFound();
    return call;
  };

  app.post('/admin/mobility/calls/:callId', async (req, reply) => {
    const university = catalogueOr404(req);
    const call = await callOr404(req);
    if (!university) return showOverview(req, reply, { error: t(req.lang, 'onlyUniversity') }, 403);
    const raw = (req.body ?? {}) as Record<string, unknown>;
    const body = z.object({ fromDate: Day, toDate: Day, deadline: Day }).safeParse(raw);
    if (!body.success) return showOverview(req, reply, { error: t(req.lang, 'invalid', { fields: fieldsOf(body.error) }) }, 422);
    const b = body.data;
    if (b.toDate < b.fromDate || b.deadline >= b.fromDate) return showOverview(req, reply, { error: t(req.lang, 'badDates') }, 422);
    const partner = (await partnerById(app.store, call.partnerId))!;
    if (partner.agreementTo !== null && partner.agreementTo < b.toDate) {
      return showOverview(req, reply, { error: t(req.lang, 'agreementEnded', { date: formatDay(partner.agreementTo, req.lang) }) }, 422);
    }
    const quotas: { facultyId: number; places: number }[] = [];
    for (const f of await facultyChoices(app.store, 'all')) {
      const had = call.quotas.find((q) => q.facultyId === f.id);
      const places = Places.safeParse(raw[`places_${f.id}`] ?? had?.places ?? 0);
      if (!places.success) return showOverview(req, reply, { error: t(req.lang, 'invalid', { fields: `places_${f.id}` }) }, 422);
      // Places never drop below the students already selected, and a faculty with applicants keeps its quota.
      if (had && (places.data < had.selected || (places.data === 0 && had.applicants > 0))) {
        return showOverview(req, reply, { error: t(req.lang, 'placesBelowTaken', { faculty: req.lang === 'ru' ? had.nameRu : had.nameEn, n: Math.max(had.selected, 1) }) }, 422);
      }
      if (had || places.data > 0) quotas.push({ facultyId: f.id, places: places.data });
    }
    if (!quotas.some((q) => q.places > 0)) return showOverview(req, reply, { error: t(req.lang, 'noPlaces') }, 422);
    return seeOther(reply, await once(app.store, req, withDone('/admin/mobility', 'callSaved'), (tx) => updateCall(tx, call, b, quotas, 'edit', actor(req), app.clock())));
  });

  app.post('/admin/mobility/calls/:callId/close', async (req, reply) => {
    const university = catalogueOr404(req);
    const call = await callOr404(req);
    if (!university) return showOverview(req, reply, { error: t(req.lang, 'onlyUniversity') }, 403);
    const today = viewCtx(req).today;
    if (!callOpen(call, today)) return showOverview(req, reply, { error: t(req.lang, 'callClosedAlready') }, 409);
    const dates = { fromDate: call.fromDate, toDate: call.toDate, deadline: dayBefore(today) };
    const quotas = call.quotas.map((q) => ({ facultyId: q.facultyId, places: q.places }));
    return seeOther(reply, await once(app.store, req, withDone('/admin/mobility', 'callClosed'), (tx) => updateCall(tx, call, dates, quotas, 'close', actor(req), app.clock())));
  });

  /** The call's candidates from the faculties this admin covers (a dean's office: its own only), ranked. */
  const showCall = async (req: FastifyRequest, reply: FastifyReply, callId: number, o: Notice = {}, status = 200) => {
    const scope = adminFacultiesOr404(req.user);
    const call = await callById(app.store, callId);
    if (!call) throw notFound();
    const ctx = viewCtx(req);
    const term = await currentTerm(app.store, ctx.today);
    const weights = parseWeights(call.weights);
    const applications = await applicationsOfCall(app.store, callId, scope);
    const faculties: FacultyCandidates[] = [];
    for (const q of call.quotas.filter((x) => scope === 'all' || scope.includes(x.facultyId))) {
      const mine = applications.filter((a) => a.facultyId === q.facultyId);
      const facts = [];
      for (const a of mine) {
        const record = term ? await candidateRecord(app.store, a.studentId, term.id, ctx.today) : { average: null, ratings: null, unexcusedAbsences: 0, openDebts: 0 };
        facts.push({ ...record, applicationId: a.id, appliedAt: a.appliedAt, activityPoints: a.activityPoints, achievementPoints: a.achievementPoints });
      }
      const byId = new Map(mine.map((a) => [a.id, a]));
      const placements = new Map();
      for (const a of mine) if (a.decision === 'selected') placements.set(a.id, await placementOfApplication(app.store, a.id));
      faculties.push({ facultyId: q.facultyId, nameRu: q.nameRu, nameEn: q.nameEn, places: q.places,
        ranked: rankCandidates(facts, weights).map((score) => ({ score, application: byId.get(score.applicationId)!, placement: placements.get(score.applicationId) ?? null })) });
    }
    return reply.code(status).type('text/html').send(mobilityCallPage(ctx, call, faculties, o).value);
  };

  app.get('/admin/mobility/calls/:callId', async (req, reply) => {
    const p = z.object({ callId: Id }).safeParse(req.params);
    if (!p.success) throw notFound();
    const done = doneKey(req, ['pointsSaved', 'decided', 'placementCreated', 'placementChanged'] as const);
    return showCall(req, reply, p.data.callId, done ? { message: t(req.lang, done) } : {});
  });

  /** The application, if this admin decides on it: another faculty's is as good as missing. */
  const applicationOr404 = async (req: FastifyRequest) => {
    adminFacultiesOr404(req.user);
    const p = z.object({ applicationId: Id }).safeParse(req.params);
    const a = p.success ? await applicationById(app.store, p.data.applicationId) : undefined;
    if (!a || !mayDecideApplication(req.user, a)) throw notFound();
    return a;
  };

  app.post('/admin/mobility/applications/:applicationId/points', async (req, reply) => {
    const a = await applicationOr404(req);
    const body = z.object({ activityPoints: Points, achievementPoints: Points, note: z.string().trim().min(3).max(500) }).safeParse(req.body ?? {});
    if (!body.success) {
      const fields = fieldsOf(body.error);
      return showCall(req, reply, a.callId, { error: fields === 'note' ? t(req.lang, 'noteRequired') : t(req.lang, 'invalid', { fields }) }, 422);
    }
    const back = withDone(`/admin/mobility/calls/${a.callId}`, 'pointsSaved');
    return seeOther(reply, await once(app.store, req, back, (tx) => setPoints(tx, a, body.data, actor(req), app.clock())));
  });

  app.post('/admin/mobility/applications/:applicationId/decision', async (req, reply) => {
    const a = await applicationOr404(req);
    const body = z.object({ decision: z.enum(['selected', 'waitlisted', 'declined']), reason: z.string().trim().min(3).max(500) }).safeParse(req.body ?? {});
    if (!body.success) {
      const fields = fieldsOf(body.error);
      return showCall(req, reply, a.callId, { error: fields === 'reason' ? t(req.lang, 'reasonRequired') : t(req.lang, 'invalid', { fields }) }, 422);
    }
    const call = (await callById(app.store, a.callId))!;
    const back = withDone(`/admin/mobility/calls/${a.callId}`, 'decided');
    try {
      return seeOther(reply, await once(app.store, req, back, async (tx) => {
        const outcome = await decide(tx, a, call, body.data, actor(req), app.clock());
        if (outcome !== 'ok') throw new FormRefused(outcome);
      }));
    } catch (e) {
      if (!(e instanceof FormRefused)) throw e;
      return showCall(req, reply, a.callId, { error: t(req.lang, e.message === 'full' ? 'quotaFull' : 'cancelPlacementFirst') }, 409);
    }
  });

  app.post('/admin/mobility/applications/:applicationId/placement', async (req, reply) => {
    const a = await applicationOr404(req);
    const body = z.object({ fromDate: Day, toDate: Day, orderNumber: requiredText(60) }).safeParse(req.body ?? {});
    if (!body.success) return showCall(req, reply, a.callId, { error: t(req.lang, 'invalid', { fields: fieldsOf(body.error) }) }, 422);
    if (body.data.toDate < body.data.fromDate) return showCall(req, reply, a.callId, { error: t(req.lang, 'badPlacementDates') }, 422);
    const called = (await callById(app.store, a.callId))!;
    // The call's period bounds the excusal: a typo in a year must not excuse a student from a whole term.
    if (body.data.fromDate < called.fromDate || body.data.toDate > called.toDate) {
      return showCall(req, reply, a.callId, { error: t(req.lang, 'placementOutsideCall', { from: formatDay(called.fromDate, req.lang), to: formatDay(called.toDate, req.lang) }) }, 422);
    }
    if (a.decision !== 'selected') return showCall(req, reply, a.callId, { error: t(req.lang, 'onlySelected') }, 409);
    if (await placementOfApplication(app.store, a.id)) return showCall(req, reply, a.callId, { error: t(req.lang, 'placementExists') }, 409);
    const call = (await callById(app.store, a.callId))!;
    const p = { applicationId: a.id, studentId: a.studentId, partnerId: call.partnerId, partnerRu: call.partnerRu, partnerEn: call.partnerEn, ...body.data };
    const back = withDone(`/admin/mobility/calls/${a.callId}`, 'placementCreated');
    return seeOther(reply, await once(app.store, req, back, (tx) => createPlacement(tx, p, actor(req), app.clock())));
  });

  app.post('/admin/mobility/placements/:placementId', async (req, reply) => {
    adminFacultiesOr404(req.user);
    const id = z.object({ placementId: Id }).safeParse(req.params);
    const p = id.success ? await placementById(app.store, id.data.placementId) : undefined;
    if (!p || !mayDecideApplication(req.user, p)) throw notFound();
    const callId = (await applicationById(app.store, p.applicationId))!.callId;
    const body = z.object({ action: z.enum(['shorten', 'cancel']), fromDate: Day.optional(), toDate: Day.optional(), reason: z.string().trim().min(3).max(500) }).safeParse(req.body ?? {});
    if (!body.success) {
      const fields = fieldsOf(body.error);
      return showCall(req, reply, callId, { error: fields === 'reason' ? t(req.lang, 'reasonRequired') : t(req.lang, 'invalid', { fields }) }, 422);
    }
    const b = body.data;
    if (p.cancelledAt !== null) return showCall(req, reply, callId, { error: t(req.lang, 'invalid', { fields: 'placementId' }) }, 409);
    let change: Parameters<typeof changePlacement>[2] = { kind: 'cancel' };
    if (b.action === 'shorten') {
      // Shortening only: the new dates lie within the old ones, so no lesson becomes excused that was not.
      if (!b.fromDate || !b.toDate || b.toDate < b.fromDate || b.fromDate < p.fromDate || b.toDate > p.toDate) {
        return showCall(req, reply, callId, { error: t(req.lang, 'badPlacementDates') }, 422);
      }
      change = { kind: 'shorten', fromDate: b.fromDate, toDate: b.toDate };
    }
    const back = withDone(`/admin/mobility/calls/${callId}`, 'placementChanged');
    return seeOther(reply, await once(app.store, req, back, (tx) => changePlacement(tx, p, change, b.reason, actor(req), app.clock())));
  });
}
