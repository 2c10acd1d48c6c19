// padSequences against keras/src/utils/sequence_utils_test.py's numbers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { padSequences } from '../../src/data/sequences.js';

const close = (got: number[][] | number[][][], want: number[][] | number[][][]) => {
  const g = got.flat(2) as number[], w = want.flat(2) as number[];
  assert.equal(g.length, w.length);
  g.forEach((v, i) => assert.ok(Math.abs(v - w[i]) < 1e-6, `${i}: ${v} vs ${w[i]}`));
};

test('padSequences: Keras test_pad_sequences (padding, truncating, value)', () => {
  const a = [[1], [1, 2], [1, 2, 3]];
  assert.deepEqual(padSequences(a, { maxlen: 3, padding: 'pre' }).toArray(), [[0, 0, 1], [0, 1, 2], [1, 2, 3]]);
  assert.deepEqual(padSequences(a, { maxlen: 3, padding: 'post' }).toArray(), [[1, 0, 0], [1, 2, 0], [1, 2, 3]]);
  assert.deepEqual(padSequences(a, { maxlen: 2, truncating: 'pre' }).toArray(), [[0, 1], [1, 2], [2, 3]]);
  assert.deepEqual(padSequences(a, { maxlen: 2, truncating: 'post' }).toArray(), [[0, 1], [1, 2], [1, 2]]);
  assert.deepEqual(padSequences(a, { maxlen: 3, value: 1 }).toArray(), [[1, 1, 1], [1, 1, 2], [1, 2, 3]]);
  // maxlen defaults to the longest sequence (the docstring's example).
  assert.deepEqual(padSequences([[1], [2, 3], [4, 5, 6]]).toArray(), [[0, 0, 1], [0, 2, 3], [4, 5, 6]]);
});

test('padSequences: Keras test_pad_sequences_float', () => {
  const a = [[1.2], [1.2, 2.3], [1.2, 2.3, 3.4]];
  close(padSequences(a, { maxlen: 3, padding: 'post' }).toArray() as number[][], [[1.2, 0, 0], [1.2, 2.3, 0], [1.2, 2.3, 3.4]]);
  close(padSequences(a, { maxlen: 2, truncating: 'pre' }).toArray() as number[][], [[0, 1.2], [1.2, 2.3], [2.3, 3.4]]);
  close(padSequences(a, { maxlen: 3, value: 1 }).toArray() as number[][], [[1, 1, 1.2], [1, 1.2, 2.3], [1.2, 2.3, 3.4]]);
});

test('padSequences: Keras test_pad_sequences_vector (steps with features)', () => {
  const a = [[[1, 1]], [[2, 1], [2, 2]], [[3, 1], [3, 2], [3, 3]]];
  const b = padSequences(a, { maxlen: 3, padding: 'post' });
  assert.deepEqual(b.shape, [3, 3, 2]);
  assert.deepEqual(b.toArray(), [[[1, 1], [0, 0], [0, 0]], [[2, 1], [2, 2], [0, 0]], [[3, 1], [3, 2], [3, 3]]]);
  assert.deepEqual(padSequences(a, { maxlen: 2, truncating: 'post' }).toArray(), [[[0, 0], [1, 1]], [[2, 1], [2, 2]], [[3, 1], [3, 2]]]);
  assert.deepEqual(padSequences(a, { maxlen: 3, value: 1 }).toArray(), [[[1, 1], [1, 1], [1, 1]], [[1, 1], [2, 1], [2, 2]], [[3, 1], [3, 2], [3, 3]]]);
});

test('padSequences: empty sequences and maxlen 0', () => {
  assert.deepEqual(padSequences([[], [5]]).toArray(), [[0], [5]]);
  assert.deepEqual(padSequences([[1, 2]], { maxlen: 0 }).shape, [1, 0]);
});

test('padSequences: bad input names what and where', () => {
  assert.throws(() => padSequences([[1], [2, 'x' as unknown as number]]), /sequence 1 has "x" at position 1/);
  assert.throws(() => padSequences([[1], [NaN]]), /sequence 1 has null at position 0/);
  assert.throws(() => padSequences([[[1, 2]], [[3]]]), /sequence 1 has \[3\] at position 0; expected a vector of 2/);
  assert.throws(() => padSequences([[1]], { padding: 'middle' as 'pre' }), /padding must be 'pre' or 'post', got "middle"/);
  assert.throws(() => padSequences([[1]], { truncating: 'end' as 'pre' }), /truncating must be 'pre' or 'post'/);
  assert.throws(() => padSequences([[1]], { maxlen: 1.5 }), /maxlen must be a non-negative integer, got 1.5/);
  assert.throws(() => padSequences([[1], 3 as unknown as number[]]), /sequence 1 is not an array/);
});
