import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Id } from '../params';
import { cookieOptions, viewCtx } from '../plugins/request-context';
import { doneKey, earlierOutcome, FormRefused, once, seeOther, withDone } from '../prg';
import { allowed, guardianRefusal, requireOr404 } from '../policy';
import { notFound } from '../http-error';
import { linksOfStudent, viewsOfStudent, createPairingCode, redeemPairingCode, updateLink, pairingCodeIsLive } from '../../db/queries/guardians';
import { guardiansPage, linkPage } from '../../views/guardians/pages';
import { guardianMailStates } from '../../db/queries/mail';
import { translateKey } from '../../views/translate';
import { t } from '../../views/guardians/strings';
import { registerNav } from '../../views/layout/nav';

registerNav({ href: '/guardians', label: { en: 'Parents', ru: 'Родители' }, roles: ['student'], order: 30 });
registerNav({ href: '/guardian/link', label: { en: 'Link a child', ru: 'Привязать ребёнка' }, roles: ['guardian'], order: 31 });

const Scope = z.enum(['full', 'attendance']);

/** The student themself, or the dean's office covering them, manages who may see the record. */
async function managedStudent(req: FastifyRequest): Promise<number> {
  const p = z.object({ studentId: Id }).safeParse(req.params);
  if (!p.success) throw notFound();
  await requireOr404(req, { do: 'student.manageLinks', studentId: p.data.studentId });
  return p.data.studentId;
}

const CODE_COOKIE = 'zpaircode';

/** The pairing code this browser just created for the student, while it can still be redeemed. */
async function shownCode(req: FastifyRequest, studentId: number): Promise<string | null> {
  const code = req.cookies[CODE_COOKIE];
  if (!code || !/^[A-Z0-9-]{4,20}$/.test(code)) return null;
  return (await pairingCodeIsLive(req.server.store, studentId, code, req.server.clock())) ? code : null;
}

const actorOf = (req: FastifyRequest, studentId: number) => ({ id: req.user!.id, role: req.user!.id === studentId ? 'student' : 'admin', ip: req.ip });

