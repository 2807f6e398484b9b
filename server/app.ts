import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import compress from '@fastify/compress';
import fastifyStatic from '@fastify/static';
import websocket from '@fastify/websocket';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { constants as zlib } from 'node:zlib';
import './types';
import type { Store } from '../db/store';
import type { Config } from './config';
import { LoginLimiter, type LimiterOptions, type LoginThrottle } from './auth/login-limiter';
import { registerRequestContext } from './plugins/request-context';
import { registerCsrfGuard } from './plugins/csrf-guard';
import { registerSecurityHeaders } from './plugins/security-headers';
import { registerErrorHandlers } from './plugins/errors';
import { registerVisitLog } from './plugins/visit-log';
import { SessionCache } from './auth/session-cache';
import { CommitGate } from './realtime/commit-gate';
import { JournalRowCache } from './journal/row-cache';
import { ProgressCache } from './progress/progress-cache';
import { ensureSecret } from './secret';
import { ChangeFeed } from './realtime/changes';
import { MemoryBus, type Bus } from './realtime/bus';
import { ChangePublisher } from './realtime/publisher';
import { pushBadges } from './realtime/badges';
import { notifiedByAudit } from '../db/queries/notifications';
import { guardiansEverLinked } from '../db/queries/guardians';
import { MemoryHub } from './realtime/hub';
import { LiveGuard, LIVE_LIMITS, type UserLimits } from './realtime/limits';
import { MailSender } from './mail/sender';

const here = dirname(fileURLToPath(import.meta.url));
/** The project's root (public/, node_modules/): above server/ in the sources, above dist/server/ when compiled. */
const root = [join(here, '..'), join(here, '..', '..')].find((d) => existsSync(join(d, 'package.json')))!;
/** Route files as this copy of the app runs: TypeScript from the sources (tsx, vitest), JavaScript from dist/. */
const isRouteFile = (f: string) => (f.endsWith('.ts') && !f.endsWith('.d.ts')) || f.endsWith('.js');

export type AppOptions = {
  /** The database; the app uses it and leaves closing it to whoever opened it. */
  store: Store;
  config: Config;
  clock?: () => number;
  logger?: boolean | object;
  /** Per-user live socket limits (the fan-out bench opens thousands of sockets as one teacher). */
  liveLimits?: UserLimits;
  loginLimits?: Partial<LimiterOptions>;
  /** The bell between processes (Redis with several); in memory by default. Closed by whoever made it. */
  bus?: Bus;
  /** The login limiter shared by several processes (Redis); in memory by default. */
  loginThrottle?: LoginThrottle;
};

export type RouteEntry = { method: string; url: string };
const routeTables = new WeakMap<FastifyInstance, RouteEntry[]>();

/** Every route registered on the app (HEAD twins left out), in registration order: the security tests walk it. */
export function routeTable(app: FastifyInstance): RouteEntry[] {
  return [...(routeTables.get(app) ?? [])];
}

/**
 * Three tiers, in order: external plugins, the app's own support plugins, then every file in
 * server/routes (each a Fastify plugin named after the feature it serves).
 */
