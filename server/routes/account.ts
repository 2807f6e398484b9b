import { doneKey, seeOther, withDone } from '../prg';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { userById, setPasswordHash } from '../../db/queries/users';
import { appendAudit } from '../../db/queries/audit';
import { hashPassword, verifyPassword, PASSWORD_MIN } from '../auth/password';
import { invalidateUserSessions } from '../auth/session';
import { startSession, viewCtx } from '../plugins/request-context';
import { accountPage, isTimeZone } from '../../views/account/page';
import { setTimeZone } from '../../db/queries/users';
import { safeRedirect } from '../auth/safe-redirect';
import { t } from '../../views/account/strings';
import { registerNav } from '../../views/layout/nav';
import { translateKey } from '../../views/translate';
import { retryWhen } from '../../views/format';
import { mutedKinds, setMutedKinds, NOTIFY_KINDS, type NotifyKind } from '../../db/queries/notify-settings';
import { mailModes, recipientOf, requestConfirmation, setMailSettings } from '../../db/queries/mail';
import { MAIL_MODES, type MailMode } from '../../db/schema';
import { t as mt } from '../../views/mail/page-strings';
import type { MailSection } from '../../views/mail/pages';

registerNav({ href: '/account', label: { en: 'Account', ru: 'Учётная запись' }, roles: ['admin', 'teacher', 'student', 'guardian'], order: 90 });

const Mode = z.enum(MAIL_MODES);
const MailForm = z.object({
  mode_mark: Mode, mode_absence: Mode, mode_admission: Mode, mode_dispute: Mode, mode_mobility: Mode.default('instant'),
  digestHour: z.coerce.number().int().min(0).max(23),
});

const Body = z.object({ current: z.string().max(200), next: z.string().max(200), repeat: z.string().max(200) });

