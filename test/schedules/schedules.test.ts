// Each schedule's value at chosen steps against its closed form (written here), argument validation,
// config round trip, and the legacy `decay` == InverseTimeDecay(lr, 1, decay) equivalence.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ExponentialDecay, InverseTimeDecay, PiecewiseConstantDecay, PolynomialDecay, CosineDecay, CosineDecayRestarts,
  getSchedule, type LearningRateSchedule,
} from '../../src/schedules/index.js';
import { SGD, Adam, getOptimizer } from '../../src/optimizers/index.js';
import { Variable } from '../../src/tensor/variable.js';

const near = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)), `${what}: ${a} != ${b}`);

test('ExponentialDecay: 0.1 * 0.5^(step/10), staircase floors the exponent', () => {
  const s = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 });
  for (const [step, v] of [[0, 0.1], [10, 0.05], [5, 0.1 / Math.SQRT2], [25, 0.1 * 0.5 ** 2.5]]) near(s.call(step), v, `step ${step}`);
  const st = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: true });
  near(st.call(9), 0.1, 'staircase 9');
  near(st.call(10), 0.05, 'staircase 10');
  near(st.call(29), 0.025, 'staircase 29');
});

test('InverseTimeDecay: lr / (1 + rate * step / steps)', () => {
  const s = new InverseTimeDecay({ initialLearningRate: 0.2, decaySteps: 4, decayRate: 0.5 });
  near(s.call(0), 0.2, '0');
  near(s.call(4), 0.2 / 1.5, '4');
  near(s.call(6), 0.2 / 1.75, '6');
  const st = new InverseTimeDecay({ initialLearningRate: 0.2, decaySteps: 4, decayRate: 0.5, staircase: true });
  near(st.call(7), 0.2 / 1.5, 'staircase 7');
});

test('PiecewiseConstantDecay: values[i] on (boundaries[i-1], boundaries[i]]', () => {
  const s = new PiecewiseConstantDecay({ boundaries: [100, 110], values: [1, 0.5, 0.1] });
  assert.deepEqual([0, 100, 101, 110, 111, 1e6].map((x) => s.call(x)), [1, 1, 0.5, 0.5, 0.1, 0.1]);
  assert.throws(() => new PiecewiseConstantDecay({ boundaries: [1, 2], values: [1, 2] }), /length of boundaries should be 1 less than the length of values/);
  assert.throws(() => new PiecewiseConstantDecay({ boundaries: [5, 5], values: [1, 2, 3] }), /strictly increasing/);
  assert.throws(() => new PiecewiseConstantDecay({ boundaries: [5], values: [1, NaN] }), /`values\[1\]` must be a finite number/);
});

test('PolynomialDecay: with and without cycle', () => {
  const s = new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 10, endLearningRate: 0.01, power: 0.5 });
  near(s.call(0), 0.1, '0');
  near(s.call(4), 0.09 * Math.sqrt(0.6) + 0.01, '4');
  near(s.call(10), 0.01, '10');
  near(s.call(50), 0.01, '50 (held at the end)');
  const c = new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 10, endLearningRate: 0.01, cycle: true });
  near(c.call(0), 0.1, 'cycle 0');
  near(c.call(15), 0.09 * (1 - 15 / 20) + 0.01, 'cycle 15 (second period of 20)');
  near(c.call(20), 0.01, 'cycle 20');
});

test('CosineDecay: plain, with alpha, with linear warmup', () => {
  const s = new CosineDecay({ initialLearningRate: 0.1, decaySteps: 100 });
  near(s.call(0), 0.1, '0');
  near(s.call(50), 0.05, '50');
  near(s.call(25), 0.1 * 0.5 * (1 + Math.cos(Math.PI / 4)), '25');
  near(s.call(500), 0, 'past the end');
  const a = new CosineDecay({ initialLearningRate: 0.1, decaySteps: 100, alpha: 0.2 });
  near(a.call(100), 0.02, 'alpha floor');
  const w = new CosineDecay({ initialLearningRate: 0, decaySteps: 100, warmupTarget: 0.1, warmupSteps: 10 });
  near(w.call(0), 0, 'warmup 0');
  near(w.call(5), 0.05, 'warmup 5');
  near(w.call(10), 0.1, 'end of warmup');
  near(w.call(60), 0.05, 'decay midpoint');
  near(w.call(1000), 0, 'end');
});

test('CosineDecayRestarts: periods of firstDecaySteps * tMul^i starting at mMul^i', () => {
  const s = new CosineDecayRestarts({ initialLearningRate: 1, firstDecaySteps: 10, tMul: 2, mMul: 0.5 });
  near(s.call(0), 1, '0');
  near(s.call(5), 0.5, 'middle of the first period');
  near(s.call(10), 0.5, 'restart 1 at 0.5');
  near(s.call(20), 0.5 * 0.5 * (1 + Math.cos(Math.PI * 0.5)), 'middle of the second period (length 20)');
  near(s.call(30), 0.25, 'restart 2 at 0.25');
  const flat = new CosineDecayRestarts({ initialLearningRate: 1, firstDecaySteps: 4, tMul: 1, alpha: 0.1 });
  near(flat.call(6), 0.9 * 0.5 * (1 + Math.cos(Math.PI * 0.5)) + 0.1, 'tMul 1: period 4');
});

