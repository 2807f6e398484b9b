/** Tests stand on a fixed day so "the lesson day" rules and the seed are reproducible. */
export const TEST_TODAY = '2026-11-24';
/** Noon in Minsk (UTC+3) on TEST_TODAY. */
export const TEST_NOW = Date.parse(`${TEST_TODAY}T09:00:00Z`);
export const DEMO_PASSWORD = 'demo-password';
