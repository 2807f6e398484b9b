import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import multipart from '@fastify/multipart';
import { viewCtx } from '../plugins/request-context';
import { adminScope } from '../policy';
import { notFound } from '../http-error';
import { createImportedStudent, existingAccounts, groupsWithFaculty } from '../../db/queries/import';
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

  /** Groups the admin may enrol into (their faculty's, or all), and the accounts the rows name that exist already. */
  const lookups = async (req: FastifyRequest, rows: { email: string }[] = []) => {
    const scope = adminScope(req.user);
    if (!scope) throw notFound();
    const groups = new Map((await groupsWithFaculty(app.store))
      .filter((g) => scope === 'university' || scope.has(g.facultyId)).map((g) => [g.name, g.id]));
    const accounts = await existingAccounts(app.store, rows.map((r) => r.email));
    return {
      groups,
      groupId: (name: string) => groups.get(name) ?? null,
      existing: (email: string) => accounts.get(email.trim().toLowerCase()) ?? null,
    };
  };

  app.get('/admin/import', async (req, reply) => {
    await lookups(req);
    return reply.type('text/html').send(importPage(viewCtx(req)).value);
  });

  // Upload: parse and check every row; nothing is written.
  app.post('/admin/import', async (req, reply) => {
    await lookups(req); // refuses non-admins before the upload is read
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
    return reply.type('text/html').send(importPage(ctx, { verdicts: checkRoster(rows, await lookups(req, rows)) }).value);
  });

  // Apply: the rows are checked again (the form is only a carrier), then written in one transaction.
  app.post('/admin/import/apply', async (req, reply) => {
    await lookups(req);
    const ctx = viewCtx(req);
    let parsed: RosterRow[] | null = null;
    try {
      const r = z.array(Row).max(MAX_ROWS).safeParse(JSON.parse(String((req.body as { rows?: unknown } | undefined)?.rows ?? '')));
      parsed = r.success ? r.data : null;
    } catch { parsed = null; }
    if (!parsed) return reply.code(422).type('text/html').send(importPage(ctx, { error: t(ctx.lang, 'badFile') }).value);
    const l = await lookups(req, parsed);
    const verdicts = checkRoster(parsed, l);
    if (verdicts.some((v) => v.action === 'skip')) return reply.code(422).type('text/html').send(importPage(ctx, { verdicts }).value);
    const now = app.clock();
    const actor = { id: req.user!.id, role: 'admin', ip: req.ip };
    const created = await app.store.tx(async (tx) => {
      let n = 0;
      for (const v of verdicts.filter((x) => x.action === 'create')) {
        await createImportedStudent(tx, {
          email: v.email, surname: v.surname, givenName: v.givenName, patronymic: v.patronymic || null,
          recordBook: v.recordBook || null, lang: v.lang || 'ru', groupId: l.groupId(v.group)!, group: v.group,
        }, ctx.today, actor, now);
        n++;
      }
      return n;
    });
    return reply.type('text/html').send(importPage(ctx, { message: t(ctx.lang, 'applied', { n: created }) }).value);
  });
}
