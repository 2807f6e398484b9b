import { doneCount, doneKey, once, seeOther, withDone } from '../prg';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import multipart from '@fastify/multipart';
import { viewCtx } from '../plugins/request-context';
import { adminScope } from '../policy';
import { notFound } from '../http-error';
import { createImportedStudent, existingAccounts, groupsWithFaculty, recordBookOwners } from '../../db/queries/import';
import type { Queryable } from '../../db/store';
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
  nameLatin: z.string().max(M.nameLatin).default(''),
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

  /** Refuses anyone but an admin, as if the page did not exist. */
  const adminOr404 = (req: FastifyRequest) => {
    const scope = adminScope(req.user);
    if (!scope) throw notFound();
    return scope;
  };

  /** Groups the admin may enrol into (their faculty's, or all), and the accounts the rows name that exist already. */
  const lookups = async (req: FastifyRequest, rows: { email: string; recordBook: string }[], s: Queryable = app.store) => {
    const scope = adminOr404(req);
    const groups = new Map((await groupsWithFaculty(s))
      .filter((g) => scope === 'university' || scope.has(g.facultyId)).map((g) => [g.name, g.id]));
    const accounts = await existingAccounts(s, rows.map((r) => r.email));
    const books = await recordBookOwners(s, rows.map((r) => r.recordBook));
    return {
      groups,
      groupId: (name: string) => groups.get(name) ?? null,
      existing: (email: string) => accounts.get(email.trim().toLowerCase()) ?? null,
      recordBookOwner: (n: string) => books.get(n.trim()) ?? null,
    };
  };

  const tooLarge = (req: FastifyRequest, reply: FastifyReply) => {
    adminOr404(req);
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
    adminOr404(req);
    const done = doneKey(req, ['applied', 'appliedSkipped'] as const);
    const message = done && t(req.lang, done, { n: doneCount(req), m: doneCount(req, 'm') });
    return reply.type('text/html').send(importPage(viewCtx(req), message ? { message } : {}).value);
  });

  // The apply form's address opened directly (a bookmark, a language switch of its answer): the import page.
  app.get('/admin/import/apply', async (req, reply) => {
    if (!req.user) return reply.redirect(`/login?next=${encodeURIComponent('/admin/import')}`, 303);
    adminOr404(req);
    return seeOther(reply, '/admin/import');
  });

  // Upload: parse and check every row; nothing is written.
  app.post('/admin/import', {
    // A declared body well past the limit is refused before it is read at all.
    onRequest: async (req, reply) => {
      if (Number(req.headers['content-length'] ?? 0) > LIMITS.uploadBytes + 64 * 1024) return tooLarge(req, reply);
    },
  }, async (req, reply) => {
    adminOr404(req);
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
    return reply.type('text/html').send(importPage(ctx, { verdicts: checkRoster(read.rows, await lookups(req, read.rows)) }).value);
  });

  // Apply: the rows are checked again (the form is only a carrier), then written in one transaction.
  // 20,000 rows come back as URL-encoded JSON (Cyrillic triples in length): the one form above the app's 1 MB.
  app.post('/admin/import/apply', { bodyLimit: 12 * 1024 * 1024 }, async (req, reply) => {
    adminOr404(req);
    const ctx = viewCtx(req);
    let parsed: RosterRow[] | null = null;
    try {
      const r = z.array(Row).max(LIMITS.rows).safeParse(JSON.parse(String((req.body as { rows?: unknown } | undefined)?.rows ?? '')));
      parsed = r.success ? r.data : null;
    } catch { parsed = null; }
    if (!parsed) return reply.code(422).type('text/html').send(importPage(ctx, { error: t(ctx.lang, 'badFile') }).value);
    const rows = parsed;
    const now = app.clock();
    const actor = { id: req.user!.id, role: 'admin', ip: req.ip };
    let created = 0;
    let skipped = 0;
    // Checked again inside the transaction that writes: a number or an e-mail taken since the preview
    // (another import, a new person) is skipped like any other clash, never written twice.
    const where = await once(app.store, req, () => withDone('/admin/import', skipped ? 'appliedSkipped' : 'applied', created) + (skipped ? `&m=${skipped}` : ''), async (tx) => {
      const l = await lookups(req, rows, tx);
      const verdicts = checkRoster(rows, l);
      skipped = verdicts.filter((v) => v.action === 'skip').length;
      for (const v of verdicts.filter((x) => x.action === 'create')) {
        await createImportedStudent(tx, {
          email: v.email, surname: v.surname, givenName: v.givenName, patronymic: v.patronymic || null,
          recordBook: v.recordBook.trim() || null, nameLatin: v.nameLatin || null, lang: v.lang || 'ru', groupId: l.groupId(v.group)!, group: v.group,
        }, ctx.today, actor, now);
        created++;
      }
    });
    return seeOther(reply, where);
  });
}
