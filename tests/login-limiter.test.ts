// Login throttling (issue 10.6): nobody can lock an owner out of their account, a lecture hall behind one
// NAT address does not lock itself out, and guessers and sprayers are still slowed down and stopped.
// Unit tests of the limiter and the device cookie on a fixed clock, then the same through the real app.
import { describe, it, expect, afterEach } from 'vitest';
import { sql } from 'drizzle-orm';
import { LoginLimiter, DEFAULT_LIMITS, addressKey, type LoginAttempt } from '../server/auth/login-limiter';
import { deviceFor, cookieAfterLogin, DEVICE_COOKIE } from '../server/auth/device-cookie';
import { makeTestApp, agent, loginAs, type Agent, type TestApp } from './helpers/app';
import { TEST_NOW, DEMO_PASSWORD } from './helpers/constants';

const MIN = 60_000;

describe('LoginLimiter (fixed clock)', () => {
  let now = 1_000_000;
  const make = (o = {}) => new LoginLimiter(o, () => now);
  const untrusted = (account: string, address = '203.0.113.7'): LoginAttempt => ({ account, address, device: null });
  const fail = async (l: LoginLimiter, a: LoginAttempt) => {
    const v = await l.admit(a);
    return v.allowed ? 0 : v.retryAt - now;
  };

  it('an account lets a few untrusted failures through, then each further one waits twice as long, up to the cap', async () => {
    const l = make();
    const a = untrusted('dean@demo.test');
    for (let i = 0; i < 5; i++) expect(await fail(l, a)).toBe(0);
    const waits: number[] = [];
    for (let i = 0; i < 7; i++) {
      const wait = await fail(l, a);
      waits.push(wait);
      // Refused attempts do not count: hammering during the wait changes nothing.
      for (let j = 0; j < 20; j++) expect(await fail(l, a)).toBe(wait);
      now += wait;
      expect(await fail(l, a)).toBe(0);
    }
    expect(waits).toEqual([1, 2, 4, 8, 15, 15, 15].map((m) => m * MIN));
  });

  it('forgets an account’s streak after a quiet window past its delay', async () => {
    const l = make();
    const a = untrusted('x@demo.test');
    for (let i = 0; i < 5; i++) await l.admit(a);
    expect(await fail(l, a)).toBe(MIN);
    now += MIN + DEFAULT_LIMITS.windowMs;
    for (let i = 0; i < 5; i++) expect(await fail(l, a)).toBe(0);
  });

  it('a trusted device is admitted while the account is under attack, and locks only itself', async () => {
    const l = make();
    for (let i = 0; i < 50; i++) await l.admit(untrusted('dean@demo.test', `198.51.100.${i}`));
    const mine: LoginAttempt = { account: 'dean@demo.test', address: '10.0.0.1', device: 'my-device' };
    expect(await l.admit(mine)).toEqual({ allowed: true });
    await l.succeeded(mine);
    for (let i = 0; i < DEFAULT_LIMITS.perDevice; i++) expect(await fail(l, mine)).toBe(0);
    expect(await l.admit(mine)).toMatchObject({ allowed: false, reason: 'account' });
    expect(await l.admit({ ...mine, device: 'other-device' })).toEqual({ allowed: true });
    now += DEFAULT_LIMITS.windowMs;
    expect(await l.admit(mine)).toEqual({ allowed: true });
  });

  it('a trusted device’s success forgets its failures', async () => {
    const l = make();
    const mine: LoginAttempt = { account: 'a@demo.test', address: '10.0.0.1', device: 'd' };
    for (let i = 0; i < DEFAULT_LIMITS.perDevice - 1; i++) await l.admit(mine);
    await l.admit(mine);
    await l.succeeded(mine);
    for (let i = 0; i < DEFAULT_LIMITS.perDevice; i++) expect(await fail(l, mine)).toBe(0);
  });

  it('an address counts failures only: a thousand good logins from one NAT pass, a sprayer is stopped', async () => {
    const l = make();
    for (let i = 0; i < 1000; i++) {
      const a = untrusted(`student${i}@demo.test`, '192.0.2.1');
      expect(await l.admit(a)).toEqual({ allowed: true });
      await l.succeeded(a);
    }
    for (let i = 0; i < DEFAULT_LIMITS.perAddress; i++) expect(await fail(l, untrusted(`victim${i}@demo.test`, '192.0.2.1'))).toBe(0);
    const refused = await l.admit(untrusted('fresh@demo.test', '192.0.2.1'));
    expect(refused).toMatchObject({ allowed: false, reason: 'address' });
    expect(await l.admit(untrusted('fresh@demo.test', '192.0.2.2'))).toEqual({ allowed: true });
    // A browser that proved itself before keeps logging in from behind the sprayed address.
    expect(await l.admit({ account: 'student1@demo.test', address: '192.0.2.1', device: 'd1' })).toEqual({ allowed: true });
    now = (refused as { retryAt: number }).retryAt;
    expect(await l.admit(untrusted('fresh@demo.test', '192.0.2.1'))).toEqual({ allowed: true });
  });

  it('a default limit is high enough for a university: hundreds of failures per address per window', () => {
    expect(DEFAULT_LIMITS.perAddress).toBeGreaterThanOrEqual(300);
    expect(DEFAULT_LIMITS.maxDelayMs).toBeLessThanOrEqual(15 * MIN);
  });

  it('a parallel burst is counted before any password is checked', async () => {
    const l = make();
    const a = untrusted('dean@demo.test');
    const verdicts = await Promise.all(Array.from({ length: 50 }, () => l.admit(a)));
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(DEFAULT_LIMITS.perAccount);
  });

  it('an owner’s success does not hand the guesser a fresh set of free tries', async () => {
    const l = make();
    const a = untrusted('dean@demo.test');
    for (let i = 0; i < 4; i++) await l.admit(a);
    await l.admit(a);
    await l.succeeded(a); // the fifth was the owner
    expect(await fail(l, a)).toBe(0);
    expect(await fail(l, a)).toBe(MIN);
  });

  it('keeps memory bounded: expired buckets are swept, then the least recently used', async () => {
    const l = make({ maxEntries: 1000 });
    for (let i = 0; i < 20_000; i++) await l.admit(untrusted(`u${i}@x.test`, `10.${i >> 16 & 255}.${i >> 8 & 255}.${i & 255}`));
    expect(l.size).toBeLessThanOrEqual(1000);
    now += 2 * DEFAULT_LIMITS.windowMs;
    for (let i = 0; i < 1000; i++) await l.admit(untrusted('one@x.test', '10.9.9.9'));
    expect(l.size).toBeLessThanOrEqual(1000);
  });

  it('counts an IPv6 /64 as one address, and an IPv4-mapped address as IPv4', () => {
    expect(addressKey('::ffff:192.0.2.1')).toBe(addressKey('192.0.2.1'));
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe(addressKey('2001:db8:1:2:bbbb:cccc:dddd:2'));
    expect(addressKey('2001:0db8:0001:0002::1')).toBe(addressKey('2001:db8:1:2::ffff'));
    expect(addressKey('2001:db8:1:3::1')).not.toBe(addressKey('2001:db8:1:2::1'));
    expect(addressKey('::1')).not.toBe(addressKey('2001:db8::1'));
  });
});

