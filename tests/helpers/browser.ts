import { beforeAll, afterAll } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { AddressInfo } from 'node:net';
import { makeTestApp, type TestApp } from './app';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's Chromium, headless, with the flags this machine's closed network needs. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

export type LiveServer = TestApp & { url: string };

/** The real app listening on a free loopback port, on a copy of the seeded demo database. */
export async function startServer(): Promise<LiveServer> {
  const t = await makeTestApp({ env: { PUBLIC_URL: 'http://127.0.0.1:1' } });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  t.app.config.publicUrl = url;
  return { ...t, url };
}

export async function browserLogin(page: Page, base: string, email: string, password = 'demo-password'): Promise<void> {
  await page.goto(`${base}/login`);
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', password);
  await Promise.all([page.waitForURL(`${base}/`), page.click('button[type=submit].primary')]);
}

/**
 * A live server and a Chromium for one test file: started before its tests, closed after.
 * Read `env.server` and `env.browser` inside tests (they exist once beforeAll has run).
 */
export function useServerAndBrowser(): { server: LiveServer; browser: Browser } {
  const env = {} as { server: LiveServer; browser: Browser };
  beforeAll(async () => {
    env.server = await startServer();
    env.browser = await launchBrowser();
  });
  afterAll(async () => {
    await env.browser?.close();
    await env.server?.close();
  });
  return env;
}
