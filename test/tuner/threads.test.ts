// `concurrency: n` with `threads`: n trials at once in n worker threads, sharing the tuner's storage (memory
// included). Thread ids are read from inside the objectives, so the tests check where trials ran, not how fast.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { BayesianOptimization, GridSearch, RandomSearch } from '../../src/tuner/tuners.js';
import { HyperParameters } from '../../src/tuner/hyperparameters.js';
import { MemoryStorage } from '../../src/tuner/storage/memory.js';
import { Tuner } from '../../src/tuner/tuner.js';
import { RandomOracle } from '../../src/tuner/oracles/random.js';
import { BayesianOracle } from '../../src/tuner/oracles/bayesian.js';
import { mix } from '../../src/tuner/tuner.js';
import { Rng } from '../../src/tensor/random.js';

const MODULE = fileURLToPath(new URL('./thread-objectives.js', import.meta.url));
const notHere = () => {
  throw new Error('ran in the main thread');
};

test('optimize with concurrency 2 and threads runs every trial in a worker thread', async () => {
  const storage = new MemoryStorage();
  const tuner = new RandomSearch({ storage, studyName: 'where', verbose: 0, maxTrials: 8, seed: 1, concurrency: 2, threads: { module: MODULE, objective: 'whichThread' } });
  const best = await tuner.optimize(notHere);
  assert.equal(tuner.trials.length, 8);
  for (const t of tuner.trials) {
    assert.equal(t.status, 'complete', t.error);
    assert.ok(t.value! > 0, 'not the main thread (threadId 0)');
    assert.match(t.worker!, /\/thread-[01]$/);
  }
  assert.equal(best.value, Math.min(...tuner.trials.map((t) => t.value!)));
  assert.deepEqual(tuner.space.map((p) => p.name), ['x'], 'the main tuner learnt the space declared in the threads');
  // concurrency 1 runs the function given to optimize, here
  const one = new RandomSearch({ storage: 'memory', verbose: 0, maxTrials: 2, concurrency: 1, threads: { module: MODULE, objective: 'whichThread' } });
  await one.optimize((hp) => hp.int('x', 0, 9));
  assert.ok(one.trials.every((t) => t.status === 'complete'));
});

test('BayesianOptimization across two threads: pending trials are not proposed again, the budget is exact', async () => {
  const storage = new MemoryStorage();
  const hp = new HyperParameters();
  hp.int('x', 0, 29);
  hp.int('y', 0, 4);
  const tuner = new BayesianOptimization({
    storage, studyName: 'bo', verbose: 0, maxTrials: 14, seed: 2, numInitialPoints: 3, candidates: 100, hyperparameters: hp,
    concurrency: 2, threads: { module: MODULE, objective: 'cpuObjective' },
  });
  await tuner.optimize(notHere);
  const trials = await storage.getTrials('bo');
  assert.equal(trials.length, 14);
  assert.ok(trials.every((t) => t.status === 'complete'), JSON.stringify(trials.map((t) => t.error)));
  const points = trials.map((t) => `${t.hyperparameters.x},${t.hyperparameters.y}`);
  assert.equal(new Set(points).size, 14, `no point twice: ${points.join(' ')}`);
  for (const t of trials) assert.equal(t.value, ((t.hyperparameters.x as number) - 7) ** 2 + ((t.hyperparameters.y as number) - 2) ** 2);
  assert.equal(new Set(trials.map((t) => t.worker)).size <= 2, true);
});

