// A captured step replays the record of its first call: it must equal eager autograd step for step (float
// rounding aside), draw fresh dropout masks each step, and handle new input signatures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Tensor, Variable, Rng, ops, variableGrads } from '../../src/index.js';
import { CapturedStep } from '../../src/autograd/capture.js';
import { randomTensor } from '../support/random.js';

/** A residual MLP with dropout, an L2 penalty and a hand-written loss mixing gather, concat, pad and slices. */
function makeBody(w: Variable[], rng: Rng) {
  const [w1, b1, w2, b2] = w;
  return (x: Tensor, labels: Tensor, weights: Tensor | null) => {
    const h = ops.dropout(ops.relu(ops.add(ops.matmul(x, w1), b1)), 0.3, () => rng);
    const r = ops.add(h, ops.slice(ops.pad(x, [[0, 0], [0, 2]]), [0, 0], [-1, 6])); // residual, widths 6
    const logits = ops.add(ops.matmul(ops.concat([r, ops.tanh(r)], 1), w2), b2);
    const picked = ops.gather(ops.logSoftmax(logits), ops.reshape(labels, [-1, 1]), 1, 1);
    let perSample = ops.neg(ops.reshape(picked, [-1]));
    if (weights) perSample = ops.mul(perSample, weights);
    const penalty = ops.mul(0.01, ops.sum(ops.square(w1)));
    return { loss: ops.add(ops.mean(perSample), penalty), outputs: [logits] };
  };
}

function weights(): Variable[] {
  const r = new Rng(3);
  return [new Variable(randomTensor(r, [4, 6])), new Variable(randomTensor(r, [6])), new Variable(randomTensor(r, [12, 3])), new Variable(randomTensor(r, [3]))];
}

function batch(r: Rng, n: number, weighted: boolean): [Tensor, Tensor, Tensor | null] {
  const labels = new Tensor(Float32Array.from({ length: n }, () => r.int(3)), [n]);
  return [randomTensor(r, [n, 4]), labels, weighted ? randomTensor(r, [n], 0.5, 1.5) : null];
}

test('replay equals eager autograd over steps, batch sizes and optional inputs (and redraws dropout)', () => {
  const eagerW = weights(), capW = weights();
  const eagerBody = makeBody(eagerW, new Rng(11));
  const capBody = makeBody(capW, new Rng(11));
  const step = new CapturedStep(([x, y, sw]) => capBody(x!, y!, sw), capW);
  const data = new Rng(5);
  const sgd = (vars: Variable[], grads: readonly ArrayLike<number>[]) => vars.forEach((v, i) => { for (let j = 0; j < v.size; j++) v.data[j] -= 0.1 * grads[i][j]; });
  const masks = new Set<string>();
  for (let s = 0; s < 8; s++) {
    const [x, y, sw] = batch(data, s === 5 ? 3 : 5, s % 3 === 2);
    let eagerOut: Tensor | null = null;
    const { value, grads } = variableGrads(() => {
      const r = eagerBody(x, y, sw);
      eagerOut = r.outputs[0];
      return r.loss;
    }, eagerW);
    const p = step.run([x, y, sw]);
    assert.ok(Math.abs(p.loss![0] - value.item()) < 1e-6, `step ${s}: loss ${p.loss![0]} vs eager ${value.item()}`);
    p.outputs[0].data.forEach((v, i) => assert.ok(Math.abs(v - eagerOut!.data[i]) < 1e-5, `step ${s}: output ${i}`));
    grads.forEach((g, k) => g.data.forEach((v, i) => assert.ok(Math.abs(v - p.grads[k][i]) < 1e-5, `step ${s}: grad ${k}[${i}] ${p.grads[k][i]} vs ${v}`)));
    masks.add(Array.from(p.outputs[0].data.slice(0, 3)).join());
    sgd(eagerW, grads.map((g) => g.data));
    sgd(capW, p.grads);
  }
  capW.forEach((v, k) => v.data.forEach((x, i) => assert.ok(Math.abs(x - eagerW[k].data[i]) < 1e-5, `weight ${k}[${i}]`)));
  assert.ok(masks.size > 4, 'replays draw new dropout masks');
});

test('a second contribution to a gradient adds (x used twice, x·x + x) and constants stay constants', () => {
  const v = new Variable(new Tensor(Float32Array.of(1, 2, 3), [3]));
  const step = new CapturedStep(() => ({ loss: ops.sum(ops.add(ops.mul(v, v), ops.mul(v, 2))) }), [v]);
  for (let s = 0; s < 3; s++) {
    const p = step.run([]);
    assert.deepEqual(Array.from(p.grads[0]), Array.from(v.data, (x) => 2 * x + 2));
    v.data[0] += 1;
  }
});

test('a loss that is not a scalar is refused', () => {
  const v = new Variable(new Tensor(Float32Array.of(1, 2), [2]));
  assert.throws(() => new CapturedStep(() => ({ loss: ops.mul(v, 2) }), [v]).run([]), /scalar; got shape \[2\]/);
});

test("relu's backward is its rule's in replay too: g·0 keeps a NaN gradient where x < 0", () => {
  const v = new Variable(new Tensor(Float32Array.of(-1, 2), [2]));
  const step = new CapturedStep(() => ({ loss: ops.sum(ops.mul(ops.relu(v), new Tensor(Float32Array.of(NaN, 1), [2]))) }), [v]);
  for (let s = 0; s < 2; s++) assert.ok(Number.isNaN(step.run([]).grads[0][0]));
});

