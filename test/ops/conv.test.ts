// Convolution, pooling and batch-norm ops: the im2col kernels against the direct reference loops, finite-difference
// gradient checks over paddings, strides, dilations and groups, and forward values and gradients against TF.js 4.22
// (cpu backend) for every padding × stride × dilation combination TF.js supports (it has no gradient for dilation > 1:
// forward only there).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Tensor, Rng, ops, checkGradients, valueAndGrads } from '../../src/index.js';
import { convGeometry, type Padding } from '../../src/backend/conv-geometry.js';
import { convForwardReference, convBackpropInputReference, convBackpropFilterReference } from '../../src/backend/conv-reference.js';
import { im2colConvForward, im2colConvBackpropInput, im2colConvBackpropFilter } from '../../src/backend/conv.js';
import { getBackend } from '../../src/backend/backend.js';
import { randomTensor } from '../support/random.js';
import { maxDiff } from '../support/compare.js';

before(async () => {
  await tf.setBackend('cpu');
});

const rng = new Rng(4242);

function scalarize(f: (...xs: Tensor[]) => Tensor): (...xs: Tensor[]) => Tensor {
  let weights: Tensor | null = null;
  return (...xs) => {
    const y = f(...xs);
    weights ??= randomTensor(new Rng(99), [...y.shape], 0.5, 1.5);
    return ops.sum(ops.mul(y, weights));
  };
}

function gradCheck(name: string, f: (...xs: Tensor[]) => Tensor, inputs: Tensor[], tol = 1e-2): void {
  const r = checkGradients(scalarize(f), inputs, 1e-2);
  assert.ok(r.maxRelError < tol, `${name}: max relative error ${r.maxRelError.toExponential(2)} at ${JSON.stringify(r.worst)}`);
}

const paddings = ['valid', 'same'] as const;

test('im2col kernels equal the direct loops (1-D, 2-D, 3-D; strides, dilations, groups, padding)', () => {
  const cases = [
    { inSize: [9], kernel: [3], cin: 4, cout: 6, strides: [2], dilations: [1], groups: 2, padding: 'causal' as Padding },
    { inSize: [7, 6], kernel: [3, 2], cin: 3, cout: 5, strides: [1, 2], dilations: [2, 1], groups: 1, padding: 'same' as Padding },
    { inSize: [8, 8], kernel: [3, 3], cin: 6, cout: 6, strides: [2, 2], dilations: [1, 1], groups: 3, padding: 'valid' as Padding },
    { inSize: [4, 5, 5], kernel: [2, 3, 3], cin: 2, cout: 3, strides: [1, 2, 1], dilations: [1, 1, 2], groups: 1, padding: 'same' as Padding },
  ];
  for (const c of cases) {
    const g = convGeometry({ batch: 3, inSize: c.inSize, inChannels: c.cin, kernel: c.kernel, outChannels: c.cout, strides: c.strides, dilations: c.dilations, padding: c.padding, groups: c.groups });
    const x = randomTensor(rng, [3, ...c.inSize, c.cin]).data;
    const w = randomTensor(rng, [...c.kernel, c.cin / c.groups, c.cout]).data;
    const ySize = 3 * g.outSize[0] * g.outSize[1] * g.outSize[2] * c.cout;
    const dy = randomTensor(rng, [ySize]).data;
    const [y1, y2] = [new Float32Array(ySize), new Float32Array(ySize)];
    convForwardReference(g, x, w, y1);
    im2colConvForward(getBackend(), g, x, w, y2);
    assert.ok(maxDiff(y1, y2) < 1e-4, `forward ${JSON.stringify(c)}`);
    const [dx1, dx2] = [new Float32Array(x.length), new Float32Array(x.length)];
    convBackpropInputReference(g, dy, w, dx1);
    im2colConvBackpropInput(getBackend(), g, dy, w, dx2);
    assert.ok(maxDiff(dx1, dx2) < 1e-4, `backprop input ${JSON.stringify(c)}`);
    const [dw1, dw2] = [new Float32Array(w.length), new Float32Array(w.length)];
    convBackpropFilterReference(g, x, dy, dw1);
    im2colConvBackpropFilter(getBackend(), g, x, dy, dw2);
    assert.ok(maxDiff(dw1, dw2) < 1e-4, `backprop filter ${JSON.stringify(c)}`);
  }
});

