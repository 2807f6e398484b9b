import { doneKey, earlierOutcome, once, seeOther, withDone } from '../prg';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Id } from '../params';
import { viewCtx } from '../plugins/request-context';
import { adminFacultiesOr404 } from '../policy/require';
import { fieldsOf } from '../forms';
import { structure, createFaculty, createDepartment, createGroup, facultyCodeTaken, groupNameTaken, departmentNameTaken } from '../../db/queries/structure';
import { PROGRAMMES } from '../../db/schema';
import { facultyChoices } from '../../db/queries/admin-people';
import { structurePage } from '../../views/admin/structure';
import type { Notice } from '../../views/layout/notice';
import { t } from '../../views/admin/structure-strings';
import { registerNav } from '../../views/layout/nav';

registerNav({ href: '/admin/structure', label: { en: 'Structure', ru: 'Структура' }, roles: ['admin'], order: 48 });

const Name = z.string().trim().min(2).max(200);

/** Faculties (the university administration), departments and groups (a faculty's own office too). */
export default async function adminStructureRoutes(app: FastifyInstance) {
  const scopeOf = (req: FastifyRequest) => adminFacultiesOr404(req.user);
  const actor = (req: FastifyRequest) => ({ id: req.user!.id, role: 'admin', ip: req.ip });
  const show = async (req: FastifyRequest, reply: FastifyReply, o: Notice = {}, status = 200) => {
    const f = scopeOf(req);
    return reply.code(status).type('text/html').send(structurePage(viewCtx(req), await structure(app.store, f), f === 'all', o).value);
  };
  /** The faculty named in the form, if the admin covers it; a faculty outside the scope is refused. */
  const facultyOf = async (req: FastifyRequest, raw: unknown): Promise<number | 'invalid' | 'refused'> => {
    const p = Id.safeParse(raw);
    if (!p.success) return 'invalid';
    if (!(await facultyChoices(app.store, 'all')).some((x) => x.id === p.data)) return 'invalid';
    const f = scopeOf(req);
    return f === 'all' || f.includes(p.data) ? p.data : 'refused';
  };

  app.get('/admin/structure', async (req, reply) => {
    const done = doneKey(req, ['created'] as const);
    return show(req, reply, done ? { message: t(req.lang, done) } : {});
  });

  app.post('/admin/faculties', async (req, reply) => {
    if (scopeOf(req) !== 'all') return show(req, reply, { error: t(req.lang, 'onlyUniversity') }, 403);
    const body = z.object({ code: z.string().trim().min(1).max(12).regex(/^[\p{L}\d-]+$/u), nameRu: Name, nameEn: Name }).safeParse(req.body ?? {});
    if (!body.success) return show(req, reply, { error: t(req.lang, 'invalid', { fields: fieldsOf(body.error) }) }, 422);
    const earlier = await earlierOutcome(app.store, req);
    if (earlier) return seeOther(reply, earlier);
    if (await facultyCodeTaken(app.store, body.data.code)) return show(req, reply, { error: t(req.lang, 'codeTaken', { code: body.data.code }) }, 422);
    return seeOther(reply, await once(app.store, req, withDone('/admin/structure', 'created'), (tx) => createFaculty(tx, body.data, actor(req), app.clock())));
  });

  app.post('/admin/departments', async (req, reply) => {
    const raw = (req.body ?? {}) as Record<string, unknown>;
    const facultyId = await facultyOf(req, raw.facultyId);
    if (facultyId === 'refused') return show(req, reply, { error: t(req.lang, 'notYourScope') }, 403);
    const body = z.object({ nameRu: Name, nameEn: Name }).safeParse(raw);
    if (facultyId === 'invalid' || !body.success) return show(req, reply, { error: t(req.lang, 'invalid', { fields: facultyId === 'invalid' ? 'facultyId' : fieldsOf(body.error!) }) }, 422);
    const earlier = await earlierOutcome(app.store, req);
    if (earlier) return seeOther(reply, earlier);
    if (await departmentNameTaken(app.store, facultyId, body.data.nameRu)) return show(req, reply, { error: t(req.lang, 'departmentTaken') }, 422);
    return seeOther(reply, await once(app.store, req, withDone('/admin/structure', 'created'), (tx) => createDepartment(tx, { facultyId, ...body.data }, actor(req), app.clock())));
  });

  app.post('/admin/groups', async (req, reply) => {
    const raw = (req.body ?? {}) as Record<string, unknown>;
    const facultyId = await facultyOf(req, raw.facultyId);
    if (facultyId === 'refused') return show(req, reply, { error: t(req.lang, 'notYourScope') }, 403);
    const body = z.object({
      name: z.string().trim().min(1).max(20).regex(/^[\p{L}\d.-]+$/u), year: z.coerce.number().int().min(1).max(7),
      language: z.enum(['ru', 'en']), programme: z.enum(PROGRAMMES),
    }).safeParse(raw);
    if (facultyId === 'invalid' || !body.success) return show(req, reply, { error: t(req.lang, 'invalid', { fields: facultyId === 'invalid' ? 'facultyId' : fieldsOf(body.error!) }) }, 422);
    const earlier = await earlierOutcome(app.store, req);
    if (earlier) return seeOther(reply, earlier);
    if (await groupNameTaken(app.store, body.data.name)) return show(req, reply, { error: t(req.lang, 'groupTaken', { name: body.data.name }) }, 422);
    return seeOther(reply, await once(app.store, req, withDone('/admin/structure', 'created'), (tx) => createGroup(tx, { facultyId, ...body.data }, actor(req), app.clock())));
  });
}