export default async function accountRoutes(app: FastifyInstance) {
  app.get('/account', async (req, reply) => {
    if (!req.user) return reply.redirect('/login?next=/account', 303);
    const done = doneKey(req, ['notify', 'password', 'mail', 'mailLink'] as const);
    const tzSaved = (req.query as { tz?: unknown } | undefined)?.tz === 'saved';
    return reply.type('text/html').send(accountPage(viewCtx(req), {
      muted: await mutedKinds(app.store, req.user.id), notifySaved: done === 'notify', done: done === 'password', tzSaved, universityTz: app.config.universityTz,
      mail: await mailOf(req.user.id, req.user.email, done === 'mail' ? 'modes' : done === 'mailLink' ? 'link' : undefined),
    }).value);
  });

  const mailOf = async (userId: number, address: string, saved?: MailSection['saved'], error?: string): Promise<MailSection> => ({
    enabled: app.mail !== null, address, recipient: await recipientOf(app.store, userId), modes: await mailModes(app.store, userId), saved, error,
  });
  const mailRefused = async (req: FastifyRequest, reply: FastifyReply, error: string) => reply.code(422).type('text/html').send(accountPage(viewCtx(req), {
    muted: await mutedKinds(app.store, req.user!.id), universityTz: app.config.universityTz, mail: await mailOf(req.user!.id, req.user!.email, undefined, error),
  }).value);

  // Mail goes only to an address its owner confirmed: the link is the first message, and the only one until followed.
  app.post('/account/mail/confirm', async (req, reply) => {
    if (!req.user) return reply.redirect('/login', 303);
    if (!app.mail) return mailRefused(req, reply, mt(req.lang, 'mailOff'));
    await requestConfirmation(app.store, req.user.id, req.user.email, req.ip, app.clock());
    return seeOther(reply, `${withDone('/account', 'mailLink')}#mail`);
  });

  app.post('/account/mail', async (req, reply) => {
    if (!req.user) return reply.redirect('/login', 303);
    const parsed = MailForm.safeParse(req.body ?? {});
    if (!parsed.success) {
      const fields = [...new Set(parsed.error.issues.map((i) => String(i.path[0])))].join(', ');
      return mailRefused(req, reply, translateKey(req.lang, 'invalidInput', { fields }));
    }
    const modes = Object.fromEntries(NOTIFY_KINDS.map((k) => [k, parsed.data[`mode_${k}`]])) as Record<NotifyKind, MailMode>;
    await setMailSettings(app.store, req.user.id, modes, parsed.data.digestHour, req.ip, app.clock());
    return seeOther(reply, `${withDone('/account', 'mail')}#mail`);
  });

  // The zone instants are shown in: chosen here, or accepted once from the browser's own (public/tz.js).
  app.post('/account/timezone', async (req, reply) => {
    if (!req.user) return reply.redirect('/login', 303);
    const body = z.object({ tz: z.string().max(64), back: z.string().max(300).optional() }).safeParse(req.body ?? {});
    if (!body.success || !isTimeZone(body.data.tz)) {
      const page = accountPage(viewCtx(req), { tzError: t(req.lang, 'tzBad'), muted: await mutedKinds(app.store, req.user.id), universityTz: app.config.universityTz, mail: await mailOf(req.user.id, req.user.email) });
      return reply.code(422).type('text/html').send(page.value);
    }
    await setTimeZone(app.store, req.user.id, body.data.tz, req.ip, app.clock());
    return reply.redirect(safeRedirect(body.data.back, '/account?tz=saved#tz'), 303);
  });

  // Checked boxes are the kinds that notify; everything else is muted.
  app.post('/account/notifications', async (req, reply) => {
    if (!req.user) return reply.redirect('/login', 303);
    const raw = (req.body as Record<string, unknown> | undefined)?.notify;
    const parsed = z.array(z.enum(NOTIFY_KINDS)).max(NOTIFY_KINDS.length).safeParse(raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]);
    if (!parsed.success) return reply.code(422).type('text/html').send(accountPage(viewCtx(req), { error: translateKey(req.lang, 'invalidInput', { fields: 'notify' }), muted: await mutedKinds(app.store, req.user.id), mail: await mailOf(req.user.id, req.user.email) }).value);
    const muted = NOTIFY_KINDS.filter((k) => !parsed.data.includes(k));
    await setMutedKinds(app.store, req.user.id, muted, req.ip, app.clock());
    return seeOther(reply, withDone('/account', 'notify'));
  });

  app.post('/account/password', async (req, reply) => {
    if (!req.user) return reply.redirect('/login', 303);
    const ctx = viewCtx(req);
    const mail = await mailOf(req.user.id, req.user.email);
    const fail = (error: string, code = 422) => reply.code(code).type('text/html').send(accountPage(ctx, { error, mail }).value);
    const body = Body.safeParse(req.body ?? {});
    if (!body.success) return fail(t(ctx.lang, 'mismatch'));
    const { current, next, repeat } = body.data;
    const row = await userById(app.store, req.user.id);
    if (!row) return reply.redirect('/login', 303);
    // The current password is a guessing oracle for whoever holds a session (a PC left logged in): the
    // session is throttled as a device of its own (server/auth/login-limiter.ts), so that an attack on
    // the login form cannot keep the owner from changing the password either.
    const attempt = { account: row.email.toLowerCase(), address: req.ip, device: `session:${req.session!.id}` };
    const verdict = await app.loginLimiter.admit(attempt);
    if (!verdict.allowed) return fail(t(ctx.lang, 'tooMany', retryWhen(verdict.retryAt, app.clock(), ctx.lang, ctx.tz)), 429);
    if (!(await verifyPassword(row.passwordHash, current))) return fail(t(ctx.lang, 'wrongCurrent'));
    await app.loginLimiter.succeeded(attempt);
    if (next.length < PASSWORD_MIN) return fail(t(ctx.lang, 'tooShort', { min: PASSWORD_MIN }));
    if (next !== repeat) return fail(t(ctx.lang, 'mismatch'));
    const hash = await hashPassword(next); // argon2 before the transaction: nothing but queries waits inside one
    const userId = req.user.id;
    await app.store.tx(async (tx) => {
      await setPasswordHash(tx, userId, hash, app.clock());
      // Every session of the account ends: a stolen session must not outlive the password it came with.
      await invalidateUserSessions(tx, userId);
      await appendAudit(tx, { actorId: userId, actorRole: null, ip: req.ip, action: 'user.password', entity: 'user', entityId: userId });
    });
    await startSession(app, req, reply, userId);
    return seeOther(reply, withDone('/account', 'password'));
  });
}