test('gradient checks: conv over paddings, strides, dilations and groups', () => {
  for (const padding of [...paddings, 'causal' as Padding]) {
    for (const strides of [1, 2]) {
      for (const dilations of [1, 2]) {
        const x = randomTensor(rng, [2, 7, 2]);
        const w = randomTensor(rng, [3, 2, 3]);
        gradCheck(`conv1d ${padding} s${strides} d${dilations}`, (a, b) => ops.conv(a, b, { padding, strides, dilations }), [x, w]);
      }
    }
  }
  for (const padding of paddings) {
    for (const strides of [1, 2]) {
      for (const dilations of [1, 2]) {
        const x = randomTensor(rng, [2, 6, 5, 2]);
        const w = randomTensor(rng, [2, 3, 2, 3]);
        gradCheck(`conv2d ${padding} s${strides} d${dilations}`, (a, b) => ops.conv(a, b, { padding, strides, dilations }), [x, w]);
      }
    }
  }
  gradCheck('conv2d groups 2', (a, b) => ops.conv(a, b, { groups: 2, padding: 'same' }), [randomTensor(rng, [1, 4, 4, 4]), randomTensor(rng, [3, 3, 2, 4])]);
  gradCheck('conv3d same s2', (a, b) => ops.conv(a, b, { padding: 'same', strides: 2 }), [randomTensor(rng, [1, 3, 4, 4, 2]), randomTensor(rng, [2, 2, 2, 2, 2])]);
  for (const padding of paddings) {
    for (const strides of [1, 2]) {
      gradCheck(`conv2dTranspose ${padding} s${strides}`, (a, b) => ops.convTranspose(a, b, { padding, strides }), [randomTensor(rng, [2, 3, 4, 3]), randomTensor(rng, [3, 2, 2, 3])]);
      gradCheck(`depthwiseConv2d ${padding} s${strides}`, (a, b) => ops.depthwiseConv(a, b, { padding, strides }), [randomTensor(rng, [2, 5, 5, 3]), randomTensor(rng, [3, 3, 3, 2])]);
    }
  }
});

test('gradient checks: max and average pooling, batch normalization', () => {
  // Distinct values spaced apart, so that the maximum of each window is unambiguous under ±eps.
  const spaced = (shape: number[]) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const perm = Array.from({ length: n }, (_, i) => i);
    new Rng(5).shuffle(perm);
    return new Tensor(Float32Array.from(perm, (v) => (v - n / 2) * 0.1), shape);
  };
  for (const padding of paddings) {
    for (const strides of [1, 2]) {
      gradCheck(`maxPool1d ${padding} s${strides}`, (a) => ops.maxPool(a, 3, { padding, strides }), [spaced([2, 7, 2])]);
      gradCheck(`maxPool2d ${padding} s${strides}`, (a) => ops.maxPool(a, [2, 3], { padding, strides }), [spaced([2, 5, 6, 2])]);
      gradCheck(`avgPool2d ${padding} s${strides}`, (a) => ops.avgPool(a, [3, 2], { padding, strides }), [randomTensor(rng, [2, 5, 6, 2])]);
      gradCheck(`avgPool3d ${padding} s${strides}`, (a) => ops.avgPool(a, 2, { padding, strides }), [randomTensor(rng, [1, 3, 4, 3, 2])]);
    }
  }
  gradCheck('maxPool3d same', (a) => ops.maxPool(a, 2, { padding: 'same' }), [spaced([1, 3, 3, 4, 2])]);
  for (const axis of [-1, 1]) {
    const x = randomTensor(rng, [4, 3, 5]);
    const gamma = randomTensor(rng, [x.shape[axis < 0 ? 2 : axis]], 0.5, 1.5);
    const beta = randomTensor(rng, [gamma.size]);
    const moving = () => new Tensor(new Float32Array(gamma.size), [gamma.size]);
    gradCheck(`batchNormTraining axis ${axis}`, (a, gm, b) => ops.batchNormTraining(a, gm, b, moving(), moving(), { axis }), [x, gamma, beta], 3e-2);
    const mean = randomTensor(rng, [gamma.size]), variance = randomTensor(rng, [gamma.size], 0.5, 2);
    gradCheck(`batchNorm axis ${axis}`, (a, m, v, gm, b) => ops.batchNorm(a, m, v, gm, b, { axis }), [x, mean, variance, gamma, beta]);
  }
});

