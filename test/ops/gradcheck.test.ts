// Every differentiable op against central finite differences, on random inputs of several shapes,
// including broadcasting. f is reduced to a scalar with a random weighting so every output element matters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Tensor, Rng, ops, checkGradients, setBackend, tensor, zeros, ones } from '../../src/index.js';
import { opRules, unaryRule, type OpName } from '../../src/ops/index.js';
import { run, recordOps, type TapeEntry } from '../../src/autograd/tape.js';
import { wasmBackend } from '../../src/backend/index.js';
import { randomTensor, awayFrom } from '../support/random.js';
import { elementwiseActivations } from '../../src/activations/index.js';

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

test('the checker itself catches a wrong derivative', () => {
  const wrong = unaryRule(Math.sin, () => 1);
  const result = checkGradients(scalarize((x) => run('sin-with-wrong-grad', wrong, [x], undefined)), [randomTensor(rng, [4])]);
  assert.ok(result.maxRelError > 0.05, `expected a large error, got ${result.maxRelError}`);
});

// Every op in the table, in float64 (forward, backward and differences), so the tolerance can be tight.
// A new op without a row here fails to compile (and the runtime check below fails too).
/** tol: for ops whose kernels keep float32 scratch (batch norm's per-channel factors), where float64 is not end to end. */
type Check = { f: (...xs: Tensor[]) => Tensor; inputs: Tensor[]; tol?: number };
const tableRng = new Rng(4321);
const R = (shape: number[], lo = -2, hi = 2) => randomTensor(tableRng, shape, lo, hi);
const away = (t: Tensor, ...kinks: number[]) => kinks.reduce((u, k) => awayFrom(u, k, 0.05), t);
const u = (f: (x: Tensor) => Tensor, lo = -2, hi = 2, ...kinks: number[]): Check[] => [[5], [2, 3, 2]].map((s) => ({ f, inputs: [away(R(s, lo, hi), ...kinks)] }));
const b = (f: (x: Tensor, y: Tensor) => Tensor, lo = -2, shift = 0): Check[] =>
  // same shapes, a general broadcast, a scalar, and one value per row ('prefix' readers: [2, 3] ∘ [2, 1], [2, 3, 4] ∘ [2, 3, 1])
  [[[2, 3], [2, 3]], [[2, 1, 3], [4, 1]], [[3], []], [[2, 3], [2, 1]], [[2, 3, 4], [2, 3, 1]]].map(([sa, sb]) => ({ f, inputs: [R(sa, lo, 2), new Tensor(R(sb, lo, 2).data.map((v) => v + shift), sb)] }));
