// Callbacks and optimizers inside the real training loop (Sequential.fit): the chapter's three runs (batch,
// stochastic and mini-batch gradient descent) take the expected number of optimizer steps per epoch; EarlyStopping
// stops at the right epoch and restores the best weights; TerminateOnNaN stops on a NaN loss; ReduceLROnPlateau
// lowers the rate; a schedule passed as learningRate is evaluated per step.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  Sequential, Dense, SGD, Adam, setSeed, LambdaCallback, EarlyStopping, TerminateOnNaN, ReduceLROnPlateau,
  PiecewiseConstantDecay, ModelCheckpoint, loadModel, type Logs,
} from '../../src/index.js';

function data(n: number, seed = 1): { x: number[][]; y: number[][] } {
  let s = seed;
  const r = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
  const x = Array.from({ length: n }, () => Array.from({ length: 8 }, r));
  return { x, y: x.map((row) => [row[0] + 0.5 * row[1] - row[2] > 0 ? 1 : 0]) };
}

function model(optimizer: SGD | Adam | string = 'adam'): Sequential {
  setSeed(3);
  const m = new Sequential();
  m.add(new Dense(6, { inputDim: 8, activation: 'relu' }));
  m.add(new Dense(1, { activation: 'sigmoid' }));
  m.compile({ loss: 'binary_crossentropy', optimizer, metrics: ['accuracy'] });
  return m;
}

test("the chapter's three runs: batchSize = len(X), 1 and 32 give ceil(n / batchSize) optimizer steps per epoch", async () => {
  const { x, y } = data(100);
  for (const [batchSize, steps] of [[100, 1], [1, 100], [32, 4]] as const) {
    const m = model(new SGD({ learningRate: 0.01 }));
    const perEpoch: number[] = [];
    let batches = 0;
    const counter = new LambdaCallback({ onEpochBegin: () => void (batches = 0), onTrainBatchEnd: () => void batches++, onEpochEnd: () => void perEpoch.push(batches) });
    const h = await m.fit(x, y, { epochs: 3, batchSize, verbose: 0, callbacks: [counter] });
    assert.deepEqual(perEpoch, [steps, steps, steps], `batchSize ${batchSize}`);
    assert.equal((m.optimizer as SGD).iterations, 3 * steps, `batchSize ${batchSize}`);
    assert.equal(h.history.loss.length, 3);
  }
});

test('EarlyStopping inside fit stops at the epoch its rule gives and restores the best weights', async () => {
  const { x, y } = data(64);
  const m = model(new Adam({ learningRate: 0.05 }));
  // Record val_loss and the weights at each epoch end, then replay Keras's rule by hand on the recorded values.
  const vals: number[] = [];
  const weights: number[][] = [];
  const rec = new LambdaCallback({ onEpochEnd: (_e: number, logs?: Logs) => { vals.push(logs!.val_loss); weights.push(m.getWeights().flatMap((w) => Array.from(w.data))); } });
  const es = new EarlyStopping({ monitor: 'val_loss', patience: 2, minDelta: 0.02, restoreBestWeights: true });
  const h = await m.fit(x, y, { epochs: 60, batchSize: 16, validationSplit: 0.25, shuffle: false, verbose: 0, callbacks: [rec, es] });
  let best = Infinity, wait = 0, stop = -1, bestEpoch = 0;
  for (let e = 0; e < vals.length && stop < 0; e++) {
    wait++;
    if (vals[e] + 0.02 < best) { best = vals[e]; bestEpoch = e; wait = 0; continue; }
    if (wait >= 2 && e > 0) stop = e;
  }
  assert.ok(stop > 0 && stop < 59, `the run should stop early (val_loss ${vals.map((v) => v.toFixed(3)).join(' ')})`);
  assert.equal(h.history.loss.length, stop + 1);
  assert.equal(es.stoppedEpoch, stop);
  assert.equal(es.bestEpoch, bestEpoch);
  assert.deepEqual(m.getWeights().flatMap((w) => Array.from(w.data)), weights[bestEpoch]);
});

