// Callback behaviour against a tiny fake model driven through CallbackList, with the logs sequences chosen so
// that the expected epochs follow by hand from Keras's rules (worked out in the comments).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  Callback, CallbackList, SGD, Adam, PolynomialDecay, tensor, type Tensor, type Logs,
  EarlyStopping, ReduceLROnPlateau, TerminateOnNaN, CSVLogger, LambdaCallback, LearningRateScheduler, ModelCheckpoint, formatFilepath,
} from '../../src/index.js';

class FakeModel {
  stopTraining = false;
  optimizer: SGD | Adam = new SGD({ learningRate: 0.1 });
  weights: Tensor[] = [tensor([0, 0])];
  saves: string[] = [];
  getWeights(): Tensor[] {
    return this.weights;
  }
  setWeights(ws: readonly (Tensor | number[])[]): void {
    this.weights = ws.map((w) => tensor(w as Tensor).clone());
  }
}

/** Drive epochs like fit: the weights become [epoch, epoch] during epoch `epoch`; stops when stopTraining is set. */
async function drive(callbacks: Callback[], epochLogs: Logs[], model = new FakeModel(), batchLogs?: (epoch: number, batch: number) => Logs): Promise<{ model: FakeModel; epochsRun: number; logs: Logs[] }> {
  const list = new CallbackList(callbacks);
  list.setModel(model);
  list.setParams({ epochs: epochLogs.length, steps: 3, samples: 30, batchSize: 10, verbose: 0, metrics: Object.keys(epochLogs[0] ?? {}) });
  model.stopTraining = false;
  await list.call('onTrainBegin');
  let epochsRun = 0;
  const seen: Logs[] = [];
  for (let epoch = 0; epoch < epochLogs.length; epoch++) {
    await list.call('onEpochBegin', epoch);
    for (let b = 0; b < 3; b++) {
      model.weights = [tensor([epoch, epoch])];
      await list.call('onTrainBatchEnd', b, batchLogs ? batchLogs(epoch, b) : { loss: epochLogs[epoch].loss ?? 1 });
      if (model.stopTraining) break;
    }
    const logs = { ...epochLogs[epoch] };
    await list.call('onEpochEnd', epoch, logs);
    seen.push(logs);
    epochsRun++;
    if (model.stopTraining) break;
  }
  await list.call('onTrainEnd');
  return { model, epochsRun, logs: seen };
}

const seq = (key: string, values: number[]): Logs[] => values.map((v) => ({ loss: 1, [key]: v }));

test('EarlyStopping: stops after `patience` epochs without improvement and restores the best weights', async () => {
  // val_loss: e0 1.0 best; e1 0.8 best; e2 0.9 wait 1; e3 0.85 wait 2 >= 2 -> stop at epoch 3. Best epoch 1.
  const es = new EarlyStopping({ patience: 2, restoreBestWeights: true });
  const { model, epochsRun } = await drive([es], seq('val_loss', [1.0, 0.8, 0.9, 0.85, 0.95, 0.7]));
  assert.equal(epochsRun, 4);
  assert.equal(es.stoppedEpoch, 3);
  assert.equal(es.bestEpoch, 1);
  assert.equal(es.best, 0.8);
  assert.deepEqual(Array.from(model.weights[0].data), [1, 1]);
  // Without restoreBestWeights the last weights stay.
  const es2 = new EarlyStopping({ patience: 2 });
  const r2 = await drive([es2], seq('val_loss', [1.0, 0.8, 0.9, 0.85, 0.95, 0.7]));
  assert.deepEqual(Array.from(r2.model.weights[0].data), [3, 3]);
});

test('EarlyStopping: minDelta, mode auto for accuracy, startFromEpoch, baseline', async () => {
  // minDelta 0.1: 0.95 is not 0.1 better than 1.0 -> wait 1 >= patience 1 at epoch 1.
  let r = await drive([new EarlyStopping({ patience: 1, minDelta: 0.1 })], seq('val_loss', [1.0, 0.95, 0.5]));
  assert.equal(r.epochsRun, 2);
  // accuracy improves upwards: 0.5, 0.6, 0.7 never stops; then 0.65, 0.66 -> stop at epoch 4 with patience 2.
  r = await drive([new EarlyStopping({ monitor: 'val_accuracy', patience: 2 })], seq('val_accuracy', [0.5, 0.6, 0.7, 0.65, 0.66, 0.9]));
  assert.equal(r.epochsRun, 5);
  // startFromEpoch 3: epochs 0-2 ignored, even though they are the best values.
  const es = new EarlyStopping({ monitor: 'loss', patience: 1, startFromEpoch: 3, restoreBestWeights: true });
  r = await drive([es], [0.1, 0.1, 0.1, 0.9, 0.95, 0.3].map((loss) => ({ loss })));
  assert.equal(r.epochsRun, 5); // e3 best 0.9; e4 wait 1 -> stop
  assert.deepEqual(Array.from(r.model.weights[0].data), [3, 3]);
  // baseline 0.5: improvements that do not beat it do not reset the wait; e0 wait 1, e1 (1.1 worse) wait 2 -> stop.
  r = await drive([new EarlyStopping({ patience: 2, baseline: 0.5 })], seq('val_loss', [1.0, 1.1, 0.4, 0.3]));
  assert.equal(r.epochsRun, 2);
  // ... whereas without a baseline the same run continues to epoch 2.
  r = await drive([new EarlyStopping({ patience: 2 })], seq('val_loss', [1.0, 1.1, 0.4, 0.3]));
  assert.equal(r.epochsRun, 4);
});

