// Concurrency of a study on one machine and across machines: the public surface of src/tuner/workers.

import type { TunerOptions } from '../tuner.js';
import { MedianPruner } from '../pruner.js';
import type { TuneWorkerSpec } from './spec.js';

export { runConcurrent, keepAlive } from './concurrent.js';
export { runWorkerThreads, type ThreadsOptions } from './threads.js';
export { RemoteStorage, serveStorage, type StorageServer } from './remote-storage.js';
export { checkSpec, readSpec, type TuneWorkerSpec, type RunWorkerOptions } from './spec.js';
export { runStudyWorker, tunerOptions, TUNER_CLASSES, type WorkerResult } from './run.js';

/** Where worker threads find the code of a trial: an ES module and the names of its exports. */
export interface ThreadTarget {
  /** Path or file:// URL of the module (import.meta.url of the caller's own module works). */
  module: string;
  /** Export (hp, trial) => number, for optimize(). */
  objective?: string;
  /** Export (hp) => compiled model, for search(); needs `data`. */
  hypermodel?: string;
  /** Export () => { x, y, ...searchOptions } (sync or async), for search(). */
  data?: string;
}

/**
 * The worker spec that makes threads run the same study as a tuner: its class (by name), its JSON-able options
 * (the declared space via hp.toJSON(), a MedianPruner by its settings), the study name, and the thread target.
 * Options that cannot cross a thread boundary (functions, other pruner objects) are an error naming the option.
 */
export function specForThreads(tunerName: string, options: TunerOptions, studyName: string, target: ThreadTarget): TuneWorkerSpec {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) {
    if (v === undefined || k === 'storage' || k === 'studyName' || k === 'concurrency' || k === 'hypermodel' || k === 'threads' || k === 'workerName') continue;
    if (k === 'hyperparameters') out[k] = (v as { toJSON(): unknown }).toJSON();
    else if (k === 'pruner') {
      if (v === null) continue;
      if (!(v instanceof MedianPruner)) throw new Error(`${tunerName}: worker threads can only rebuild a MedianPruner, got ${(v as object).constructor?.name ?? typeof v}`);
      const { nStartupTrials, nWarmupSteps, intervalSteps, nMinTrials } = v;
      out[k] = { median: { nStartupTrials, nWarmupSteps, intervalSteps, nMinTrials } };
    } else {
      if (typeof v === 'function' || (typeof v === 'object' && v !== null && JSON.stringify(v) === undefined)) {
        throw new Error(`${tunerName}: option "${k}" cannot be sent to worker threads (not JSON); use a spec module export instead`);
      }
      out[k] = v;
    }
  }
  return {
    module: target.module,
    ...(target.hypermodel ? { hypermodel: target.hypermodel, data: target.data } : { objective: target.objective ?? 'objective' }),
    tuner: tunerName,
    options: JSON.parse(JSON.stringify(out)),
    studyName,
  };
}
