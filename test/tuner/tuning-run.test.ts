// A real tuning run: Sequential models on a small classification problem, over learning rate, units and optimizer.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sequential, Dense, Adam, SGD, setSeed, Rng, RandomSearch, HyperParameters, EarlyStopping } from '../../src/index.js';
import { quiet } from './helpers.js';

/** Two interleaved classes in 4-D: label = (x0² + x1² < 1.1) xor (x2 > 0), with two noise inputs. */
function data(n: number, seed: number): { x: number[][]; y: number[] } {
  const rng = new Rng(seed);
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = [rng.uniform(-1.5, 1.5), rng.uniform(-1.5, 1.5), rng.uniform(-1, 1), rng.uniform(-1, 1)];
    x.push(row);
    y.push((row[0] ** 2 + row[1] ** 2 < 1.1) !== row[2] > 0 ? 1 : 0);
  }
  return { x, y };
}

test('tuning learning rate, units and optimizer finds a configuration clearly better than the worst', async () => {
  setSeed(1);
  const { x, y } = data(300, 2);
  const build = (hp: HyperParameters) => {
    const units = hp.int('units', 2, 32, { step: 2, sampling: 'log' });
    const lr = hp.float('learningRate', 1e-4, 0.1, { sampling: 'log' });
    const optimizer = hp.choice('optimizer', ['adam', 'sgd']);
    const model = new Sequential();
    model.add(new Dense(units, { inputDim: 4, activation: 'relu' }));
    model.add(new Dense(units, { activation: 'relu' }));
    model.add(new Dense(1, { activation: 'sigmoid' }));
    model.compile({ loss: 'binary_crossentropy', optimizer: optimizer === 'adam' ? new Adam({ learningRate: lr }) : new SGD({ learningRate: lr }), metrics: ['accuracy'] });
    return model;
  };
  const tuner = new RandomSearch({ ...quiet, hypermodel: build, objective: 'val_accuracy', maxTrials: 10, seed: 3 });
  await tuner.search(x, y, { epochs: 25, batchSize: 16, validationSplit: 0.25 });
  const done = tuner.trials.filter((t) => t.status === 'complete');
  assert.equal(done.length, 10);
  const values = done.map((t) => t.value!);
  const best = Math.max(...values);
  const worst = Math.min(...values);
  assert.ok(best >= 0.8, `best val_accuracy ${best}`);
  assert.ok(best - worst >= 0.2, `best ${best} vs worst ${worst}`);
  const [hp] = tuner.getBestHyperparameters(1);
  assert.deepEqual(Object.keys(hp.values).sort(), ['learningRate', 'optimizer', 'units']);
  // The kept best model really reaches the recorded accuracy on the validation rows (the last 25%, as Keras).
  const [model] = await tuner.getBestModels(1);
  const xv = x.slice(225);
  const p = model.predict(xv).data;
  const acc = xv.reduce((s, _r, i) => s + ((p[i] > 0.5 ? 1 : 0) === y[225 + i] ? 1 : 0), 0) / xv.length;
  assert.ok(acc >= best - 0.15, `kept model accuracy ${acc} vs best epoch ${best}`);
});

test('early stopping inside trials: a user callback passed to search() stops each fit', async () => {
  setSeed(2);
  const { x, y } = data(120, 4);
  const tuner = new RandomSearch({
    ...quiet, objective: 'val_loss', maxTrials: 3, seed: 1,
    hypermodel: (hp) => {
      const model = new Sequential();
      model.add(new Dense(hp.int('units', 4, 16), { inputDim: 4, activation: 'relu' }));
      model.add(new Dense(1, { activation: 'sigmoid' }));
      model.compile({ loss: 'binary_crossentropy', optimizer: 'adam' });
      return model;
    },
  });
  // No epoch improves val_loss by 10, so each fit stops after patience (1) epochs past the first.
  await tuner.search(x, y, { epochs: 20, validationSplit: 0.25, callbacks: [new EarlyStopping({ monitor: 'val_loss', minDelta: 10, patience: 1 })] });
  assert.equal(tuner.trials.length, 3);
  for (const t of tuner.trials) {
    assert.equal(t.status, 'complete');
    assert.equal(t.history!.val_loss.length, 2);
    assert.deepEqual(t.intermediate.map((p) => p.step), [0, 1]);
    assert.equal(t.value, Math.min(...t.history!.val_loss));
  }
});
