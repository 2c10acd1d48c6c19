// Every differentiable op against central finite differences, on random inputs of several shapes,
// including broadcasting. f is reduced to a scalar with a random weighting so every output element matters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Tensor, Rng, ops, checkGradients } from '../../src/index.js';
import { randomTensor, awayFrom } from '../support/random.js';

const rng = new Rng(1234);

/** Weighted sum of f's output with fixed random weights: a scalar that depends on every element. */
function scalarize(f: (...xs: Tensor[]) => Tensor): (...xs: Tensor[]) => Tensor {
  let weights: Tensor | null = null;
  return (...xs) => {
    const y = f(...xs);
    weights ??= randomTensor(new Rng(99), [...y.shape], 0.5, 1.5);
    return ops.sum(ops.mul(y, weights));
  };
}

function check(name: string, f: (...xs: Tensor[]) => Tensor, inputs: Tensor[], tol = 2e-2): void {
  const result = checkGradients(scalarize(f), inputs, 1e-2);
  assert.ok(result.maxRelError < tol, `${name}: max relative error ${result.maxRelError.toExponential(2)} at ${JSON.stringify(result.worst)}`);
}

const shapes: number[][] = [[5], [3, 4], [2, 3, 4]];

test('unary math and activations', () => {
  const unaries: [string, (x: Tensor) => Tensor, { lo?: number; hi?: number; kink?: number }][] = [
    ['exp', ops.exp, {}],
    ['log', ops.log, { lo: 0.5, hi: 3 }],
    ['sqrt', ops.sqrt, { lo: 0.5, hi: 3 }],
    ['square', ops.square, {}],
    ['abs', ops.abs, { kink: 0 }],
    ['neg', ops.neg, {}],
    ['reciprocal', ops.reciprocal, { lo: 0.5, hi: 3 }],
    ['clip', (x) => ops.clip(x, -1, 1), { kink: 1 }],
    ['relu', ops.relu, { kink: 0 }],
    ['relu6', ops.relu6, { kink: 0 }],
    ['sigmoid', ops.sigmoid, {}],
    ['tanh', ops.tanh, {}],
    ['softplus', ops.softplus, {}],
    ['softsign', ops.softsign, { kink: 0 }],
    ['elu', (x) => ops.elu(x), { kink: 0 }],
    ['selu', ops.selu, { kink: 0 }],
    ['leakyRelu', (x) => ops.leakyRelu(x), { kink: 0 }],
    ['gelu', (x) => ops.gelu(x), {}],
    ['gelu approx', (x) => ops.gelu(x, true), {}],
    ['swish', ops.swish, {}],
    ['hardSigmoid', ops.hardSigmoid, { kink: 3 }],
    ['hardSwish', ops.hardSwish, { kink: 3 }],
    ['mish', ops.mish, {}],
    ['log1p', ops.log1p, { lo: 0, hi: 2 }],
  ];
  for (const [name, f, opt] of unaries) {
    for (const shape of shapes) {
      let x = randomTensor(rng, shape, opt.lo ?? -2.5, opt.hi ?? 2.5);
      if (opt.kink !== undefined) x = awayFrom(awayFrom(x, opt.kink, 0.05), -opt.kink, 0.05);
      check(`${name} ${JSON.stringify(shape)}`, f, [x]);
    }
  }
});

test('binary ops with broadcasting', () => {
  const pairs: [number[], number[]][] = [
    [[3, 4], [3, 4]],
    [[3, 4], [4]],
    [[3, 4], [3, 1]],
    [[3, 1], [1, 4]],
    [[2, 3, 4], [3, 1]],
    [[4], []],
    [[], [2, 3]],
  ];
  const binaries: [string, (a: Tensor, b: Tensor) => Tensor, boolean][] = [
    ['add', ops.add, false],
    ['sub', ops.sub, false],
    ['mul', ops.mul, false],
    ['div', ops.div, true],
    ['pow', ops.pow, true],
    ['maximum', ops.maximum, false],
    ['minimum', ops.minimum, false],
  ];
  for (const [name, f, positive] of binaries) {
    for (const [sa, sb] of pairs) {
      const a = randomTensor(rng, sa, positive ? 0.5 : -2, 2);
      let b = randomTensor(rng, sb, positive ? 0.5 : -2, 2);
      // Keep maximum/minimum away from ties where the derivative jumps.
      if (name === 'maximum' || name === 'minimum') b = new Tensor(b.data.map((v) => v + 0.37), b.shape);
      check(`${name} ${JSON.stringify(sa)}∘${JSON.stringify(sb)}`, f, [a, b]);
    }
  }
});

