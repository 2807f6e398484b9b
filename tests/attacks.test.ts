// Attacks (issue 7): CSRF on every POST route of the route table, script/HTML payloads in every
// free-text field rendered escaped everywhere, session rotation and revocation, a login burst, cookie
// flags, and the CSP header on every HTML answer of every GET route. Routes come from
// tests/helpers/routes.ts (the route × role matrix), so a new route is attacked once it has its line.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { sql } from 'drizzle-orm';
import { makeTestApp, agent, loginAs, userId, type TestApp } from './helpers/app';
import { clientFor, type Client } from './helpers/session';
import { MATRIX, USERS, emailOf, loadFixtures, someAllowedUser, type Fixtures } from './helpers/routes';
import { hashToken } from '../server/auth/session';
import { routeTable } from '../server/app';

let t: TestApp;
let f: Fixtures;
beforeAll(async () => {
  t = await makeTestApp();
  f = await loadFixtures(t.store);
});
afterAll(async () => { await t.close(); });

const count = async (table: 'audit_log' | 'sessions') => (await t.store.get<{ n: number }>(sql`SELECT count(*) AS n FROM ${sql.raw(table)}`))!.n;
const fingerprint = async () => ({
  audit: await count('audit_log'),
  sessions: await count('sessions'),
  // The languages of the demo staff accounts, joined in TypeScript (no group_concat in shared SQL).
  langs: (await t.store.all<{ lang: string }>(sql`SELECT lang FROM users WHERE lower(email) LIKE '%@demo.test' AND lower(email) NOT LIKE '%students%' ORDER BY id`)).map((r) => r.lang).join(','),
  marks: (await t.store.get<{ v: number }>(sql`SELECT sum(version) AS v FROM marks`))!.v,
  attendance: (await t.store.get<{ v: number }>(sql`SELECT sum(version) AS v FROM attendance`))!.v,
});

// A route authorised by its URL's signed token (csrf: false) takes no CSRF token: tests/mail-links.test.ts attacks the token.
const postCases = () => Object.entries(MATRIX).filter(([r]) => r.startsWith('POST ')).flatMap(([route, cs]) => cs.filter((c) => c.csrf !== false).map((c) => ({ route, c })));

