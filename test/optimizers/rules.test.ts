// Each optimizer against a float64 implementation of its written update rule (Keras 3's), several steps,
// two variables, gradients that change sign and size. References are written here from the rules, not
// from the library code.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Variable } from '../../src/tensor/variable.js';
import { getOptimizer, type Optimizer } from '../../src/optimizers/index.js';

type Ref = { step(w: number[], g: number[], t: number, lr: number, slot: Record<string, number[]>): void };

const W0 = [
  [0.5, -1.2, 2.0, 0.03, -0.7],
  [1.5, -0.25, 0.8],
];
// Gradient at step t for variable k, element i: varied signs and magnitudes (including a zero).
function gradAt(t: number, k: number, i: number): number {
  if (k === 0 && i === 2 && t === 2) return 0;
  return Math.sin(1.3 * t + 0.7 * i + 2.1 * k) * (0.2 + 0.5 * i) + 0.05 * (k - i);
}

const zeros = (n: number) => new Array<number>(n).fill(0);
const sq = (x: number) => x * x;

const rules: Record<string, { options: Record<string, unknown>; init?: Record<string, number>; ref: Ref; lr: number }> = {
  'sgd': { options: { learningRate: 0.1 }, lr: 0.1, ref: { step(w, g, _t, lr) { for (let i = 0; i < w.length; i++) w[i] -= lr * g[i]; } } },
  'sgd momentum': {
    options: { learningRate: 0.05, momentum: 0.9 }, lr: 0.05,
    ref: { step(w, g, _t, lr, s) { s.m ??= zeros(w.length); for (let i = 0; i < w.length; i++) { s.m[i] = 0.9 * s.m[i] - lr * g[i]; w[i] += s.m[i]; } } },
  },
  'sgd nesterov': {
    options: { learningRate: 0.05, momentum: 0.8, nesterov: true }, lr: 0.05,
    ref: { step(w, g, _t, lr, s) { s.m ??= zeros(w.length); for (let i = 0; i < w.length; i++) { s.m[i] = 0.8 * s.m[i] - lr * g[i]; w[i] += 0.8 * s.m[i] - lr * g[i]; } } },
  },
  'adagrad': {
    options: { learningRate: 0.1 }, lr: 0.1,
    ref: { step(w, g, _t, lr, s) { s.a ??= new Array(w.length).fill(0.1); for (let i = 0; i < w.length; i++) { s.a[i] += sq(g[i]); w[i] -= (lr * g[i]) / Math.sqrt(s.a[i] + 1e-7); } } },
  },
  'rmsprop': {
    options: { learningRate: 0.01 }, lr: 0.01,
    ref: { step(w, g, _t, lr, s) { s.v ??= zeros(w.length); for (let i = 0; i < w.length; i++) { s.v[i] = 0.9 * s.v[i] + 0.1 * sq(g[i]); w[i] -= (lr * g[i]) / Math.sqrt(s.v[i] + 1e-7); } } },
  },
  'rmsprop momentum centered': {
    options: { learningRate: 0.01, momentum: 0.5, centered: true, rho: 0.8 }, lr: 0.01,
    ref: {
      step(w, g, _t, lr, s) {
        s.v ??= zeros(w.length); s.mg ??= zeros(w.length); s.m ??= zeros(w.length);
        for (let i = 0; i < w.length; i++) {
          s.v[i] = 0.8 * s.v[i] + 0.2 * sq(g[i]);
          s.mg[i] = 0.8 * s.mg[i] + 0.2 * g[i];
          const inc = (lr * g[i]) / Math.sqrt(s.v[i] - sq(s.mg[i]) + 1e-7);
          s.m[i] = 0.5 * s.m[i] + inc;
          w[i] -= s.m[i];
        }
      },
    },
  },
  'adadelta': {
    options: { learningRate: 1.0, rho: 0.9, epsilon: 1e-6 }, lr: 1.0,
    ref: {
      step(w, g, _t, lr, s) {
        s.eg ??= zeros(w.length); s.ed ??= zeros(w.length);
        for (let i = 0; i < w.length; i++) {
          s.eg[i] = 0.9 * s.eg[i] + 0.1 * sq(g[i]);
          const dx = (-Math.sqrt(s.ed[i] + 1e-6) / Math.sqrt(s.eg[i] + 1e-6)) * g[i];
          s.ed[i] = 0.9 * s.ed[i] + 0.1 * sq(dx);
          w[i] += lr * dx;
        }
      },
    },
  },
  'adam': {
    options: { learningRate: 0.01 }, lr: 0.01,
    ref: {
      step(w, g, t, lr, s) {
        s.m ??= zeros(w.length); s.v ??= zeros(w.length);
        for (let i = 0; i < w.length; i++) {
          s.m[i] = 0.9 * s.m[i] + 0.1 * g[i];
          s.v[i] = 0.999 * s.v[i] + 0.001 * sq(g[i]);
          // Keras: epsilon-hat outside the root, on the uncorrected v.
          w[i] -= ((lr * Math.sqrt(1 - 0.999 ** t)) / (1 - 0.9 ** t)) * s.m[i] / (Math.sqrt(s.v[i]) + 1e-7);
        }
      },
    },
  },
  'adam amsgrad': {
    options: { learningRate: 0.01, amsgrad: true, beta2: 0.9, epsilon: 1e-3 }, lr: 0.01,
    ref: {
      step(w, g, t, lr, s) {
        s.m ??= zeros(w.length); s.v ??= zeros(w.length); s.vh ??= zeros(w.length);
        for (let i = 0; i < w.length; i++) {
          s.m[i] = 0.9 * s.m[i] + 0.1 * g[i];
          s.v[i] = 0.9 * s.v[i] + 0.1 * sq(g[i]);
          s.vh[i] = Math.max(s.vh[i], s.v[i]);
          w[i] -= ((lr * Math.sqrt(1 - 0.9 ** t)) / (1 - 0.9 ** t)) * s.m[i] / (Math.sqrt(s.vh[i]) + 1e-3);
        }
      },
    },
  },
  'adamw': {
    options: { learningRate: 0.01, weightDecay: 0.1 }, lr: 0.01,
    ref: {
      step(w, g, t, lr, s) {
        s.m ??= zeros(w.length); s.v ??= zeros(w.length);
        for (let i = 0; i < w.length; i++) {
          w[i] -= w[i] * 0.1 * lr; // decoupled decay first
          s.m[i] = 0.9 * s.m[i] + 0.1 * g[i];
          s.v[i] = 0.999 * s.v[i] + 0.001 * sq(g[i]);
          w[i] -= ((lr * Math.sqrt(1 - 0.999 ** t)) / (1 - 0.9 ** t)) * s.m[i] / (Math.sqrt(s.v[i]) + 1e-7);
        }
      },
    },
  },
  'adamax': {
    options: { learningRate: 0.02 }, lr: 0.02,
    ref: {
      step(w, g, t, lr, s) {
        s.m ??= zeros(w.length); s.u ??= zeros(w.length);
        for (let i = 0; i < w.length; i++) {
          s.m[i] = 0.9 * s.m[i] + 0.1 * g[i];
          s.u[i] = Math.max(0.999 * s.u[i], Math.abs(g[i]));
          w[i] -= (lr / (1 - 0.9 ** t)) * s.m[i] / (s.u[i] + 1e-7);
        }
      },
    },
  },
  'nadam': {
    options: { learningRate: 0.01 }, lr: 0.01,
    ref: {
      step(w, g, t, lr, s) {
        s.m ??= zeros(w.length); s.v ??= zeros(w.length);
        const u = (k: number) => 0.9 * (1 - 0.5 * 0.96 ** k);
        let U = 1;
        for (let k = 1; k <= t; k++) U *= u(k);
        for (let i = 0; i < w.length; i++) {
          s.m[i] = 0.9 * s.m[i] + 0.1 * g[i];
          s.v[i] = 0.999 * s.v[i] + 0.001 * sq(g[i]);
          const mHat = (u(t + 1) * s.m[i]) / (1 - U * u(t + 1)) + ((1 - u(t)) * g[i]) / (1 - U);
          const vHat = s.v[i] / (1 - 0.999 ** t);
          w[i] -= (lr * mHat) / (Math.sqrt(vHat) + 1e-7);
        }
      },
    },
  },
  'lion': {
    options: { learningRate: 0.01, weightDecay: 0.5 }, lr: 0.01,
    ref: {
      step(w, g, _t, lr, s) {
        s.m ??= zeros(w.length);
        for (let i = 0; i < w.length; i++) {
          w[i] -= w[i] * 0.5 * lr;
          w[i] -= lr * Math.sign(0.9 * s.m[i] + 0.1 * g[i]);
          s.m[i] = 0.99 * s.m[i] + 0.01 * g[i];
        }
      },
    },
  },
  'ftrl': {
    options: { learningRate: 0.1, l1RegularizationStrength: 0.01, l2RegularizationStrength: 0.02, l2ShrinkageRegularizationStrength: 0.03, beta: 0.1 }, lr: 0.1,
    ref: {
      step(w, g, _t, lr, s) {
        s.n ??= new Array(w.length).fill(0.1); s.z ??= zeros(w.length);
        const l2 = 0.02 + 0.1 / (2 * lr);
        for (let i = 0; i < w.length; i++) {
          const gs = g[i] + 2 * 0.03 * w[i];
          const nn = s.n[i] + sq(g[i]);
          s.z[i] += gs - ((Math.sqrt(nn) - Math.sqrt(s.n[i])) / lr) * w[i];
          w[i] = Math.abs(s.z[i]) <= 0.01 ? 0 : (Math.sign(s.z[i]) * 0.01 - s.z[i]) / (Math.sqrt(nn) / lr + 2 * l2);
          s.n[i] = nn;
        }
      },
    },
  },
};