/** Forward and (unless forwardOnly) input and filter gradients of ours and TF.js's, with the same dy. */
function compareWithTfjs(name: string, ours: (x: Tensor, w: Tensor) => Tensor, theirs: (x: tf.Tensor, w: tf.Tensor) => tf.Tensor, xShape: number[], wShape: number[], forwardOnly = false): void {
  const x = randomTensor(rng, xShape), w = randomTensor(rng, wShape);
  const tx = tf.tensor(x.data, xShape), tw = tf.tensor(w.data, wShape);
  const y = ours(x, w);
  const ty = theirs(tx, tw);
  assert.deepEqual(y.shape, ty.shape, `${name}: output shape`);
  assert.ok(maxDiff(y.data, ty.dataSync()) < 1e-4, `${name}: forward differs by ${maxDiff(y.data, ty.dataSync())}`);
  if (forwardOnly) return;
  const dy = randomTensor(rng, [...y.shape]);
  const { grads } = valueAndGrads(ours)([x, w], dy);
  const tgrads = tf.grads((a: tf.Tensor, b: tf.Tensor) => theirs(a, b))([tx, tw], tf.tensor(dy.data, [...y.shape]));
  assert.ok(maxDiff(grads[0].data, tgrads[0].dataSync()) < 1e-4, `${name}: input gradient differs by ${maxDiff(grads[0].data, tgrads[0].dataSync())}`);
  assert.ok(maxDiff(grads[1].data, tgrads[1].dataSync()) < 1e-4, `${name}: filter gradient differs by ${maxDiff(grads[1].data, tgrads[1].dataSync())}`);
}

test('conv1d, conv2d, conv3d, depthwise and transposed convolutions match TF.js (values and gradients)', () => {
  for (const pad of paddings) {
    for (const s of [1, 2, 3]) {
      for (const d of [1, 2]) {
        if (s > 1 && d > 1) continue; // TF.js refuses strides and dilations both above 1
        const fwd = d > 1;
        const len = 6 + Math.floor(rng.uniform(0, 5)), h = 5 + Math.floor(rng.uniform(0, 4)), wd = 5 + Math.floor(rng.uniform(0, 4));
        compareWithTfjs(`conv1d ${pad} s${s} d${d}`, (x, w) => ops.conv(x, w, { padding: pad, strides: s, dilations: d }),
          (x, w) => tf.conv1d(x as tf.Tensor3D, w as tf.Tensor3D, s, pad, 'NWC', d), [2, len, 3], [3, 3, 4], fwd);
        compareWithTfjs(`conv2d ${pad} s${s} d${d}`, (x, w) => ops.conv(x, w, { padding: pad, strides: [s, s], dilations: d }),
          (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, s, pad, 'NHWC', d), [2, h, wd, 3], [3, 2, 3, 4], fwd);
        compareWithTfjs(`depthwiseConv2d ${pad} s${s} d${d}`, (x, w) => ops.depthwiseConv(x, w, { padding: pad, strides: s, dilations: d }),
          (x, w) => tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, s, pad, 'NHWC', d), [2, h, wd, 3], [3, 3, 3, 2], fwd);
        if (d === 1) {
          compareWithTfjs(`conv3d ${pad} s${s}`, (x, w) => ops.conv(x, w, { padding: pad, strides: s }),
            (x, w) => tf.conv3d(x as tf.Tensor5D, w as tf.Tensor5D, s, pad), [1, 4, 5, 5, 2], [2, 3, 2, 2, 3]);
          const inH = 3 + Math.floor(rng.uniform(0, 3)), inW = 3 + Math.floor(rng.uniform(0, 3));
          const k = 3;
          const outSize = pad === 'same' ? [inH * s, inW * s] : [inH * s + Math.max(k - s, 0), inW * s + Math.max(k - s, 0)];
          compareWithTfjs(`conv2dTranspose ${pad} s${s}`, (x, w) => ops.convTranspose(x, w, { padding: pad, strides: s }),
            (x, w) => tf.conv2dTranspose(x as tf.Tensor4D, w as tf.Tensor4D, [2, outSize[0], outSize[1], 4], s, pad), [2, inH, inW, 3], [k, k, 4, 3]);
        }
      }
    }
  }
});

