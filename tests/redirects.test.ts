// Open redirects (issue 10, item 4): every redirect target the client chooses (login's `next`, the
// language switch's `back`) ends on this site. The values below were the ones that left the site when the
// check ran before normalisation, plus the usual tricks; each goes through a real login and POST /lang.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { makeTestApp, agent, loginAs, type TestApp, type Agent } from './helpers/app';
import { safeRedirect } from '../server/auth/safe-redirect';
import { DEMO_PASSWORD } from './helpers/constants';

const SITE = 'https://journal.example.edu';

const HOSTILE = [
  '/.//evil.example/', '/a/..//evil.example/', '/%2e//evil.example/', '/%2e%2e//evil.example/', '/..//evil.example/',
  '/./\\evil.example/', '/.%2e//evil.example/', '/%2e./%2e%2e//evil.example/', '/a/b/../../..//evil.example/',
  '//evil.example', '///evil.example', '/\\evil.example', '\\\\evil.example', '\\/evil.example', '/\\/evil.example',
  'https://evil.example/', 'http:evil.example', 'https:/evil.example', '//user:pass@evil.example/', 'evil.example',
  '/%5cevil.example', '/%5c%5cevil.example', '/%2f%2fevil.example', '%2f%2fevil.example', '/%2F/evil.example',
  '/%09/evil.example', '/\t/evil.example', '/\n/evil.example', '/\r\n/evil.example', '/\u0000//evil.example',
  '/ /evil.example', ' //evil.example', '/\u000b/evil.example',
  'javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html,<script>alert(1)</script>',
  '/\uff0f/evil.example', '/\u2215/evil.example', '/\u2044evil.example', '/\uff3c/evil.example',
  '/%E2%80%A8//evil.example', '/a\r\nSet-Cookie: x=1',
];

/** Not slashes to a URL parser: they may stay as (percent-encoded) paths of this site. */
const LOOKALIKE = new Set(['/\u2215/evil.example', '/\u2044evil.example']);

/** What a browser does with the Location: resolve it against the page it is on. */
function assertStays(location: string | undefined, what: string) {
  expect(location, what).toMatch(/^\/(?![/\\])/);
  expect(location, what).toMatch(/^[\x21-\x7e]*$/); // plain ASCII, nothing a header could split on
  expect(new URL(location!, `${SITE}/login`).origin, what).toBe(SITE);
  expect(new URL(decodeURIComponent(location!), `${SITE}/login`).origin, what).toBe(SITE);
}

let t: TestApp;
let lang: Agent;
beforeAll(async () => {
  // One real login per value: the limiter must not get in the way of this test.
  t = await makeTestApp({ env: { PUBLIC_URL: SITE, COOKIE_SECURE: 'false' }, loginLimits: { windowMs: 60_000, perAccount: 10_000, perAddress: 10_000 } });
  lang = await loginAs(t.app, 'admin@demo.test');
});
afterAll(async () => { await t.close(); });

describe('redirect targets from the client stay on the site', () => {
  it('falls back to / for every one of at least 30 hostile values (a slash look-alike may stay, as a local path)', () => {
    expect(HOSTILE.length).toBeGreaterThanOrEqual(30);
    for (const v of HOSTILE) {
      const out = safeRedirect(v);
      assertStays(out, JSON.stringify(v));
      if (!LOOKALIKE.has(v)) expect(out, JSON.stringify(v)).toBe('/');
    }
  });

  it.each(HOSTILE.map((v) => [JSON.stringify(v), v]))('POST /login with next=%s lands on the site', async (_name, next) => {
    const a = agent(t.app);
    await a.get('/login');
    const res = await a.post('/login', { email: 'student@demo.test', password: DEMO_PASSWORD, next });
    expect(res.statusCode).toBe(303);
    expect(res.cookies.some((c) => c.name === 'zsession' && c.value)).toBe(true); // a real, successful login
    assertStays(res.headers.location, next);
    if (!LOOKALIKE.has(next)) expect(res.headers.location).toBe('/');
  });

  it.each(HOSTILE.map((v) => [JSON.stringify(v), v]))('POST /lang with back=%s lands on the site', async (_name, back) => {
    const res = await lang.post('/lang', { lang: 'ru', back });
    expect(res.statusCode).toBe(303);
    assertStays(res.headers.location, back);
    if (!LOOKALIKE.has(back)) expect(res.headers.location).toBe('/');
    const anon = agent(t.app);
    await anon.get('/login');
    const before = await anon.post('/lang', { lang: 'en', back });
    expect(before.statusCode).toBe(303);
    assertStays(before.headers.location, back);
  });

  it('keeps a legitimate target with its query and fragment, through login and the language switch', async () => {
    const a = agent(t.app);
    await a.get('/login?next=%2Fcourses%2F5%3Fx%3D1%23y');
    const res = await a.post('/login', { email: 'teacher@demo.test', password: DEMO_PASSWORD, next: '/courses/5?x=1#y' });
    expect(res.headers.location).toBe('/courses/5?x=1#y');
    expect((await lang.post('/lang', { lang: 'ru', back: '/courses/5?x=1#y' })).headers.location).toBe('/courses/5?x=1#y');
    expect((await lang.post('/lang', { lang: 'ru', back: '/students/18' })).headers.location).toBe('/students/18');
  });

  it('percent-encodes what a Location header may not carry, and resolves harmless dot segments', () => {
    expect(safeRedirect('/Ā')).toBe('/%C4%80');
    expect(safeRedirect('/courses/1?group=2')).toBe('/courses/1?group=2');
    expect(safeRedirect('/a/../courses/1')).toBe('/courses/1');
    expect(safeRedirect('/courses/"x"')).toBe('/courses/%22x%22');
    expect(safeRedirect(undefined)).toBe('/');
    expect(safeRedirect(['/courses/1'])).toBe('/');
    expect(safeRedirect('')).toBe('/');
  });
});
