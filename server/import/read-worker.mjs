// The parse worker's entry (see off-thread.ts). Plain JavaScript on purpose: on Node 20 a worker started
// on a .ts file fails with ERR_UNKNOWN_FILE_EXTENSION under `tsx server/main.ts` (even given tsx's
// --import flags), and vitest's transform does not reach a worker at all; tsx's tsImport works in both.
import { parentPort, workerData, threadId } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

const { readRoster } = await tsImport('./roster.ts', import.meta.url);
let result;
try {
  result = await readRoster(Buffer.from(workerData.bytes));
} catch (err) {
  result = { ok: false, key: 'badFile', detail: String(err) };
}
parentPort.postMessage({ ...result, threadId });
