// Keras-style progress output, captured from the ProgbarLogger callback.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sequential, Dense, SGD, ProgbarLogger, Callback } from '../../src/index.js';

async function capture(verbose: number, tty: boolean): Promise<string> {
  const chunks: string[] = [];
  const stream = { write: (s: string) => chunks.push(s), isTTY: tty };
  const model = new Sequential([new Dense(1, { inputDim: 2, activation: 'sigmoid' })]);
  model.compile({ loss: 'binary_crossentropy', optimizer: new SGD(), metrics: ['accuracy'] });
  const x = Array.from({ length: 80 }, (_, i) => [i / 80, 1 - i / 80]);
  const y = x.map((r) => (r[0] > 0.5 ? 1 : 0));
  await model.fit(x, y, { epochs: 3, batchSize: 10, validationSplit: 0.2, verbose: 0, callbacks: [new ProgbarLogger({ verbose, stream, interval: 0 })] });
  return chunks.join('');
}

test('verbose 1 without a TTY: one Keras line per epoch', async () => {
  const out = await capture(1, false);
  const lines = out.trim().split('\n');
  assert.equal(lines.length, 6);
  assert.equal(lines[0], 'Epoch 1/3');
  assert.match(lines[1], /^7\/7 \[={30}\] - \d+s \d+(ms|us)\/step - loss: \d\.\d{4} - accuracy: \d\.\d{4} - val_loss: \d\.\d{4} - val_accuracy: \d\.\d{4}$/);
  assert.ok(!out.includes('\r'));
});

test('verbose 1 on a TTY redraws the bar in place', async () => {
  const out = await capture(1, true);
  assert.ok(out.includes('\r'));
  assert.match(out, /\r3\/7 \[=+>\.+\] - ETA: \d+s - loss: /);
});

test('verbose 2: one summary line per epoch, no bar', async () => {
  const out = await capture(2, false);
  assert.match(out, /Epoch 2\/3\n7\/7 - \d+s - \d+(ms|us)\/step - loss: \d\.\d{4} - accuracy/);
  assert.ok(!out.includes('['));
});

test('an epoch cut short by stopTraining ends its line at the batches run, as Keras 3', async () => {
  const chunks: string[] = [];
  const stream = { write: (s: string) => chunks.push(s), isTTY: false };
  const model = new Sequential([new Dense(1, { inputDim: 2, activation: 'sigmoid' })]);
  model.compile({ loss: 'binary_crossentropy', optimizer: new SGD() });
  const stop = new (class extends Callback {
    override onTrainBatchEnd(batch: number) {
      if (batch === 2) this.model!.stopTraining = true;
    }
  })();
  const x = Array.from({ length: 80 }, (_, i) => [i / 80, 1 - i / 80]);
  await model.fit(x, x.map((r) => (r[0] > 0.5 ? 1 : 0)), { epochs: 3, batchSize: 10, verbose: 0, callbacks: [stop, new ProgbarLogger({ verbose: 1, stream })] });
  const lines = chunks.join('').trim().split('\n');
  assert.equal(lines.length, 2);
  assert.match(lines[1], /^3\/3 \[={30}\] - /);
});