test('a Bayesian proposal in one thread treats the trial running in the other thread as pending', async () => {
  const storage = new MemoryStorage();
  const hp = new HyperParameters();
  hp.int('x', 0, 29);
  hp.int('y', 0, 4);
  const options = { numInitialPoints: 3, candidates: 100 };
  const tuner = new BayesianOptimization({ storage, studyName: 'pending', verbose: 0, maxTrials: 8, seed: 3, hyperparameters: hp, ...options, concurrency: 2, threads: { module: MODULE, objective: 'gatedObjective' } });
  await tuner.optimize(notHere);
  const trials = await storage.getTrials('pending');
  assert.ok(trials.every((t) => t.status === 'complete'));
  assert.ok(trials[6].startedAt <= trials[5].finishedAt!, 'trial 6 was claimed while trial 5 ran');
  assert.notEqual(trials[6].worker, trials[5].worker, 'in the other thread');
  // When trial 6 was claimed, trials 0-4 were complete (each thread runs one trial at a time) and 5 was running:
  // replaying the GP proposal from exactly that state gives trial 6, so the thread saw trial 5 as pending.
  const oracle = new BayesianOracle(options);
  const pending = [...trials.slice(0, 5), { ...trials[5], status: 'running' as const, value: null }];
  const proposal = oracle.propose({ space: hp.space, trials: pending, direction: 'minimize', rng: new Rng(mix(3, 6)) });
  assert.deepEqual(proposal, trials[6].hyperparameters, 'the thread proposed trial 6 seeing trial 5 pending');
  assert.notDeepEqual(trials[6].hyperparameters, trials[5].hyperparameters);
});

test('GridSearch in threads covers a define-by-run grid once', async () => {
  const storage = new MemoryStorage();
  await new GridSearch({ storage, studyName: 'grid', verbose: 0, concurrency: 2, threads: { module: MODULE, objective: 'cpuObjective' } }).optimize(notHere);
  const trials = await storage.getTrials('grid');
  assert.equal(trials.length, 150);
  assert.equal(new Set(trials.map((t) => `${t.hyperparameters.x},${t.hyperparameters.y}`)).size, 150);
});

test('search() in threads: the module\'s hypermodel and data, the objective from the history', async () => {
  const storage = new MemoryStorage();
  const { buildModel } = await import('./thread-objectives.js');
  const tuner = new GridSearch({ hypermodel: buildModel, objective: 'val_loss', storage, studyName: 'kt', verbose: 0, concurrency: 2, threads: { module: MODULE, hypermodel: 'buildModel', data: 'loadData' } });
  await tuner.search([[0]], [[0]], { epochs: 3 });
  assert.equal(tuner.trials.length, 5);
  for (const t of tuner.trials) {
    assert.equal(t.value, ((t.hyperparameters.units as number) - 24) ** 2 / 100 + 1 / 3);
    assert.ok(t.history!.thread.every((id) => id > 0), 'fitted in a worker thread');
  }
  assert.equal(tuner.getBestHyperparameters(1)[0].get('units'), 24);
});

test('bad threads options are errors naming the option', async () => {
  assert.throws(() => new RandomSearch({ threads: { module: '' } }), /threads must be \{ module/);
  assert.throws(() => new RandomSearch({ threads: { module: MODULE, objective: 'a', hypermodel: 'b', data: 'c' } }), /not both/);
  assert.throws(() => new RandomSearch({ threads: { module: MODULE, hypermodel: 'b' } }), /needs threads.data/);
  const noData = new RandomSearch({ ...{ storage: 'memory', verbose: 0 }, hypermodel: () => ({ stopTraining: false, fit: async () => ({ history: { val_loss: [1] } }) }), concurrency: 2, threads: { module: MODULE } });
  await assert.rejects(noData.search([[0]], [[0]]), /threads needs the module's hypermodel and data exports/);
  class MyTuner extends Tuner {
    constructor() {
      super(new RandomOracle(), { storage: 'memory', verbose: 0, maxTrials: 2, concurrency: 2, threads: { module: MODULE, objective: 'whichThread' } });
    }
  }
  await assert.rejects(new MyTuner().optimize(notHere), /MyTuner: worker threads rebuild the tuner by class name/);
  const pruned = new RandomSearch({ storage: 'memory', verbose: 0, concurrency: 2, threads: { module: MODULE }, pruner: { shouldPrune: () => false } });
  await assert.rejects(pruned.optimize(notHere), /only rebuild a MedianPruner/);
  const missing = new RandomSearch({ storage: 'memory', verbose: 0, concurrency: 2, threads: { module: MODULE, objective: 'nope' } });
  await assert.rejects(missing.optimize(notHere), /has no function export "nope"/);
});
