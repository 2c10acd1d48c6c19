// Generic behaviour every registered optimizer must have: name resolution, argument validation with clear
// messages, exact resume from saved state, config round trip, clipping and weight decay done by the base.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Variable } from '../../src/tensor/variable.js';
import { tensor } from '../../src/tensor/tensor.js';
import { getOptimizer, optimizerNames, SGD, Adam, type Optimizer } from '../../src/optimizers/index.js';

const NAMES = ['sgd', 'adam', 'adamw', 'rmsprop', 'adagrad', 'adadelta', 'adamax', 'nadam', 'lion', 'ftrl'];
// Options that make every slot non-trivial (momentum on, etc.).
const RICH: Record<string, Record<string, unknown>> = {
  sgd: { learningRate: 0.05, momentum: 0.9, nesterov: true },
  adam: { learningRate: 0.01, amsgrad: true },
  adamw: { learningRate: 0.01 },
  rmsprop: { learningRate: 0.01, momentum: 0.5, centered: true },
  adagrad: { learningRate: 0.1 },
  adadelta: { learningRate: 1 },
  adamax: { learningRate: 0.01 },
  nadam: { learningRate: 0.01 },
  lion: { learningRate: 0.001 },
  ftrl: { learningRate: 0.1, l1RegularizationStrength: 0.001 },
};
// Invalid own arguments per optimizer, with a fragment of the expected message.
const INVALID: Record<string, [Record<string, unknown>, RegExp][]> = {
  sgd: [[{ momentum: -0.1 }, /SGD: `momentum` must be >= 0/], [{ momentum: 1.5 }, /`momentum` must be <= 1/], [{ nesterov: 'yes' }, /`nesterov` must be a boolean/]],
  adam: [[{ beta1: 1 }, /Adam: `beta1` must be < 1/], [{ beta2: -0.1 }, /`beta2` must be >= 0/], [{ epsilon: NaN }, /`epsilon` must be a finite number/]],
  adamw: [[{ beta1: 1.2 }, /AdamW: `beta1` must be < 1/], [{ weightDecay: null }, /AdamW: `weightDecay`/]],
  rmsprop: [[{ rho: 1 }, /RMSprop: `rho` must be < 1/], [{ momentum: -1 }, /`momentum` must be >= 0/], [{ centered: 1 }, /`centered` must be a boolean/]],
  adagrad: [[{ initialAccumulatorValue: -1 }, /Adagrad: `initialAccumulatorValue` must be >= 0/], [{ epsilon: 0 }, /`epsilon` must be > 0/]],
  adadelta: [[{ rho: 1.5 }, /Adadelta: `rho` must be < 1/], [{ rho: NaN }, /`rho` must be a finite number/]],
  adamax: [[{ beta1: -0.5 }, /Adamax: `beta1` must be >= 0/], [{ beta2: 1 }, /`beta2` must be < 1/]],
  nadam: [[{ beta1: 1 }, /Nadam: `beta1` must be < 1/], [{ beta2: 2 }, /`beta2` must be < 1/]],
  lion: [[{ beta1: 0 }, /Lion: `beta1` must be > 0/], [{ beta2: 1 }, /`beta2` must be < 1/]],
  ftrl: [[{ learningRatePower: 0.5 }, /Ftrl: `learningRatePower` must be <= 0/], [{ l1RegularizationStrength: -1 }, /must be >= 0/]],
};

function makeVars(): Variable[] {
  return [new Variable([[0.5, -1.2], [2.0, 0.03]], { name: 'kernel' }), new Variable([0.1, -0.4], { name: 'bias' })];
}
function grads(t: number): Float32Array[] {
  return [Float32Array.from([0.3, -0.2, 0.5, 0.1].map((x, i) => x * Math.cos(t + i))), Float32Array.from([-0.4 * Math.sin(t), 0.25])];
}
function run(opt: Optimizer, vars: Variable[], from: number, to: number): void {
  for (let t = from; t < to; t++) opt.applyGradients(grads(t).map((g, k) => [g, vars[k]] as const));
}
const snapshot = (vars: Variable[]) => vars.map((v) => Array.from(v.data));

