// Initializers: Keras's formulas checked statistically on large samples, and shapes/fan computations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initializers, getInitializer, setSeed } from '../../src/index.js';

function stats(data: Float32Array): { mean: number; std: number; min: number; max: number } {
  let s = 0, s2 = 0, min = Infinity, max = -Infinity;
  for (const v of data) (s += v, (s2 += v * v), (min = Math.min(min, v)), (max = Math.max(max, v)));
  const mean = s / data.length;
  return { mean, std: Math.sqrt(s2 / data.length - mean * mean), min, max };
}

test('glorotUniform: U(±√(6/(fanIn+fanOut)))', () => {
  setSeed(1);
  const w = getInitializer('glorotUniform').init([200, 300]).data;
  const limit = Math.sqrt(6 / 500);
  const s = stats(w);
  assert.ok(s.max <= limit && s.min >= -limit);
  assert.ok(Math.abs(s.std - limit / Math.sqrt(3)) < 0.002, `${s.std}`);
});

test('heNormal: truncated normal with std √(2/fanIn)/0.8796 before truncation; variance ≈ 2/fanIn', () => {
  const w = getInitializer('he_normal').init([400, 250]).data;
  const s = stats(w);
  assert.ok(Math.abs(s.std - Math.sqrt(2 / 400)) < 0.002, `${s.std}`);
  assert.ok(s.max <= 2 * Math.sqrt(2 / 400) / 0.87962566103423978 + 1e-6);
});

test('lecunUniform, glorotNormal, heUniform, lecunNormal have their target variance', () => {
  const cases: [string, number][] = [
    ['lecunUniform', 1 / 300],
    ['glorotNormal', 2 / 500],
    ['heUniform', 2 / 300],
    ['lecunNormal', 1 / 300],
  ];
  for (const [name, variance] of cases) {
    const s = stats(getInitializer(name).init([300, 200]).data);
    assert.ok(Math.abs(s.std - Math.sqrt(variance)) / Math.sqrt(variance) < 0.03, `${name}: ${s.std} vs ${Math.sqrt(variance)}`);
  }
});

test('zeros, ones, constant, randomNormal, randomUniform, truncatedNormal', () => {
  assert.ok(getInitializer('zeros').init([3, 3]).data.every((v) => v === 0));
  assert.ok(getInitializer('ones').init([3]).data.every((v) => v === 1));
  assert.ok(new initializers.Constant({ value: 2.5 }).init([4]).data.every((v) => v === 2.5));
  const n = stats(new initializers.RandomNormal({ mean: 1, stddev: 2, seed: 3 }).init([100000]).data);
  assert.ok(Math.abs(n.mean - 1) < 0.03 && Math.abs(n.std - 2) < 0.03);
  const u = stats(new initializers.RandomUniform({ minval: -1, maxval: 3, seed: 3 }).init([100000]).data);
  assert.ok(u.min >= -1 && u.max < 3 && Math.abs(u.mean - 1) < 0.03);
  const t = stats(new initializers.TruncatedNormal({ stddev: 1, seed: 4 }).init([100000]).data);
  assert.ok(t.min >= -2 && t.max <= 2);
  // A seeded initializer gives the same values every time it is created.
  const a = new initializers.RandomNormal({ seed: 9 }).init([5]).data;
  const b = new initializers.RandomNormal({ seed: 9 }).init([5]).data;
  assert.deepEqual(Array.from(a), Array.from(b));
});

test('orthogonal: WᵀW = I for tall matrices, WWᵀ = I for wide ones', () => {
  for (const [r, c] of [[6, 4], [4, 6], [5, 5]]) {
    const w = getInitializer('orthogonal').init([r, c]).data;
    const k = Math.min(r, c);
    for (let i = 0; i < k; i++)
      for (let j = 0; j < k; j++) {
        let dot = 0;
        if (r >= c) for (let p = 0; p < r; p++) dot += w[p * c + i] * w[p * c + j];
        else for (let p = 0; p < c; p++) dot += w[i * c + p] * w[j * c + p];
        assert.ok(Math.abs(dot - (i === j ? 1 : 0)) < 1e-5, `${r}x${c} (${i},${j}) = ${dot}`);
      }
  }
});
