// Attacks (issue 7): CSRF on every POST route of the route table, script/HTML payloads in every
// free-text field rendered escaped everywhere, session rotation and revocation, a login burst, cookie
// flags, and the CSP header on every HTML answer of every GET route. Routes come from
// tests/helpers/routes.ts (the route × role matrix), so a new route is attacked once it has its line.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { makeTestApp, agent, loginAs, userId, type TestApp } from './helpers/app';
import { clientFor } from './helpers/session';
import { MATRIX, USERS, emailOf, loadFixtures, someAllowedUser, type Fixtures } from './helpers/routes';
import { hashToken } from '../server/auth/session';
import { routeTable } from '../server/app';

let t: TestApp;
let f: Fixtures;
beforeAll(async () => {
  t = await makeTestApp();
  f = loadFixtures(t.db);
});
afterAll(async () => { await t.close(); });

const count = (sql: string) => (t.db.$client.prepare(sql).get() as { n: number }).n;
const fingerprint = () => ({
  audit: count('SELECT count(*) n FROM audit_log'),
  sessions: count('SELECT count(*) n FROM sessions'),
  langs: (t.db.$client.prepare("SELECT group_concat(lang) l FROM users WHERE email LIKE '%@demo.test' AND email NOT LIKE '%students%'").get() as { l: string }).l,
  marks: (t.db.$client.prepare('SELECT sum(version) v FROM marks').get() as { v: number }).v,
  attendance: (t.db.$client.prepare('SELECT sum(version) v FROM attendance').get() as { v: number }).v,
});

const postCases = () => Object.entries(MATRIX).filter(([r]) => r.startsWith('POST ')).flatMap(([route, cs]) => cs.map((c) => ({ route, c })));

