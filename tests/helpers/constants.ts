/** Tests stand on a fixed day so "the lesson day" rules and the seed are reproducible. */
export const TEST_TODAY = '2026-11-24';
/** Noon in Minsk (UTC+3) on TEST_TODAY. */
export const TEST_NOW = Date.parse(`${TEST_TODAY}T09:00:00Z`);
export const DEMO_PASSWORD = 'demo-password';
/** The server secret of every test app: signed links (e-mail) are made with it. */
export const TEST_SECRET = 'test-secret-test-secret-test-secret-0123';