test('the registry holds exactly the Keras names', () => {
  assert.deepEqual(optimizerNames(), [...NAMES].sort());
});

test('names resolve in snake, camel and Pascal case; unknown names list the valid ones', () => {
  assert.ok(getOptimizer('RMSprop').className === 'RMSprop');
  assert.ok(getOptimizer('rms_prop').className === 'RMSprop');
  assert.ok(getOptimizer('AdamW').className === 'AdamW');
  assert.ok(getOptimizer('SGD') instanceof SGD);
  const adam = new Adam();
  assert.equal(getOptimizer(adam), adam);
  assert.throws(() => getOptimizer('adamm'), (e: Error) => /Unknown optimizer 'adamm'/.test(e.message) && NAMES.every((n) => e.message.includes(`'${n}'`)));
  assert.throws(() => getOptimizer(42 as never), /Cannot resolve an optimizer/);
});

for (const name of NAMES) {
  test(`${name}: Keras defaults and common argument validation`, () => {
    const opt = getOptimizer(name);
    const defaults: Record<string, number> = { sgd: 0.01 };
    assert.equal(opt.learningRate, Math.fround(defaults[name] ?? 0.001));
    const cls = opt.className;
    const make = (o: Record<string, unknown>) => getOptimizer({ className: name, config: o });
    assert.throws(() => make({ learningRate: -0.1 }), new RegExp(`${cls}: learningRate must be a finite number >= 0; received -0.1`));
    assert.throws(() => make({ learningRate: NaN }), /learningRate must be a finite number >= 0; received NaN/);
    assert.throws(() => make({ lr: Infinity }), /received Infinity/);
    assert.throws(() => make({ lr: 0.1, learningRate: 0.1 }), /either `learningRate` or its legacy alias `lr`/);
    assert.throws(() => make({ learning_rate: 0.1 }), /argument\(s\) not recognized: learning_rate/);
    assert.throws(() => make({ clipnorm: 1, clipvalue: 1 }), /only one of `clipnorm`, `clipvalue` and `globalClipnorm`/);
    assert.throws(() => make({ clipnorm: -1 }), /`clipnorm` must be > 0/);
    assert.throws(() => make({ decay: -1 }), /`decay` must be >= 0/);
    assert.throws(() => make({ weightDecay: NaN }), /`weightDecay` must be a finite number/);
    assert.throws(() => make({ learningRate: () => NaN }), /the learning rate at step 0 is|learning rate at step 0 must be/);
    for (const [o, re] of INVALID[name]) assert.throws(() => make(o), re, `${name} ${JSON.stringify(o)}`);
    // The legacy alias is accepted.
    assert.equal(make({ lr: 0.25 }).learningRate, 0.25);
  });

  test(`${name}: state save/restore continues bit-identically`, () => {
    const a = getOptimizer({ className: name, config: RICH[name] });
    const va = makeVars();
    run(a, va, 0, 4);
    const state = a.getState();
    const mid = snapshot(va);
    run(a, va, 4, 9);
    // A fresh optimizer and fresh variables, restored from the state, before it has seen any variable.
    const b = getOptimizer({ className: name, config: RICH[name] });
    const vb = makeVars();
    vb.forEach((v, k) => v.assign(Float32Array.from(mid[k])));
    b.setState(state);
    assert.equal(b.iterations, 4);
    run(b, vb, 4, 9);
    assert.deepEqual(snapshot(vb), snapshot(va));
    // The state is a copy: continuing `a` did not change it.
    const c = getOptimizer({ className: name, config: RICH[name] });
    const vc = makeVars();
    vc.forEach((v, k) => v.assign(Float32Array.from(mid[k])));
    c.setState(state, vc);
    run(c, vc, 4, 9);
    assert.deepEqual(snapshot(vc), snapshot(va));
    // Without a restored state, the continuation differs (so the test above can fail).
    const d = getOptimizer({ className: name, config: RICH[name] });
    const vd = makeVars();
    vd.forEach((v, k) => v.assign(Float32Array.from(mid[k])));
    run(d, vd, 4, 9);
    assert.notDeepEqual(snapshot(vd), snapshot(va));
  });

  test(`${name}: getConfig round trip gives the same trajectory`, () => {
    const a = getOptimizer({ className: name, config: { ...RICH[name], clipnorm: 0.3 } });
    const b = getOptimizer({ className: a.className, config: a.getConfig() });
    assert.deepEqual(b.getConfig(), a.getConfig());
    const va = makeVars();
    const vb = makeVars();
    run(a, va, 0, 5);
    run(b, vb, 0, 5);
    assert.deepEqual(snapshot(vb), snapshot(va));
  });

  test(`${name}: clipvalue, clipnorm, globalClipnorm equal stepping with pre-clipped gradients`, () => {
    const clipFns: [Record<string, number>, (gs: Float32Array[]) => Float32Array[]][] = [
      [{ clipvalue: 0.2 }, (gs) => gs.map((g) => g.map((x) => Math.max(-0.2, Math.min(0.2, x))))],
      [{ clipnorm: 0.3 }, (gs) => gs.map((g) => { const n = Math.hypot(...g); return g.map((x) => (x * 0.3) / Math.max(n, 0.3)); })],
      [{ globalClipnorm: 0.4 }, (gs) => { const n = Math.hypot(...gs.flatMap((g) => [...g])); return gs.map((g) => g.map((x) => (x * 0.4) / Math.max(n, 0.4))); }],
    ];
    for (const [clipOpt, clipFn] of clipFns) {
      const a = getOptimizer({ className: name, config: { ...RICH[name], ...clipOpt } });
      const b = getOptimizer({ className: name, config: RICH[name] });
      const c = getOptimizer({ className: name, config: RICH[name] });
      const [va, vb, vc] = [makeVars(), makeVars(), makeVars()];
      for (let t = 0; t < 4; t++) {
        const g = grads(t).map((x) => x.map((y) => y * 3)); // large enough that every clip is active
        a.applyGradients(g.map((x, k) => [x, va[k]] as const));
        b.applyGradients(clipFn(g).map((x, k) => [x, vb[k]] as const));
        c.applyGradients(g.map((x, k) => [x, vc[k]] as const));
      }
      snapshot(va).flat().forEach((x, i) => assert.ok(Math.abs(x - snapshot(vb).flat()[i]) < 1e-6, `${name} ${JSON.stringify(clipOpt)}`));
      // Lion's update is a sign, which clipping rarely changes; every other rule sees the clipped magnitudes.
      if (name !== 'lion') assert.notDeepEqual(snapshot(vc), snapshot(va), `${name} ${JSON.stringify(clipOpt)}: clipping had no effect`);
    }
  });

  test(`${name}: decoupled weight decay is w -= w * wd * lr before the update`, () => {
    const lr = 0.01;
    const a = getOptimizer({ className: name, config: { ...RICH[name], learningRate: lr, weightDecay: 0.3 } });
    const b = getOptimizer({ className: name, config: { ...RICH[name], learningRate: lr, weightDecay: 0 } });
    const [va, vb] = [makeVars(), makeVars()];
    for (let t = 0; t < 3; t++) {
      a.applyGradients(grads(t).map((g, k) => [g, va[k]] as const));
      for (const v of vb) v.data.forEach((x, i) => (v.data[i] = x - x * Math.fround(0.3 * lr)));
      b.applyGradients(grads(t).map((g, k) => [g, vb[k]] as const));
    }
    snapshot(va).flat().forEach((x, i) => assert.ok(Math.abs(x - snapshot(vb).flat()[i]) < 1e-6));
  });

  test(`${name}: bad gradients are rejected before any change`, () => {
    const opt = getOptimizer({ className: name, config: RICH[name] });
    const vars = makeVars();
    const before = snapshot(vars);
    assert.throws(() => opt.applyGradients([[tensor([1, 2, 3, 4]), vars[0]], [[0, 0], vars[1]]]), /gradient for variable 'kernel' \(shape \[2, 2\]\) has shape \[4\]/);
    assert.throws(() => opt.applyGradients([[grads(0)[0], vars[0]], [new Float32Array(3), vars[1]]]), /'bias' \(shape \[2\]\) has 3 values, expected 2/);
    assert.throws(() => opt.applyGradients([[grads(0)[0], vars[0]], [grads(0)[0], vars[0]]]), /variable 'kernel' appears twice/);
    assert.throws(() => opt.applyGradients([[null, vars[0]]]), /no gradients provided/);
    assert.deepEqual(snapshot(vars), before);
    assert.equal(opt.iterations, 0);
    assert.equal(opt.variables.length, 0);
    // Gradients as nested arrays work; null gradients skip their variable.
    opt.applyGradients([[[[0.1, 0.2], [0.3, 0.4]], vars[0]], [null, vars[1]]]);
    assert.deepEqual(Array.from(vars[1].data), before[1].map(Math.fround));
    assert.notDeepEqual(Array.from(vars[0].data), before[0].map(Math.fround));
  });
}