test('slices add their gradient in place (addsGrad): many slices of one tensor, before and after other uses, equal eager', () => {
  const w = new Variable(randomTensor(new Rng(8), [6, 5]));
  // Slices of w contribute first, then a whole-tensor use, then more slices (overlapping ones too).
  const body = ([x]: readonly (Tensor | null)[]) => {
    const y = ops.matmul(x!, w);
    let loss = ops.sum(ops.square(ops.slice(y, [0, 0], [-1, 2])));
    for (let t = 0; t < 6; t++) loss = ops.add(loss, ops.sum(ops.mul(ops.slice(w, [t, 0], [1, -1]), t + 1)));
    loss = ops.add(loss, ops.sum(ops.tanh(w)));
    for (let t = 0; t < 3; t++) loss = ops.add(loss, ops.sum(ops.square(ops.slice(w, [t, 1], [2, 3]))));
    return { loss };
  };
  const step = new CapturedStep(body, [w]);
  const r = new Rng(2);
  for (let k = 0; k < 3; k++) {
    const x = randomTensor(r, [4, 6]);
    const p = step.run([x]);
    const { grads } = variableGrads(() => body([x]).loss, [w]);
    grads[0].data.forEach((g, i) => assert.ok(Math.abs(g - p.grads[0][i]) < 1e-5, `step ${k}, element ${i}: replay ${p.grads[0][i]} vs eager ${g}`));
  }
});

test('gradients passed through unchanged (add, sub, reshape) share buffers and still sum every contribution', () => {
  // w reaches the loss through a same-shape add whose output's gradient becomes w's own buffer, then again through a
  // sub, a reshape, add(w, w) and a product: each later contribution must be added, not lost or double-counted.
  const body = (w: Variable, c: Variable) => {
    const s = ops.add(w, c); // passes to w and c
    const d = ops.sub(w, ops.reshape(c, [3, 2])); // passes to w; c's goes through negation
    const twice = ops.add(w, w); // the same tensor on both sides
    const p = ops.mul(ops.reshape(w, [6]), ops.reshape(s, [6]));
    return ops.add(ops.sum(ops.square(ops.add(s, d))), ops.add(ops.sum(ops.mul(twice, d)), ops.sum(p)));
  };
  const r = new Rng(7);
  const w = new Variable(randomTensor(r, [3, 2])), c = new Variable(randomTensor(r, [3, 2]));
  const step = new CapturedStep(() => ({ loss: body(w, c) }), [w, c]);
  for (let s = 0; s < 3; s++) {
    const { value, grads } = variableGrads(() => body(w, c), [w, c]);
    const p = step.run([]);
    assert.ok(Math.abs(p.loss![0] - value.item()) < 1e-5);
    grads.forEach((g, k) => g.data.forEach((v, i) => assert.ok(Math.abs(v - p.grads[k][i]) < 1e-4, `step ${s}: grad ${k}[${i}] ${p.grads[k][i]} vs ${v}`)));
    // Against the formula: L = Σ(2w)² + Σ 2w(w − c) + Σ w(w + c) → dL/dw = 8w + 4w − 2c + 2w + c = 14w − c, dL/dc = −2w + w = −w.
    w.data.forEach((wv, i) => assert.ok(Math.abs(p.grads[0][i] - (14 * wv - c.data[i])) < 1e-4, `dL/dw[${i}]`));
    c.data.forEach((_, i) => assert.ok(Math.abs(p.grads[1][i] + w.data[i]) < 1e-4, `dL/dc[${i}]`));
    w.data.forEach((_, i) => (w.data[i] -= 0.01 * p.grads[0][i]));
  }
});

test('an adoptable input buffer is read in place on replay; another buffer of that shape is copied into it', () => {
  const buf = new Float32Array([1, 2, 3]);
  const step = new CapturedStep(([x]) => ({ outputs: [ops.mul(x!, 2)] }), [], 8, (t) => t.data === buf);
  const own = new Tensor(buf, [3]);
  assert.deepEqual(Array.from(step.run([own]).outputs[0].data), [2, 4, 6]);
  buf.set([5, 6, 7]); // the trainer refills its batch buffer in place
  assert.deepEqual(Array.from(step.run([own]).outputs[0].data), [10, 12, 14]);
  assert.deepEqual(Array.from(step.run([new Tensor(new Float32Array([-1, 0, 1]), [3])]).outputs[0].data), [-2, 0, 2]);
  assert.deepEqual(Array.from(buf), [-1, 0, 1], 'the other buffer was copied into the adopted one');
  // Without adoption the caller's buffer is never written.
  const mine = new Float32Array([1, 1, 1]);
  const plain = new CapturedStep(([x]) => ({ outputs: [ops.mul(x!, 2)] }));
  plain.run([new Tensor(mine, [3])]);
  assert.deepEqual(Array.from(plain.run([new Tensor(new Float32Array([3, 3, 3]), [3])]).outputs[0].data), [6, 6, 6]);
  assert.deepEqual(Array.from(mine), [1, 1, 1]);
});