const red = (f: (x: Tensor, axis?: number | number[], keep?: boolean) => Tensor): Check[] => [
  { f: (x) => f(x), inputs: [R([4])] },
  { f: (x) => f(x, [0, 2], true), inputs: [R([2, 3, 4])] },
  { f: (x) => f(x, 1), inputs: [R([2, 3, 4])] },
];
const idx = (values: number[], shape: number[]) => new Tensor(Float32Array.from(values), shape);
const checks: { [op in OpName]: Check[] | 'not differentiable' } = {
  exp: u(ops.exp), log: u(ops.log, 0.5, 3), sqrt: u(ops.sqrt, 0.5, 3), square: u(ops.square), abs: u(ops.abs, -2, 2, 0),
  sign: u(ops.sign, -2, 2, 0), neg: u(ops.neg), reciprocal: u(ops.reciprocal, 0.5, 3), log1p: u(ops.log1p, 0, 2),
  expm1: u(ops.expm1), cos: u(ops.cos), sin: u(ops.sin), clip: u((x) => ops.clip(x, -1, 1), -2, 2, 1, -1),
  relu: u(ops.relu, -2, 2, 0), relu6: u(ops.relu6, -1, 7, 0, 6), sigmoid: u(ops.sigmoid), tanh: u(ops.tanh), softplus: u(ops.softplus),
  softsign: u(ops.softsign, -2, 2, 0), elu: u((x) => ops.elu(x, 0.7), -2, 2, 0), selu: u(ops.selu, -2, 2, 0),
  leakyRelu: u((x) => ops.leakyRelu(x, 0.1), -2, 2, 0),
  gelu: [...u((x) => ops.gelu(x)), ...u((x) => ops.gelu(x, true))], swish: u(ops.swish),
  hardSigmoid: u(ops.hardSigmoid, -4, 4, 3, -3), hardSwish: u(ops.hardSwish, -4, 4, 3, -3), mish: u(ops.mish),
  add: b(ops.add), sub: b(ops.sub), mul: b(ops.mul), div: b(ops.div, 0.5), pow: b(ops.pow, 0.5), maximum: b(ops.maximum, -2, 0.37), minimum: b(ops.minimum, -2, 0.37),
  greater: 'not differentiable', greaterEqual: 'not differentiable', less: 'not differentiable', lessEqual: 'not differentiable',
  equal: 'not differentiable', notEqual: 'not differentiable',
  sum: red(ops.sum), mean: red(ops.mean), max: red(ops.max), min: red(ops.min), logSumExp: red(ops.logSumExp),
  argMax: 'not differentiable', argMin: 'not differentiable',
  softmax: [{ f: (x) => ops.softmax(x, 1), inputs: [R([2, 3, 2])] }], logSoftmax: [{ f: (x) => ops.logSoftmax(x), inputs: [R([2, 4])] }],
  matmul: [
    { f: (x, y) => ops.matmul(x, y), inputs: [R([3, 4]), R([4, 2])] },
    { f: (x, y) => ops.matmul(x, y, true, true), inputs: [R([4, 3]), R([2, 4])] },
    { f: (x, y) => ops.matmul(x, y), inputs: [R([2, 1, 3, 4]), R([3, 4, 2])] }, // batch dims broadcast both ways
    { f: (x, y) => ops.matmul(x, y, true, false), inputs: [R([2, 4, 3]), R([4, 2])] },
  ],
  reshape: [{ f: (x) => ops.reshape(x, [3, -1]), inputs: [R([2, 3, 2])] }],
  transpose: [{ f: (x) => ops.transpose(x, [2, 0, 1]), inputs: [R([2, 3, 4])] }],
  slice: [
    { f: (x) => ops.slice(x, [0, 1, 1], [2, 2, -1]), inputs: [R([2, 3, 4])] },
    { f: (x) => ops.stridedSlice(x, [1, 0], [5, 4], [2, 3]), inputs: [R([5, 4])] },
  ],
  broadcastTo: [{ f: (x) => ops.broadcastTo(x, [2, 3, 4]), inputs: [R([3, 1])] }],
  pad: [{ f: (x) => ops.pad(x, [[1, 0], [2, 1]], 0.5), inputs: [R([2, 3])] }],
  concat: [{ f: (x, y) => ops.concat([x, y], 1), inputs: [R([2, 3, 2]), R([2, 1, 2])] }],
  gather: [
    { f: (x) => ops.gather(x, idx([2, 0, 2], [3]), 1), inputs: [R([2, 3, 2])] },
    { f: (x) => ops.gather(x, idx([1, 0, 2, 2], [2, 2]), 1, 1), inputs: [R([2, 3])] }, // batchDims: per-row picks
  ],
  scatterAdd: [{ f: (x) => ops.scatterAdd(x, idx([1, 1, 0], [3]), [2, 2], 0), inputs: [R([3, 2])] }],
  oneHot: 'not differentiable',
  assign: 'not differentiable',
  lstmCell: [
    { f: (xw, hu, s) => ops.lstmCell(xw, hu, s), inputs: [R([2, 12]), R([2, 12]), R([2, 6])] },
    // Other elementwise activations (own generators: the shared stream feeds the rows after these unchanged).
    { f: (xw, hu, s) => ops.lstmCell(xw, hu, s, { activation: elementwiseActivations.softsign, recurrentActivation: elementwiseActivations.hard_sigmoid }), inputs: [randomTensor(new Rng(71), [2, 12], -1, 1), randomTensor(new Rng(72), [2, 12], -1, 1), randomTensor(new Rng(73), [2, 6])] },
  ],
  lstmHidden: [
    { f: (y) => ops.lstmHidden(y), inputs: [R([2, 6])] },
    { f: (y) => ops.lstmHidden(y, { activation: elementwiseActivations.elu, recurrentActivation: elementwiseActivations.sigmoid }), inputs: [randomTensor(new Rng(74), [2, 6])] },
  ],
  dropout: [{ f: (x) => ops.dropout(x, 0.4, () => new Rng(7)), inputs: [R([3, 4])] }], // a fresh Rng per call: the same mask
  randomUniform: 'not differentiable', randomNormal: 'not differentiable',
  conv: [{ f: (x, w) => ops.conv(x, w, { padding: 'same' }), inputs: [R([2, 4, 4, 2]), R([2, 2, 2, 3])], tol: 1e-2 }],
  convTranspose: [{ f: (x, w) => ops.convTranspose(x, w, { strides: 2 }), inputs: [R([1, 3, 3, 2]), R([2, 2, 3, 2])], tol: 1e-2 }],
  maxPool: [{ f: (x) => ops.maxPool(x, 2), inputs: [R([1, 4, 4, 2])] }],
  avgPool: [{ f: (x) => ops.avgPool(x, 3, { strides: 2, padding: 'same' }), inputs: [R([1, 5, 5, 2])] }],
  batchNormTraining: [{ f: (x, g, b) => ops.batchNormTraining(x, g, b, zeros([3]), ones([3])), inputs: [R([4, 3]), R([3]), R([3])], tol: 5e-2 }],
  batchNorm: [{ f: (x, g, b) => ops.batchNorm(x, tensor([0.1, -0.2, 0.3]), tensor([0.5, 1, 2]), g, b, { epsilon: 1e-3 }), inputs: [R([2, 2, 3]), R([3]), R([3])], tol: 1e-2 }],
};

test('every op in the table has a float64 gradient check that runs it, or is marked and has no backward', () => {
  setBackend('js'); // the reference GEMM runs on Float64Array; the wasm one is float32
  try {
    for (const op of Object.keys(opRules) as OpName[]) {
      const entry = checks[op];
      assert.ok(entry, `op '${op}' has no gradient check`);
      if (entry === 'not differentiable') {
        assert.equal(opRules[op].backward, undefined, `op '${op}' is marked not differentiable but has a backward rule`);
        continue;
      }
      for (const [i, { f, inputs, tol = 1e-6 }] of entry.entries()) {
        const seen: TapeEntry[] = [];
        recordOps(seen, () => f(...inputs));
        assert.ok(seen.some((e) => e.op === op), `check ${i} of '${op}' does not run '${op}'`);
        const r = checkGradients(scalarize(f), inputs, { float64: true });
        assert.ok(r.maxRelError < tol, `${op} check ${i}: max relative error ${r.maxRelError.toExponential(2)} at ${JSON.stringify(r.worst)}`);
      }
    }
  } finally {
    setBackend(wasmBackend ? 'wasm' : 'js');
  }
});