test('TerminateOnNaN stops fit on the first NaN or infinite batch loss', async () => {
  const { x, y } = data(40);
  // A linear regression with a huge learning rate: the weights overflow within a few steps, so the loss becomes inf.
  setSeed(3);
  const m = new Sequential();
  m.add(new Dense(6, { inputDim: 8, activation: 'relu' }));
  m.add(new Dense(1));
  m.compile({ loss: 'mse', optimizer: new SGD({ learningRate: 1e3 }) });
  const losses: number[] = [];
  const count = new LambdaCallback({ onTrainBatchEnd: (_b: number, logs?: Logs) => void losses.push(logs!.loss) });
  const t = new TerminateOnNaN();
  const h = await m.fit(x, y, { epochs: 20, batchSize: 4, verbose: 0, callbacks: [count, t] });
  const firstBad = losses.findIndex((l) => !Number.isFinite(l));
  assert.ok(firstBad >= 0, 'the loss never overflowed; the test setup is wrong');
  assert.equal(losses.length, firstBad + 1, 'training went on after the first invalid loss');
  assert.equal(t.terminatedAtBatch, firstBad % 10);
  assert.equal(h.history.loss.length, Math.floor(firstBad / 10) + 1);
});

test('ReduceLROnPlateau inside fit lowers the optimizer rate and the logs show learning_rate', async () => {
  const { x, y } = data(32);
  const m = model(new SGD({ learningRate: 0 })); // no learning: the loss is flat, so every epoch is a plateau
  m.optimizer!.learningRate = 0.001;
  const rl = new ReduceLROnPlateau({ monitor: 'loss', patience: 1, factor: 0.5, minDelta: 1e-3 });
  const logged: number[] = [];
  const after = new LambdaCallback({ onEpochEnd: (_e: number, logs?: Logs) => void logged.push(logs!.learning_rate) });
  const h = await m.fit(x, y, { epochs: 5, batchSize: 32, verbose: 0, callbacks: [rl, after] });
  // Flat loss, patience 1: e0 sets the best, every later epoch reduces; the log holds the rate used in that epoch.
  const f = Math.fround;
  assert.deepEqual(logged, [f(0.001), f(0.001), f(f(0.001) * 0.5), f(f(0.001) * 0.25), f(f(0.001) * 0.125)]);
  assert.equal(m.optimizer!.learningRate, f(f(0.001) * 0.0625));
  assert.equal(h.history.loss.length, 5);
});

test('a LearningRateSchedule given to compile is evaluated at every optimizer step', async () => {
  const { x, y } = data(40);
  const schedule = new PiecewiseConstantDecay({ boundaries: [4], values: [0.1, 0.01] });
  const opt = new SGD({ learningRate: schedule });
  const m = model(opt);
  const rates: number[] = [];
  const rec = new LambdaCallback({ onTrainBatchBegin: () => void rates.push(opt.learningRate) });
  await m.fit(x, y, { epochs: 2, batchSize: 10, verbose: 0, callbacks: [rec] });
  assert.deepEqual(rates, [0.1, 0.1, 0.1, 0.1, 0.1, 0.01, 0.01, 0.01].map(Math.fround));
});

test('ModelCheckpoint with a filepath saves improving epochs through model.save; the saved model holds the best weights', async () => {
  const { x, y } = data(48);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-ckpt-'));
  const m = model(new Adam({ learningRate: 0.05 }));
  const vals: number[] = [];
  const rec = new LambdaCallback({ onEpochEnd: (_e: number, logs?: Logs) => void vals.push(logs!.val_loss) });
  const ck = new ModelCheckpoint({ filepath: path.join(dir, 'ckpt-{epoch:02d}'), monitor: 'val_loss', saveBestOnly: true });
  await m.fit(x, y, { epochs: 6, batchSize: 8, validationSplit: 0.25, shuffle: false, verbose: 0, callbacks: [rec, ck] });
  // Expected saves: the epochs whose val_loss beats every earlier one.
  const expected: string[] = [];
  let best = Infinity;
  vals.forEach((v, e) => { if (v < best) { best = v; expected.push(path.join(dir, `ckpt-${String(e + 1).padStart(2, '0')}`)); } });
  assert.deepEqual(ck.saved, expected);
  assert.equal(ck.best, best);
  const loaded = await loadModel(ck.saved[ck.saved.length - 1]);
  assert.deepEqual(loaded.getWeights().map((w) => Array.from(w.data)), ck.bestWeights!.map((w) => Array.from(w.data)));
  fs.rmSync(dir, { recursive: true });
});
