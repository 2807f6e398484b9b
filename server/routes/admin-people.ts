import { doneKey, seeOther, withDone } from '../prg';
import { keepLink } from '../people/one-time-link';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendPersonCard, managedPersonOr403 } from '../people/card';
import { z } from 'zod';
import { Id } from '../params';
import { viewCtx } from '../plugins/request-context';
import { adminFacultiesOr404 } from '../policy/require';
import { can, factsOf } from '../policy';
import { searchPeople, setDisabled, createPasswordReset, resetByToken, completeReset } from '../../db/queries/people';
import { accountEmail } from '../../db/queries/admin-lookups';
import { hashPassword, PASSWORD_MIN } from '../auth/password';
import { peoplePage, resetPage } from '../../views/people/pages';
import { t } from '../../views/people/strings';
import { registerNav } from '../../views/layout/nav';

registerNav({ href: '/admin/people', label: { en: 'People', ru: 'Пользователи' }, roles: ['admin'], order: 49 });

export default async function adminPeopleRoutes(app: FastifyInstance) {
  const scopeOf = (req: FastifyRequest) => adminFacultiesOr404(req.user);
  /** The person to act on, through the policy: outside the admin's reach, simply not there (or 403 when only seen). */
  const personInScope = async (req: FastifyRequest) => {
    scopeOf(req);
    const id = await managedPersonOr403(req);
    return (await accountEmail(app.store, id))!;
  };
  const list = async (req: FastifyRequest, o: { message?: string; error?: string } = {}, status = 200) => {
    const q = z.object({ q: z.string().trim().max(100).default('') }).safeParse(req.query ?? {});
    const query = q.success ? q.data.q : '';
    // The policy answers for a whole page of candidates at once: their ties load in one go.
    const visible = async (ids: number[]) => {
      const f = await factsOf(req, { persons: ids });
      return new Set(ids.filter((userId) => can(f, { do: 'person.view', userId })));
    };
    const found = await searchPeople(app.store, query, scopeOf(req), visible);
    const f = await factsOf(req, { persons: found.map((p) => p.id) });
    const people = found.map((p) => ({ ...p, canManage: can(f, { do: 'person.manage', userId: p.id }) }));
    return { status, html: peoplePage(viewCtx(req), query, people, o).value };
  };

  /** An action pressed on the person's card answers with the card; pressed on the list, with the list. */
  const answer = async (req: FastifyRequest, reply: FastifyReply, id: number, o: { message?: string; error?: string }, status = 200) =>
    (req.body as { from?: unknown } | undefined)?.from === 'card' ? sendPersonCard(req, reply, id, o, status) : reply.code(status).type('text/html').send((await list(req, o)).html);

  app.get('/admin/people', async (req, reply) => {
    const done = doneKey(req, ['saved'] as const);
    const r = await list(req, done ? { message: t(req.lang, done) } : {});
    return reply.type('text/html').send(r.html);
  });

  for (const action of ['disable', 'enable'] as const) {
    app.post(`/admin/people/:userId/${action}`, async (req, reply) => {
      const person = await personInScope(req);
      const body = z.object({ reason: z.string().trim().min(3).max(300) }).safeParse(req.body ?? {});
      if (!body.success) return answer(req, reply, person.id, { error: t(req.lang, 'reasonRequired') }, 422);
      await setDisabled(app.store, person.id, action === 'disable', body.data.reason, { id: req.user!.id, role: 'admin', ip: req.ip }, app.clock());
      const back = (req.body as { from?: unknown } | undefined)?.from === 'card' ? `/admin/people/${person.id}` : '/admin/people';
      return seeOther(reply, withDone(back, 'saved'));
    });
  }

  app.post('/admin/people/:userId/reset', async (req, reply) => {
    const person = await personInScope(req);
    const token = await createPasswordReset(app.store, person.id, { id: req.user!.id, role: 'admin', ip: req.ip }, app.clock());
    // Shown on the person's card (from the list too): the link is theirs, and survives a reload there.
    keepLink(req, reply, person.id, person.id, token);
    return seeOther(reply, withDone(`/admin/people/${person.id}`, 'linkCreated'));
  });

  const Token = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{20,64}$/) });
  app.get('/reset/:token', async (req, reply) => {
    const p = Token.safeParse(req.params);
    const ok = p.success && !!(await resetByToken(app.store, p.data.token, app.clock()));
    return reply.code(ok ? 200 : 404).type('text/html').send(resetPage(viewCtx(req), p.success ? p.data.token : '', { invalid: !ok }).value);
  });

  app.post('/reset/:token', async (req, reply) => {
    const p = Token.safeParse(req.params);
    const reset = p.success ? await resetByToken(app.store, p.data.token, app.clock()) : undefined;
    if (!p.success || !reset) return reply.code(404).type('text/html').send(resetPage(viewCtx(req), '', { invalid: true }).value);
    const body = z.object({ next: z.string().max(200), repeat: z.string().max(200) }).safeParse(req.body ?? {});
    const fail = (error: string) => reply.code(422).type('text/html').send(resetPage(viewCtx(req), p.data.token, { error }).value);
    if (!body.success || body.data.next.length < PASSWORD_MIN) return fail(t(req.lang, 'tooShort', { min: PASSWORD_MIN }));
    if (body.data.next !== body.data.repeat) return fail(t(req.lang, 'mismatch'));
    const done = await completeReset(app.store, reset, await hashPassword(body.data.next), req.ip, app.clock());
    if (!done) return reply.code(404).type('text/html').send(resetPage(viewCtx(req), '', { invalid: true }).value);
    return reply.redirect('/login', 303);
  });
}
