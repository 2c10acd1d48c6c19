// Run one worker of a stored study from a TuneWorkerSpec: build the named tuner with the spec's options, study
// name and storage, and run the objective (optimize) or the hypermodel (search) until the study is finished.
// With spec.threads > 1 the work is split over that many worker threads sharing one storage connection.

import * as tuners from '../tuners.js';
import { MedianPruner, type MedianPrunerOptions } from '../pruner.js';
import { HyperParameters } from '../hyperparameters.js';
import { type SpaceDescription, validateSpec } from '../space.js';
import type { Tuner, TunerOptions } from '../tuner.js';
import type { StudyStorage, TrialRecord } from '../trial.js';
import { openStorage } from '../storage/index.js';
import { loadExport, type RunWorkerOptions, type TuneWorkerSpec } from './spec.js';
import { runWorkerThreads } from './threads.js';

type TunerClass = new (options: TunerOptions) => Tuner;

/** The tuner classes a spec may name. */
export const TUNER_CLASSES: Record<string, TunerClass> = Object.fromEntries(
  Object.entries(tuners).filter(([, v]) => typeof v === 'function') as [string, TunerClass][],
);

export interface WorkerResult {
  /** Every trial of the study when this worker stopped. */
  trials: TrialRecord[];
  /** Trials of the study that finished while this worker ran (by it or by other workers). */
  finished: number;
  /** Which limit ended the study (e.g. 'maxTrials 12 reached'), when this worker ran it in one thread. */
  ended?: string;
}

/**
 * JSON tuner options to constructor options: "pruner": "median" | { "median": {...} } becomes a MedianPruner, and
 * "hyperparameters" (a descent.space/1 description, as hp.toJSON() writes) the space declared up front. Declaring
 * the space up front lets a resumed study know its whole space before the first trial runs.
 */
export function tunerOptions(spec: TuneWorkerSpec): TunerOptions {
  const options = { ...(spec.options ?? {}) } as Record<string, unknown>;
  const hp = options.hyperparameters as SpaceDescription | undefined;
  if (hp !== undefined && !(hp instanceof HyperParameters)) {
    if (!hp || hp.format !== 'descent.space/1' || !Array.isArray(hp.params)) {
      throw new Error(`tune spec: options.hyperparameters must be a descent.space/1 description ({ "format": "descent.space/1", "params": [...] }, as hp.toJSON() writes)`);
    }
    hp.params.forEach(validateSpec);
    options.hyperparameters = HyperParameters.fromJSON(hp);
  }
  const p = options.pruner;
  if (p === 'median') options.pruner = new MedianPruner();
  else if (p && typeof p === 'object' && 'median' in p) options.pruner = new MedianPruner((p as { median: MedianPrunerOptions }).median);
  else if (p !== undefined && p !== null) throw new Error(`tune spec: options.pruner must be "median" or { "median": { ...MedianPruner options } }, got ${JSON.stringify(p)}`);
  return options as TunerOptions;
}

export async function runStudyWorker(spec: TuneWorkerSpec, run: RunWorkerOptions = {}): Promise<WorkerResult> {
  const Cls = TUNER_CLASSES[spec.tuner];
  if (!Cls) throw new Error(`tune spec: unknown tuner "${spec.tuner}" (known: ${Object.keys(TUNER_CLASSES).join(', ')})`);
  const options = tunerOptions(spec);
  const threads = spec.threads ?? 1;
  // load the user's code first, so that a bad module or export fails before any trial is claimed
  const fn = await loadExport(spec, spec.hypermodel ?? spec.objective ?? 'objective');
  const dataFn = spec.hypermodel ? await loadExport(spec, spec.data!) : null;
  const owned = run.storage ? null : await openStorage(spec.storage, options.storageOptions);
  const storage: StudyStorage = withFinishHook(run.storage ?? owned!, run.onFinished);
  try {
    const before = await countFinished(storage, spec.studyName);
    let ended: string | undefined;
    if (threads > 1) {
      await runWorkerThreads({ threads, spec: { ...spec, threads: 1 }, storage, workerName: run.workerName });
    } else {
      const tuner = new Cls({ ...options, studyName: spec.studyName, storage, concurrency: 1, ...(run.workerName ? { workerName: run.workerName } : {}), ...(spec.hypermodel ? { hypermodel: fn as TunerOptions['hypermodel'] } : {}) });
      if (dataFn) {
        const data = (await dataFn()) as { x?: unknown; y?: unknown } & Record<string, unknown>;
        if (!data || typeof data !== 'object' || !('x' in data) || !('y' in data)) {
          throw new Error(`tune spec: export "${spec.data}" must return { x, y, ...searchOptions }, got ${data === null ? 'null' : typeof data}`);
        }
        const { x, y, ...searchOptions } = data;
        await tuner.search(x, y, searchOptions);
      } else {
        await tuner.optimize(fn as Parameters<Tuner['optimize']>[0]);
      }
      ended = tuner.endReason();
    }
    const trials = await storage.getTrials(spec.studyName);
    return { trials, finished: trials.filter((t) => t.status !== 'running').length - before, ...(ended ? { ended } : {}) };
  } finally {
    await owned?.close();
  }
}

async function countFinished(storage: StudyStorage, study: string): Promise<number> {
  try {
    return (await storage.getTrials(study)).filter((t) => t.status !== 'running').length;
  } catch {
    return 0; // the study does not exist yet
  }
}

/** The storage with onFinished called after every finishTrial that returned (the trial is stored by then). */
export function withFinishHook(storage: StudyStorage, onFinished?: (t: TrialRecord) => void): StudyStorage {
  if (!onFinished) return storage;
  return {
    openStudy: (...a) => storage.openStudy(...a),
    claimTrial: (...a) => storage.claimTrial(...a),
    reportIntermediate: (...a) => storage.reportIntermediate(...a),
    heartbeat: (...a) => storage.heartbeat(...a),
    finishTrial: async (...a) => {
      const t = await storage.finishTrial(...a);
      onFinished(t);
      return t;
    },
    getTrials: (...a) => storage.getTrials(...a),
    ...(storage.saveCheckpoint ? { saveCheckpoint: (...a: [string, number, Uint8Array]) => storage.saveCheckpoint!(...a) } : {}),
    ...(storage.loadCheckpoint ? { loadCheckpoint: (...a: [string, number]) => storage.loadCheckpoint!(...a) } : {}),
    listStudies: () => storage.listStudies(),
    close: () => storage.close(),
  };
}
