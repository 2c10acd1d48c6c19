// Issue 12, fault 3: TerminateOnNaN with a ModelCheckpoint stops fit and returns History (as Keras); the checkpoint
// still refuses to write non-finite weights, as a warning rather than an exception out of fit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Sequential, Dense, SGD, setSeed, TerminateOnNaN, ModelCheckpoint } from '../../src/index.js';

test('TerminateOnNaN + ModelCheckpoint: fit returns History, the checkpoint warns and writes nothing non-finite', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-nan-ckpt-'));
  try {
    setSeed(3);
    const m = new Sequential([new Dense(6, { inputDim: 8, activation: 'relu' }), new Dense(1)]);
    // A huge learning rate: the weights overflow within a few steps, so the loss becomes inf or NaN.
    m.compile({ loss: 'mse', optimizer: new SGD({ learningRate: 1e3 }) });
    const x = Array.from({ length: 40 }, (_, i) => Array.from({ length: 8 }, (_, j) => Math.sin(i * 8 + j)));
    const y = x.map((r) => [r[0] * 3 + r[1]]);
    const warnings: string[] = [];
    const onWarning = (w: Error) => void warnings.push(w.message);
    process.on('warning', onWarning);
    const stop = new TerminateOnNaN();
    const ckpt = new ModelCheckpoint({ filepath: path.join(dir, 'ckpt-{epoch:02d}') });
    let history;
    try {
      history = await m.fit(x, y, { epochs: 5, batchSize: 4, verbose: 0, callbacks: [stop, ckpt] });
    } finally {
      await new Promise((r) => setImmediate(r)); // warnings are emitted on the next tick
      process.off('warning', onWarning);
    }
    assert.ok(stop.terminatedAtBatch !== null, 'training diverged and was stopped');
    assert.equal(history.epoch.length, 1, 'stopped in the first epoch');
    assert.ok(!Number.isFinite(history.history.loss[0]));
    assert.deepEqual(ckpt.saved, []);
    assert.deepEqual(fs.readdirSync(dir), []);
    assert.ok(warnings.some((w) => /ModelCheckpoint: epoch 1: not saving .*ckpt-01.*NaN or Infinity/.test(w)), warnings.join(' | '));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
