import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import multipart from '@fastify/multipart';
import { viewCtx } from '../plugins/request-context';
import { adminScope } from '../policy';
import { notFound } from '../http-error';
import { inTransaction, prepared } from '../../db/client';
import { appendAuditSync } from '../../db/queries/audit';
import { parseCsv, parseXlsx, checkRoster, type RosterRow } from '../import/roster';
import { importPage } from '../../views/import/page';
import { t } from '../../views/import/strings';
import { registerNav } from '../../views/layout/nav';

registerNav({ href: '/admin/import', label: { en: 'Import', ru: 'Импорт' }, roles: ['admin'], order: 54 });

const Row = z.object({ line: z.number().int(), surname: z.string().max(100), givenName: z.string().max(100), patronymic: z.string().max(100), email: z.string().max(254), group: z.string().max(40), recordBook: z.string().max(40), lang: z.string().max(5) });
const MAX_ROWS = 20_000;

export default async function adminImportRoutes(app: FastifyInstance) {
  // Only these routes take uploads. Fields land on the body, so the CSRF guard sees _csrf like any form.
  await app.register(multipart, { attachFieldsToBody: 'keyValues', limits: { fileSize: 10 * 1024 * 1024, files: 1 } });

  /** Groups the admin may enrol into: their faculty's (a dean's office) or all. */
  const lookups = (req: FastifyRequest) => {
    const scope = adminScope(req.user);
    if (!scope) throw notFound();
    const groups = new Map((prepared(app.db, 'SELECT id, name, faculty_id AS f FROM groups').all() as { id: number; name: string; f: number }[])
      .filter((g) => scope === 'university' || scope.has(g.f)).map((g) => [g.name, g.id]));
    return {
      groups,
      groupId: (name: string) => groups.get(name) ?? null,
      existing: (email: string) => (prepared(app.db, `SELECT (SELECT g.name FROM group_memberships m JOIN groups g ON g.id = m.group_id WHERE m.student_id = u.id AND m.to_date IS NULL LIMIT 1) AS groupName
        FROM users u WHERE lower(u.email) = ?`).get(email) as { groupName: string | null } | undefined) ?? null,
    };
  };

  app.get('/admin/import', async (req, reply) => {
    lookups(req);
    return reply.type('text/html').send(importPage(viewCtx(req)).value);
  });

  // Upload: parse and check every row; nothing is written.
  app.post('/admin/import', async (req, reply) => {
    const l = lookups(req);
    const ctx = viewCtx(req);
    const body = req.body as { file?: unknown } | undefined;
    const file = body?.file;
    if (!Buffer.isBuffer(file) || file.length === 0) return reply.code(422).type('text/html').send(importPage(ctx, { error: t(ctx.lang, 'noFile') }).value);
    let rows: RosterRow[];
    try {
      // XLSX files are zip archives: they start with "PK".
      rows = file[0] === 0x50 && file[1] === 0x4b ? await parseXlsx(file) : parseCsv(file.toString('utf8'));
    } catch {
      return reply.code(422).type('text/html').send(importPage(ctx, { error: t(ctx.lang, 'badFile') }).value);
    }
    if (rows.length === 0 || rows.length > MAX_ROWS) return reply.code(422).type('text/html').send(importPage(ctx, { error: t(ctx.lang, 'nothing') }).value);
    return reply.type('text/html').send(importPage(ctx, { verdicts: checkRoster(rows, l) }).value);
  });

  // Apply: the rows are checked again (the form is only a carrier), then written in one transaction.
  app.post('/admin/import/apply', async (req, reply) => {
    const l = lookups(req);
    const ctx = viewCtx(req);
    let parsed: RosterRow[] | null = null;
    try {
      const r = z.array(Row).max(MAX_ROWS).safeParse(JSON.parse(String((req.body as { rows?: unknown } | undefined)?.rows ?? '')));
      parsed = r.success ? r.data : null;
    } catch { parsed = null; }
    if (!parsed) return reply.code(422).type('text/html').send(importPage(ctx, { error: t(ctx.lang, 'badFile') }).value);
    const verdicts = checkRoster(parsed, l);
    if (verdicts.some((v) => v.action === 'skip')) return reply.code(422).type('text/html').send(importPage(ctx, { verdicts }).value);
    const now = app.clock();
    const actor = { id: req.user!.id, role: 'admin', ip: req.ip };
    const created = inTransaction(app.db, () => {
      let n = 0;
      for (const v of verdicts.filter((x) => x.action === 'create')) {
        const id = Number(prepared(app.db, 'INSERT INTO users (email, surname, given_name, patronymic, record_book, lang, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
          .run(v.email.toLowerCase(), v.surname, v.givenName, v.patronymic || null, v.recordBook || null, v.lang || 'ru', actor.id, now).lastInsertRowid);
        prepared(app.db, "INSERT INTO user_roles (user_id, role, updated_by, updated_at) VALUES (?, 'student', ?, ?)").run(id, actor.id, now);
        prepared(app.db, 'INSERT INTO group_memberships (student_id, group_id, from_date, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)').run(id, l.groupId(v.group), ctx.today, actor.id, now);
        appendAuditSync(app.db, { actorId: actor.id, actorRole: actor.role, ip: actor.ip, at: now, action: 'user.create', entity: 'user', entityId: id, studentId: id, after: { email: v.email, group: v.group, via: 'import' } });
        n++;
      }
      return n;
    });
    return reply.type('text/html').send(importPage(ctx, { message: t(ctx.lang, 'applied', { n: created }) }).value);
  });
}
