// Whether a value is a StudyStorage (duck-typed: storages from other packages or tests count too).

import type { StudyStorage } from '../trial.js';

export function isStudyStorage(x: unknown): x is StudyStorage {
  const s = x as Record<string, unknown>;
  return !!s && typeof s === 'object' &&
    ['openStudy', 'claimTrial', 'reportIntermediate', 'heartbeat', 'finishTrial', 'getTrials', 'listStudies', 'close']
      .every((m) => typeof s[m] === 'function');
}