describe('device cookie', () => {
  const secret = 'test-secret-test-secret-test-secret-0123';
  const now = TEST_NOW;

  it('names the account without carrying the address, and is genuine only for that account', () => {
    const c = cookieAfterLogin(secret, undefined, 'dean@demo.test', now);
    expect(c).not.toMatch(/dean|@|demo/);
    expect(deviceFor(secret, c, 'dean@demo.test', now)).toBeTruthy();
    expect(deviceFor(secret, c, 'dean-fis@demo.test', now)).toBeNull();
  });

  it('ignores a forged token, one signed with another secret, and an expired one', () => {
    const c = cookieAfterLogin(secret, undefined, 'dean@demo.test', now);
    const last = c.at(-1) === 'A' ? 'B' : 'A';
    expect(deviceFor(secret, c.slice(0, -1) + last, 'dean@demo.test', now)).toBeNull();
    expect(deviceFor('another-secret-another-secret-another', c, 'dean@demo.test', now)).toBeNull();
    expect(deviceFor(secret, c, 'dean@demo.test', now + 366 * 24 * 3600_000)).toBeNull();
    expect(deviceFor(secret, 'garbage~x.y.z.w', 'dean@demo.test', now)).toBeNull();
  });

  it('keeps the device id across logins and holds the last few accounts of a shared browser', () => {
    let c = cookieAfterLogin(secret, undefined, 'dean@demo.test', now);
    const id = deviceFor(secret, c, 'dean@demo.test', now);
    c = cookieAfterLogin(secret, c, 'teacher@demo.test', now + 1000);
    c = cookieAfterLogin(secret, c, 'dean@demo.test', now + 2000);
    expect(deviceFor(secret, c, 'dean@demo.test', now)).toBe(id);
    expect(deviceFor(secret, c, 'teacher@demo.test', now)).toBeTruthy();
    for (let i = 0; i < 10; i++) c = cookieAfterLogin(secret, c, `s${i}@demo.test`, now);
    expect(c.split('~')).toHaveLength(4);
    expect(deviceFor(secret, c, 's9@demo.test', now)).toBeTruthy();
  });
});

