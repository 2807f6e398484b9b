// Runs the roster reader in a worker thread, one per upload: reading a spreadsheet is CPU work that
// would otherwise hold every other user's request, and a worker has its own heap limit, so a file that
// still manages to grow memory ends that worker, not the process. At most two run at once (the machine
// has two cores); a third upload is asked to wait rather than queued without bound.
import { Worker } from 'node:worker_threads';
import type { ReadResult } from './roster';
import { LIMITS } from './refusal';

export type OffThreadResult = ReadResult & { threadId?: number; detail?: string };

const MAX_PARALLEL = 2;
const TIMEOUT_MS = 30_000;
let running = 0;

export async function readRosterOffThread(file: Buffer, timeoutMs = TIMEOUT_MS): Promise<OffThreadResult> {
  if (running >= MAX_PARALLEL) return { ok: false, key: 'busy' };
  running++;
  try {
    // One copy, moved to the worker rather than cloned again.
    const bytes = new Uint8Array(file);
    const worker = new Worker(new URL('./read-worker.mjs', import.meta.url), {
      workerData: { bytes }, transferList: [bytes.buffer], execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 32 },
    });
    return await new Promise<OffThreadResult>((resolve) => {
      let done = false;
      const settle = (r: OffThreadResult) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve(r);
        void worker.terminate();
      };
      const timer = setTimeout(() => settle({ ok: false, key: 'tooSlow' }), timeoutMs);
      worker.once('message', (m: OffThreadResult) => settle(m));
      worker.once('error', (err: Error & { code?: string }) =>
        settle(err.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? { ok: false, key: 'tooBig', params: { mb: LIMITS.inflatedBytes / 1024 / 1024 } }
          : { ok: false, key: 'badFile', detail: String(err) }));
      worker.once('exit', () => settle({ ok: false, key: 'badFile', detail: 'the worker exited without an answer' }));
    });
  } finally {
    running--;
  }
}
