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
    [{ DATABASE_URL: 'mysql://u@h/db' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'postgres://127.0.0.1:5432' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'zachetka' }, 'DATABASE_URL'],
  ])('refuses %o naming the variable', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`${name}:`));
  });

  it('selects PostgreSQL by DATABASE_URL, SQLite without it, and keeps a password out of the message', () => {
    expect(loadConfig({}).databaseUrl).toBeUndefined();
    expect(loadConfig({ DATABASE_URL: 'postgresql://z@db.internal:5432/zachetka' }).databaseUrl).toBe('postgresql://z@db.internal:5432/zachetka');
    expect(() => loadConfig({ DATABASE_URL: 'mysql://u:hunter2@h/db' })).toThrow(/must start with postgres:\/\//);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://u:hunter2@h/db' })).not.toThrow(/hunter2/);
  });
});