export default async function guardianRoutes(app: FastifyInstance) {
  const show = async (req: FastifyRequest, studentId: number, o: { code?: string; message?: string; error?: string } = {}) => {
    await app.visits.flush(); // this process's views not yet written: the student sees every one
    const [links, views] = await Promise.all([linksOfStudent(app.store, studentId), viewsOfStudent(app.store, studentId)]);
    // Whether each parent can be reached by e-mail: the dean's office (and the student) see it by the link.
    const mail = app.mail ? await guardianMailStates(app.store, links.map((l) => l.guardianId)) : null;
    return guardiansPage(viewCtx(req), studentId, links, views, o, mail).value;
  };

  app.get('/guardians', async (req, reply) => {
    if (!req.user || !(await allowed(req, { do: 'student.self' }))) throw notFound();
    return reply.redirect(`/students/${req.user.id}/guardians`, 303);
  });

  app.get('/students/:studentId/guardians', async (req, reply) => {
    if (!req.user) return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 303);
    const studentId = await managedStudent(req);
    const done = doneKey(req, ['done'] as const);
    const code = await shownCode(req, studentId);
    return reply.type('text/html').send(await show(req, studentId, { code: code ?? undefined, message: done && t(req.lang, done) }));
  });

  // The forms' addresses opened directly (a reload, a bookmark, a language switch of a 422 answer).
  for (const sub of ['codes', ':linkId', ':linkId/revoke']) {
    app.get(`/students/:studentId/guardians/${sub}`, async (req, reply) => {
      if (!req.user) return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 303);
      return seeOther(reply, `/students/${await managedStudent(req)}/guardians`);
    });
  }

  app.post('/students/:studentId/guardians/codes', async (req, reply) => {
    const studentId = await managedStudent(req);
    const body = z.object({ scope: Scope }).safeParse(req.body ?? {});
    if (!body.success) return reply.code(422).type('text/html').send(await show(req, studentId, { error: translateKey(req.lang, 'invalidInput', { fields: 'scope' }) }));
    let code: string | null = null;
    const where = await once(app.store, req, `/students/${studentId}/guardians`, async (tx) => {
      code = await createPairingCode(tx, studentId, body.data.scope, actorOf(req, studentId), app.clock());
    });
    // The code is shown once, but "once" is this browser's next views of the page (a reload, the other
    // language) until it is used or an hour passes: it rides in a cookie only this page receives.
    if (code) reply.setCookie(CODE_COOKIE, code, { ...cookieOptions(app, 3600), path: `/students/${studentId}/guardians` });
    return seeOther(reply, where);
  });

  app.post('/students/:studentId/guardians/:linkId', async (req, reply) => {
    const studentId = await managedStudent(req);
    const p = z.object({ linkId: Id }).safeParse(req.params);
    const body = z.object({ scope: Scope }).safeParse(req.body ?? {});
    if (!p.success || !body.success) return reply.code(422).type('text/html').send(await show(req, studentId, { error: translateKey(req.lang, 'invalidInput', { fields: 'scope' }) }));
    const earlier = await earlierOutcome(app.store, req);
    if (earlier) return seeOther(reply, earlier);
    return seeOther(reply, await once(app.store, req, withDone(`/students/${studentId}/guardians`, 'done'), async (tx) => {
      if (!(await updateLink(tx, studentId, p.data.linkId, { scope: body.data.scope }, actorOf(req, studentId), app.clock()))) throw notFound();
    }));
  });

  app.post('/students/:studentId/guardians/:linkId/revoke', async (req, reply) => {
    const studentId = await managedStudent(req);
    const p = z.object({ linkId: Id }).safeParse(req.params);
    const earlier = await earlierOutcome(app.store, req);
    if (earlier) return seeOther(reply, earlier);
    // Sent again (a reload), the revoked link is not "not found": the first outcome is shown, saying so.
    return seeOther(reply, await once(app.store, req, withDone(`/students/${studentId}/guardians`, 'done'), async (tx) => {
      if (!p.success || !(await updateLink(tx, studentId, p.data.linkId, { revoke: true }, actorOf(req, studentId), app.clock()))) throw notFound();
    }));
  });

  app.get('/guardian/link', async (req, reply) => {
    if (!req.user) return reply.redirect('/login?next=/guardian/link', 303);
    return reply.type('text/html').send(linkPage(viewCtx(req), {}).value);
  });

  app.post('/guardian/link', async (req, reply) => {
    if (!req.user) throw notFound();
    const body = z.object({ code: z.string().trim().min(4).max(20) }).safeParse(req.body ?? {});
    // Asked before the code is even looked up, so a refused account neither spends nor probes codes.
    const refusal = await guardianRefusal(app.store, req.user.id, 'pairingCode');
    if (refusal) return reply.code(422).type('text/html').send(linkPage(viewCtx(req), { error: translateKey(req.lang, `guardians.${refusal}`) }).value);
    const earlier = await earlierOutcome(app.store, req);
    if (earlier) return seeOther(reply, earlier);
    // A reload after the link was made would meet a spent code: the token shows the child's page instead.
    const where = await once(app.store, req, (studentId: number) => `/students/${studentId}`, async (tx) => {
      const result = body.success ? await redeemPairingCode(tx, body.data.code, { id: req.user!.id, role: 'guardian', ip: req.ip }, app.clock()) : { ok: false as const, error: 'guardians.badCode' as const };
      if (!result.ok) throw new FormRefused(translateKey(req.lang, result.error));
      return result.studentId;
    }).catch((e: unknown) => (e instanceof FormRefused ? e : Promise.reject(e)));
    if (where instanceof FormRefused) return reply.code(422).type('text/html').send(linkPage(viewCtx(req), { error: where.message }).value);
    return seeOther(reply, where);
  });
}
