// Turning user data into tensors, and the checks that run before any weight changes.

import { Tensor, tensor, type TensorLike } from '../tensor/tensor.js';
import { formatShape } from '../tensor/shape.js';
import { elementwise } from '../backend/backend.js';

/** Convert x or y (nested arrays, typed array, Tensor) to a tensor, naming the argument in errors. */
export function toTensor(value: TensorLike | undefined | null, what: string): Tensor {
  if (value === undefined || value === null) throw new Error(`${what} is missing.`);
  const text = firstString(value);
  if (text !== null) {
    const isX = /(^|\s)x\b/.test(what);
    throw new Error(isX
      ? `${what} holds texts (${JSON.stringify(text)}) but this model takes numbers there: make a TextVectorization layer its first layer (Sequential) or the layer after Input({ shape: [1], dtype: 'string' }), or vectorize the texts first.`
      : `${what} holds texts (${JSON.stringify(text)}); it must hold numbers (encode labels as class indices or one-hot rows first).`);
  }
  let t: Tensor;
  try {
    t = tensor(value);
  } catch (e) {
    const message = (e as Error).message;
    // Rows of different lengths are usually sequences: say how to make them one length.
    const hint = message.startsWith('Ragged array: index [') ? ' Sequences of different lengths must be padded (or cut) to one length first, e.g. with padSequences(sequences, { maxlen }).' : '';
    throw new Error(`${what}: ${message}${hint}`);
  }
  if (t.rank === 0) throw new Error(`${what} must have one row per sample; got a scalar.`);
  if (t.shape[0] === 0) throw new Error(`${what} is empty: at least one sample is needed.`);
  return t;
}

/** The first leaf of nested arrays when it is a string (texts given where numbers are expected), else null. */
function firstString(value: unknown): string | null {
  let v = value;
  while (Array.isArray(v) && v.length) v = v[0];
  return typeof v === 'string' ? v : null;
}

/** Reject NaN and ±Infinity, naming the first offending row and column. */
export function checkFinite(t: Tensor, what: string): void {
  const d = t.data;
  const i = elementwise(d.length, d).firstNonFinite!(d); // a vectorized scan on the native and wasm backends
  if (i >= 0) {
    const perRow = t.size / t.shape[0];
    const row = Math.floor(i / perRow);
    const col = i % perRow;
    throw new Error(`${what} contains ${d[i]} at row ${row}${perRow > 1 ? `, column ${col}` : ''}. Clean or impute the data first.`);
  }
}

export function checkSameLength(x: Tensor, y: Tensor, xName = 'x', yName = 'y'): void {
  if (x.shape[0] !== y.shape[0]) {
    throw new Error(`${xName} and ${yName} have different numbers of samples: ${xName} has ${x.shape[0]} (shape ${formatShape(x.shape)}), ${yName} has ${y.shape[0]} (shape ${formatShape(y.shape)}).`);
  }
}

/** Rows of a tensor at the given indices, as a new tensor (the batch gather of the training loop). */
export function takeRows(t: Tensor, indices: ArrayLike<number>, start: number, end: number, into?: Tensor): Tensor {
  const rowSize = t.size / t.shape[0];
  const out = into ? into.data : new Float32Array((end - start) * rowSize);
  const src = t.data;
  // Wide rows: one block copy each (set from a view, a memcpy); narrow rows: a plain loop, cheaper than a view per row.
  if (rowSize >= 64) for (let i = start; i < end; i++) out.set(src.subarray(indices[i] * rowSize, (indices[i] + 1) * rowSize), (i - start) * rowSize);
  else {
    for (let i = start; i < end; i++) {
      const from = indices[i] * rowSize;
      const to = (i - start) * rowSize;
      for (let j = 0; j < rowSize; j++) out[to + j] = src[from + j];
    }
  }
  return into ?? new Tensor(out, [end - start, ...t.shape.slice(1)]);
}

/** Contiguous rows [start, end). */
export function sliceRows(t: Tensor, start: number, end: number): Tensor {
  const rowSize = t.size / t.shape[0];
  return new Tensor(t.data.subarray(start * rowSize, end * rowSize), [end - start, ...t.shape.slice(1)]);
}