test('max and average pooling match TF.js (values and gradients)', () => {
  for (const pad of paddings) {
    for (const s of [1, 2, 3]) {
      for (const [pool, shape] of [[2, [2, 7, 6, 3]], [[3, 2], [2, 8, 5, 2]]] as const) {
        const x = randomTensor(rng, [...shape]);
        const tx = tf.tensor(x.data, [...shape]) as tf.Tensor4D;
        for (const kind of ['max', 'avg'] as const) {
          const ours = (a: Tensor) => (kind === 'max' ? ops.maxPool(a, pool, { strides: s, padding: pad }) : ops.avgPool(a, pool, { strides: s, padding: pad }));
          const theirs = (a: tf.Tensor) => (kind === 'max' ? tf.maxPool(a as tf.Tensor4D, pool as [number, number], s, pad) : tf.avgPool(a as tf.Tensor4D, pool as [number, number], s, pad));
          const y = ours(x), ty = theirs(tx);
          assert.deepEqual(y.shape, ty.shape);
          assert.ok(maxDiff(y.data, ty.dataSync()) < 1e-5, `${kind}Pool ${pad} s${s} forward`);
          // TF.js's cpu AvgPoolGrad divides by the whole window even where 'same' padding left fewer inputs, so it is
          // not the gradient of its own forward (checked by finite differences on TF.js itself); ours is checked above.
          if (kind === 'avg' && pad === 'same') continue;
          const dy = randomTensor(rng, [...y.shape]);
          const g = valueAndGrads(ours)([x], dy).grads[0];
          const tg = tf.grad(theirs)(tx, tf.tensor(dy.data, [...y.shape]));
          assert.ok(maxDiff(g.data, tg.dataSync()) < 1e-5, `${kind}Pool ${pad} s${s} gradient`);
        }
      }
      // With a stride above the pool size TF.js's 3-D 'same' padding goes negative (it does not clamp the total
      // padding at 0 as TensorFlow and its own 2-D pooling do): compared where the two rules agree.
      if (s > 2) continue;
      const x3 = randomTensor(rng, [1, 4, 5, 6, 2]);
      assert.ok(maxDiff(ops.maxPool(x3, 2, { strides: s, padding: pad }).data, tf.maxPool3d(tf.tensor(x3.data, [1, 4, 5, 6, 2]) as tf.Tensor5D, 2, s, pad).dataSync()) < 1e-6);
      assert.ok(maxDiff(ops.avgPool(x3, 2, { strides: s, padding: pad }).data, tf.avgPool3d(tf.tensor(x3.data, [1, 4, 5, 6, 2]) as tf.Tensor5D, 2, s, pad).dataSync()) < 1e-5);
    }
  }
});

test('batch normalization matches TF.js (values and gradients, moments from tf.moments)', () => {
  const x = randomTensor(rng, [6, 4, 5, 3]);
  const gamma = randomTensor(rng, [3], 0.5, 1.5), beta = randomTensor(rng, [3]);
  const tx = tf.tensor(x.data, [6, 4, 5, 3]);
  const f = (a: tf.Tensor, gm: tf.Tensor, b: tf.Tensor) => {
    const { mean, variance } = tf.moments(a, [0, 1, 2]);
    return tf.batchNorm(a, mean, variance, b, gm, 1e-3);
  };
  // momentum 0: the moving statistics become this batch's.
  const mean = new Tensor(new Float32Array(3), [3]), variance = new Tensor(new Float32Array(3), [3]);
  const output = ops.batchNormTraining(x, gamma, beta, mean, variance, { epsilon: 1e-3, momentum: 0 });
  const tm = tf.moments(tx, [0, 1, 2]);
  assert.ok(maxDiff(mean.data, tm.mean.dataSync()) < 1e-5);
  assert.ok(maxDiff(variance.data, tm.variance.dataSync()) < 1e-5);
  assert.ok(maxDiff(output.data, f(tx, tf.tensor(gamma.data), tf.tensor(beta.data)).dataSync()) < 1e-4);
  const dy = randomTensor(rng, [6, 4, 5, 3]);
  const ours = valueAndGrads((a, gm, b) => ops.batchNormTraining(a, gm, b, mean, variance, { epsilon: 1e-3 }))([x, gamma, beta], dy).grads;
  const theirs = tf.grads(f)([tx, tf.tensor(gamma.data), tf.tensor(beta.data)], tf.tensor(dy.data, [6, 4, 5, 3]));
  ours.forEach((g, i) => assert.ok(maxDiff(g.data, theirs[i].dataSync()) < 1e-4, `gradient ${i} differs by ${maxDiff(g.data, theirs[i].dataSync())}`));
});

test('bad input: a window larger than a valid input, a pool size of 0, mismatched channels', () => {
  assert.throws(() => ops.conv(randomTensor(rng, [1, 2, 2, 1]), randomTensor(rng, [3, 3, 1, 2])), /window of size 3×3 is larger than the input 2×2.*'valid'/);
  assert.throws(() => ops.maxPool(randomTensor(rng, [1, 4, 4, 1]), 0), /pool size must be a positive integer/);
  assert.throws(() => ops.conv(randomTensor(rng, [1, 4, 4, 2]), randomTensor(rng, [3, 3, 3, 2])), /kernel of shape \[3, 3, 3, 2\] does not fit input \[1, 4, 4, 2\]/);
  assert.throws(() => ops.conv(randomTensor(rng, [1, 4, 4, 3]), randomTensor(rng, [3, 3, 1, 4]), { groups: 2 }), /groups|does not fit/);
});
