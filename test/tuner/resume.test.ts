// Complete searches and crash-resume, the same for every tuner (issue 11, faults 2 and 3): a finite space is covered
// completely before the study says it is exhausted, the end message says which limit ended the study, and an
// abandoned trial is re-run once (not counted against maxTrials) while a second abandonment stays failed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BayesianOptimization, GridSearch, Hyperband, RandomSearch, TPESearch } from '../../src/tuner/tuners.js';
import type { Tuner, TunerOptions } from '../../src/tuner/tuner.js';
import { HyperParameters } from '../../src/tuner/hyperparameters.js';
import { MemoryStorage } from '../../src/tuner/storage/memory.js';
import { paramValues, valuesKey } from '../../src/tuner/space.js';
import type { TrialRecord } from '../../src/tuner/trial.js';
import { quiet } from './helpers.js';

const TUNERS: [string, (o: TunerOptions) => Tuner][] = [
  ['RandomSearch', (o) => new RandomSearch(o)],
  ['GridSearch', (o) => new GridSearch(o)],
  ['BayesianOptimization', (o) => new BayesianOptimization({ ...o, numInitialPoints: 4, candidates: 100 })],
  ['TPESearch', (o) => new TPESearch({ ...o, numInitialPoints: 4 })],
  ['Hyperband', (o) => new Hyperband({ ...o, maxEpochs: 9, factor: 3 })],
];

function grid(n: number): HyperParameters {
  const hp = new HyperParameters();
  hp.int('a', 0, n - 1);
  hp.int('b', 0, n - 1);
  return hp;
}
const f = (hp: HyperParameters) => ((hp.get('a') as number) - 2) ** 2 + (hp.get('b') as number);

function captureLog(): { lines: string[]; restore: () => void } {
  const lines: string[] = [];
  const log = console.log;
  console.log = (s: unknown) => void lines.push(String(s));
  return { lines, restore: () => void (console.log = log) };
}