test("EarlyStopping: Keras's own test cases (patience, final weights, baseline, external stop, mode inference)", async () => {
  // test_early_stopping_patience: stopped_epoch == max(patience, 1) + 2
  const losses = [10.0, 9.0, 8.0, 9.0, 8.9, 8.8, 8.7, 8.6, 8.5];
  for (const patience of [0, 1, 2, 3]) {
    const es = new EarlyStopping({ monitor: 'loss', patience });
    await drive([es], losses.map((loss) => ({ loss })));
    assert.equal(es.stoppedEpoch, Math.max(patience, 1) + 2, `patience ${patience}`);
  }
  // test_early_stopping_final_weights_when_restoring_model_weights (weights = epoch index).
  let es = new EarlyStopping({ monitor: 'val_loss', patience: 2, restoreBestWeights: true });
  let r = await drive([es], seq('val_loss', [0.2, 0.15, 0.1, 0.11, 0.12]));
  assert.equal(r.model.weights[0].data[0], 2);
  es = new EarlyStopping({ monitor: 'val_loss', patience: 5, baseline: 0.5, restoreBestWeights: true });
  r = await drive([es], seq('val_loss', [0.9, 0.8, 0.7, 0.71, 0.72, 0.73]));
  assert.equal(r.epochsRun, 5); // no epoch beats the baseline: patience epochs, then the best one restored
  assert.equal(r.model.weights[0].data[0], 2);
  es = new EarlyStopping({ monitor: 'val_loss', patience: 5, baseline: 0.5, restoreBestWeights: true });
  const stopAt3 = new LambdaCallback({ onEpochEnd: (e) => { if (e === 3) es.model!.stopTraining = true; } });
  r = await drive([es, stopAt3], seq('val_loss', [0.9, 0.8, 0.7, 0.71, 0.72, 0.73]));
  assert.equal(r.epochsRun, 4);
  assert.equal(r.model.weights[0].data[0], 2);
  // test_early_stopping: mode inference.
  const cases: [string, 'auto' | 'min' | 'max', 'min' | 'max'][] = [
    ['val_mse', 'max', 'max'], ['val_loss', 'min', 'min'], ['val_mse', 'auto', 'min'], ['loss', 'auto', 'min'], ['acc', 'auto', 'max'],
    ['val_accuracy', 'auto', 'max'], ['hinge', 'auto', 'min'], ['f1_score', 'auto', 'max'],
  ];
  for (const [monitor, mode, expected] of cases) assert.equal(new EarlyStopping({ monitor, mode }).mode, expected, `${monitor} ${mode}`);
  assert.throws(() => new EarlyStopping({ monitor: 'unknown' }), /cannot determine whether that metric should be maximized or minimized/);
});

test('EarlyStopping: bad arguments', () => {
  assert.throws(() => new EarlyStopping({ patience: -1 }), /EarlyStopping: `patience` must be >= 0/);
  assert.throws(() => new EarlyStopping({ patience: 1.5 }), /`patience` must be an integer/);
  assert.throws(() => new EarlyStopping({ mode: 'up' as never }), /`mode` must be 'auto', 'min' or 'max'/);
  assert.throws(() => new EarlyStopping({ restore_best_weights: true } as never), /not recognized: restore_best_weights/);
});