test('a schedule that gives NaN later fails at that step, before changing anything', () => {
  const opt = new SGD({ learningRate: (step: number) => (step < 2 ? 0.1 : NaN) });
  const [v] = makeVars();
  opt.applyGradients([[grads(0)[0], v]]);
  opt.applyGradients([[grads(1)[0], v]]);
  const before = Array.from(v.data);
  assert.throws(() => opt.applyGradients([[grads(2)[0], v]]), /SGD: the learning rate at step 2 must be a finite number >= 0; received NaN/);
  assert.deepEqual(Array.from(v.data), before);
  assert.equal(opt.iterations, 2);
});

test('learningRate setter: validated; not settable over a LearningRateSchedule', async () => {
  const { ExponentialDecay } = await import('../../src/schedules/index.js');
  const opt = new Adam({ learningRate: 0.1 });
  opt.learningRate = 0.05;
  assert.equal(opt.learningRate, Math.fround(0.05));
  assert.throws(() => (opt.learningRate = -1), /learningRate must be a finite number >= 0/);
  const s = new Adam({ learningRate: new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 }) });
  assert.throws(() => (s.learningRate = 0.1), /not settable/);
});

test('a state saved before any update restores to a fresh optimizer that then trains normally', () => {
  const a = new Adam();
  const b = new Adam();
  b.setState(a.getState());
  const [v] = makeVars();
  b.applyGradients([[grads(0)[0], v]]);
  assert.equal(b.iterations, 1);
});

