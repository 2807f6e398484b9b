import { describe, it, expect } from 'vitest';
import { loadConfig, ConfigError } from '../server/config';

describe('config from the environment', () => {
  it('has working defaults', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.host).toBe('127.0.0.1');
    expect(c.demo).toBe(true);
    expect(c.databaseFile).toMatch(/data\/zachetka\.sqlite$/);
    expect(c.publicUrl).toBe('http://127.0.0.1:3000');
    expect(c.cookieSecure).toBe(false);
  });

  it('marks cookies Secure when served over HTTPS', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://journal.bsmu.by' }).cookieSecure).toBe(true);
    expect(loadConfig({ PUBLIC_URL: 'https://journal.bsmu.by', COOKIE_SECURE: 'false' }).cookieSecure).toBe(false);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DEMO: 'maybe' }, 'DEMO'],
    [{ PUBLIC_URL: 'journal' }, 'PUBLIC_URL'],
    [{ UNIVERSITY_TZ: 'Mars/Olympus' }, 'UNIVERSITY_TZ'],
    [{ SECRET: 'short' }, 'SECRET'],
    [{ REDIS_URL: 'localhost:6379' }, 'REDIS_URL'],
    [{ REDIS_URL: 'foo' }, 'REDIS_URL'],
    [{ TRUST_PROXY: 'nginx' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: '10.0.0.0/33' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: '10.0.0.1,lb.example.edu' }, 'TRUST_PROXY'],
    [{ REDIS_URL: 'http://127.0.0.1:6379' }, 'REDIS_URL'],
    [{ DATABASE_URL: 'mysql://u@h/db' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'postgres://127.0.0.1:5432' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'zachetka' }, 'DATABASE_URL'],
    [{ SMTP_URL: 'http://mail.example.edu', MAIL_FROM: 'a@b.c' }, 'SMTP_URL'],
    [{ SMTP_URL: 'smtp://mail.example.edu:587' }, 'MAIL_FROM'],
    [{ SMTP_URL: 'smtp://mail.example.edu:587', MAIL_FROM: 'journal' }, 'MAIL_FROM'],
    [{ MAIL_CLAIM_SECONDS: '0' }, 'MAIL_CLAIM_SECONDS'],
  ])('refuses %o naming the variable', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`${name}:`));
  });

  it('takes a redis:// or rediss:// URL for the processes to share', () => {
    expect(loadConfig({}).redisUrl).toBeUndefined();
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379/2' }).redisUrl).toBe('redis://127.0.0.1:6379/2');
    expect(loadConfig({ REDIS_URL: 'rediss://:pw@cache.example.edu:6380' }).redisUrl).toBe('rediss://:pw@cache.example.edu:6380');
    expect(() => loadConfig({ REDIS_URL: 'http://x' })).toThrow(/REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/);
  });

  it('believes X-Forwarded-For from nobody, anybody, or the load balancer’s addresses', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '127.0.0.1' }).trustProxy).toEqual(['127.0.0.1']);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.5, 10.0.1.0/24,::1' }).trustProxy).toEqual(['10.0.0.5', '10.0.1.0/24', '::1']);
  });

  it('selects PostgreSQL by DATABASE_URL, SQLite without it, and keeps a password out of the message', () => {
    expect(loadConfig({}).databaseUrl).toBeUndefined();
    expect(loadConfig({ DATABASE_URL: 'postgresql://z@db.internal:5432/zachetka' }).databaseUrl).toBe('postgresql://z@db.internal:5432/zachetka');
    expect(() => loadConfig({ DATABASE_URL: 'mysql://u:hunter2@h/db' })).toThrow(/must start with postgres:\/\//);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://u:hunter2@h/db' })).not.toThrow(/hunter2/);
  });

  it('turns e-mail on with SMTP_URL and MAIL_FROM only, and keeps the SMTP password out of the message', () => {
    expect(loadConfig({}).mail).toBeUndefined();
    expect(loadConfig({ MAIL_FROM: 'journal@bsmu.by' }).mail).toBeUndefined();
    expect(loadConfig({ SMTP_URL: 'smtps://j:pw@mail.bsmu.by:465', MAIL_FROM: 'Zachetka <journal@bsmu.by>' }).mail)
      .toEqual({ smtpUrl: 'smtps://j:pw@mail.bsmu.by:465', from: 'Zachetka <journal@bsmu.by>', claimMs: 120_000 });
    expect(() => loadConfig({ SMTP_URL: 'imap://j:hunter2@mail.bsmu.by', MAIL_FROM: 'journal@bsmu.by' })).not.toThrow(/hunter2/);
  });
});