describe('through the app', () => {
  let t: TestApp;
  afterEach(async () => { await t?.close(); });

  const ATTACKER = '203.0.113.66';
  const browser = async (address: string) => {
    const a = agent(t.app, { address });
    await a.get('/login');
    return a;
  };
  const login = (a: Agent, email: string, password: string, headers?: Record<string, string>) => a.post('/login', { email, password }, headers);
  const message = (body: string) => /role="alert"[^>]*>([^<]+)</.exec(body)?.[1] ?? '';
  const failures = async () => (await t.store.get<{ n: number }>(sql`SELECT count(*) AS n FROM audit_log WHERE action = 'login.failed'`))!.n;
  /** An owner's browser that logged in before (so it holds a device cookie), then logged out. */
  const trustedBrowser = async (email: string, address: string) => {
    const a = await browser(address);
    expect((await login(a, email, DEMO_PASSWORD)).statusCode).toBe(303);
    expect(a.cookies[DEVICE_COOKIE]).toBeTruthy();
    await a.get('/');
    await a.post('/logout', {});
    await a.get('/login');
    return a;
  };
  const attack = async (email: string, n = 50) => {
    const x = await browser(ATTACKER);
    const codes: number[] = [];
    for (let i = 0; i < n; i++) codes.push((await login(x, email, `guess-${i}`)).statusCode);
    return codes;
  };

  it('50 wrong passwords from elsewhere: the owner’s browser with a device cookie logs in at once', async () => {
    t = await makeTestApp();
    const owner = await trustedBrowser('dean@demo.test', '198.51.100.20');
    const before = await failures();
    const codes = await attack('dean@demo.test');
    expect(codes.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(codes.slice(5).every((c) => c === 429)).toBe(true);
    expect(await failures()).toBe(before + 5); // every checked failure is audited, as before
    const res = await login(owner, 'dean@demo.test', DEMO_PASSWORD);
    expect(res.statusCode).toBe(303);
    expect(res.cookies.find((c) => c.name === 'zsession')?.value).toBeTruthy();
  });

  it('without a device cookie the owner is told when to try again, and gets in at that time', async () => {
    t = await makeTestApp();
    // A patient attacker: 50 guesses, each time the wait is over, for hours.
    const x = await browser(ATTACKER);
    let now = TEST_NOW;
    for (let i = 0; i < 50; i++) {
      const res = await login(x, 'dean@demo.test', `guess-${i}`);
      if (res.statusCode === 429) {
        now += Number(res.headers['retry-after']) * 1000;
        t.setNow(now);
        expect((await login(x, 'dean@demo.test', `guess-${i}-again`)).statusCode).toBe(401);
      }
    }
    expect(now - TEST_NOW).toBeGreaterThan(8 * 3600_000);
    const owner = await browser('198.51.100.21');
    const refused = await login(owner, 'dean@demo.test', DEMO_PASSWORD);
    expect(refused.statusCode).toBe(429);
    expect(refused.cookies.find((c) => c.name === 'zsession')).toBeUndefined();
    const m = /Try again at (\d\d):(\d\d) \(in (\d+) min\)/.exec(message(refused.body));
    expect(m, message(refused.body)).toBeTruthy();
    expect(Number(m![3])).toBeLessThanOrEqual(15);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(Number(m![3]) * 60);
    const ru = await login(owner, 'dean@demo.test', DEMO_PASSWORD, { 'accept-language': 'ru' });
    expect(message(ru.body)).toMatch(/Попробуйте снова в \d\d:\d\d \(через \d+ мин\)/);
    expect(Number(m![3])).toBeGreaterThan(1); // the attacker's streak, not a fresh one
    t.setNow(now + Number(m![3]) * MIN);
    expect((await login(owner, 'dean@demo.test', DEMO_PASSWORD)).statusCode).toBe(303);
  });

  it('an unknown account is throttled exactly like a real one, with the same words', async () => {
    t = await makeTestApp();
    expect(await attack('dean@demo.test', 8)).toEqual(await attack('nobody@demo.test', 8));
    const a = await browser('198.51.100.22');
    const real = await login(a, 'dean@demo.test', 'x');
    const unknown = await login(a, 'nobody@demo.test', 'x');
    expect([real.statusCode, unknown.statusCode]).toEqual([429, 429]);
    expect(message(unknown.body)).toBe(message(real.body));
  });

  it('the delays grow with each failure after the first few', async () => {
    t = await makeTestApp();
    const x = await browser(ATTACKER);
    for (let i = 0; i < 5; i++) expect((await login(x, 'teacher@demo.test', 'nope')).statusCode).toBe(401);
    let now = TEST_NOW;
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      const refused = await login(x, 'teacher@demo.test', 'nope');
      expect(refused.statusCode).toBe(429);
      waits.push(Number(refused.headers['retry-after']));
      now += waits[i] * 1000;
      t.setNow(now);
      expect((await login(x, 'teacher@demo.test', 'nope')).statusCode).toBe(401);
    }
    expect(waits).toEqual([60, 120, 240, 480, 900]);
  });

  it('100 students logging in from one lecture-hall address all get in, mistypes included', async () => {
    t = await makeTestApp();
    const emails = (await t.store.all<{ email: string }>(sql`SELECT u.email FROM users u JOIN user_roles r ON r.user_id = u.id AND r.role = 'student' ORDER BY u.id LIMIT 100`)).map((r) => r.email);
    expect(emails).toHaveLength(100);
    const codes: number[] = [];
    for (const [i, email] of emails.entries()) {
      const a = await browser('192.0.2.10');
      if (i % 5 === 0) expect((await login(a, email, 'typo-typo')).statusCode).toBe(401);
      codes.push((await login(a, email, DEMO_PASSWORD)).statusCode);
    }
    expect(codes.filter((c) => c !== 303)).toEqual([]);
  }, 120_000);

  it('a sprayer failing on many accounts from one address is refused after the address limit', async () => {
    t = await makeTestApp({ loginLimits: { perAddress: 25 } });
    const student = await trustedBrowser('student@demo.test', ATTACKER); // a student behind the same NAT
    const x = await browser(ATTACKER);
    const real = ['teacher2@demo.test', 'dean-fis@demo.test', 'admin@demo.test', 'parent@demo.test', 'teacher-parent@demo.test'];
    for (let i = 0; i < 25; i++) expect((await login(x, i % 5 ? `nobody${i}@demo.test` : real[i / 5], `pw-${i}`)).statusCode).toBe(401);
    const refused = await login(x, 'teacher@demo.test', 'pw-first-try');
    expect(refused.statusCode).toBe(429);
    expect(message(refused.body)).toMatch(/from your network\. Try again at \d\d:\d\d \(in 15 min\)/);
    // Elsewhere the same accounts answer as usual; the trusted student behind the address still gets in.
    expect((await login(await browser('198.51.100.30'), 'teacher@demo.test', 'pw-elsewhere')).statusCode).toBe(401);
    expect((await login(student, 'student@demo.test', DEMO_PASSWORD)).statusCode).toBe(303);
    t.setNow(TEST_NOW + 15 * MIN);
    expect((await login(x, 'teacher@demo.test', DEMO_PASSWORD)).statusCode).toBe(303);
  });

  it('a device cookie of another account, a forged one, or one of another server is ignored', async () => {
    t = await makeTestApp();
    const owner = await trustedBrowser('dean@demo.test', '198.51.100.40');
    // The attacker is a student: their own genuine device cookie gives nothing on the dean's account.
    const x = await trustedBrowser('student@demo.test', ATTACKER);
    const codes: number[] = [];
    for (let i = 0; i < 8; i++) codes.push((await login(x, 'dean@demo.test', `guess-${i}`)).statusCode);
    expect(codes).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    const genuine = owner.cookies[DEVICE_COOKIE];
    const forged = await browser(ATTACKER);
    forged.cookies[DEVICE_COOKIE] = genuine.slice(0, -2) + (genuine.endsWith('AA') ? 'BB' : 'AA');
    expect((await login(forged, 'dean@demo.test', DEMO_PASSWORD)).statusCode).toBe(429);
    const other = await makeTestApp({ env: { SECRET: 'another-secret-another-secret-another-0' } });
    try {
      const elsewhere = agent(other.app);
      await elsewhere.get('/login');
      expect((await login(elsewhere, 'dean@demo.test', DEMO_PASSWORD)).statusCode).toBe(303);
      const foreign = await browser(ATTACKER);
      foreign.cookies[DEVICE_COOKIE] = elsewhere.cookies[DEVICE_COOKIE];
      expect((await login(foreign, 'dean@demo.test', DEMO_PASSWORD)).statusCode).toBe(429);
    } finally {
      await other.close();
    }
    expect((await login(owner, 'dean@demo.test', DEMO_PASSWORD)).statusCode).toBe(303);
  });

  it('a device cookie that keeps failing is locked on its own; the owner’s other browsers are not', async () => {
    t = await makeTestApp();
    const stolen = await trustedBrowser('teacher@demo.test', ATTACKER);
    const laptop = await trustedBrowser('teacher@demo.test', '198.51.100.50');
    for (let i = 0; i < 10; i++) expect((await login(stolen, 'teacher@demo.test', `guess-${i}`)).statusCode).toBe(401);
    const locked = await login(stolen, 'teacher@demo.test', DEMO_PASSWORD);
    expect(locked.statusCode).toBe(429);
    expect(message(locked.body)).toMatch(/Try again at/);
    expect((await login(laptop, 'teacher@demo.test', DEMO_PASSWORD)).statusCode).toBe(303);
    expect((await login(await browser('198.51.100.51'), 'teacher@demo.test', DEMO_PASSWORD)).statusCode).toBe(303);
  });

  it('sets the device cookie HttpOnly, SameSite=Lax, for the login path, for a year; Secure when cookies are', async () => {
    t = await makeTestApp();
    const a = await browser('198.51.100.60');
    const res = await login(a, 'parent@demo.test', DEMO_PASSWORD);
    const c = res.cookies.find((x) => x.name === DEVICE_COOKIE)!;
    expect(c).toBeTruthy();
    expect(c).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/login', maxAge: 365 * 24 * 3600 });
    expect(c.secure).toBeFalsy();
    expect(c.value).not.toMatch(/parent|%40|@/);
    await t.close();
    t = await makeTestApp({ env: { COOKIE_SECURE: 'true' } });
    const b = await browser('198.51.100.61');
    const secure = (await login(b, 'parent@demo.test', DEMO_PASSWORD)).cookies.find((x) => x.name === `__Secure-${DEVICE_COOKIE}`)!;
    expect(secure.secure).toBe(true);
  });

  it('a session cannot be used to guess the current password on the password form; the owner still changes it', async () => {
    t = await makeTestApp();
    const leftOpen = await loginAs(t.app, 'teacher2@demo.test');
    const own = await loginAs(t.app, 'teacher2@demo.test');
    await attack('teacher2@demo.test'); // the login form is under attack too
    const change = (a: Agent, current: string) => a.post('/account/password', { current, next: 'brand-new-password', repeat: 'brand-new-password' });
    for (let i = 0; i < 10; i++) expect((await change(leftOpen, `guess-${i}`)).statusCode).toBe(422);
    const refused = await change(leftOpen, DEMO_PASSWORD);
    expect(refused.statusCode).toBe(429);
    expect(message(refused.body)).toMatch(/Попробуйте снова в \d\d:\d\d \(через 15 мин\)/); // the account's language
    expect((await change(own, DEMO_PASSWORD)).statusCode).toBe(303);
  });
});