test('setState rejects a state from another optimizer or with other slots', () => {
  const a = new Adam({ amsgrad: true });
  const vars = makeVars();
  run(a, vars, 0, 2);
  assert.throws(() => new SGD({ momentum: 0.9 }).setState(a.getState()), /saved by Adam, not SGD/);
  assert.throws(() => new Adam().setState(a.getState()), /slots \[momentum, velocity, velocityHat\] but this optimizer uses \[momentum, velocity\]/);
  assert.throws(() => new Adam({ amsgrad: true }).setState(a.getState(), [vars[1], vars[0]]), /shape/);
});

test('minimize() differentiates with the tape and steps every Variable the loss uses', async () => {
  const { ops } = await import('../../src/index.js');
  const w = new Variable([[1, -2]], { name: 'w' });
  const b = new Variable([0.5], { name: 'b' });
  const frozen = new Variable([3], { name: 'frozen', trainable: false });
  const opt = new SGD({ learningRate: 0.1 });
  // loss = sum(w^2) + 3 b^2 * frozen/3 ; d/dw = 2w, d/db = 2b * frozen
  const loss = () => ops.add(ops.sum(ops.mul(w, w)), ops.sum(ops.mul(ops.mul(b, b), frozen)));
  const value = opt.minimize(loss);
  assert.ok(Math.abs(value.item() - (1 + 4 + 0.75)) < 1e-6);
  assert.deepEqual(Array.from(w.data), [1 - 0.2, -2 + 0.4].map(Math.fround));
  assert.ok(Math.abs(b.data[0] - (0.5 - 0.1 * 3)) < 1e-6);
  assert.deepEqual(Array.from(frozen.data), [3]);
  // With an explicit list, only those move.
  const opt2 = new SGD({ learningRate: 0.1 });
  opt2.minimize(loss, [b]);
  assert.deepEqual(Array.from(w.data), [0.8, -1.6].map(Math.fround));
  assert.ok(Math.abs(b.data[0] - 0.2 * (1 - 0.6)) < 1e-6);
});