test('RandomSearch over a 10 × 10 grid with maxTrials 400 runs exactly 100 trials and says the space is exhausted', async () => {
  const tuner = new RandomSearch({ storage: 'memory', verbose: 1, maxTrials: 400, seed: 1, hyperparameters: grid(10) });
  const out = captureLog();
  try {
    await tuner.optimize((hp) => hp.int('a', 0, 9) * 10 + hp.int('b', 0, 9));
  } finally {
    out.restore();
  }
  assert.equal(tuner.trials.length, 100);
  assert.equal(new Set(tuner.trials.map((t) => valuesKey(t.hyperparameters))).size, 100);
  assert.match(out.lines.at(-1)!, /^study '.*' finished: the search space is exhausted after 100 trials \(maxTrials 400 not reached\)$/);
  await assert.rejects(tuner.ask(), /is finished \(the search space is exhausted after 100 trials/);
});

test('TPE and Bayesian optimisation run all 36 points of a 6 × 6 space; a smaller maxTrials ends the study by its budget', async () => {
  for (const make of [(o: TunerOptions) => new TPESearch(o), (o: TunerOptions) => new BayesianOptimization({ ...o, candidates: 100 })]) {
    const tuner = make({ ...quiet, maxTrials: 100, seed: 3, hyperparameters: grid(6) });
    await tuner.optimize(f);
    assert.equal(tuner.trials.length, 36, tuner.constructor.name);
    assert.equal(new Set(tuner.trials.map((t) => valuesKey(t.hyperparameters))).size, 36);
    assert.match(tuner.endReason(), /exhausted after 36 trials/);
  }
  const capped = new TPESearch({ ...quiet, maxTrials: 5, seed: 3, hyperparameters: grid(6) });
  await capped.optimize(f);
  assert.equal(capped.endReason(), 'maxTrials 5 reached');
});

/** Run `make` on a 4 × 4 space; the trials listed in `abandon` (by claim order) are marked abandoned while they run. */
async function runWithAbandoned(make: (o: TunerOptions) => Tuner, maxTrials: number | undefined, abandon: (t: TrialRecord, all: readonly TrialRecord[]) => boolean) {
  const storage = new MemoryStorage();
  const tuner = make({ ...quiet, storage, studyName: 's', seed: 5, hyperparameters: grid(4), ...(maxTrials ? { maxTrials } : {}) });
  await tuner.optimize(async (hp, trial) => {
    // Stand-in for a worker killed mid-trial: the next claimer marks its trial abandoned (this result is dropped).
    if (abandon(trial.record, await storage.getTrials('s'))) await storage.finishTrial('s', trial.id, { status: 'failed', error: 'abandoned: worker w (pid 1 on h) is no longer running' });
    return f(hp) + 1 / (trial.epochs ?? 1);
  });
  return tuner.trials;
}

for (const [name, make] of TUNERS) {
  test(`${name}: an abandoned trial is re-run once, first, and not counted against maxTrials; a second abandonment stays failed`, async () => {
    const max = name === 'GridSearch' || name === 'Hyperband' ? undefined : 8;
    const clean = await runWithAbandoned(make, max, () => false);
    const completeOf = (ts: readonly TrialRecord[]) => ts.filter((t) => t.status === 'complete');

    // Trial 2 is abandoned once: its values are claimed again right away, by trial 3.
    const once = await runWithAbandoned(make, max, (t) => t.id === 2);
    assert.equal(once[2].status, 'failed');
    assert.deepEqual(once[3].hyperparameters, { ...once[2].hyperparameters, 'tuner/retry_of': 2 });
    assert.equal(completeOf(once).length, completeOf(clean).length, 'as many complete trials as without the crash');
    assert.equal(once.length, clean.length + 1);
    const keys = completeOf(once).map((t) => JSON.stringify(t.hyperparameters['tuner/epochs'] ?? 0) + valuesKey(t.hyperparameters));
    assert.equal(new Set(keys).size, keys.length, 'no configuration evaluated twice');

    // Abandoned again while re-run: it stays failed (a point that kills its worker is not retried forever).
    const twice = await runWithAbandoned(make, max, (t) => t.id === 2 || t.hyperparameters['tuner/retry_of'] === 2);
    assert.equal(twice[3].status, 'failed');
    assert.ok(!twice.some((t) => t.hyperparameters['tuner/retry_of'] === 3), 'the retry is not retried');
    assert.equal(twice.filter((t) => t.status === 'failed').length, 2);
  });
}

test('Hyperband (maxEpochs 9, factor 3) abandoned during its first promoted trial ends with the same brackets: 12 trials, 5 at 9 epochs', async () => {
  const make = TUNERS.find(([n]) => n === 'Hyperband')![1];
  const brackets = (ts: readonly TrialRecord[]) => ts.filter((t) => t.status === 'complete')
    .map((t) => `${t.hyperparameters['tuner/bracket']}/${t.hyperparameters['tuner/round']}/${t.hyperparameters['tuner/epochs']}`).sort();
  const clean = await runWithAbandoned(make, undefined, () => false);
  const firstPromoted = (t: TrialRecord, all: readonly TrialRecord[]) =>
    typeof t.hyperparameters['tuner/trial_id'] === 'number' && !('tuner/retry_of' in t.hyperparameters) &&
    !all.some((u) => u.id < t.id && typeof u.hyperparameters['tuner/trial_id'] === 'number');
  const crashed = await runWithAbandoned(make, undefined, firstPromoted);
  assert.equal(clean.length, 12);
  assert.equal(clean.filter((t) => t.hyperparameters['tuner/epochs'] === 9).length, 5);
  assert.deepEqual(brackets(crashed), brackets(clean));
  assert.equal(crashed.filter((t) => t.status === 'complete').length, 12);
  const retry = crashed.find((t) => t.hyperparameters['tuner/retry_of'] !== undefined)!;
  assert.deepEqual(paramValues(retry.hyperparameters), paramValues(crashed[retry.hyperparameters['tuner/retry_of'] as number].hyperparameters));
});