test('invalid schedule arguments fail at construction with the argument named', () => {
  assert.throws(() => new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 0, decayRate: 0.5 }), /ExponentialDecay: `decaySteps` must be > 0; received 0/);
  assert.throws(() => new ExponentialDecay({ initialLearningRate: NaN, decaySteps: 1, decayRate: 0.5 }), /`initialLearningRate` must be a finite number; received NaN/);
  assert.throws(() => new InverseTimeDecay({ initialLearningRate: -1, decaySteps: 1, decayRate: 0.5 }), /`initialLearningRate` must be >= 0/);
  assert.throws(() => new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 10, power: -1 }), /`power` must be >= 0/);
  assert.throws(() => new CosineDecay({ initialLearningRate: 0.1, decaySteps: 10, alpha: 2 }), /`alpha` must be <= 1/);
  assert.throws(() => new CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: -3 }), /`firstDecaySteps` must be > 0/);
  assert.throws(() => new ExponentialDecay({ initial_learning_rate: 0.1 } as never), /argument\(s\) not recognized: initial_learning_rate/);
});

test('every schedule round-trips through its config, also inside an optimizer config', () => {
  const all: LearningRateSchedule[] = [
    new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: true }),
    new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 3, decayRate: 0.5 }),
    new PiecewiseConstantDecay({ boundaries: [3, 7], values: [0.3, 0.2, 0.1] }),
    new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 10, cycle: true }),
    new CosineDecay({ initialLearningRate: 0, decaySteps: 10, warmupTarget: 0.1, warmupSteps: 3 }),
    new CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 5 }),
  ];
  for (const s of all) {
    const back = getSchedule({ className: s.className, config: s.getConfig() });
    for (const step of [0, 1, 4, 9, 17]) assert.equal(back.call(step), s.call(step), `${s.className} step ${step}`);
    const opt = new Adam({ learningRate: s });
    const again = getOptimizer({ className: 'Adam', config: opt.getConfig() });
    assert.equal(again.learningRate, opt.learningRate);
  }
  assert.throws(() => getSchedule({ className: 'Nope' }), /Unknown learning-rate schedule "Nope"/);
});

test('the optimizer evaluates the schedule at iterations before each update', () => {
  const s = new PiecewiseConstantDecay({ boundaries: [1], values: [0.5, 0.25] });
  const opt = new SGD({ learningRate: s });
  const v = new Variable([1]);
  const seen: number[] = [];
  for (let i = 0; i < 4; i++) {
    seen.push(opt.learningRate);
    opt.applyGradients([[[1], v]]);
  }
  assert.deepEqual(seen, [0.5, 0.5, 0.25, 0.25]); // steps 0, 1 -> values[0]; steps 2, 3 -> values[1]
  assert.ok(Math.abs(v.data[0] - (1 - 0.5 - 0.5 - 0.25 - 0.25)) < 1e-7);
});

test("legacy decay (Keras 2: lr / (1 + decay * iterations)) equals InverseTimeDecay(lr, 1, decay), step for step", () => {
  const legacy = new SGD({ lr: 0.1, decay: 0.05, momentum: 0.9, nesterov: true });
  const modern = new SGD({ learningRate: new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.05 }), momentum: 0.9, nesterov: true });
  const [a, b] = [new Variable([0.5, -1, 2]), new Variable([0.5, -1, 2])];
  for (let t = 0; t < 30; t++) {
    // Closed form of the rate the update at iteration t uses (iterations counted from 0).
    assert.equal(legacy.learningRate, Math.fround(0.1 / (1 + 0.05 * t)));
    assert.equal(legacy.learningRate, modern.learningRate);
    const g = [Math.sin(t), Math.cos(t), 0.3];
    legacy.applyGradients([[g, a]]);
    modern.applyGradients([[g, b]]);
  }
  assert.deepEqual(Array.from(a.data), Array.from(b.data));
  // And it really decays: without decay the trajectory differs.
  const plain = new SGD({ lr: 0.1, momentum: 0.9, nesterov: true });
  const c = new Variable([0.5, -1, 2]);
  for (let t = 0; t < 30; t++) plain.applyGradients([[[Math.sin(t), Math.cos(t), 0.3], c]]);
  assert.notDeepEqual(Array.from(c.data), Array.from(a.data));
});

test("the chapter's legacy SGD spelling works as written", () => {
  const opt = new SGD({ lr: 0.01, decay: 1e-6, momentum: 0.9, nesterov: true });
  assert.equal(opt.momentum, 0.9);
  assert.equal(opt.nesterov, true);
  assert.equal(opt.learningRate, Math.fround(0.01));
  opt.iterations = 1000;
  assert.equal(opt.learningRate, Math.fround(0.01 / (1 + 1e-6 * 1000)));
});

test('with legacy decay, assigning learningRate sets the current rate and decay continues from it (Keras 2 base-lr scaling)', () => {
  const opt = new SGD({ lr: 0.1, decay: 0.5 });
  const v = new Variable([0]);
  for (let t = 0; t < 4; t++) opt.applyGradients([[[1], v]]);
  const before = opt.learningRate; // 0.1 / (1 + 0.5 * 4) = 0.0333...
  assert.equal(before, Math.fround(0.1 / 3));
  opt.learningRate = before * 0.5; // what ReduceLROnPlateau does
  assert.equal(opt.learningRate, Math.fround(before * 0.5));
  opt.applyGradients([[[1], v]]);
  // Keras 2: the base lr was scaled by 0.5, so lr_t = 0.05 / (1 + 0.5 * 5).
  assert.ok(Math.abs(opt.lr - 0.05 / 3.5) < 1e-8, `${opt.lr}`);
});
