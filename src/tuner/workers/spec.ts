// A worker spec: everything one worker of a stored study needs, as JSON, so that workers can start in other
// threads, processes or machines (`descent tune spec.json`). Functions cannot travel, so the objective or
// hypermodel is named by module and export.
//
//   {
//     "module": "./objective.js",          ES module, relative to the spec file (or a file:// URL)
//     "objective": "objective",            export: (hp) => number | Promise<number>      (Optuna style), or
//     "hypermodel": "buildModel",          export: (hp) => compiled model                (Keras Tuner style)
//     "data": "loadData",                  export: () => { x, y, ...searchOptions }       (with hypermodel)
//     "tuner": "BayesianOptimization",     RandomSearch | GridSearch | BayesianOptimization | Hyperband | ...
//     "options": { "maxTrials": 50, "seed": 1, "direction": "minimize" },
//     "studyName": "mlp-lr",
//     "storage": "postgresql://user@host/db",   default: the default study directory
//     "threads": 2                         worker threads in this process (default 1)
//   }

import { readJsonFile } from '../../io/json-file.js';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { StudyStorage, TrialRecord } from '../trial.js';

export interface TuneWorkerSpec {
  module: string;
  objective?: string;
  hypermodel?: string;
  data?: string;
  tuner: string;
  options?: Record<string, unknown>;
  studyName: string;
  storage?: string;
  threads?: number;
  /** Directory that a relative `module` is resolved against (set from the spec file's location). */
  baseDir?: string;
}

const where = (file?: string) => (file ? `tune spec ${file}` : 'tune spec');

/** Check a spec, naming the first bad field; returns it with defaults filled in. */
export function checkSpec(raw: unknown, file?: string): TuneWorkerSpec {
  const w = where(file);
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new Error(`${w}: expected a JSON object`);
  const s = raw as Record<string, unknown>;
  const str = (k: string, required: boolean) => {
    if (s[k] === undefined && !required) return;
    if (typeof s[k] !== 'string' || (s[k] as string).length === 0) throw new Error(`${w}: "${k}" must be a non-empty string, got ${JSON.stringify(s[k])}`);
  };
  str('module', true);
  str('tuner', true);
  str('studyName', true);
  for (const k of ['objective', 'hypermodel', 'data', 'storage', 'baseDir']) str(k, false);
  if (s.objective !== undefined && s.hypermodel !== undefined) throw new Error(`${w}: give either "objective" or "hypermodel", not both`);
  if (s.hypermodel !== undefined && s.data === undefined) throw new Error(`${w}: "hypermodel" needs "data", the export that returns { x, y, ...searchOptions }`);
  if (s.options !== undefined && (typeof s.options !== 'object' || s.options === null || Array.isArray(s.options))) {
    throw new Error(`${w}: "options" must be an object of tuner options`);
  }
  if (s.threads !== undefined && (!Number.isInteger(s.threads) || (s.threads as number) < 1)) {
    throw new Error(`${w}: "threads" must be a positive integer, got ${JSON.stringify(s.threads)}`);
  }
  for (const k of ['storage', 'studyName', 'concurrency']) {
    if (s.options && k in (s.options as object)) throw new Error(`${w}: put "${k}" at the top level of the spec, not in "options"`);
  }
  const known = new Set(['module', 'objective', 'hypermodel', 'data', 'tuner', 'options', 'studyName', 'storage', 'threads', 'baseDir', '$schema', 'comment']);
  for (const k of Object.keys(s)) if (!known.has(k)) throw new Error(`${w}: unknown field "${k}" (known: ${[...known].filter((x) => !x.startsWith('$')).join(', ')})`);
  return { objective: s.hypermodel === undefined ? 'objective' : undefined, ...(s as unknown as TuneWorkerSpec) };
}

export function readSpec(file: string): TuneWorkerSpec {
  const spec = checkSpec(readJsonFile(file, 'Tune spec'), file);
  return { ...spec, baseDir: spec.baseDir ?? path.dirname(path.resolve(file)) };
}

/** Import the spec's module and return the named export, checking that it is a function. */
export async function loadExport(spec: TuneWorkerSpec, name: string): Promise<(...args: unknown[]) => unknown> {
  const url = /^file:\/\//.test(spec.module) ? spec.module : pathToFileURL(path.resolve(spec.baseDir ?? process.cwd(), spec.module)).href;
  let mod: Record<string, unknown>;
  try {
    mod = await import(url);
  } catch (e) {
    throw new Error(`tune spec: cannot import module ${spec.module} (${url}): ${(e as Error).message}`);
  }
  const fn = mod[name];
  if (typeof fn !== 'function') {
    const exports = Object.keys(mod).join(', ') || 'none';
    throw new Error(`tune spec: module ${spec.module} has no function export "${name}" (exports: ${exports})`);
  }
  return fn as (...args: unknown[]) => unknown;
}

export interface RunWorkerOptions {
  /** Use this storage instead of opening spec.storage (worker threads pass their RemoteStorage). */
  storage?: StudyStorage;
  /** Name recorded with each trial this worker claims. */
  workerName?: string;
  /** Called after each trial this worker (or its threads) finished is stored. */
  onFinished?: (trial: TrialRecord) => void;
}