function close(actual: ArrayLike<number>, expected: number[], tol: number, what: string): void {
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i] - expected[i]);
    assert.ok(err <= tol * Math.max(1, Math.abs(expected[i])), `${what}[${i}]: got ${actual[i]}, expected ${expected[i]} (error ${err})`);
  }
}

for (const [label, rule] of Object.entries(rules)) {
  test(`${label}: 8 steps match the float64 rule`, () => {
    const name = label.split(' ')[0];
    const opt: Optimizer = getOptimizer({ className: name, config: rule.options });
    const vars = W0.map((w, k) => new Variable(w, { name: `v${k}` }));
    const ref = W0.map((w) => [...w]);
    const slots = W0.map(() => ({}) as Record<string, number[]>);
    for (let t = 1; t <= 8; t++) {
      const grads = W0.map((w, k) => w.map((_, i) => gradAt(t, k, i)));
      opt.applyGradients(grads.map((g, k) => [Float32Array.from(g), vars[k]] as const));
      grads.forEach((g, k) => rule.ref.step(ref[k], g, t, rule.lr, slots[k]));
      vars.forEach((v, k) => close(v.data, ref[k], 2e-5, `${label} step ${t} var ${k}`));
    }
    assert.equal(opt.iterations, 8);
    // The variables actually moved (guards against a no-op passing trivially).
    assert.ok(Math.abs(vars[0].data[0] - W0[0][0]) > 1e-3);
  });
}

test('every registered optimizer has a rule test here', async () => {
  const { optimizerNames } = await import('../../src/optimizers/index.js');
  const covered = new Set(Object.keys(rules).map((l) => l.split(' ')[0]));
  for (const n of optimizerNames()) assert.ok(covered.has(n), `no rule test for '${n}'`);
});
