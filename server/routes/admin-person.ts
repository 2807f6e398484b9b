import { doneKey, earlierOutcome, formTokenOf, FormRefused, once, seeOther, withDone } from '../prg';
import { spendFormToken } from '../../db/queries/form-tokens';
import { keepLink, keptLink } from '../people/one-time-link';
import { t as tp } from '../../views/people/strings';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { viewCtx } from '../plugins/request-context';
import { notFound } from '../http-error';
import { guardianRefusal } from '../policy';
import { Day, Id, LatinName, OptionalId, Version, optionalText, requiredText, fieldsOf } from '../forms';
import { createPasswordReset } from '../../db/queries/people';
import { personDetails,
  rolesOf, membershipsOf, childrenOf, createPerson, updatePerson, emailTaken, recordBookHolder, grantRole, hasGrant, revokeRole,
  moveStudent, recordGuardianLink, type NewPerson,
} from '../../db/queries/admin-people';
import { adminChoices, sendPersonCard, personOr404, managedPersonOr403 } from '../people/card';
import { userByEmail } from '../../db/queries/users';
import { newPersonPage } from '../../views/people/person';
import { t } from '../../views/people/person-strings';
import type { Lang } from '../../db/schema';

const Details = z.object({
  email: z.string().trim().toLowerCase().max(200).pipe(z.email()),
  surname: requiredText(100),
  givenName: requiredText(100),
  patronymic: optionalText(100),
  nameLatin: LatinName,
  recordBook: optionalText(30),
  country: optionalText(60),
  lang: z.enum(['ru', 'en']).default('ru'),
});
const Reason = z.string().trim().min(3).max(300);

/** "Check: email." — and what a Latin name may hold when that is what was wrong: the rule is not obvious. */
function detailsRefusal(lang: Lang, ...errors: (z.ZodError | null)[]): string {
  const fields = errors.filter((e): e is z.ZodError => !!e).map(fieldsOf).join(', ');
  const latin = errors.some((e) => e?.issues.some((i) => i.path[0] === 'nameLatin'));
  return [t(lang, 'invalid', { fields }), latin ? t(lang, 'latinName') : ''].filter(Boolean).join(' ');
}

/**
 * The dean's office's card of one person: details, role grants, dated group membership and guardian
 * links. A faculty's office reaches only people tied to its faculty and grants only inside it; only
 * the university administration creates administrators. Nobody edits their own roles here.
 */