test('ReduceLROnPlateau: halves the rate after `patience` flat epochs, respects cooldown and minLr, logs learning_rate', async () => {
  // Flat val_loss: e0 best; e1 wait 1; e2 wait 2 -> 0.05; e3 wait 1; e4 wait 2 -> 0.025; e5 wait 1.
  const cb = new ReduceLROnPlateau({ patience: 2, factor: 0.5, minDelta: 0 });
  const { model, logs } = await drive([cb], seq('val_loss', [1, 1, 1, 1, 1, 1]));
  const f = Math.fround;
  assert.deepEqual(logs.map((l) => l.learning_rate), [f(0.1), f(0.1), f(0.1), f(f(0.1) * 0.5), f(f(0.1) * 0.5), f(f(0.1) * 0.25)]);
  assert.equal(model.optimizer.learningRate, f(f(0.1) * 0.25));
  // cooldown 2: reduce at e2; e3, e4 count down the cooldown (e4 then counts wait 1); e5 wait 2 -> reduce.
  const cd = new ReduceLROnPlateau({ patience: 2, factor: 0.5, minDelta: 0, cooldown: 2 });
  const r = await drive([cd], seq('val_loss', [1, 1, 1, 1, 1, 1, 1]));
  assert.deepEqual(r.logs.map((l) => l.learning_rate), [f(0.1), f(0.1), f(0.1), f(0.05), f(0.05), f(0.05), f(0.025)]);
  // minLr floors the rate; improvements reset the wait.
  const ml = new ReduceLROnPlateau({ patience: 1, factor: 0.1, minLr: 0.05 });
  const r3 = await drive([ml], seq('val_loss', [1, 1, 1, 1]));
  assert.equal(r3.model.optimizer.learningRate, f(0.05));
  const imp = new ReduceLROnPlateau({ patience: 1, factor: 0.5 });
  const r4 = await drive([imp], seq('val_loss', [1, 0.9, 0.8, 0.7]));
  assert.equal(r4.model.optimizer.learningRate, f(0.1));
  assert.throws(() => new ReduceLROnPlateau({ factor: 1 }), /does not support a factor >= 1.0/);
});

test("ReduceLROnPlateau: Keras's own test cases (minDelta 100 plateau, minLr, cooldown, schedule not settable)", async () => {
  const adam = () => Object.assign(new FakeModel(), { optimizer: new Adam({ learningRate: 0.1 }) });
  const flat = (n: number) => seq('val_loss', new Array(n).fill(0.3));
  let r = await drive([new ReduceLROnPlateau({ patience: 1, factor: 0.1, minDelta: 100 })], flat(2), adam());
  assert.ok(Math.abs(r.model.optimizer.learningRate - 0.01) < 1e-8);
  r = await drive([new ReduceLROnPlateau({ patience: 1, factor: 0.1, minDelta: 10, minLr: 0.005 })], flat(4), adam());
  assert.equal(r.model.optimizer.learningRate, Math.fround(0.005));
  r = await drive([new ReduceLROnPlateau({ patience: 1, factor: 0.1, minDelta: 100, cooldown: 2 })], flat(4), adam());
  assert.ok(Math.abs(r.model.optimizer.learningRate - 0.001) < 1e-9); // reduced twice in 4 epochs
  const scheduled = Object.assign(new FakeModel(), { optimizer: new Adam({ learningRate: new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 10 }) }) });
  await assert.rejects(drive([new ReduceLROnPlateau({ patience: 1, factor: 0.1, minDelta: 100 })], flat(2), scheduled as never), /created with a LearningRateSchedule/);
});

test('TerminateOnNaN: stops at the first NaN or infinite batch loss', async () => {
  const t = new TerminateOnNaN();
  const { epochsRun, model } = await drive([t], seq('val_loss', [1, 1, 1, 1]), new FakeModel(), (e, b) => ({ loss: e === 1 && b === 1 ? NaN : 0.5 }));
  assert.equal(epochsRun, 2);
  assert.equal(t.terminatedAtBatch, 1);
  assert.equal(model.stopTraining, true);
  const inf = new TerminateOnNaN();
  const r = await drive([inf], seq('val_loss', [1, 1]), new FakeModel(), () => ({ loss: Infinity }));
  assert.equal(r.epochsRun, 1);
  const fine = await drive([new TerminateOnNaN()], seq('val_loss', [1, 1, 1]));
  assert.equal(fine.epochsRun, 3);
});

test('LearningRateScheduler: sets schedule(epoch, lr) at each epoch begin and logs it', async () => {
  const s = new LearningRateScheduler((epoch, lr) => (epoch < 2 ? lr : lr * 0.5));
  const { logs, model } = await drive([s], seq('val_loss', [1, 1, 1, 1]));
  const f = Math.fround;
  assert.deepEqual(logs.map((l) => l.learning_rate), [f(0.1), f(0.1), f(f(0.1) * 0.5), f(f(0.1) * 0.25)]);
  assert.equal(model.optimizer.learningRate, f(f(0.1) * 0.25));
  await assert.rejects(drive([new LearningRateScheduler(() => NaN)], seq('val_loss', [1])), /schedule returned NaN for epoch 0/);
});