export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? { level: opts.config.logLevel },
    trustProxy: opts.config.trustProxy,
    // Forms are small; anyone (the login form too) could otherwise make the server buffer and parse
    // 12 MB per request. The one large form, the roster's apply, raises its own limit; uploads have theirs.
    bodyLimit: 1024 * 1024,
  });
  const table: RouteEntry[] = [];
  routeTables.set(app, table);
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) if (method !== 'HEAD') table.push({ method, url: r.url ?? r.path });
  });
  const store = opts.store;
  store.reportCallbackErrors?.((e) => app.log.error(e, 'after-commit callback failed'));
  app.decorate('store', store);
  app.decorate('config', { ...opts.config, secret: opts.config.secret ?? ensureSecret(opts.config.dataDir) });
  app.decorate('clock', opts.clock ?? Date.now);
  app.decorate('changes', new ChangeFeed());
  app.decorate('bus', opts.bus ?? new MemoryBus());
  app.decorate('hub', new MemoryHub());
  app.decorate('liveGuard', new LiveGuard(undefined, opts.liveLimits));
  app.decorate('loginLimiter', opts.loginThrottle ?? new LoginLimiter(opts.loginLimits, opts.clock ?? Date.now));

  await app.register(cookie);
  await app.register(formbody);
  // Below 2 KB a page fits a couple of packets either way and compressing costs more than it saves; brotli at
  // quality 4 with a 256 KB window (no page is bigger) and gzip at level 5 keep most of the ratio for less CPU.
  await app.register(compress, {
    global: true, threshold: 2048,
    brotliOptions: { params: { [zlib.BROTLI_PARAM_QUALITY]: 4, [zlib.BROTLI_PARAM_LGWIN]: 18 } },
    zlibOptions: { level: 5 },
  });
  await app.register(websocket, { options: { maxPayload: LIVE_LIMITS.maxMessageBytes } });
  await app.register(fastifyStatic, { root: join(root, 'public'), prefix: '/public/', maxAge: '1h' });
  await app.register(fastifyStatic, {
    root: join(root, 'node_modules/htmx.org/dist'),
    prefix: '/vendor/',
    decorateReply: false,
    maxAge: '1d',
    // Only the runtime files, not the package's docs and tools.
    allowedPath: (path) => /^\/(htmx\.min\.js|ext\/hx-(csp|ws)\.min\.js)$/.test(path),
  });

  const gate = new CommitGate();
  app.decorate('commitGate', gate);
  app.decorate('sessions', new SessionCache(gate));
  app.decorate('journalRows', new JournalRowCache(gate));
  app.decorate('progress', new ProgressCache(gate));
  registerRequestContext(app);
  registerSecurityHeaders(app);
  registerCsrfGuard(app);
  registerErrorHandlers(app);
  registerPublisher(app);
  registerVisitLog(app);
  registerCaches(app);
  registerMail(app);

  const routesDir = join(here, 'routes');
  for (const file of readdirSync(routesDir).filter(isRouteFile).sort()) {
    const mod = await import(pathToFileURL(join(routesDir, file)).href);
    await app.register(mod.default);
  }
  return app;
}

/**
 * The one publisher of changes: it reads the audit log after each commit (and on its timer) and hands
 * every row to the ChangeFeed in id order; after each batch, the users those rows notified get their
 * unread count. Started once the app is ready (after what the log holds by then), stopped on close.
 */
function registerPublisher(app: FastifyInstance): void {
  const publisher = new ChangePublisher({
    store: app.store, bus: app.bus, feed: app.changes,
    onError: (err) => app.log.error({ err }, 'publishing changes failed'),
    afterBatch: async (rows) => {
      const users = await notifiedByAudit(app.store, rows[0].id - 1, rows[rows.length - 1].id);
      // A narrowed or revoked link hides what it no longer covers: that guardian's count drops now.
      for (const r of rows) {
        if (r.entity === 'guardian_link' && r.studentId) users.push(...(await guardiansEverLinked(app.store, r.studentId)));
      }
      await pushBadges(app, users);
      // What those rows queued (their notifications' mail) goes now; the sender's timer is the safety net.
      void app.mail?.drain();
    },
  });
  app.decorate('publisher', publisher);
  app.addHook('onReady', () => publisher.start());
  app.addHook('onClose', () => publisher.stop());
}

/**
 * The caches follow the change stream: each committed row drops what it names, and a commit of this
 * process keeps them out of use until the publisher has handed that commit's rows on.
 */
function registerCaches(app: FastifyInstance): void {
  app.changes.subscribe((c) => {
    app.sessions.invalidate(c);
    app.journalRows.invalidate(c);
    app.progress.invalidate(c);
  });
  app.visits.onSeen((userId, at) => app.sessions.seen(userId, at));
  const off = app.store.onCommit(() => app.commitGate.committed(app.publisher.drain()));
  app.addHook('onClose', async () => off());
}

/** E-mail, when configured: the sender works the outbox after each commit and on its timer. */
function registerMail(app: FastifyInstance): void {
  const mail = app.config.mail;
  const sender = mail ? new MailSender({
    store: app.store, mail, publicUrl: app.config.publicUrl, secret: app.config.secret, clock: app.clock,
    onError: (err) => app.log.error({ err }, 'sending mail failed'),
  }) : null;
  app.decorate('mail', sender);
  if (!sender) return;
  app.addHook('onReady', async () => sender.start());
  app.addHook('onClose', () => sender.stop());
}
