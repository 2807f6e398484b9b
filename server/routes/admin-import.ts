import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import multipart from '@fastify/multipart';
import { viewCtx } from '../plugins/request-context';
import { adminScope } from '../policy';
import { notFound } from '../http-error';
import { inTransaction, prepared } from '../../db/client';
import { appendAuditSync } from '../../db/queries/audit';
import { checkRoster, FIELD_MAX, type RosterRow } from '../import/roster';
import { readRosterOffThread } from '../import/off-thread';
import { LIMITS, type Refusal } from '../import/refusal';
import { importPage } from '../../views/import/page';
import { t } from '../../views/import/strings';
import { formatNumber } from '../../views/format';
import type { Lang } from '../../db/schema';
import { registerNav } from '../../views/layout/nav';

registerNav({ href: '/admin/import', label: { en: 'Import', ru: 'Импорт' }, roles: ['admin'], order: 54 });

const M = FIELD_MAX;
const Row = z.object({
  line: z.number().int(), surname: z.string().max(M.surname), givenName: z.string().max(M.givenName), patronymic: z.string().max(M.patronymic),
  email: z.string().max(M.email), group: z.string().max(M.group), recordBook: z.string().max(M.recordBook), lang: z.string().max(M.lang),
});

/** A refusal in the reader's language, counts written as numbers are there (20,000 / 20 000). */
function refusalText(lang: Lang, r: Refusal): string {
  const params = Object.fromEntries(Object.entries(r.params ?? {})
    .map(([k, v]) => [k, typeof v === 'number' && k !== 'line' ? formatNumber(v, lang, 0) : v]));
  return t(lang, r.key, params);
}

export default async function adminImportRoutes(app: FastifyInstance) {
  // Only these routes take uploads. Fields land on the body, so the CSRF guard sees _csrf like any form.
  // The limits are busboy's: the file is cut off (and refused) at fileSize, whatever Content-Length says.
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    limits: { fileSize: LIMITS.uploadBytes, files: 1, fields: 10, fieldSize: 4096, parts: 12, headerPairs: 50 },
  });

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

  const tooLarge = (req: FastifyRequest, reply: FastifyReply) => {
    lookups(req);
    const ctx = viewCtx(req);
    const error = refusalText(ctx.lang, { key: 'uploadTooLarge', params: { mb: LIMITS.uploadBytes / 1024 / 1024, rows: LIMITS.rows } });
    return reply.code(413).type('text/html').send(importPage(ctx, { error }).value);
  };
  // The multipart parser refuses an oversized file before any route code runs: say so on the import page.
  // Every other error goes on to the app's handler.
  app.setErrorHandler((err: Error & { code?: string }, req, reply) => {
    if (err.code === 'FST_REQ_FILE_TOO_LARGE') return tooLarge(req, reply);
    throw err;
  });

  app.get('/admin/import', async (req, reply) => {
    lookups(req);
    return reply.type('text/html').send(importPage(viewCtx(req)).value);
  });

  // Upload: parse and check every row; nothing is written.
  app.post('/admin/import', {
    // A declared body well past the limit is refused before it is read at all.
    onRequest: async (req, reply) => {
      if (Number(req.headers['content-length'] ?? 0) > LIMITS.uploadBytes + 64 * 1024) return tooLarge(req, reply);
    },
  }, async (req, reply) => {
    const l = lookups(req);
    const ctx = viewCtx(req);
    const body = req.body as { file?: unknown } | undefined;
    const file = body?.file;
    if (!Buffer.isBuffer(file) || file.length === 0) return reply.code(422).type('text/html').send(importPage(ctx, { error: t(ctx.lang, 'noFile') }).value);
    const started = performance.now();
    const read = await readRosterOffThread(file);
    const ms = Math.round(performance.now() - started);
    req.log.info({ bytes: file.length, ms, thread: read.threadId, refused: read.ok ? undefined : read.key, detail: read.detail }, 'roster read');
    if (!read.ok) {
      return reply.code(read.key === 'busy' ? 503 : 422).type('text/html').send(importPage(ctx, { error: refusalText(ctx.lang, read) }).value);
    }
    return reply.type('text/html').send(importPage(ctx, { verdicts: checkRoster(read.rows, l) }).value);
  });

  // Apply: the rows are checked again (the form is only a carrier), then written in one transaction.
  // 20,000 rows come back as URL-encoded JSON (Cyrillic triples in length): the one form above the app's 1 MB.
  app.post('/admin/import/apply', { bodyLimit: 12 * 1024 * 1024 }, async (req, reply) => {
    const l = lookups(req);
    const ctx = viewCtx(req);
    let parsed: RosterRow[] | null = null;
    try {
      const r = z.array(Row).max(LIMITS.rows).safeParse(JSON.parse(String((req.body as { rows?: unknown } | undefined)?.rows ?? '')));
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
