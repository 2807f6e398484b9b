import { doneKey, once, seeOther, withDone } from '../prg';
import { safeRedirect } from '../auth/safe-redirect';
import { keepLink } from '../people/one-time-link';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendPersonCard, managedPersonOr403 } from '../people/card';
import { z } from 'zod';
import { Id } from '../params';
import { viewCtx } from '../plugins/request-context';
import { adminFacultiesOr404 } from '../policy/require';
import { can, factsOf, visiblePeople } from '../policy';
import { peopleFilterOf } from '../people/list-filter';
import { facultyChoices, groupChoices } from '../../db/queries/admin-people';
import { offsetOf, pagingOf, shownPage } from '../../views/layout/pager';
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
    const faculties = scopeOf(req);
    const filter = peopleFilterOf(req.query);
    const visible = (ids: number[]) => visiblePeople(req, ids);
    const asked = pagingOf(req.query);
    let found = await searchPeople(app.store, filter, faculties, visible, { offset: offsetOf(asked), size: asked.size });
    const paging = shownPage(asked, found.total);
    if (paging.page !== asked.page) found = await searchPeople(app.store, filter, faculties, visible, { offset: offsetOf(paging), size: paging.size });
    const f = await factsOf(req, { persons: found.rows.map((p) => p.id) });
    const people = found.rows.map((p) => ({ ...p, canManage: can(f, { do: 'person.manage', userId: p.id }) }));
    const [facultyList, groupList] = await Promise.all([facultyChoices(app.store, faculties), groupChoices(app.store, faculties)]);
    const html = peoplePage(viewCtx(req), { filter, paging, total: found.total, people, faculties: facultyList, groups: groupList }, o);
    return { status, html: html.value };
  };

  /** An action pressed on the person's card answers with the card; pressed on the list, with the list. */
  const answer = async (req: FastifyRequest, reply: FastifyReply, id: number, o: { message?: string; error?: string }, status = 200) =>
    (req.body as { from?: unknown } | undefined)?.from === 'card' ? sendPersonCard(req, reply, id, o, status) : reply.code(status).type('text/html').send((await list(req, o)).html);

  app.get('/admin/people', async (req, reply) => {
    const done = doneKey(req, ['saved'] as const);
    const r = await list(req, done ? { message: t(req.lang, done) } : {});
    return reply.type('text/html').send(r.html);
  });

  /** Where a list row's action goes back to: the same page of the same filtered list (never elsewhere). */
  const backTo = (req: FastifyRequest, id: number) => {
    const body = req.body as { from?: unknown; back?: unknown } | undefined;
    if (body?.from === 'card') return `/admin/people/${id}`;
    const back = safeRedirect(body?.back, '/admin/people');
    return back === '/admin/people' || back.startsWith('/admin/people?') ? back : '/admin/people';
  };

  for (const action of ['disable', 'enable'] as const) {
    app.post(`/admin/people/:userId/${action}`, async (req, reply) => {
      const person = await personInScope(req);
      const body = z.object({ reason: z.string().trim().min(3).max(300) }).safeParse(req.body ?? {});
      if (!body.success) return answer(req, reply, person.id, { error: t(req.lang, 'reasonRequired') }, 422);
      const actor = { id: req.user!.id, role: 'admin' as const, ip: req.ip };
      return seeOther(reply, await once(app.store, req, withDone(backTo(req, person.id), 'saved'),
        (tx) => setDisabled(tx, person.id, action === 'disable', body.data.reason, actor, app.clock())));
    });
  }

  app.post('/admin/people/:userId/reset', async (req, reply) => {
    const person = await personInScope(req);
    let token: string | null = null;
    const where = await once(app.store, req, withDone(`/admin/people/${person.id}`, 'linkCreated'), async (tx) => {
      token = await createPasswordReset(tx, person.id, { id: req.user!.id, role: 'admin', ip: req.ip }, app.clock());
    });
    // Shown on the person's card (from the list too): the link is theirs, and survives a reload there. A repeated
    // form made no new link: the one shown after the first stays the valid one.
    if (token) keepLink(req, reply, person.id, person.id, token);
    return seeOther(reply, where);
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
