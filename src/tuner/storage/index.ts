// openStorage: turn a tuner's `storage` option into a StudyStorage.
//   undefined            -> DirectoryStorage at $DESCENT_STUDY_DIR, else ./descent-studies in the working directory
//   'memory'             -> MemoryStorage (this process only)
//   'postgresql://...'   -> PostgresStorage (also 'postgres://')
//   'file://...' or any other string -> DirectoryStorage at that path
//   a StudyStorage       -> itself

import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StudyStorage } from '../trial.js';
import type { StorageOptions } from './common.js';
import { DirectoryStorage } from './directory.js';
import { MemoryStorage } from './memory.js';
import { isStudyStorage } from './is-storage.js';

export { MemoryStorage } from './memory.js';
export { isStudyStorage } from './is-storage.js';
export { DirectoryStorage } from './directory.js';
export { STALE_AFTER_MS, HEARTBEAT_INTERVAL_MS, type StorageOptions } from './common.js';

export const DEFAULT_STUDY_DIR = 'descent-studies';

/** The directory used when no storage is given: $DESCENT_STUDY_DIR or ./descent-studies. */
export function defaultStudyDir(): string {
  const env = process.env.DESCENT_STUDY_DIR;
  return path.resolve(env && env.length > 0 ? env : DEFAULT_STUDY_DIR);
}

export type StorageSpec = string | StudyStorage | undefined;

export async function openStorage(spec?: string | StudyStorage, options: StorageOptions = {}): Promise<StudyStorage> {
  if (spec === undefined || spec === null) return new DirectoryStorage(defaultStudyDir(), options);
  if (typeof spec === 'object') {
    if (isStudyStorage(spec)) return spec;
    throw new Error(`openStorage: storage object lacks StudyStorage methods (openStudy, claimTrial, finishTrial, getTrials, ...)`);
  }
  if (typeof spec !== 'string' || spec.trim() === '') {
    throw new Error(`openStorage: storage must be 'memory', a directory path, a postgresql:// URL or a StudyStorage, got ${JSON.stringify(spec)}`);
  }
  if (spec === 'memory' || spec === ':memory:') return new MemoryStorage(options);
  if (/^postgres(ql)?:\/\//i.test(spec)) {
    const { PostgresStorage } = await import('./postgres.js'); // loads pg only when used
    return PostgresStorage.connect(spec, options);
  }
  if (/^file:\/\//i.test(spec)) return new DirectoryStorage(fileURLToPath(spec), options);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(spec)) {
    throw new Error(`openStorage: unsupported storage URL scheme in ${JSON.stringify(spec)} (use 'memory', a directory path, file:// or postgresql://)`);
  }
  return new DirectoryStorage(spec, options);
}