test('CSVLogger: sorted columns, one row per epoch, append keeps one header, val_ columns as Keras', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-csv-'));
  const file = path.join(dir, 'log.csv');
  const epochs = [{ loss: 0.5, accuracy: 0.75, val_loss: 0.6, val_accuracy: 0.7 }, { loss: 0.25, accuracy: 0.875, val_loss: 0.5, val_accuracy: 0.8 }];
  await drive([new CSVLogger(file)], epochs);
  assert.equal(fs.readFileSync(file, 'utf8'), 'epoch,accuracy,loss,val_accuracy,val_loss\r\n0,0.75,0.5,0.7,0.6\r\n1,0.875,0.25,0.8,0.5\r\n');
  await drive([new CSVLogger(file, { append: true })], epochs.slice(0, 1));
  assert.equal(fs.readFileSync(file, 'utf8').split('\r\n').filter((l) => l.startsWith('epoch')).length, 1);
  assert.equal(fs.readFileSync(file, 'utf8').trim().split('\r\n').length, 4);
  // Not appending replaces the file; without validation keys Keras adds val_ columns filled with NA.
  await drive([new CSVLogger(file, { separator: ';' })], [{ loss: 0.5 }]);
  assert.equal(fs.readFileSync(file, 'utf8'), 'epoch;loss;val_loss\r\n0;0.5;NA\r\n');
  assert.deepEqual(fs.readdirSync(dir), ['log.csv']); // no temp files left behind
  assert.throws(() => new CSVLogger(file, { separator: '"' }), /separator/);
  await assert.rejects(drive([new CSVLogger(path.join(dir, 'missing', 'x.csv'))], [{ loss: 1 }]), /directory of .* does not exist/);
  fs.rmSync(dir, { recursive: true });
});

test('ModelCheckpoint: keeps the best weights in memory and saves through model.save with a formatted path', async () => {
  const ck = new ModelCheckpoint({ saveBestOnly: true });
  await drive([ck], seq('val_loss', [1.0, 0.7, 0.8, 0.6, 0.9]));
  assert.equal(ck.bestEpoch, 3);
  assert.equal(ck.best, 0.6);
  assert.deepEqual(Array.from(ck.bestWeights![0].data), [3, 3]);
  const m = new FakeModel();
  ck.setModel(m);
  ck.restoreBest();
  assert.deepEqual(Array.from(m.weights[0].data), [3, 3]);

  class Saving extends FakeModel {
    save(p: string): Promise<void> {
      this.saves.push(p);
      return Promise.resolve();
    }
  }
  const model = new Saving();
  const ck2 = new ModelCheckpoint({ filepath: '/tmp/m-{epoch:02d}-{val_loss:.2f}', monitor: 'val_accuracy', saveBestOnly: true });
  await drive([ck2], [{ loss: 1, val_loss: 0.9, val_accuracy: 0.5 }, { loss: 1, val_loss: 0.7, val_accuracy: 0.4 }, { loss: 1, val_loss: 0.456, val_accuracy: 0.8 }], model);
  assert.deepEqual(model.saves, ['/tmp/m-01-0.90', '/tmp/m-03-0.46']);
  // Every epoch without saveBestOnly; initialValueThreshold gates the first save.
  const all = new Saving();
  await drive([new ModelCheckpoint({ filepath: 'e{epoch}', initialValueThreshold: 0.95, saveBestOnly: true })], seq('val_loss', [1, 0.9, 0.99, 0.8]), all);
  assert.deepEqual(all.saves, ['e2', 'e4']);
  assert.throws(() => new ModelCheckpoint({ filepath: 'x' }).setModel(new FakeModel()), /the model has no save\(path\) method/);
  assert.equal(formatFilepath('w.{epoch:03d}-{loss:.1e}', { epoch: 7, loss: 0.000123 }), 'w.007-1.2e-04');
  assert.throws(() => formatFilepath('{nope}', { epoch: 1 }), /uses \{nope\}/);
});

test('LambdaCallback: each given hook runs, Keras onBatchEnd alias included', async () => {
  const calls: string[] = [];
  const cb = new LambdaCallback({
    onTrainBegin: () => void calls.push('train'),
    onEpochEnd: (e, logs) => void calls.push(`epoch ${e} ${logs?.val_loss}`),
    onBatchEnd: (b) => void calls.push(`batch ${b}`),
  });
  await drive([cb], seq('val_loss', [0.5]));
  assert.deepEqual(calls, ['train', 'batch 0', 'batch 1', 'batch 2', 'epoch 0 0.5']);
  assert.throws(() => new LambdaCallback({ onEpochFinish: () => {} } as never), /unknown hook 'onEpochFinish'/);
});
