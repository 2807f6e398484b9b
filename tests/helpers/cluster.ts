// App processes for the cluster test and bench: real `node --import tsx server/main.ts` children on their
// own ports, sharing a database (DATABASE_URL, or one SQLite file) and a Redis; a minimal browser
// (cookies, the CSRF token of the last page) and a page's live socket, as the crash test has them.
import { spawn, type ChildProcess } from 'node:child_process';
import WebSocket from 'ws';

/** What every process of one cluster shares: the database, Redis, the secret, the public URL. */
export type ClusterEnv = Record<string, string>;

/** The public address of the "load balancer": the Origin the live sockets must come from. */
export const CLUSTER_PUBLIC_URL = 'http://127.0.0.1:8080';

export type AppProcess = { proc: ChildProcess; base: string; output: () => string; kill: (signal?: NodeJS.Signals) => Promise<void> };

export async function startApp(env: ClusterEnv, name: string, script = 'server/main.ts'): Promise<AppProcess> {
  // `node --import tsx`, not the tsx CLI: a SIGKILL must reach the server itself, not a wrapper.
  const proc = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', PUBLIC_URL: CLUSTER_PUBLIC_URL, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name}: no URL printed:\n${out}`)), 90_000);
    proc.stdout!.on('data', () => {
      const m = /running at (http:\/\/\S+)/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    proc.on('exit', () => { clearTimeout(timer); reject(new Error(`${name} exited early:\n${out}`)); });
  });
  const kill = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill(signal);
    await exited;
  };
  return { proc, base, output: () => out, kill };
}

/** A minimal browser: cookie jar, CSRF token read from each page; `forwardedFor` stands for the balancer. */
export class Browser {
  cookies = new Map<string, string>();
  csrf = '';
  constructor(public base: string, private forwardedFor?: string) {}

  private absorb(res: Response) {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i);
      const value = pair.slice(i + 1);
      if (value === '' || /max-age=0|expires=Thu, 01 Jan 1970/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    const h: Record<string, string> = { cookie: this.cookieHeader(), ...extra };
    if (this.forwardedFor) h['x-forwarded-for'] = this.forwardedFor;
    return h;
  }

  cookieHeader() { return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '); }

  async get(path: string, base = this.base) {
    const res = await fetch(base + path, { headers: this.headers(), redirect: 'manual' });
    this.absorb(res);
    const body = await res.text();
    const m = /<meta name="csrf-token" content="([^"]+)"/.exec(body);
    if (m) this.csrf = m[1];
    return { status: res.status, body };
  }

  async post(path: string, form: Record<string, string | number>, base = this.base) {
    const res = await fetch(base + path, {
      method: 'POST', redirect: 'manual',
      headers: this.headers({ 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': this.csrf }),
      body: new URLSearchParams(Object.entries(form).map(([k, v]) => [k, String(v)])).toString(),
    });
    this.absorb(res);
    return { status: res.status, body: await res.text() };
  }

  async login(email: string, password = 'demo-password') {
    await this.get('/login');
    const r = await this.post('/login', { email, password });
    if (r.status === 303) await this.get('/');
    return r;
  }
}

export type Push = { id: number; html?: string; reload?: boolean };
export type Page = { ws: WebSocket; received: Push[] };

/** An open journal page's socket on one process; `received` collects every push. */
export function follow(base: string, b: Browser, courseId: number): Promise<Page> {
  const ws = new WebSocket(`${base.replace('http', 'ws')}/live?page=course:${courseId}`, {
    headers: { origin: CLUSTER_PUBLIC_URL, cookie: b.cookieHeader() },
  });
  const received: Push[] = [];
  ws.on('message', (d) => received.push(JSON.parse(String(d)) as Push));
  ws.on('error', () => {}); // a process may be killed under it
  return new Promise((resolve, reject) => {
    ws.on('open', () => resolve({ ws, received }));
    ws.on('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

/** Waits for a state, up to a deadline; false if it never came. */
export async function until(ok: () => boolean | Promise<boolean>, ms: number, step = 10): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await ok()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, step));
  }
}

/** The cell's versions from a save's answer (the next save must name them). */
export function versionsIn(body: string, lessonId: number, studentId: number): { av: number; mv: number } | null {
  const m = new RegExp(`id="c-${lessonId}-${studentId}"[^>]*data-av="(\\d+)" data-mv="(\\d+)"`).exec(body);
  return m ? { av: Number(m[1]), mv: Number(m[2]) } : null;
}
