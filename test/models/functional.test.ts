// The functional API: Input, layers applied to symbolic tensors, Model with several inputs and outputs, shared
// layers, nested models, merge layers; compile per output; data as lists or objects; the bad-input errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Input, Model, Sequential, Dense, Dropout, Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot,
  Layer, SymbolicTensor, SGD, setSeed, tensor, Callback, type Tensor, type BatchSource,
} from '../../src/index.js';

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-5, what = '') => {
  assert.equal(a.length, b.length, `${what} length`);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= tol * Math.max(1, Math.abs(b[i])), `${what}[${i}]: ${a[i]} vs ${b[i]}`);
};

test('Input gives a symbolic tensor; layers applied to it record the graph and infer shapes', () => {
  const x = Input({ shape: [3], name: 'features' });
  assert.ok(x instanceof SymbolicTensor);
  assert.deepEqual(x.shape, [null, 3]);
  const h = new Dense(5, { name: 'hidden' }).apply(x);
  assert.deepEqual(h.shape, [null, 5]);
  assert.equal(h.sourceLayer.name, 'hidden');
  const m = new Model({ inputs: x, outputs: h });
  assert.deepEqual(m.inputNames, ['features']);
  assert.deepEqual(m.outputNames, ['hidden']);
  assert.deepEqual(m.layers.map((l) => l.name), ['features', 'hidden']);
  assert.equal(m.countParams(), 20);
});

test('merge layers compute their formulas, eagerly and inside a model', () => {
  const a = tensor([[1, -2, 3]]);
  const b = tensor([[4, 5, -6]]);
  const c = tensor([[0.5, 0.5, 0.5]]);
  close(new Add().apply([a, b, c]).data, [5.5, 3.5, -2.5]);
  close(new Subtract().apply([a, b]).data, [-3, -7, 9]);
  close(new Multiply().apply([a, b]).data, [4, -10, -18]);
  close(new Average().apply([a, b]).data, [2.5, 1.5, -1.5]);
  close(new Maximum().apply([a, b]).data, [4, 5, 3]);
  close(new Minimum().apply([a, b]).data, [1, -2, -6]);
  const cat = new Concatenate().apply([a, b]);
  assert.deepEqual(cat.shape, [1, 6]);
  close(cat.data, [1, -2, 3, 4, 5, -6]);
  close(new Dot({ axes: 1 }).apply([a, b]).data, [4 - 10 - 18]);
  // normalize: the cosine similarity.
  const cos = (4 - 10 - 18) / (Math.sqrt(14) * Math.sqrt(77));
  close(new Dot({ axes: -1, normalize: true }).apply([a, b]).data, [cos]);

  const x1 = Input({ shape: [3] });
  const x2 = Input({ shape: [3] });
  const y = new Concatenate({ axis: -1 }).apply([new Subtract().apply([x1, x2]), new Dot({ axes: 1 }).apply([x1, x2])]);
  assert.deepEqual(y.shape, [null, 4]);
  const m = new Model({ inputs: [x1, x2], outputs: y });
  close(m.predict([[[1, -2, 3]], [[4, 5, -6]]]).data, [-3, -7, 9, -24]);
});

test('a shared layer applied twice has one set of weights, and a model nests as a layer', () => {
  const shared = new Dense(2, { name: 'shared' });
  const a = Input({ shape: [3], name: 'a' });
  const b = Input({ shape: [3], name: 'b' });
  const out = new Add().apply([shared.apply(a), shared.apply(b)]);
  const m = new Model({ inputs: [a, b], outputs: out });
  assert.equal(m.weights.length, 2, 'kernel and bias once');
  assert.equal(shared.inboundNodes.length, 2);
  const xa = [[1, 2, 3]];
  const xb = [[-1, 0, 2]];
  const k = shared.getWeights()[0].data;
  const expect = [0, 1].map((j) => [0, 1, 2].reduce((s, i) => s + (xa[0][i] + xb[0][i]) * k[i * 2 + j], 0));
  close(m.predict({ a: xa, b: xb }).data, expect);

  // The model as a layer of another model, with its weights.
  const z = Input({ shape: [3] });
  const outer = new Model({ inputs: z, outputs: new Dense(1).apply(new Sequential([new Dense(4, { activation: 'relu' }), new Dense(2)]).apply(z)) });
  assert.equal(outer.weights.length, 6);
  assert.deepEqual(outer.predict([[1, 2, 3]]).shape, [1, 1]);
  const m2 = new Model({ inputs: [a, b], outputs: m.apply([a, b]) });
  close(m2.predict([xa, xb]).data, expect, 1e-6, 'nested functional');
});

