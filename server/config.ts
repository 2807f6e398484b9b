import { z } from 'zod';
import { join, resolve } from 'node:path';
import { isIP } from 'node:net';
import { checkDatabaseUrl, displayUrl } from '../db/client-pg';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const TRUST_PROXY_HINT = 'must be false, true, or the proxies\' addresses '
  + '(IPs or CIDR ranges, comma-separated, such as 10.0.0.5,10.0.1.0/24)';

/**
 * Whom to believe about the client's address (X-Forwarded-For), as Fastify's trustProxy takes it.
 * The safe setting behind a load balancer is its addresses: `true` believes any client that reaches the
 * port directly, and the login limiter counts failures by that address.
 */
export type TrustProxy = boolean | string[];

export function parseTrustProxy(v: string): TrustProxy | null {
  const t = v.trim().toLowerCase();
  if (['true', '1', 'yes'].includes(t)) return true;
  if (['false', '0', 'no'].includes(t)) return false;
  const parts = t.split(',').map((p) => p.trim()).filter(Boolean);
  return parts.length > 0 && parts.every(isAddressOrRange) ? parts : null;
}

function isAddressOrRange(p: string): boolean {
  const [ip, bits, extra] = p.split('/');
  if (extra !== undefined || isIP(ip) === 0) return false;
  if (bits === undefined) return true;
  const max = isIP(ip) === 4 ? 32 : 128;
  return /^\d+$/.test(bits) && Number(bits) <= max;
}

const REDIS_HINT = 'must be a redis:// or rediss:// URL such as redis://127.0.0.1:6379';

const SMTP_HINT = 'must be an smtp:// or smtps:// URL such as smtps://user:password@mail.example.edu:465';
const MAIL_FROM_HINT = 'must be an address such as "Zachetka <journal@example.edu>"';

const EnvSchema = z.object({
  PORT: z.coerce.number({ message: 'must be a port number' }).int('must be a whole number').min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_FILE: z.string().min(1).optional(),
  // postgres://user@host:5432/db selects PostgreSQL; unset, the SQLite file is used.
  DATABASE_URL: z.string().optional().superRefine((v, ctx) => {
    const problem = v === undefined ? null : checkDatabaseUrl(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  DEMO: bool.default(true),
  PUBLIC_URL: z.url({ message: 'must be a full URL such as https://journal.example.edu' }).optional(),
  COOKIE_SECURE: z.enum(['auto', 'true', 'false'], { message: 'must be auto, true or false' }).default('auto'),
  TRUST_PROXY: z.string().default('false').transform((v, ctx) => {
    const parsed = parseTrustProxy(v);
    if (parsed === null) ctx.addIssue({ code: 'custom', message: TRUST_PROXY_HINT });
    return parsed ?? false;
  }),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  UNIVERSITY_TZ: z.string().default('Europe/Minsk').refine(isTimeZone, 'must be an IANA time zone such as Europe/Minsk'),
  SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  REDIS_URL: z
    .url({ message: REDIS_HINT })
    .refine((u) => URL.canParse(u) && /^rediss?:$/.test(new URL(u).protocol), REDIS_HINT)
    .optional(),
  // smtp://user:password@host:587 or smtps://…:465; unset, e-mail is off (the account page says so).
  SMTP_URL: z
    .string()
    .refine((u) => URL.canParse(u) && /^smtps?:$/.test(new URL(u).protocol), SMTP_HINT)
    .optional(),
  MAIL_FROM: z.string().max(200).refine((v) => /^[^<>@\s]+@[^<>@\s]+$|<[^<>@\s]+@[^<>@\s]+>$/.test(v.trim()), MAIL_FROM_HINT).optional(),
  // How long a message being sent stays claimed by its process: after a kill -9 it is sent again after this.
  MAIL_CLAIM_SECONDS: z.coerce.number({ message: 'must be a number of seconds' }).int().min(1).max(3600).default(120),
}).superRefine((e, ctx) => {
  if (e.SMTP_URL && !e.MAIL_FROM) ctx.addIssue({ code: 'custom', path: ['MAIL_FROM'], message: 'is needed with SMTP_URL' });
});


function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  databaseFile: string;
  /** Set: the register is on PostgreSQL at this URL (databaseFile is then unused). */
  databaseUrl: string | undefined;
  demo: boolean;
  publicUrl: string;
  cookieSecure: boolean;
  trustProxy: TrustProxy;
  logLevel: string;
  universityTz: string;
  secret: string | undefined;
  /** Several processes: the bell between them and the shared login limiter go through this Redis. */
  redisUrl: string | undefined;
  /** Unset: e-mail is off. */
  mail: { smtpUrl: string; from: string; claimMs: number } | undefined;
};

export class ConfigError extends Error {}

/** A variable's value for an error message: a database URL's password stays out of logs. */
function shown(name: string, env: Record<string, string | undefined>): string | undefined {
  const v = env[name];
  if ((name === 'DATABASE_URL' || name === 'SMTP_URL') && v) return displayUrl(v);
  return v;
}

/** Reads the environment once at start; a bad value stops the start with the variable's name. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = EnvSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message} (got ${JSON.stringify(shown(String(i.path[0]), env))})`);
    throw new ConfigError(`Invalid configuration:\n${[...new Set(lines)].join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = resolve(e.DATA_DIR);
  const displayHost = e.HOST === '0.0.0.0' || e.HOST === '::' ? 'localhost' : e.HOST;
  const publicUrl = (e.PUBLIC_URL ?? `http://${displayHost}:${e.PORT}`).replace(/\/$/, '');
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseFile: e.DATABASE_FILE ? resolve(e.DATABASE_FILE) : join(dataDir, 'zachetka.sqlite'),
    databaseUrl: e.DATABASE_URL,
    demo: e.DEMO,
    publicUrl,
    cookieSecure: e.COOKIE_SECURE === 'auto' ? publicUrl.startsWith('https:') : e.COOKIE_SECURE === 'true',
    trustProxy: e.TRUST_PROXY,
    logLevel: e.LOG_LEVEL,
    universityTz: e.UNIVERSITY_TZ,
    secret: e.SECRET,
    redisUrl: e.REDIS_URL,
    mail: e.SMTP_URL && e.MAIL_FROM ? { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM.trim(), claimMs: e.MAIL_CLAIM_SECONDS * 1000 } : undefined,
  };
}