describe('CSRF on every POST route', () => {
  it('every POST route of the route table is in the matrix (so it is attacked below)', () => {
    const posts = routeTable(t.app).filter((r) => r.method === 'POST').map((r) => `POST ${r.url}`);
    expect(posts.length).toBeGreaterThan(0);
    expect(posts.filter((p) => !MATRIX[p]?.some((c) => c.form))).toEqual([]);
  });

  const attacks: [string, (a: Client, other: Client) => { form?: Record<string, string>; headers?: Record<string, string>; token: string | null }][] = [
    ['a cross-site form post (Sec-Fetch-Site: cross-site) with a valid token', (a) => ({ headers: { 'sec-fetch-site': 'cross-site' }, token: a.csrf })],
    ['a missing token', () => ({ token: null })],
    ['a wrong token', () => ({ token: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' })],
    ['a token from another browser', (_a, other) => ({ token: other.csrf })],
    ['a token in the header from another browser', (_a, other) => ({ headers: { 'x-csrf-token': other.csrf }, token: null })],
  ];

  describe.each(postCases())('$route ($c.name)', ({ c }) => {
    it.each(attacks)('refuses %s and changes nothing', async (_name, make) => {
      const u = someAllowedUser(c);
      const a = await clientFor(t.app, t.store, emailOf(u));
      const other = await clientFor(t.app, t.store, 'student@demo.test');
      const { headers = {}, token } = make(a, other);
      const form = { ...(await c.form!(f)) };
      const body = new URLSearchParams(Object.entries({ ...form, ...(token !== null ? { _csrf: token } : {}) }).map(([k, v]) => [k, String(v)])).toString();
      const url = await c.url(f); // may prepare fixture state: before the snapshot
      const before = await fingerprint();
      const res = await a.post(url, body, headers);
      expect(res.statusCode).toBe(403);
      expect(await fingerprint()).toEqual(before);
      // The same request with the right token gets through (so the 403 above was the CSRF guard).
      const ok = await a.post(await c.url(f), await c.form!(f));
      expect(ok.statusCode).not.toBe(403);
    });
  });
});

describe('script and HTML payloads are rendered escaped everywhere', () => {
  const P1 = '<script>alert(1)</script>';
  const P2 = '"><img src=x onerror=alert(1)>';
  const E1 = '&lt;script&gt;alert(1)&lt;/script&gt;';
  const raw = (body: string) => body.includes('<script>alert(1)') || body.includes('<img src=x') || /onerror=alert\(1\)>/.test(body.replace(/&gt;/g, ''));

  beforeAll(async () => {
    const student = await userId(t.store, 'student@demo.test');
    const teacher = await userId(t.store, 'teacher@demo.test');
    // Free text on this branch: user names, lesson topics, mark comments, subject names, reasons (via the route below).
    await t.store.tx(async (tx) => {
      await tx.run(sql`UPDATE users SET surname = ${`Климович${P1}`}, given_name = ${`Алина${P2}`}, patronymic = ${P1} WHERE id = ${student}`);
      await tx.run(sql`UPDATE users SET surname = ${`Савицкий${P2}`}, given_name = ${`Андрей${P1}`} WHERE id = ${teacher}`);
      await tx.run(sql`UPDATE lessons SET topic = ${`${P1}${P2}`} WHERE course_id = ${f.anat1101} OR date = '2026-11-24'`);
      await tx.run(sql`UPDATE subjects SET name_ru = name_ru || ${P2}, name_en = name_en || ${P1} WHERE id = (SELECT subject_id FROM courses WHERE id = ${f.anat1101})`);
      await tx.run(sql`UPDATE marks SET comment = ${`${P1}${P2}`} WHERE lesson_id IN (SELECT id FROM lessons WHERE course_id = ${f.anat1101})`);
      await tx.run(sql`INSERT INTO marks (lesson_id, student_id, value, comment, version, updated_by, updated_at) VALUES (${f.lesson.anat1101}, ${student}, 8, ${`${P1}${P2}`}, 1, ${teacher}, 0)
        ON CONFLICT (lesson_id, student_id) DO UPDATE SET comment = excluded.comment`);
    });
  });

  const pages: [string, string | null, (f: Fixtures) => string | Promise<string>, boolean][] = [
    // [what, who, url, must show the payload (escaped)]
    ['journal page', 'teacher@demo.test', (x) => `/courses/${x.anat1101}`, true],
    ['journal page, one group', 'teacher@demo.test', async (x) => `/courses/${x.anat1101}?group=${(await t.store.get<{ id: number }>(sql`SELECT id FROM groups WHERE name = '1101'`))!.id}`, true],
    ['journal page (dean)', 'dean@demo.test', (x) => `/courses/${x.anat1101}`, true],
    ['cell fragment', 'teacher@demo.test', (x) => `/courses/${x.anat1101}/cells/${x.lesson.anat1101}/${x.studentAtDemo}`, true],
    ['teacher home', 'teacher@demo.test', () => '/', true],
    ['student home', 'student@demo.test', () => '/', true],
    ['parent home', 'parent@demo.test', () => '/', true],
    ['admin home', 'admin@demo.test', () => '/', false],
    ['account page', 'student@demo.test', () => '/account', false],
    ['login page with a hostile next', null, () => `/login?next=${encodeURIComponent(P2 + P1)}`, true],
    ['404 page with a hostile path', 'teacher@demo.test', () => `/nope/${encodeURIComponent(P1)}`, false],
  ];

  it.each(pages)('%s', async (_what, email, url, shows) => {
    const res = await (await clientFor(t.app, t.store, email)).get(await url(f));
    expect(res.statusCode).toBeLessThan(500);
    expect(raw(res.body), res.body.slice(0, 2000)).toBe(false);
    if (shows) expect(res.body).toMatch(/&lt;script&gt;alert\(1\)&lt;\/script&gt;|&quot;&gt;&lt;img src=x onerror=alert\(1\)&gt;/);
  });

  it('the answer to a cell write, with a hostile reason, and the refusal that echoes it', async () => {
    const a = await clientFor(t.app, t.store, 'teacher@demo.test');
    const v = async (tb: 'attendance' | 'marks') => (await t.store.get<{ version: number }>(sql`SELECT version FROM ${sql.raw(tb)} WHERE lesson_id = ${f.lesson.anat1101} AND student_id = ${f.studentAtDemo}`))?.version ?? 0;
    const ok = await a.post(`/courses/${f.anat1101}/cells`, { lessonId: f.lesson.anat1101, studentId: f.studentAtDemo, value: '9', av: await v('attendance'), mv: await v('marks'), reason: `${P1}${P2}` });
    expect(ok.statusCode).toBe(200);
    expect(raw(ok.body)).toBe(false);
    expect(ok.body).toContain(E1); // the mark comment in the cell's title
    const stored = (await t.store.get<{ reason: string }>(sql`SELECT reason FROM audit_log WHERE entity = 'mark' ORDER BY id DESC LIMIT 1`))!;
    expect(stored.reason).toBe(`${P1}${P2}`); // stored as typed, escaped only when shown
    const bad = await a.post(`/courses/${f.anat1101}/cells`, { lessonId: f.lesson.anat1101, studentId: f.studentAtDemo, value: P1, av: 0, mv: 0, reason: P2 });
    expect(bad.statusCode).toBeGreaterThanOrEqual(400);
    expect(raw(bad.body)).toBe(false);
    const stale = await a.post(`/courses/${f.anat1101}/cells`, { lessonId: f.lesson.anat1101, studentId: f.studentAtDemo, value: '5', av: 0, mv: 0, reason: 'x'.repeat(5) });
    expect(stale.statusCode).toBe(409); // the conflict names who changed it: the teacher, whose name is hostile
    expect(raw(stale.body)).toBe(false);
    expect(stale.body).toMatch(/Савицкий&quot;&gt;&lt;img/);
  });

  it('a hostile e-mail echoed back by the login form', async () => {
    const a = agent(t.app);
    await a.get('/login');
    const res = await a.post('/login', { email: `${P2}@x.test`, password: 'x' });
    expect([401, 429]).toContain(res.statusCode);
    expect(raw(res.body)).toBe(false);
  });
});

describe('sessions', () => {
  it('rotates the token on login: the pre-login token is dead', async () => {
    const a = await loginAs(t.app, 'parent@demo.test');
    const before = a.cookies.zsession;
    await a.post('/login', { email: 'parent@demo.test', password: 'demo-password' });
    expect(a.cookies.zsession).toBeTruthy();
    expect(a.cookies.zsession).not.toBe(before);
    expect(await t.store.get(sql`SELECT 1 AS one FROM sessions WHERE id = ${hashToken(before)}`)).toBeUndefined();
    expect((await t.app.inject({ url: '/', headers: { cookie: `zsession=${before}` } })).statusCode).toBe(303);
  });

  it('refuses the token after logout', async () => {
    const a = await loginAs(t.app, 'parent@demo.test');
    const token = a.cookies.zsession;
    expect((await a.post('/logout', {})).statusCode).toBe(303);
    const res = await t.app.inject({ url: `/courses/${f.anat1101}`, headers: { cookie: `zsession=${token}` } });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toMatch(/^\/login/);
  });

  it('refuses every other token of the account after a password change', async () => {
    const stolen = await clientFor(t.app, t.store, 'teacher2@demo.test');
    expect((await stolen.get(`/courses/${f.anat1101}`)).statusCode).toBe(200);
    const owner = await loginAs(t.app, 'teacher2@demo.test');
    expect((await owner.post('/account/password', { current: 'demo-password', next: 'another-password-1', repeat: 'another-password-1' })).statusCode).toBe(303);
    expect((await stolen.get(`/courses/${f.anat1101}`)).statusCode).toBe(303);
    const v = async (tb: 'attendance' | 'marks') => (await t.store.get<{ version: number }>(sql`SELECT version FROM ${sql.raw(tb)} WHERE lesson_id = ${f.lesson.anat1101} AND student_id = ${f.studentAtDemo}`))?.version ?? 0;
    const before = [await v('attendance'), await v('marks')];
    const write = await stolen.post(`/courses/${f.anat1101}/cells`, { lessonId: f.lesson.anat1101, studentId: f.studentAtDemo, value: '2', av: await v('attendance'), mv: await v('marks'), reason: 'stolen' });
    // Its CSRF token was bound to the session that ended, so the guard stops it before the route.
    expect(write.statusCode).toBe(403);
    expect([await v('attendance'), await v('marks')]).toEqual(before);
  });
});

describe('login burst', () => {
  it('50 parallel wrong logins for one account from one address: 429s, never a 5xx, then untrusted browsers wait', async () => {
    const b = await makeTestApp(); // default limits: 5 untrusted failures per account before delays start
    try {
      const a = agent(b.app);
      await a.get('/login');
      const res = await Promise.all(Array.from({ length: 50 }, () => a.post('/login', { email: 'dean@demo.test', password: 'guess-guess' })));
      const codes = res.map((r) => r.statusCode);
      expect(codes.filter((c) => c >= 500)).toEqual([]);
      expect(codes.every((c) => c === 401 || c === 429)).toBe(true);
      expect(codes.filter((c) => c === 429).length).toBeGreaterThanOrEqual(20);
      expect(res.every((r) => !r.cookies.some((c) => c.name === 'zsession' && c.value))).toBe(true);
      const right = await a.post('/login', { email: 'dean@demo.test', password: 'demo-password' });
      expect(right.statusCode).toBe(429);
    } finally {
      await b.close();
    }
  }, 60_000);
});

describe('cookie flags', () => {
  it('HttpOnly and SameSite=Lax, not Secure on plain http', async () => {
    const a = agent(t.app);
    await a.get('/login');
    const res = await a.post('/login', { email: 'student@demo.test', password: 'demo-password' });
    for (const name of ['zsession', 'zcsrf']) {
      const c = res.cookies.find((x) => x.name === name)!;
      expect(c, name).toBeTruthy();
      expect(c.httpOnly, name).toBe(true);
      expect(c.sameSite, name).toBe('Lax');
      expect(c.secure, name).toBeFalsy();
    }
  });

  it('Secure, with __Host- names (and HSTS), when PUBLIC_URL is https', async () => {
    const s = await makeTestApp({ env: { PUBLIC_URL: 'https://journal.example.edu' } });
    try {
      const a = agent(s.app);
      const page = await a.get('/login');
      expect(page.cookies.find((c) => c.name === '__Host-zcsrf')?.secure).toBe(true);
      expect(page.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      const res = await a.post('/login', { email: 'student@demo.test', password: 'demo-password' });
      const c = res.cookies.find((x) => x.name === '__Host-zsession')!;
      expect(c.secure).toBe(true);
      expect(c.httpOnly).toBe(true);
      expect(c.sameSite).toBe('Lax');
    } finally {
      await s.close();
    }
  });
});

describe('Content-Security-Policy on every HTML answer of every GET route', () => {
  const gets = Object.entries(MATRIX).filter(([r]) => r.startsWith('GET ')).flatMap(([route, cs]) => cs.map((c) => ({ route, c })));
  it('every GET route of the route table is in the matrix', () => {
    const missing = routeTable(t.app).filter((r) => r.method === 'GET').map((r) => `GET ${r.url}`).filter((k) => !MATRIX[k]);
    expect(missing).toEqual([]);
  });

  it.each(gets)('$route ($c.name), as every user', async ({ c }) => {
    let htmlSeen = 0;
    for (const u of USERS) {
      for (const headers of [{}, { 'hx-request': 'true' }] as Record<string, string>[]) {
        const url = await c.url(f);
        const res = await (await clientFor(t.app, t.store, emailOf(u))).get(url, headers);
        if (!String(res.headers['content-type'] ?? '').startsWith('text/html')) continue;
        htmlSeen++;
        const csp = String(res.headers['content-security-policy'] ?? '');
        expect(csp, `${url} as ${u}`).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
        expect(csp).toMatch(/default-src 'self'/);
        expect(csp).toMatch(/object-src 'none'/);
        expect(csp).toMatch(/frame-ancestors 'none'/);
        expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
        // Every script tag carries this response's nonce (none inline without it).
        const nonce = /'nonce-([^']+)'/.exec(csp)![1];
        for (const tag of res.body.match(/<script\b[^>]*>/g) ?? []) expect(tag).toContain(`nonce="${nonce}"`);
      }
    }
    const url = await c.url(f);
    if (!url.startsWith('/public/') && !url.startsWith('/vendor/')) expect(htmlSeen).toBeGreaterThan(0);
  });
});
