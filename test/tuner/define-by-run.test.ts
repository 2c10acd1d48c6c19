// Resuming and sharing studies whose space is declared inside the objective (Optuna style, define-by-run): the
// definitions travel with the trials (TrialRecord.space), so a resumed tuner or another worker knows the space
// before proposing; and a grid point whose only trial was abandoned by a crash is proposed again.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BayesianOptimization, GridSearch, TPESearch } from '../../src/tuner/tuners.js';
import { HyperParameters } from '../../src/tuner/hyperparameters.js';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MemoryStorage } from '../../src/tuner/storage/memory.js';
import { DirectoryStorage } from '../../src/tuner/storage/directory.js';
import type { StudyStorage } from '../../src/tuner/trial.js';
import type { ProposeContext } from '../../src/tuner/oracle.js';
import type { Tuner } from '../../src/tuner/tuner.js';

const grid = (hp: HyperParameters) => 10 * hp.int('a', 0, 2) + hp.choice('b', [0, 1, 2, 3]); // 12 points, distinct values

/** Record the names of the parameters the oracle knew at each proposal. */
function spyOnSpace(tuner: Tuner): string[][] {
  const seen: string[][] = [];
  const propose = tuner.oracle.propose.bind(tuner.oracle);
  (tuner.oracle as { propose: (ctx: ProposeContext) => unknown }).propose = (ctx: ProposeContext) => {
    seen.push(ctx.space.map((p) => p.name));
    return propose(ctx);
  };
  return seen;
}

test('a resumed define-by-run GridSearch runs no point twice and completes the product', async () => {
  const storage = new MemoryStorage();
  const options = { storage, studyName: 'g', verbose: 0 };
  let calls = 0;
  const first = new GridSearch({ ...options, maxTrials: 5 });
  await first.optimize((hp) => (calls++, grid(hp)));
  assert.equal(calls, 5);
  const resumed = new GridSearch(options); // a new process: nothing declared, maxTrials = the grid
  await resumed.optimize((hp) => (calls++, grid(hp)));
  const trials = await storage.getTrials('g');
  assert.equal(calls, 12);
  assert.equal(trials.length, 12);
  assert.ok(trials.every((t) => t.status === 'complete'));
  assert.deepEqual(trials.map((t) => t.value).sort((x, y) => x! - y!), [0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23]);
  assert.deepEqual(trials[0].space, [
    { type: 'int', name: 'a', min: 0, max: 2, step: null, sampling: 'linear', default: 0, conditions: [] },
    { type: 'choice', name: 'b', values: [0, 1, 2, 3], default: 0, conditions: [] },
  ], 'the definitions are stored with the trial');
});

test('several define-by-run GridSearch workers starting a study together cover the grid once', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-dbr-'));
  try {
    await threeWorkers(() => new MemoryStorage()); // one storage shared by the three
    await threeWorkers(() => new DirectoryStorage(dir)); // a storage object each, as three processes would have
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

async function threeWorkers(makeStorage: () => StudyStorage): Promise<void> {
  const shared = makeStorage();
  const storages = [0, 1, 2].map((i) => (shared instanceof MemoryStorage || i === 0 ? shared : makeStorage()));
  const storage = storages[0];
  const workers = storages.map((s) => new GridSearch({ storage: s, studyName: 'g3', verbose: 0 }));
  const objective = async (hp: HyperParameters) => {
    const v = grid(hp);
    await new Promise((r) => setTimeout(r, 2));
    return v;
  };
  await Promise.all(workers.map((w) => w.optimize(objective)));
  const trials = await storage.getTrials('g3');
  assert.equal(trials.length, 12, `trials: ${JSON.stringify(trials.map((t) => t.hyperparameters))}`);
  assert.equal(new Set(trials.map((t) => t.value)).size, 12, 'every point exactly once');
}

test('a resumed define-by-run Bayesian or TPE study proposes from the model, not at random again', async () => {
  for (const make of [
    (o: object) => new BayesianOptimization({ ...o, numInitialPoints: 4, candidates: 100 }),
    (o: object) => new TPESearch({ ...o, numInitialPoints: 4 }),
  ]) {
    const storage = new MemoryStorage();
    const f = (hp: HyperParameters) => (hp.float('x', -5, 10) - 1) ** 2 + hp.int('n', 1, 4);
    await make({ storage, studyName: 's', verbose: 0, maxTrials: 6, seed: 1 }).optimize(f);
    const resumed = make({ storage, studyName: 's', verbose: 0, maxTrials: 8, seed: 1 });
    const spaces = spyOnSpace(resumed);
    await resumed.optimize(f);
    assert.equal((await storage.getTrials('s')).length, 8);
    assert.deepEqual(spaces[0], ['x', 'n'], `${resumed.constructor.name}: the space is known before the first resumed proposal`);
    const t6 = (await storage.getTrials('s'))[6];
    assert.deepEqual(Object.keys(t6.hyperparameters).sort(), ['n', 'x'], 'the proposal holds values for the learned parameters');
  }
});

test('GridSearch proposes again a point whose only trial was abandoned by a crash (once)', async () => {
  const storage = new MemoryStorage();
  const hp = new HyperParameters();
  hp.int('x', 0, 3);
  const space = hp.toJSON();
  const options = { storage, studyName: 'crashed', verbose: 0, hyperparameters: hp };
  // a worker claimed x = 0 and x = 1, completed x = 0 and died during x = 1
  await storage.openStudy('crashed', 'minimize', space);
  for (const x of [0, 1]) await storage.claimTrial('crashed', 'dead', () => ({ x }));
  await storage.finishTrial('crashed', 0, { status: 'complete', value: 0 });
  await storage.finishTrial('crashed', 1, { status: 'failed', error: 'abandoned: worker dead (pid 1 on h) is no longer running' });
  await new GridSearch(options).optimize((h) => h.int('x', 0, 3));
  let trials = await storage.getTrials('crashed');
  const completeXs = trials.filter((t) => t.status === 'complete').map((t) => t.hyperparameters.x).sort();
  assert.deepEqual(completeXs, [0, 1, 2, 3], 'no hole in the grid');
  assert.equal(trials.length, 5);

  // a point abandoned twice stays failed (the objective may be what kills the worker)
  const s2 = new MemoryStorage();
  await s2.openStudy('twice', 'minimize', space);
  for (let i = 0; i < 2; i++) {
    const t = await s2.claimTrial('twice', 'dead', () => ({ x: 2 }));
    await s2.finishTrial('twice', t!.id, { status: 'failed', error: 'abandoned: worker gave no heartbeat for 61 s' });
  }
  await new GridSearch({ ...options, storage: s2, studyName: 'twice' }).optimize((h) => h.int('x', 0, 3));
  trials = await s2.getTrials('twice');
  assert.deepEqual(trials.filter((t) => t.status === 'complete').map((t) => t.hyperparameters.x).sort(), [0, 1, 3]);
  // an ordinary failure (the objective threw) is not retried either
  const s3 = new MemoryStorage();
  let calls = 0;
  await new GridSearch({ ...options, storage: s3, studyName: 'threw' }).optimize((h) => {
    const x = h.int('x', 0, 3);
    calls++;
    if (x === 1) throw new Error('bad point');
    return x;
  });
  assert.equal(calls, 4);
});
