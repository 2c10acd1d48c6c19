// loadMnist / loadIris checked against the packages' raw files read here independently.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadMnist, loadIris } from '../../src/data/datasets.js';

const require = createRequire(import.meta.url);

test('loadMnist: shapes, pixels in [0, 1], disjoint sets, each image carries the label of the digit file it came from', () => {
  const d = loadMnist({ trainSize: 600, testSize: 200, seed: 7 });
  assert.deepEqual(d.xTrain.shape, [600, 784]);
  assert.deepEqual(d.xTest.shape, [200, 784]);
  assert.deepEqual(d.yTrain.shape, [600]);
  let min = Infinity;
  let max = -Infinity;
  for (const v of d.xTrain.data) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  assert.equal(min, 0);
  assert.equal(max, 1);
  // Index every image of the package by its pixel text -> digit.
  const byImage = new Map<string, number>();
  for (let digit = 0; digit < 10; digit++) {
    const data: number[] = JSON.parse(readFileSync(require.resolve(`mnist/src/digits/${digit}.json`), 'utf8')).data;
    for (let i = 0; i < data.length; i += 784) byImage.set(Float32Array.from(data.slice(i, i + 784)).join(','), digit);
  }
  const keys = (x: Float32Array, n: number) => Array.from({ length: n }, (_, i) => x.subarray(i * 784, (i + 1) * 784).join(','));
  const train = keys(d.xTrain.data, 600);
  const testKeys = keys(d.xTest.data, 200);
  train.forEach((k, i) => assert.equal(byImage.get(k), d.yTrain.data[i]));
  testKeys.forEach((k, i) => assert.equal(byImage.get(k), d.yTest.data[i]));
  const trainSet = new Set(train);
  assert.equal(testKeys.filter((k) => trainSet.has(k)).length, 0);
  assert.equal(new Set(Array.from(d.yTrain.data)).size, 10);
  // Same seed, same split; one-hot and 28x28 options.
  const e = loadMnist({ trainSize: 600, testSize: 200, seed: 7, oneHot: true, flatten: false });
  assert.deepEqual(e.xTrain.shape, [600, 28, 28]);
  assert.deepEqual(e.yTrain.shape, [600, 10]);
  assert.equal(e.yTrain.data[d.yTrain.data[0]], 1);
  assert.deepEqual(e.xTest.data, d.xTest.data);
  assert.throws(() => loadMnist({ trainSize: 9000, testSize: 2000 }), /exceeds the 10000 images/);
});

test('loadIris: 150 flowers, 50 per species, column means of Fisher\'s data', () => {
  const d = loadIris();
  assert.deepEqual(d.x.shape, [150, 4]);
  assert.deepEqual(d.classNames, ['setosa', 'versicolor', 'virginica']);
  assert.deepEqual(Array.from(d.x.data.subarray(0, 4)), [5.1, 3.5, 1.4, 0.2].map(Math.fround));
  for (let c = 0; c < 3; c++) assert.equal(Array.from(d.y.data).filter((v) => v === c).length, 50);
  // Published means: 5.843, 3.057, 3.758, 1.199 cm.
  const means = [0, 1, 2, 3].map((j) => Array.from({ length: 150 }, (_, i) => d.x.data[i * 4 + j]).reduce((a, b) => a + b, 0) / 150);
  [5.843, 3.057, 3.758, 1.199].forEach((m, j) => assert.ok(Math.abs(means[j] - m) < 1e-3, `${means[j]} vs ${m}`));
  assert.deepEqual(loadIris({ oneHot: true }).y.shape, [150, 3]);
});
