// The parse worker's entry (see off-thread.ts). Plain JavaScript on purpose: on Node 20 a worker started
// on a .ts file fails with ERR_UNKNOWN_FILE_EXTENSION under `tsx server/main.ts` (even given tsx's
// --import flags), and vitest's transform does not reach a worker at all; tsx's tsImport works in both.
import { parentPort, workerData, threadId } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// Compiled (npm start runs dist/): roster.js sits next to this file; from the sources, tsx compiles roster.ts.
const compiled = new URL('./roster.js', import.meta.url);
const { readRoster } = existsSync(fileURLToPath(compiled))
  ? await import(compiled.href)
  : await (await import('tsx/esm/api')).tsImport('./roster.ts', import.meta.url);
let result;
try {
  result = await readRoster(Buffer.from(workerData.bytes));
} catch (err) {
  result = { ok: false, key: 'badFile', detail: String(err) };
}
parentPort.postMessage({ ...result, threadId });
