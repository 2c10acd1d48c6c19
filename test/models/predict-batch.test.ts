// predict without a batchSize takes up to 1024 rows per batch (a row's prediction does not depend on its
// neighbours), with the same numbers as Keras's batch of 32; the batch stays 32 where it is part of the model.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sequential, Dense, LSTM, Input, tensor, ops } from '../../src/index.js';
import { getBackend, setBackend, registerBackend, type Backend } from '../../src/backend/backend.js';

/** Rows of every product run while fn runs (a backend that records m and delegates to the active one). */
function productRows(fn: () => void): number[] {
  const inner = getBackend(), rows: number[] = [];
  const spy: Backend = { ...inner, name: 'spy-rows', matmul: (a, b, out, m, k, n, tA, tB, acc) => (rows.push(m), inner.matmul(a, b, out, m, k, n, tA, tB, acc)) };
  registerBackend(spy);
  setBackend('spy-rows');
  try {
    fn();
  } finally {
    setBackend(inner.name);
  }
  return rows;
}

const data = (n: number, d: number): number[][] => Array.from({ length: n }, (_, i) => Array.from({ length: d }, (_, j) => Math.sin(i * 0.37 + j * 1.3)));

test('predict without batchSize runs 1024-row batches and gives the batch-32 numbers', () => {
  const model = new Sequential([new Dense(16, { inputShape: [8], activation: 'relu' }), new Dense(3, { activation: 'softmax' })]);
  const x = tensor(data(2500, 8));
  const small = model.predict(x, { batchSize: 32 });
  let big = small;
  const rows = productRows(() => (big = model.predict(x)));
  assert.deepEqual([...new Set(rows)].sort((a, b) => a - b), [452, 1024]);
  assert.deepEqual(big.shape, [2500, 3]);
  for (let i = 0; i < small.size; i++) assert.ok(Math.abs(big.data[i] - small.data[i]) <= 1e-6, `row ${Math.floor(i / 3)}`);
});

test('predict keeps batches of 32 for a fixed batch dimension and for stateful layers', () => {
  const fixed = new Sequential([Input({ shape: [4], batchSize: 32 }), new Dense(2)]);
  assert.ok(productRows(() => fixed.predict(tensor(data(64, 4)))).every((m) => m === 32));
  const rnn = new Sequential([new LSTM(3, { inputShape: [5, 4], stateful: true }), new Dense(1)]);
  const seq = ops.reshape(tensor(data(64, 20)), [64, 5, 4]);
  assert.deepEqual(productRows(() => rnn.predict(seq)), productRows(() => rnn.predict(seq, { batchSize: 32 })));
});