export default async function adminPersonRoutes(app: FastifyInstance) {
  const choices = adminChoices;
  const actor = (req: FastifyRequest) => ({ id: req.user!.id, role: 'admin', ip: req.ip });
  // Every change below goes through managedPersonOr403: seeing a card is not enough to act on it.
  const personId = managedPersonOr403;
  const show = sendPersonCard;
  const resetToken = async (req: FastifyRequest, userId: number) => createPasswordReset(app.store, userId, actor(req), app.clock());

  app.get('/admin/people/new', async (req, reply) => reply.type('text/html').send(newPersonPage(viewCtx(req), await choices(req), {}).value));

  app.post('/admin/people', async (req, reply) => {
    const c = await choices(req);
    const raw = (req.body ?? {}) as Record<string, unknown>;
    const first = z.object({ role: z.enum(['student', 'teacher', 'admin']), groupId: OptionalId, departmentId: OptionalId, facultyId: OptionalId, fromDate: z.union([z.literal(''), Day]).default('') }).safeParse(raw);
    const details = Details.safeParse(raw);
    const fail = (error: string, status = 422) => reply.code(status).type('text/html').send(newPersonPage(viewCtx(req), c, { ...(raw as Partial<NewPerson>), ...(first.success ? first.data : {}) } as Parameters<typeof newPersonPage>[2], { error }).value);
    if (!details.success || !first.success) return fail(detailsRefusal(req.lang, details.error ?? null, first.error ?? null));
    const d = details.data;
    const f = first.data;
    const earlier = await earlierOutcome(app.store, req);
    if (earlier) return seeOther(reply, earlier);
    if (await emailTaken(app.store, d.email)) return fail(t(req.lang, 'emailTaken', { email: d.email }));
    const holder = await recordBookHolder(app.store, d.recordBook);
    if (holder) return fail(t(req.lang, 'recordBookTaken', { number: d.recordBook!, ...holder }));
    // Every choice must be one the form offered: that list is the admin's scope.
    if (f.role === 'student' && (!f.groupId || !f.fromDate)) return fail(t(req.lang, 'invalid', { fields: 'groupId, fromDate' }));
    if (f.role === 'student' && !c.groups.some((g) => g.id === f.groupId)) return fail(t(req.lang, 'notYourScope'), 403);
    if (f.role === 'teacher' && !f.departmentId) return fail(t(req.lang, 'needDepartment'));
    if (f.role === 'teacher' && !c.departments.some((x) => x.id === f.departmentId)) return fail(t(req.lang, 'notYourScope'), 403);
    if (f.role === 'admin' && (!c.canGrantAdmin || (f.facultyId && !c.faculties.some((x) => x.id === f.facultyId)))) return fail(t(req.lang, 'onlyUniversityAdmin'), 403);
    const now = app.clock();
    let id: number | null = null;
    const where = await once(app.store, req, (newId: number) => withDone(`/admin/people/${newId}`, 'created'), async (tx) => {
      const newId = await createPerson(tx, d, actor(req), now);
      if (f.role === 'student') await moveStudent(tx, newId, f.groupId, f.fromDate, 'enrolment', actor(req), now);
      else await grantRole(tx, newId, { role: f.role, facultyId: f.role === 'admin' ? f.facultyId : null, departmentId: f.role === 'teacher' ? f.departmentId : null }, actor(req), now);
      return (id = newId);
    });
    // A repeat that lost the race was rolled back (no account): it shows the first one's card, without a new link.
    if (id !== null && !where.includes('again=1')) keepLink(req, reply, id, id, await resetToken(req, id));
    return seeOther(reply, where);
  });

  app.get('/admin/people/:userId', async (req, reply) => {
    const id = await personOr404(req);
    const done = doneKey(req, ['saved', 'moved', 'linkRecorded', 'created', 'guardianNew', 'linkCreated'] as const);
    const link = done === 'created' || done === 'guardianNew' || done === 'linkCreated' ? await keptLink(req, id) : null;
    if (done === 'created' || done === 'guardianNew' || done === 'linkCreated') {
      // The one-time link is shown while this browser keeps it; without it, only that it was made.
      const email = (await personDetails(app.store, id))?.email ?? '';
      if (!link) return show(req, reply, id, {});
      return show(req, reply, id, done === 'linkCreated' ? { message: tp(req.lang, 'linkCreated', { email, url: link }) } : { message: t(req.lang, done, { email }), link });
    }
    return show(req, reply, id, done ? { message: t(req.lang, done) } : {});
  });
  /** A change made on the card answers 303 to the card, with what it says (Post/Redirect/Get). */
  const toCard = (reply: FastifyReply, id: number, key: 'saved' | 'moved' | 'linkRecorded') => seeOther(reply, withDone(`/admin/people/${id}`, key));

  app.post('/admin/people/:userId', async (req, reply) => {
    const id = await personId(req);
    const raw = (req.body ?? {}) as Record<string, unknown>;
    const body = Details.extend({ version: Version }).safeParse(raw);
    if (!body.success) return show(req, reply, id, { error: detailsRefusal(req.lang, body.error) }, 422, raw as Partial<NewPerson>);
    const { version, ...d } = body.data;
    if (await emailTaken(app.store, d.email, id)) return show(req, reply, id, { error: t(req.lang, 'emailTaken', { email: d.email }) }, 422, d);
    const holder = await recordBookHolder(app.store, d.recordBook, id);
    if (holder) return show(req, reply, id, { error: t(req.lang, 'recordBookTaken', { number: d.recordBook!, ...holder }) }, 422, d);
    if (!(await updatePerson(app.store, id, version, d, actor(req), app.clock()))) return show(req, reply, id, { error: t(req.lang, 'stale') }, 409);
    return toCard(reply, id, 'saved');
  });

  app.post('/admin/people/:userId/roles', async (req, reply) => {
    const id = await personId(req);
    const c = await choices(req);
    const body = z.object({ role: z.enum(['student', 'teacher', 'guardian', 'admin']), departmentId: OptionalId, facultyId: OptionalId }).safeParse(req.body ?? {});
    if (!body.success) return show(req, reply, id, { error: t(req.lang, 'invalid', { fields: fieldsOf(body.error) }) }, 422);
    const b = body.data;
    if (b.role === 'student' || b.role === 'guardian') return show(req, reply, id, { error: t(req.lang, 'roleViaOther') }, 422);
    if (b.role === 'admin' && (!c.canGrantAdmin || (b.facultyId && !c.faculties.some((x) => x.id === b.facultyId)))) return show(req, reply, id, { error: t(req.lang, 'onlyUniversityAdmin') }, 403);
    if (b.role === 'teacher' && !b.departmentId) return show(req, reply, id, { error: t(req.lang, 'needDepartment') }, 422);
    if (b.role === 'teacher' && !c.departments.some((x) => x.id === b.departmentId)) return show(req, reply, id, { error: t(req.lang, 'notYourScope') }, 403);
    const grant = { role: b.role, facultyId: b.role === 'admin' ? b.facultyId : null, departmentId: b.role === 'teacher' ? b.departmentId : null };
    const earlier = await earlierOutcome(app.store, req);
    if (earlier) return seeOther(reply, earlier);
    if (await hasGrant(app.store, id, grant)) return show(req, reply, id, { error: t(req.lang, 'alreadyHas') }, 422);
    return seeOther(reply, await once(app.store, req, withDone(`/admin/people/${id}`, 'saved'), (tx) => grantRole(tx, id, grant, actor(req), app.clock())));
  });

  app.post('/admin/people/:userId/roles/:roleId/revoke', async (req, reply) => {
    const id = await personId(req);
    const c = await choices(req);
    const earlier = await earlierOutcome(app.store, req);
    if (earlier) return seeOther(reply, earlier);
    const p = z.object({ roleId: Id }).safeParse(req.params);
    const role = p.success ? (await rolesOf(app.store, id)).find((r) => r.id === p.data.roleId) : undefined;
    if (!role) throw notFound();
    const reason = Reason.safeParse((req.body as { reason?: unknown } | undefined)?.reason);
    if (!reason.success) return show(req, reply, id, { error: t(req.lang, 'invalid', { fields: 'reason' }) }, 422);
    if (role.role === 'admin' && !c.canGrantAdmin) return show(req, reply, id, { error: t(req.lang, 'onlyUniversityAdmin') }, 403);
    if (role.role === 'teacher' && role.departmentId && !c.departments.some((x) => x.id === role.departmentId)) return show(req, reply, id, { error: t(req.lang, 'notYourScope') }, 403);
    if (role.role === 'student' && (await membershipsOf(app.store, id)).some((m) => !m.toDate)) return show(req, reply, id, { error: t(req.lang, 'endMembershipFirst') }, 422);
    if (role.role === 'guardian' && (await childrenOf(app.store, id)).length) return show(req, reply, id, { error: t(req.lang, 'revokeLinksFirst') }, 422);
    return seeOther(reply, await once(app.store, req, withDone(`/admin/people/${id}`, 'saved'), (tx) => revokeRole(tx, id, role.id, reason.data, actor(req), app.clock())));
  });

  app.post('/admin/people/:userId/group', async (req, reply) => {
    const id = await personId(req);
    const c = await choices(req);
    const earlier = await earlierOutcome(app.store, req);
    if (earlier) return seeOther(reply, earlier);
    const body = z.object({ groupId: OptionalId, fromDate: Day, reason: Reason }).safeParse(req.body ?? {});
    if (!body.success) return show(req, reply, id, { error: t(req.lang, 'invalid', { fields: fieldsOf(body.error) }) }, 422);
    const b = body.data;
    if (b.groupId !== null && !c.groups.some((g) => g.id === b.groupId)) return show(req, reply, id, { error: t(req.lang, 'notYourScope') }, 403);
    // Leaving a group of another faculty is that faculty's decision.
    const open = (await membershipsOf(app.store, id)).find((m) => !m.toDate);
    if (open && !c.groups.some((g) => g.id === open.groupId)) return show(req, reply, id, { error: t(req.lang, 'notYourScope') }, 403);
    const where = await once(app.store, req, withDone(`/admin/people/${id}`, 'moved'), async (tx) => {
      const r = await moveStudent(tx, id, b.groupId, b.fromDate, b.reason, actor(req), app.clock());
      if (r !== 'ok') throw new FormRefused(t(req.lang, r, { date: open?.fromDate ?? '' })); // the token too rolls back
    }).catch((e: unknown) => (e instanceof FormRefused ? e : Promise.reject(e)));
    if (where instanceof FormRefused) return show(req, reply, id, { error: where.message }, 422);
    return seeOther(reply, where);
  });

  app.post('/admin/people/:userId/guardians', async (req, reply) => {
    const id = await personId(req);
    if (!(await membershipsOf(app.store, id)).length) throw notFound();
    const earlier = await earlierOutcome(app.store, req);
    if (earlier) return seeOther(reply, earlier);
    const body = z.object({
      email: z.string().trim().toLowerCase().max(200).pipe(z.email()), surname: optionalText(100), givenName: optionalText(100),
      scope: z.enum(['full', 'attendance']), consentNote: Reason,
    }).safeParse(req.body ?? {});
    if (!body.success) return show(req, reply, id, { error: t(req.lang, 'invalid', { fields: fieldsOf(body.error) }) }, 422);
    const b = body.data;
    const now = app.clock();
    // The account is looked up and judged in the transaction that links it: a role granted to it in
    // between must not slip past the refusal.
    const r = await app.store.tx(async (tx) => {
      const existing = await userByEmail(tx, b.email);
      if (existing?.id === id) return { error: t(req.lang, 'selfLink') };
      // Only a family account (or a new one) becomes a guardian: the link must not pull an administrator's,
      // a teacher's or a student's account into the office's reach.
      const refusal = await guardianRefusal(tx, existing?.id ?? null, 'dean');
      if (refusal) return { error: t(req.lang, refusal, { email: b.email }) };
      if (!existing && (!b.surname || !b.givenName)) return { error: t(req.lang, 'invalid', { fields: 'surname, givenName' }) };
      const gid = existing?.id ?? await createPerson(tx, { email: b.email, surname: b.surname!, givenName: b.givenName!, patronymic: null, recordBook: null, country: null, lang: req.lang }, actor(req), now);
      await recordGuardianLink(tx, id, gid, b.scope, b.consentNote, actor(req), now);
      // The form's token is spent with the link: sent again, it shows this outcome instead of a second link.
      const token = formTokenOf(req);
      if (token) await spendFormToken(tx, req.user!.id, token, withDone(`/admin/people/${id}`, existing ? 'linkRecorded' : 'guardianNew'), now);
      return { guardianId: gid, existing: !!existing };
    });
    if ('error' in r) return show(req, reply, id, { error: r.error }, 422);
    if (r.existing) return toCard(reply, id, 'linkRecorded');
    keepLink(req, reply, id, r.guardianId, await resetToken(req, r.guardianId));
    return seeOther(reply, withDone(`/admin/people/${id}`, 'guardianNew'));
  });
}