test('reductions along axes', () => {
  for (const shape of [[6], [3, 4], [2, 3, 4]]) {
    const axesList: (number | number[] | undefined)[] = [undefined, 0, -1, shape.length > 2 ? [0, 2] : 0];
    for (const axis of axesList) {
      for (const keep of [false, true]) {
        const x = randomTensor(rng, shape);
        check(`sum ${shape} ${axis} ${keep}`, (t) => ops.sum(t, axis, keep), [x]);
        check(`mean ${shape} ${axis} ${keep}`, (t) => ops.mean(t, axis, keep), [x]);
        check(`max ${shape} ${axis} ${keep}`, (t) => ops.max(t, axis, keep), [x]);
        check(`min ${shape} ${axis} ${keep}`, (t) => ops.min(t, axis, keep), [x]);
        check(`logSumExp ${shape} ${axis} ${keep}`, (t) => ops.logSumExp(t, axis, keep), [x]);
      }
    }
  }
});

test('matmul in all transpose forms', () => {
  for (const [m, k, n] of [[1, 1, 1], [3, 4, 5], [7, 2, 3]]) {
    for (const ta of [false, true])
      for (const tb of [false, true]) {
        const a = randomTensor(rng, ta ? [k, m] : [m, k]);
        const b = randomTensor(rng, tb ? [n, k] : [k, n]);
        check(`matmul ${m}x${k}x${n} ${ta} ${tb}`, (x, y) => ops.matmul(x, y, ta, tb), [a, b]);
      }
  }
});

test('softmax and logSoftmax along each axis', () => {
  for (const shape of [[5], [3, 4], [2, 3, 4]]) {
    for (let axis = -1; axis >= -shape.length; axis--) {
      const x = randomTensor(rng, shape, -3, 3);
      check(`softmax ${shape} axis ${axis}`, (t) => ops.softmax(t, axis), [x]);
      check(`logSoftmax ${shape} axis ${axis}`, (t) => ops.logSoftmax(t, axis), [x]);
    }
  }
});

test('shape ops: reshape, transpose, slice, concat, stack, gather, expandDims, squeeze', () => {
  const x = randomTensor(rng, [2, 3, 4]);
  check('reshape', (t) => ops.reshape(t, [4, -1]), [x]);
  check('transpose default', (t) => ops.transpose(t), [x]);
  check('transpose perm', (t) => ops.transpose(t, [1, 0, 2]), [x]);
  check('transpose 2d', (t) => ops.transpose(t), [randomTensor(rng, [3, 5])]);
  check('slice', (t) => ops.slice(t, [0, 1, 1], [2, 2, -1]), [x]);
  check('concat axis 1', (a, b) => ops.concat([a, b], 1), [x, randomTensor(rng, [2, 2, 4])]);
  check('concat axis -1', (a, b) => ops.concat([a, b], -1), [x, randomTensor(rng, [2, 3, 1])]);
  check('stack', (a, b) => ops.stack([a, b], 1), [randomTensor(rng, [3, 2]), randomTensor(rng, [3, 2])]);
  check('gather axis 0 with repeats', (t) => ops.gather(t, [2, 0, 2], 0), [randomTensor(rng, [3, 4])]);
  check('gather axis 1', (t) => ops.gather(t, [[1, 0], [3, 3]], 1), [randomTensor(rng, [2, 4, 2])]);
  check('expandDims+squeeze', (t) => ops.squeeze(ops.expandDims(t, 1)), [randomTensor(rng, [3, 2])]);
});

test('a composed expression (Dense + sigmoid + BCE-like) and a reused input', () => {
  const f = (x: Tensor, w: Tensor, b: Tensor) => ops.mean(ops.log(ops.sigmoid(ops.add(ops.matmul(x, w), b))));
  check('dense-bce', f, [randomTensor(rng, [4, 3]), randomTensor(rng, [3, 2]), randomTensor(rng, [2])]);
  check('x*x+x', (x) => ops.add(ops.mul(x, x), x), [randomTensor(rng, [3, 3])]);
});

test('the checker itself catches a wrong derivative', async () => {
  const { unary } = await import('../../src/ops/unary.js');
  const wrong = (x: Tensor) => unary('sin-with-wrong-grad', x, Math.sin, () => 1);
  const result = checkGradients(scalarize(wrong), [randomTensor(rng, [4])]);
  assert.ok(result.maxRelError > 0.05, `expected a large error, got ${result.maxRelError}`);
});
