// k-fold cross-validation splits (scikit-learn's KFold without shuffling): fold i holds out rows
// [i·n/k, (i+1)·n/k) (the first n mod k folds get one row more) and trains on the rest.

import { Tensor, isTensor } from '../tensor/tensor.js';

/** Row-indexable data: nested arrays, typed rows or a Tensor (rows along axis 0). */
export type Rows = Tensor | readonly unknown[];

export function rowCount(data: Rows, what: string): number {
  if (isTensor(data)) {
    if (data.rank === 0) throw new Error(`crossValidation: ${what} is a scalar tensor; it needs rows.`);
    return data.shape[0];
  }
  if (Array.isArray(data)) return data.length;
  throw new Error(`crossValidation: ${what} must be an array of rows or a Tensor.`);
}

export function takeRows<T extends Rows>(data: T, indices: readonly number[]): T {
  if (isTensor(data)) {
    const rowSize = data.size / data.shape[0];
    const out = new Float32Array(indices.length * rowSize);
    indices.forEach((r, i) => out.set(data.data.subarray(r * rowSize, (r + 1) * rowSize), i * rowSize));
    return new Tensor(out, [indices.length, ...data.shape.slice(1)]) as T;
  }
  return indices.map((i) => (data as readonly unknown[])[i]) as unknown as T;
}

export interface Fold<X extends Rows, Y extends Rows> {
  xTrain: X;
  yTrain: Y;
  xVal: X;
  yVal: Y;
}

export function kFolds<X extends Rows, Y extends Rows>(x: X, y: Y, k: number): Fold<X, Y>[] {
  const n = rowCount(x, 'x');
  if (rowCount(y, 'y') !== n) throw new Error(`crossValidation: x has ${n} rows but y has ${rowCount(y, 'y')}.`);
  if (!(Number.isInteger(k) && k >= 2)) throw new Error(`crossValidation must be an integer >= 2, got ${k}.`);
  if (k > n) throw new Error(`crossValidation: ${k} folds need at least ${k} rows, got ${n}.`);
  const folds: Fold<X, Y>[] = [];
  let start = 0;
  for (let i = 0; i < k; i++) {
    const size = Math.floor(n / k) + (i < n % k ? 1 : 0);
    const val = Array.from({ length: size }, (_, j) => start + j);
    const train = [...Array.from({ length: start }, (_, j) => j), ...Array.from({ length: n - start - size }, (_, j) => start + size + j)];
    folds.push({ xTrain: takeRows(x, train), yTrain: takeRows(y, train), xVal: takeRows(x, val), yVal: takeRows(y, val) });
    start += size;
  }
  return folds;
}