describe('CSRF on every POST route', () => {
  it('every POST route of the route table is in the matrix (so it is attacked below)', () => {
    const posts = routeTable(t.app).filter((r) => r.method === 'POST').map((r) => `POST ${r.url}`);
    expect(posts.length).toBeGreaterThan(0);
    expect(posts.filter((p) => !MATRIX[p]?.some((c) => c.form))).toEqual([]);
  });

  const attacks: [string, (a: ReturnType<typeof clientFor>, other: ReturnType<typeof clientFor>) => { form?: Record<string, string>; headers?: Record<string, string>; token: string | null }][] = [
    ['a cross-site form post (Sec-Fetch-Site: cross-site) with a valid token', (a) => ({ headers: { 'sec-fetch-site': 'cross-site' }, token: a.csrf })],
    ['a missing token', () => ({ token: null })],
    ['a wrong token', () => ({ token: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' })],
    ['a token from another browser', (_a, other) => ({ token: other.csrf })],
    ['a token in the header from another browser', (_a, other) => ({ headers: { 'x-csrf-token': other.csrf }, token: null })],
  ];

  describe.each(postCases())('$route ($c.name)', ({ c }) => {
    it.each(attacks)('refuses %s and changes nothing', async (_name, make) => {
      const u = someAllowedUser(c);
      const a = clientFor(t.app, t.db, emailOf(u));
      const other = clientFor(t.app, t.db, 'student@demo.test');
      const { headers = {}, token } = make(a, other);
      const form = { ...c.form!(f) };
      const body = new URLSearchParams(Object.entries({ ...form, ...(token !== null ? { _csrf: token } : {}) }).map(([k, v]) => [k, String(v)])).toString();
      const url = c.url(f); // may prepare fixture state: before the snapshot
      const before = fingerprint();
      const res = await a.post(url, body, headers);
      expect(res.statusCode).toBe(403);
      expect(fingerprint()).toEqual(before);
      // The same request with the right token gets through (so the 403 above was the CSRF guard).
      const ok = await a.post(c.url(f), c.form!(f));
      expect(ok.statusCode).not.toBe(403);
    });
  });
});

describe('script and HTML payloads are rendered escaped everywhere', () => {
  const P1 = '<script>alert(1)</script>';
  const P2 = '"><img src=x onerror=alert(1)>';
  const E1 = '&lt;script&gt;alert(1)&lt;/script&gt;';
  const raw = (body: string) => body.includes('<script>alert(1)') || body.includes('<img src=x') || /onerror=alert\(1\)>/.test(body.replace(/&gt;/g, ''));

  beforeAll(() => {
    const q = t.db.$client;
    const student = userId(t.db, 'student@demo.test');
    const teacher = userId(t.db, 'teacher@demo.test');
    // Free text on this branch: user names, lesson topics, mark comments, subject names, reasons (via the route below).
    q.prepare('UPDATE users SET surname = ?, given_name = ?, patronymic = ? WHERE id = ?').run(`Климович${P1}`, `Алина${P2}`, P1, student);
    q.prepare('UPDATE users SET surname = ?, given_name = ? WHERE id = ?').run(`Савицкий${P2}`, `Андрей${P1}`, teacher);
    q.prepare("UPDATE lessons SET topic = ? WHERE course_id = ? OR date = '2026-11-24'").run(`${P1}${P2}`, f.anat1101);
    q.prepare('UPDATE subjects SET name_ru = name_ru || ?, name_en = name_en || ? WHERE id = (SELECT subject_id FROM courses WHERE id = ?)').run(P2, P1, f.anat1101);
    q.prepare('UPDATE marks SET comment = ? WHERE lesson_id IN (SELECT id FROM lessons WHERE course_id = ?)').run(`${P1}${P2}`, f.anat1101);
    q.prepare(`INSERT INTO marks (lesson_id, student_id, value, comment, version, updated_by, updated_at) VALUES (?, ?, 8, ?, 1, ?, 0)
      ON CONFLICT (lesson_id, student_id) DO UPDATE SET comment = excluded.comment`).run(f.lesson.anat1101, student, `${P1}${P2}`, teacher);
  });

  const pages: [string, string | null, (f: Fixtures) => string, boolean][] = [
    // [what, who, url, must show the payload (escaped)]
    ['journal page', 'teacher@demo.test', (x) => `/courses/${x.anat1101}`, true],
    ['journal page, one group', 'teacher@demo.test', (x) => `/courses/${x.anat1101}?group=${(t.db.$client.prepare("SELECT id FROM groups WHERE name = '1101'").get() as { id: number }).id}`, true],
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
    const res = await clientFor(t.app, t.db, email).get(url(f));
    expect(res.statusCode).toBeLessThan(500);
    expect(raw(res.body), res.body.slice(0, 2000)).toBe(false);
    if (shows) expect(res.body).toMatch(/&lt;script&gt;alert\(1\)&lt;\/script&gt;|&quot;&gt;&lt;img src=x onerror=alert\(1\)&gt;/);
  });

  it('the answer to a cell write, with a hostile reason, and the refusal that echoes it', async () => {
    const a = clientFor(t.app, t.db, 'teacher@demo.test');
    const v = (tb: string) => (t.db.$client.prepare(`SELECT version FROM ${tb} WHERE lesson_id = ? AND student_id = ?`).get(f.lesson.anat1101, f.studentAtDemo) as { version: number } | undefined)?.version ?? 0;
    const ok = await a.post(`/courses/${f.anat1101}/cells`, { lessonId: f.lesson.anat1101, studentId: f.studentAtDemo, value: '9', av: v('attendance'), mv: v('marks'), reason: `${P1}${P2}` });
    expect(ok.statusCode).toBe(200);
    expect(raw(ok.body)).toBe(false);
    expect(ok.body).toContain(E1); // the mark comment in the cell's title
    const stored = t.db.$client.prepare("SELECT reason FROM audit_log WHERE entity = 'mark' ORDER BY id DESC LIMIT 1").get() as { reason: string };
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
    expect(t.db.$client.prepare('SELECT 1 FROM sessions WHERE id = ?').get(hashToken(before))).toBeUndefined();
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
    const stolen = clientFor(t.app, t.db, 'teacher2@demo.test');
    expect((await stolen.get(`/courses/${f.anat1101}`)).statusCode).toBe(200);
    const owner = await loginAs(t.app, 'teacher2@demo.test');
    expect((await owner.post('/account/password', { current: 'demo-password', next: 'another-password-1', repeat: 'another-password-1' })).statusCode).toBe(200);
    expect((await stolen.get(`/courses/${f.anat1101}`)).statusCode).toBe(303);
    const v = (tb: string) => (t.db.$client.prepare(`SELECT version FROM ${tb} WHERE lesson_id = ? AND student_id = ?`).get(f.lesson.anat1101, f.studentAtDemo) as { version: number } | undefined)?.version ?? 0;
    const before = [v('attendance'), v('marks')];
    const write = await stolen.post(`/courses/${f.anat1101}/cells`, { lessonId: f.lesson.anat1101, studentId: f.studentAtDemo, value: '2', av: v('attendance'), mv: v('marks'), reason: 'stolen' });
    // Its CSRF token was bound to the session that ended, so the guard stops it before the route.
    expect(write.statusCode).toBe(403);
    expect([v('attendance'), v('marks')]).toEqual(before);
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
        const res = await clientFor(t.app, t.db, emailOf(u)).get(c.url(f), headers);
        if (!String(res.headers['content-type'] ?? '').startsWith('text/html')) continue;
        htmlSeen++;
        const csp = String(res.headers['content-security-policy'] ?? '');
        expect(csp, `${c.url(f)} as ${u}`).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
        expect(csp).toMatch(/default-src 'self'/);
        expect(csp).toMatch(/object-src 'none'/);
        expect(csp).toMatch(/frame-ancestors 'none'/);
        expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
        // Every script tag carries this response's nonce (none inline without it).
        const nonce = /'nonce-([^']+)'/.exec(csp)![1];
        for (const tag of res.body.match(/<script\b[^>]*>/g) ?? []) expect(tag).toContain(`nonce="${nonce}"`);
      }
    }
    if (!c.url(f).startsWith('/public/') && !c.url(f).startsWith('/vendor/')) expect(htmlSeen).toBeGreaterThan(0);
  });
});
