// Best-epoch weights (issue 11, fault 1): a trial is scored by its best epoch, so the model handed back, the model
// rebuilt from the study's checkpoint (another process), the model retrained when no checkpoint exists, and the
// weights a Hyperband trial continues from are all that epoch's.
//
// The input: one weight w (no bias, zero init), SGD lr 0.5, full batch, 40 points x = linspace(-1, 1),
// trained toward y = 2x and validated against y = x. With m = mean(x²), each step is w ← w − (w − 2)m and
// val_loss = (w − 1)² m; by hand in float64: epoch index 1 gives w = 1.15611 and val_loss 0.0085401 (the best),
// the last epoch (11) gives 0.34256.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Callback, Dense, Hyperband, RandomSearch, SGD, Sequential, type HyperParameters } from '../../src/index.js';
import { MemoryStorage } from '../../src/tuner/storage/memory.js';
import type { StudyStorage } from '../../src/tuner/trial.js';

const X = Array.from({ length: 40 }, (_, i) => -1 + (2 * i) / 39);
const m = X.reduce((s, x) => s + x * x, 0) / X.length;
const trajectory: number[] = []; // w after each epoch, float64
for (let w = 0, e = 0; e < 12; e++) trajectory.push((w = w - (w - 2) * m));
const valLoss = (w: number) => (w - 1) ** 2 * m;
const BEST = valLoss(trajectory[1]);
const LAST = valLoss(trajectory[11]);

const x = X.map((v) => [v]);
const y = X.map((v) => [2 * v]);
const validationData: [number[][], number[][]] = [x, X.map((v) => [v])];

function buildModel(hp: HyperParameters): Sequential {
  hp.int('tag', 0, 9); // a parameter that does not change the model, so that trials differ
  const model = new Sequential();
  model.add(new Dense(1, { inputDim: 1, useBias: false, kernelInitializer: 'zeros' }));
  model.compile({ loss: 'mse', optimizer: new SGD({ learningRate: 0.5 }) });
  return model;
}
const searchOptions = { epochs: 12, batchSize: 40, shuffle: false, validationData };
const score = async (model: Sequential) => Number(await model.evaluate(validationData[0], validationData[1], { batchSize: 40 }));

test('the hand-computed trajectory is the issue\'s: best val_loss 0.0085 at epoch 2 (index 1), 0.3426 at the last', () => {
  assert.equal(BEST.toFixed(4), '0.0085');
  assert.equal(LAST.toFixed(4), '0.3426');
});

test('getBestModels() returns the best epoch\'s weights (in memory, from the checkpoint in another tuner, and retrained)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-best-epoch-'));
  try {
    const tuner = new RandomSearch({ hypermodel: buildModel, maxTrials: 1, seed: 1, storage: dir, studyName: 'linear', verbose: 0 });
    await tuner.search(x, y, searchOptions);
    const [trial] = tuner.trials;
    assert.ok(Math.abs(trial.value! - BEST) < 1e-5, `trial value ${trial.value}`);
    assert.ok(Math.abs(trial.history!.val_loss[11] - LAST) < 1e-4, 'the last epoch is worse');
    const [kept] = await tuner.getBestModels(1);
    assert.ok(Math.abs((await score(kept as Sequential)) - BEST) < 1e-5, 'the model kept in memory');
    assert.ok(Math.abs(((kept as Sequential).getWeights()[0].data[0]) - trajectory[1]) < 1e-5);

    // Another tuner (as in another process) reads the study: the model is rebuilt from the trial's checkpoint.
    assert.ok(fs.existsSync(path.join(dir, 'linear', 'trials', '0', 'checkpoint.weights')));
    const reader = new RandomSearch({ hypermodel: buildModel, storage: dir, studyName: 'linear', verbose: 0 });
    await reader.getTrials();
    const [loaded] = await reader.getBestModels(1);
    assert.ok(Math.abs((await score(loaded as Sequential)) - BEST) < 1e-5, 'the model rebuilt from the checkpoint');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }

  // A storage that keeps no checkpoints and keepModels 0: the model is retrained and ends at its best epoch.
  const memory = new MemoryStorage();
  const bare: StudyStorage = {
    openStudy: (...a) => memory.openStudy(...a), claimTrial: (...a) => memory.claimTrial(...a),
    reportIntermediate: (...a) => memory.reportIntermediate(...a), heartbeat: (...a) => memory.heartbeat(...a),
    finishTrial: (...a) => memory.finishTrial(...a), getTrials: (...a) => memory.getTrials(...a),
    listStudies: () => memory.listStudies(), close: () => memory.close(),
  };
  const retrain = new RandomSearch({ hypermodel: buildModel, maxTrials: 1, seed: 1, storage: bare, keepModels: 0, verbose: 0 });
  await retrain.search(x, y, searchOptions);
  const [retrained] = await retrain.getBestModels(1);
  assert.ok(Math.abs((await score(retrained as Sequential)) - BEST) < 1e-5, 'the retrained model');
});

/** Records the model's weight when fit starts. */
class StartWeight extends Callback {
  static seen: number[] = [];
  override onTrainBegin(): void {
    StartWeight.seen.push(this.model!.getWeights()[0].data[0]);
  }
}

test('Hyperband continues a trial from its parent\'s best epoch, also when the parent ran in another tuner', async () => {
  const storage = new MemoryStorage();
  const options = { hypermodel: buildModel, storage, studyName: 'hb', maxEpochs: 9, factor: 3, seed: 2, verbose: 0 };
  // "Process" A runs bracket 2's first round only (3 trials of 1 epoch), then stops.
  await new Hyperband({ ...options, maxTrials: 3 }).search(x, y, { ...searchOptions, callbacks: [new StartWeight()] });
  // "Process" B has none of A's models in memory: it continues trial 0 from its checkpoint.
  StartWeight.seen = [];
  const b = new Hyperband(options);
  await b.search(x, y, { ...searchOptions, callbacks: [new StartWeight()] });
  const t3 = b.trials[3], t4 = b.trials[4];
  assert.deepEqual([t3.hyperparameters['tuner/epochs'], t3.hyperparameters['tuner/initial_epoch'], t3.hyperparameters['tuner/trial_id']], [3, 1, 0]);
  assert.ok(Math.abs(StartWeight.seen[0] - trajectory[0]) < 1e-5, `trial 3 starts from trial 0's weight, got ${StartWeight.seen[0]}`);
  // Trial 3 trains epochs 1 and 2: its best is epoch 1 (w = 1.1561), not its last (w = 1.4518); trial 4 starts there.
  assert.equal(t4.hyperparameters['tuner/trial_id'], 3);
  assert.ok(Math.abs(t3.value! - BEST) < 1e-5);
  assert.ok(Math.abs(StartWeight.seen[1] - trajectory[1]) < 1e-5, `trial 4 starts from trial 3's best epoch, got ${StartWeight.seen[1]}`);
});
