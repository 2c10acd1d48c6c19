// trainTestSplit: scikit-learn's train_test_split for tensors (rows along the first axis).
// n_test = ceil(testSize * n) for a fraction, or testSize itself for an integer; n_train = n - n_test.
// Stratified: each class c of n_c rows gets t_c test rows, t_c = floor(n_c * n_test / n) plus one for the
// classes with the largest remainders until the t_c sum to n_test (class proportions kept to within one row).

import { Tensor, tensor, type TensorLike } from '../tensor/tensor.js';
import { formatShape } from '../tensor/shape.js';
import { Rng, getRng } from '../tensor/random.js';

export interface SplitOptions {
  /** Fraction in (0, 1) or a number of test rows; default 0.25 (as scikit-learn). */
  testSize?: number;
  /** Seed for the shuffle; default the global generator (setSeed). */
  seed?: number;
  /** Shuffle before splitting (default true); false takes the last rows as the test set. */
  shuffle?: boolean;
  /** Keep class proportions: true stratifies by y (class indices, or argmax of one-hot rows), or give labels. */
  stratify?: boolean | TensorLike;
}

export type SplitResult = [xTrain: Tensor, xTest: Tensor, yTrain: Tensor, yTest: Tensor] & {
  xTrain: Tensor;
  xTest: Tensor;
  yTrain: Tensor;
  yTest: Tensor;
};

/** Split rows of x and y into train and test sets: `const [xTrain, xTest, yTrain, yTest] = trainTestSplit(x, y, ...)`. */
export function trainTestSplit(x: TensorLike, y: TensorLike, options: SplitOptions = {}): SplitResult {
  const xt = tensor(x);
  const yt = tensor(y);
  if (xt.rank === 0 || yt.rank === 0) throw new Error('trainTestSplit needs x and y with a first (sample) dimension.');
  const n = xt.shape[0];
  if (yt.shape[0] !== n) {
    throw new Error(`trainTestSplit: x has ${n} rows (shape ${formatShape(xt.shape)}) but y has ${yt.shape[0]} (shape ${formatShape(yt.shape)}).`);
  }
  const testSize = options.testSize ?? 0.25;
  let nTest: number;
  if (testSize > 0 && testSize < 1) nTest = Math.ceil(testSize * n);
  else if (Number.isInteger(testSize) && testSize >= 1) nTest = testSize;
  else throw new Error(`testSize must be a fraction in (0, 1) or a positive integer, got ${testSize}.`);
  if (nTest >= n) throw new Error(`testSize ${testSize} leaves no training rows out of ${n}.`);
  const shuffle = options.shuffle ?? true;
  const rng = options.seed === undefined ? getRng() : new Rng(options.seed);

  let order: number[];
  let testCount = nTest;
  if (options.stratify !== undefined && options.stratify !== false) {
    if (!shuffle) throw new Error('Stratified splitting requires shuffle: true (as scikit-learn).');
    const labels = options.stratify === true ? labelsOf(yt) : labelsOf(tensor(options.stratify));
    if (labels.length !== n) throw new Error(`stratify has ${labels.length} labels but x has ${n} rows.`);
    const { train, test } = stratifiedIndices(labels, nTest, rng);
    order = [...train, ...test];
    testCount = test.length;
  } else {
    order = Array.from({ length: n }, (_, i) => i);
    if (shuffle) rng.shuffle(order);
  }
  const trainIdx = order.slice(0, n - testCount);
  const testIdx = order.slice(n - testCount);
  const xTrain = takeRows(xt, trainIdx);
  const xTest = takeRows(xt, testIdx);
  const yTrain = takeRows(yt, trainIdx);
  const yTest = takeRows(yt, testIdx);
  return Object.assign([xTrain, xTest, yTrain, yTest] as [Tensor, Tensor, Tensor, Tensor], { xTrain, xTest, yTrain, yTest });
}

/** Class label per row: the value for [n] / [n, 1], the argmax for one-hot [n, k]. */
function labelsOf(t: Tensor): number[] {
  const n = t.shape[0];
  const width = t.size / Math.max(n, 1);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < width; j++) if (t.data[i * width + j] > t.data[i * width + best]) best = j;
    out[i] = width === 1 ? t.data[i] : best;
  }
  return out;
}

function stratifiedIndices(labels: number[], nTest: number, rng: Rng): { train: number[]; test: number[] } {
  const n = labels.length;
  const byClass = new Map<number, number[]>();
  labels.forEach((c, i) => {
    if (!byClass.has(c)) byClass.set(c, []);
    byClass.get(c)!.push(i);
  });
  const classes = [...byClass.keys()].sort((a, b) => a - b);
  if (classes.length > nTest) throw new Error(`Stratified split: ${nTest} test rows cannot hold all ${classes.length} classes; use a larger testSize.`);
  for (const c of classes) {
    if (byClass.get(c)!.length < 2) throw new Error(`Stratified split: class ${c} has only 1 row; each class needs at least 2.`);
  }
  const exact = classes.map((c) => (byClass.get(c)!.length * nTest) / n);
  const counts = exact.map(Math.floor);
  let left = nTest - counts.reduce((a, b) => a + b, 0);
  const byRemainder = classes.map((_, k) => k).sort((a, b) => exact[b] - counts[b] - (exact[a] - counts[a]) || a - b);
  for (const k of byRemainder) {
    if (left === 0) break;
    counts[k]++;
    left--;
  }
  const train: number[] = [];
  const test: number[] = [];
  classes.forEach((c, k) => {
    const idx = byClass.get(c)!.slice();
    rng.shuffle(idx);
    test.push(...idx.slice(0, counts[k]));
    train.push(...idx.slice(counts[k]));
  });
  rng.shuffle(train);
  rng.shuffle(test);
  return { train, test };
}

/** Rows `idx` of t (any rank), copied. */
export function takeRows(t: Tensor, idx: readonly number[]): Tensor {
  const n = t.shape[0];
  const width = t.size / Math.max(n, 1);
  const out = new Float32Array(idx.length * width);
  idx.forEach((r, i) => out.set(t.data.subarray(r * width, (r + 1) * width), i * width));
  return new Tensor(out, [idx.length, ...t.shape.slice(1)]);
}