test('several outputs: per-output losses, lossWeights and metrics named as Keras 3 (out_loss, out_accuracy, val_…)', async () => {
  setSeed(3);
  const x = Input({ shape: [2], name: 'x' });
  const h = new Dense(4, { activation: 'tanh' }).apply(x);
  const reg = new Dense(1, { name: 'reg' }).apply(h);
  const cls = new Dense(1, { name: 'cls', activation: 'sigmoid' }).apply(h);
  const m = new Model({ inputs: x, outputs: [reg, cls] });
  m.compile({ optimizer: new SGD({ learningRate: 0.05 }), loss: { reg: 'mse', cls: 'binary_crossentropy' }, lossWeights: { reg: 0.5, cls: 2 }, metrics: { cls: ['accuracy'] } });
  const xs = [[0, 1], [1, 0], [1, 1], [0, 0], [0.5, 0.2], [0.3, 0.9]];
  const yReg = xs.map((r) => [r[0] - r[1]]);
  const yCls = xs.map((r) => [r[0] > r[1] ? 1 : 0]);
  // Before training: loss = 0.5·mse + 2·bce, each computed from predict.
  const [pReg, pCls] = m.predict(xs);
  const mse = yReg.reduce((s, y, i) => s + (y[0] - pReg.data[i]) ** 2, 0) / xs.length;
  const bce = yCls.reduce((s, y, i) => s - (y[0] * Math.log(pCls.data[i]) + (1 - y[0]) * Math.log(1 - pCls.data[i])), 0) / xs.length;
  const logs = await m.evaluate(xs, { reg: yReg, cls: yCls }, { returnDict: true });
  assert.deepEqual(Object.keys(logs), ['loss', 'cls_accuracy', 'reg_loss', 'cls_loss']);
  close([logs.loss, logs.reg_loss, logs.cls_loss], [0.5 * mse + 2 * bce, mse, bce], 1e-5);
  const hist = await m.fit(xs, [yReg, yCls], { epochs: 2, batchSize: 3, verbose: 0, validationData: [xs, [yReg, yCls]] });
  assert.deepEqual(Object.keys(hist.history).sort(), ['cls_accuracy', 'cls_loss', 'loss', 'reg_loss', 'val_cls_accuracy', 'val_cls_loss', 'val_loss', 'val_reg_loss']);
  // A list of lists is the other form of per-output metrics; a flat list is refused as in Keras 3.
  m.compile({ loss: ['mse', 'binary_crossentropy'], metrics: [['mae'], ['accuracy']] });
  assert.deepEqual(Object.keys(await m.evaluate(xs, [yReg, yCls], { returnDict: true })), ['loss', 'reg_mae', 'cls_accuracy', 'reg_loss', 'cls_loss']);
  assert.throws(() => m.compile({ loss: 'mse', metrics: ['mae'] }), /2 outputs \(reg, cls\): give metrics as a list of 2 lists/);
});

test('stepsPerEpoch keeps the position in the data across epochs (Keras 3), for arrays and batch sources', async () => {
  // Records the first value of each training batch.
  const seen: number[] = [];
  class Spy extends Layer {
    readonly className = 'Spy';
    call(x: Tensor, training: boolean): Tensor {
      if (training) seen.push(x.data[0]);
      return x;
    }
  }
  const x = Array.from({ length: 40 }, (_, i) => [i]);
  const build = () => {
    const m = new Sequential([new Spy({ inputShape: [1] }), new Dense(1)]);
    // The spy's JS side effect runs on every step only eagerly (a captured step runs it once, as a Keras trace).
    m.fastPath = false;
    m.compile({ loss: 'mse', optimizer: 'sgd' });
    return m;
  };
  await build().fit(x, x, { batchSize: 4, stepsPerEpoch: 4, epochs: 3, shuffle: false, verbose: 0 });
  assert.deepEqual(seen, [0, 4, 8, 12, 16, 20, 24, 28, 32, 36]);
  // Epoch 4 starts the data again.
  seen.length = 0;
  await build().fit(x, x, { batchSize: 4, stepsPerEpoch: 4, epochs: 4, shuffle: false, verbose: 0 });
  assert.deepEqual(seen.slice(10), [0, 4, 8, 12]);

  // A batch source: the same, its iterator is kept until it runs out.
  const source: BatchSource = {
    async *batches() {
      for (let b = 0; b < 10; b++) yield { x: tensor(x.slice(b * 4, b * 4 + 4)), y: tensor(x.slice(b * 4, b * 4 + 4)) };
    },
  };
  seen.length = 0;
  await build().fit(source, undefined, { stepsPerEpoch: 4, epochs: 4, verbose: 0 });
  assert.deepEqual(seen, [0, 4, 8, 12, 16, 20, 24, 28, 32, 36, 0, 4, 8, 12]);
});

test('data keyed by input and output name, or as lists in order; predict keeps the outputs form', async () => {
  const a = Input({ shape: [2], name: 'left' });
  const b = Input({ shape: [1], name: 'right' });
  const y = new Dense(1, { name: 'out' }).apply(new Concatenate().apply([a, b]));
  const m = new Model({ inputs: [a, b], outputs: [y] });
  m.compile({ loss: 'mse', optimizer: 'sgd' });
  const xl = [[1, 2], [3, 4]];
  const xr = [[5], [6]];
  const p1 = m.predict({ left: xl, right: xr });
  const p2 = m.predict([xl, xr]);
  assert.ok(Array.isArray(p1) && p1.length === 1, 'outputs given as a list: predict returns a list');
  close(p1[0].data, p2[0].data);
  const e1 = await m.evaluate({ right: xr, left: xl }, { out: [[1], [2]] });
  const e2 = await m.evaluate([xl, xr], [[1], [2]]);
  assert.equal(e1, e2);
});

