// Memory stays flat over many training steps without any dispose/tidy from the user.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import vm from 'node:vm';
import { Sequential, Dense, Adam, setSeed, Rng } from '../../src/index.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

test('heap does not grow with the number of training steps', async () => {
  setSeed(1);
  const rng = new Rng(2);
  const x = Array.from({ length: 100 }, () => Array.from({ length: 8 }, () => rng.normal()));
  const y = x.map((r) => (r[0] > 0 ? 1 : 0));
  const model = new Sequential([new Dense(32, { inputDim: 8, activation: 'relu' }), new Dense(1, { activation: 'sigmoid' })]);
  model.compile({ loss: 'binary_crossentropy', optimizer: new Adam({ learningRate: 0.01 }), metrics: ['accuracy'] });
  await model.fit(x, y, { epochs: 100, batchSize: 10, verbose: 0 }); // 1000 steps of warm-up (JIT settles)
  const before = heapAfterGc();
  await model.fit(x, y, { epochs: 400, batchSize: 10, verbose: 0 }); // 4000 steps
  const after = heapAfterGc();
  // Keeping one step's graph alive (activations, gradients: several kB) per step would add > 10 MB here;
  // the bound leaves room for JIT and heap noise (about ±150 kB measured).
  assert.ok(after - before < 1024 * 1024, `heap grew ${((after - before) / 1024).toFixed(0)} kB over 4000 steps`);
});