test('bad input: each a clear error raised before any weight changes', async () => {
  const x = Input({ shape: [3], name: 'x' });
  const other = Input({ shape: [3], name: 'other' });
  const d = new Dense(2, { name: 'd1' });
  const y = d.apply(x);
  // Outputs that do not depend on the inputs.
  assert.throws(() => new Model({ inputs: x, outputs: new Dense(1).apply(other) }), /graph is disconnected.*depends on input 'other', which is not one of the model's inputs \(x\)/);
  assert.throws(() => new Model({ inputs: [x, other], outputs: y }), /outputs do not depend on input 'other'/);
  // A layer applied to a tensor of the wrong rank or size: the layer's name and both shapes.
  assert.throws(() => d.apply(Input({ shape: [4] })), /Layer 'd1' \(Dense\) expects an input with rank >= 2, last axis of size 3 \(built for \(None, 3\)\), got shape \(None, 4\)/);
  assert.throws(() => new Dense(2).apply(Input({ shape: [] })), /expects an input with rank >= 2.*got shape \(None,\)/);
  assert.throws(() => new Add({ name: 'sum' }).apply([x, Input({ shape: [4] })]), /Layer 'sum' \(Add\) needs inputs of the same shape.*\(None, 3\), \(None, 4\)/);
  assert.throws(() => new Concatenate({ name: 'cat' }).apply([Input({ shape: [2, 3] }), Input({ shape: [4, 5] })]), /Layer 'cat' \(Concatenate, axis -1\) needs inputs whose shapes match except along the concatenation axis, got \(None, 2, 3\), \(None, 4, 5\)/);
  // Duplicate layer names.
  const twin = new Dense(2, { name: 'd1' });
  assert.throws(() => new Model({ inputs: x, outputs: twin.apply(y) }), /Layer name 'd1' is used by two layers in model/);
  // Data keyed by an unknown input name; an output without a loss.
  const m = new Model({ inputs: [x, other], outputs: [new Dense(1, { name: 'o1' }).apply(x), new Dense(1, { name: 'o2' }).apply(other)] });
  assert.throws(() => m.compile({ loss: { o1: 'mse' } }), /output 'o2' has no loss/);
  assert.throws(() => m.compile({ loss: { o1: 'mse', o3: 'mse' } }), /loss names 'o3', which is not an output of the model. Outputs: o1, o2/);
  m.compile({ loss: 'mse', optimizer: 'sgd' });
  const before = m.getWeights().map((w) => Array.from(w.data));
  const xs = [[1, 2, 3]];
  await assert.rejects(m.fit({ x: xs, typo: xs }, [[[1]], [[1]]], { verbose: 0 }), /x has the key 'typo', which is not an input of model '.*'. Inputs: x, other/);
  await assert.rejects(m.fit({ x: xs }, [[[1]], [[1]]], { verbose: 0 }), /x has no data for input 'other'/);
  await assert.rejects(m.fit([xs, [[1, 2]]], [[[1]], [[1]]], { verbose: 0 }), /x\['other'\] has shape \[1, 2\] but model '.*' expects inputs of shape \[\*, 3\] \(input 'other'/);
  await assert.rejects(m.fit(xs, [[1]], { verbose: 0 }), /has 2 inputs \(x, other\): pass x as a list of 2 arrays/);
  assert.deepEqual(m.getWeights().map((w) => Array.from(w.data)), before, 'no weight changed');
});

test('Sequential is a model over the same graph: summary has Keras columns; functional summary has "Connected to"', () => {
  const s = new Sequential([new Dense(4, { inputShape: [3], name: 's1' }), new Dropout(0.1), new Dense(1, { name: 's2' })]);
  assert.deepEqual(s.outputShape, [null, 1]);
  assert.equal(s.inputs.length, 1);
  const lines: string[] = [];
  s.summary({ printFn: (l) => lines.push(l) });
  assert.match(lines[2], /^ Layer \(type\)\s+Output Shape\s+Param #\s*$/);

  const x = Input({ shape: [3], name: 'in' });
  const h = new Dense(3, { name: 'h' }).apply(x);
  const sum = new Add({ name: 'skip' }).apply([h, x]);
  const m = new Model({ inputs: x, outputs: sum, name: 'resnet' });
  const text = m.summary({ printFn: () => {} });
  const rows = text.split('\n');
  assert.equal(rows[0], 'Model: "resnet"');
  assert.match(rows[2], /^ Layer \(type\)\s+Output Shape\s+Param #\s+Connected to\s*$/);
  assert.match(text, / in \(InputLayer\)\s+\(None, 3\)\s+0\s+\[\]/);
  assert.match(text, / h \(Dense\)\s+\(None, 3\)\s+12\s+\['in\[0\]\[0\]'\]/);
  assert.match(text, / skip \(Add\)\s+\(None, 3\)\s+0\s+\['h\[0\]\[0\]',\s*\n\s+'in\[0\]\[0\]'\]/);
  assert.match(text, /Total params: 12/);
});
