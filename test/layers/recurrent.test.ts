// Recurrent layers beyond the reference numbers: gradient checks through time with and without masks (inputs and
// weights), masks carried from Embedding and Masking, dropout masks shared across steps, stateful layers in fit,
// Bidirectional/TimeDistributed configs, and bad input refused before any weight changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Tensor, Rng, ops, tensor, checkGradients, variableGrads, noGrad, setSeed, withMask, getMask, layerFromConfig,
  SimpleRNN, LSTM, GRU, Bidirectional, TimeDistributed, Embedding, Masking, Dense, Sequential, type Layer, type Variable,
} from '../../src/index.js';
import { randomTensor } from '../support/random.js';

const rng = new Rng(21);

/** Central differences of Σ out·r against autodiff, for the input and every weight. */
function gradCheck(name: string, layer: Layer, x: Tensor, mask: Tensor | null): void {
  const out0 = noGrad(() => layer.apply(mask ? withMask(x, mask) : x) as Tensor);
  const r = randomTensor(rng, [...out0.shape], -1, 1);
  const f = (xx: Tensor) => ops.sum(ops.mul(layer.apply(mask ? withMask(xx, mask) : xx) as Tensor, r));
  const res = checkGradients(f, [x], 1e-2);
  assert.ok(res.maxRelError < 1e-2, `${name}: input gradient off by ${res.maxRelError} (${JSON.stringify(res.worst)})`);
  const vars = layer.trainableWeights as Variable[];
  const { grads } = variableGrads(() => f(x), vars);
  vars.forEach((v, k) => {
    for (let i = 0; i < v.size; i++) {
      const at = (d: number) => {
        const old = v.data[i];
        v.data[i] = old + d;
        const val = noGrad(() => f(x).item());
        v.data[i] = old;
        return val;
      };
      const numeric = (at(1e-2) - at(-1e-2)) / 2e-2;
      const err = Math.abs(numeric - grads[k].data[i]) / Math.max(1, Math.abs(numeric));
      assert.ok(err < 1e-2, `${name}: ${v.name}[${i}] gradient ${grads[k].data[i]} vs numeric ${numeric}`);
    }
  });
}

test('gradient checks through time, with and without masks (a masked step passes the state through)', () => {
  const x = randomTensor(rng, [3, 5, 2], -1, 1);
  const mask = tensor([[1, 1, 0, 1, 1], [0, 1, 1, 0, 0], [1, 1, 1, 1, 1]]);
  const makers: [string, () => Layer][] = [
    ['SimpleRNN', () => new SimpleRNN(3, { returnSequences: true })],
    ['LSTM', () => new LSTM(3)],
    ['LSTM goBackwards', () => new LSTM(2, { goBackwards: true, returnSequences: true })],
    ['GRU', () => new GRU(3, { returnSequences: true })],
    ['GRU resetAfter false', () => new GRU(2, { resetAfter: false })],
    ['Bidirectional(LSTM) concat', () => new Bidirectional(new LSTM(2, { returnSequences: true }))],
  ];
  for (const [name, make] of makers) {
    gradCheck(name, make(), x, null);
    gradCheck(`${name} masked`, make(), x, mask);
  }
});

test('Embedding: Keras test_correctness and test_masking (embeddings [[0, 0], [2, 2], [3, 3]], ids [2, 1, 0])', () => {
  const layer = new Embedding({ inputDim: 3, outputDim: 2, maskZero: true });
  layer.apply(tensor([0]));
  layer.setWeights([[[0, 0], [2, 2], [3, 3]]]);
  const out = layer.apply(tensor([2, 1, 0])) as Tensor;
  assert.deepEqual(out.toArray(), [[3, 3], [2, 2], [0, 0]]);
  assert.deepEqual(Array.from(getMask(out)!.data), [1, 1, 0]);
  assert.equal(getMask(new Embedding({ inputDim: 3, outputDim: 2 }).apply(tensor([2, 1, 0])) as Tensor), null);
});

test("Embedding takes Keras's positional form, Embedding(inputDim, outputDim, options), as well as one options object", () => {
  const positional = new Embedding(3, 2, { maskZero: true, name: 'e' });
  const object = new Embedding({ inputDim: 3, outputDim: 2, maskZero: true, name: 'e' });
  assert.deepEqual(positional.getConfig(), object.getConfig());
  positional.apply(tensor([0]));
  positional.setWeights([[[0, 0], [2, 2], [3, 3]]]);
  assert.deepEqual((positional.apply(tensor([2, 0])) as Tensor).toArray(), [[3, 3], [0, 0]]);
  assert.throws(() => new Embedding(3, undefined as unknown as number), /Embedding: outputDim must be a positive integer, got undefined/);
});

test('Embedding: rows of the table; its gradient adds up the rows of repeated ids (scatter-add)', () => {
  const emb = new Embedding({ inputDim: 4, outputDim: 2 });
  const ids = tensor([[1, 3, 1], [0, 1, 2]]);
  const out = emb.apply(ids) as Tensor;
  assert.deepEqual(out.shape, [2, 3, 2]);
  const table = emb.getWeights()[0].data;
  assert.deepEqual(Array.from(out.data.slice(2, 4)), Array.from(table.slice(6, 8)));
  const { grads } = variableGrads(() => ops.sum(emb.apply(ids) as Tensor), emb.trainableWeights);
  assert.deepEqual(Array.from(grads[0].data), [1, 1, 3, 3, 1, 1, 1, 1]); // id 1 appears three times
});

test('masks: Embedding(maskZero) and Masking attach them; returnSequences passes them on; a masked step keeps the state', () => {
  const emb = new Embedding({ inputDim: 5, outputDim: 3, maskZero: true });
  const e = emb.apply(tensor([[2, 0, 3], [0, 0, 1]])) as Tensor;
  assert.deepEqual(Array.from(getMask(e)!.data), [1, 0, 1, 0, 0, 1]);
  const lstm = new LSTM(2, { returnSequences: true });
  const seq = lstm.apply(e) as Tensor;
  assert.deepEqual(Array.from(getMask(seq)!.data), [1, 0, 1, 0, 0, 1]);
  // Sample 0, step 1 is masked: its output repeats step 0's; sample 1 starts masked: zeros until step 2.
  assert.deepEqual(Array.from(seq.data.slice(2, 4)), Array.from(seq.data.slice(0, 2)));
  assert.deepEqual(Array.from(seq.data.slice(6, 10)), [0, 0, 0, 0]);
  const m = new Masking().apply(tensor([[[1, 2], [0, 0], [3, 0]]])) as Tensor;
  assert.deepEqual(Array.from(getMask(m)!.data), [1, 0, 1]);
  const td = new TimeDistributed(new Dense(2)).apply(withMask(randomTensor(rng, [2, 3, 4]), tensor([[1, 1, 0], [1, 0, 0]]))) as Tensor;
  assert.deepEqual(td.shape, [2, 3, 2]);
  assert.ok(getMask(td));
});

test('dropout: one input mask per sequence (the same at every step), none at inference', () => {
  setSeed(4);
  // With a zero recurrent kernel every step sees only its own input: equal inputs give equal outputs iff the
  // dropout mask is the same at every step.
  const layer = new SimpleRNN(6, { dropout: 0.5, recurrentInitializer: 'zeros', returnSequences: true });
  const row = randomTensor(rng, [1, 1, 8]);
  const x = ops.concat([row, row, row, row], 1);
  const train = noGrad(() => layer.apply(x, true) as Tensor);
  const infer = noGrad(() => layer.apply(x, false) as Tensor);
  for (let t = 1; t < 4; t++) assert.deepEqual(Array.from(train.data.slice(t * 6, t * 6 + 6)), Array.from(train.data.slice(0, 6)));
  assert.notDeepEqual(Array.from(train.data), Array.from(infer.data));
  assert.deepEqual(Array.from(infer.data.slice(6, 12)), Array.from(infer.data.slice(0, 6)));
  // recurrentDropout changes training outputs only.
  const rec = new LSTM(4, { recurrentDropout: 0.5 });
  const xs = randomTensor(rng, [2, 5, 3]);
  const a = noGrad(() => rec.apply(xs, false) as Tensor), b = noGrad(() => rec.apply(xs, false) as Tensor);
  assert.deepEqual(Array.from(a.data), Array.from(b.data));
  assert.notDeepEqual(Array.from(noGrad(() => rec.apply(xs, true) as Tensor).data), Array.from(a.data));
});

test('stateful: a batch continues from the previous batch\'s states; resetStates() zeroes them', async () => {
  setSeed(2);
  const x = randomTensor(rng, [2, 4, 3]);
  const layer = new GRU(3, { stateful: true, batchInputShape: [2, 4, 3] });
  const first = noGrad(() => layer.apply(x) as Tensor);
  const second = noGrad(() => layer.apply(x) as Tensor);
  assert.notDeepEqual(Array.from(second.data), Array.from(first.data));
  // The same as feeding the two halves as one sequence to a stateless copy.
  const plain = layerFromConfig('GRU', { ...layer.getConfig(), stateful: false, batchInputShape: null, name: 'gru_plain' });
  plain.apply(x);
  plain.setWeights(layer.getWeights());
  const whole = noGrad(() => plain.apply(ops.concat([x, x], 1)) as Tensor);
  assert.ok(Array.from(whole.data).every((v, i) => Math.abs(v - second.data[i]) < 1e-6));
  layer.resetStates();
  assert.deepEqual(Array.from(noGrad(() => layer.apply(x) as Tensor).data), Array.from(first.data));
  assert.throws(() => layer.apply(randomTensor(rng, [3, 4, 3])), /stateful with batch size 2 \(batchInputShape\), got a batch of 3/);
  // In fit: states carry across batches (shuffle off), and training still works.
  const model = new Sequential([new LSTM(4, { stateful: true, batchInputShape: [2, 4, 3] }), new Dense(1)]);
  model.compile({ optimizer: 'adam', loss: 'mse' });
  const h = await model.fit(randomTensor(rng, [6, 4, 3]), randomTensor(rng, [6, 1]), { epochs: 2, batchSize: 2, shuffle: false, verbose: 0 });
  assert.ok(h.history.loss.every((v) => Number.isFinite(v)));
  assert.throws(() => new LSTM(2).resetStates(), /not stateful/);
});

test('configs: Keras names and defaults, round trips (Bidirectional mergeMode none, a custom backward layer)', () => {
  const lstm = new LSTM(8);
  const c = lstm.getConfig();
  assert.equal(c.activation, 'tanh');
  assert.equal(c.recurrentActivation, 'sigmoid');
  assert.equal(c.unitForgetBias, true);
  assert.equal((c.recurrentInitializer as { className: string }).className, 'Orthogonal');
  assert.equal(new GRU(2).resetAfter, true);
  lstm.apply(randomTensor(rng, [1, 2, 3]));
  assert.deepEqual(Array.from(lstm.bias!.data), [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, ...new Array(16).fill(0)]);
  assert.deepEqual(lstm.weights.map((w) => w.shape), [[3, 32], [8, 32], [32]]);
  const bi = new Bidirectional(new SimpleRNN(2), { mergeMode: 'none' });
  const again = layerFromConfig('Bidirectional', JSON.parse(JSON.stringify(bi.getConfig()))) as Bidirectional;
  assert.equal(again.mergeMode, 'none');
  const custom = new Bidirectional(new SimpleRNN(2), { backwardLayer: new GRU(2, { goBackwards: true }) });
  const c2 = custom.getConfig();
  assert.equal((c2.backwardLayer as { className: string }).className, 'GRU');
  assert.equal((layerFromConfig('Bidirectional', c2) as Bidirectional).backwardLayer.className, 'GRU');
});

test('bad input: token ids out of range (id and row named), ragged sequences, mismatched masks and states — before any weight changes', async () => {
  const model = new Sequential([new Embedding({ inputDim: 10, outputDim: 4, inputShape: [3] }), new LSTM(2), new Dense(1)]);
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  const before = model.getWeights().map((w) => w.data.slice());
  // Checked on the whole data first, so the row is the data's own row (shuffling or not).
  const rows = tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9], [4, 12, 5]]);
  await assert.rejects(() => model.fit(rows, tensor([[0], [1], [0], [1]]), { verbose: 0 }), /x: token id 12 in row 3 \(position 1\) is outside \[0, 10\) for Embedding/);
  await assert.rejects(() => model.fit(tensor([[1, 2, 3], [4, -1, 5]]), tensor([[0], [1]]), { verbose: 0 }), /token id -1 in row 1/);
  assert.throws(() => model.predict(tensor([[1, 2, 3.5]])), /token id 3.5 in row 0 \(position 2\)/);
  model.getWeights().forEach((w, i) => assert.deepEqual(w.data, before[i]));
  assert.throws(() => tensor([[1, 2, 3], [4, 5]]), /Ragged array: index \[1\] has 2 entries, expected 3/);
  await assert.rejects(() => model.fit([[1, 2, 3], [4, 5]], [[0], [1]], { verbose: 0 }), /x: Ragged array: index \[1\] has 2 entries, expected 3 .*padded .* padSequences/);
  assert.throws(() => withMask(randomTensor(rng, [2, 4, 3]), tensor([[1, 1, 1], [1, 1, 1]])), /mask of shape \[2, 3\] does not match a sequence of shape \[2, 4, 3\]/);
  assert.throws(() => new LSTM(3).apply([randomTensor(rng, [2, 4, 3]), randomTensor(rng, [2, 3])]), /has 2 state\(s\), got 1 initial state/);
  assert.throws(() => new GRU(3).apply([randomTensor(rng, [2, 4, 3]), randomTensor(rng, [2, 4])]), /initial state 0 has shape \[2, 4\], expected \[2, 3\]/);
  assert.throws(() => new Sequential([new LSTM(3, { inputShape: [5] })]), /expects an input with rank 3/);
  assert.throws(() => new LSTM(0), /units must be a positive integer/);
  assert.throws(() => new GRU(2, { dropout: 1 }), /dropout must be in \[0, 1\)/);
  assert.throws(() => new Bidirectional(new Dense(2)), /wraps a recurrent layer/);
  assert.throws(() => new Bidirectional(new LSTM(2), { mergeMode: 'max' as 'sum' }), /mergeMode must be/);
  assert.throws(() => new Embedding({ inputDim: 0, outputDim: 2 }), /inputDim must be a positive integer/);
});

test('captured steps: a replayed step checks token ids and carries stateful states like eager calls', async () => {
  setSeed(8);
  const model = new Sequential([new Embedding({ inputDim: 6, outputDim: 3, maskZero: true, inputShape: [4] }), new GRU(3), new Dense(1)]);
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  const y = tensor([[0.5], [-0.5]]);
  await model.fit(tensor([[1, 2, 0, 0], [3, 4, 5, 0]]), y, { epochs: 2, verbose: 0, shuffle: false }); // captured, then replayed
  const before = model.getWeights().map((w) => w.data.slice());
  await assert.rejects(() => model.fit(tensor([[1, 2, 0, 0], [3, 9, 5, 0]]), y, { verbose: 0, shuffle: false }), /token id 9 in row 1 \(position 1\)/);
  // A replayed step checks too (here called with the model's step directly, past fit's data check).
  const step = (model as unknown as { layers: { apply(x: Tensor): Tensor }[] }).layers[0];
  assert.throws(() => noGrad(() => step.apply(tensor([[1, 2, 0, 0], [3, 9, 5, 0]]))), /Embedding '.*' \(inputDim 6\): token id 9 in row 1 \(position 1\)/);
  model.getWeights().forEach((w, i) => assert.deepEqual(w.data, before[i]));

  const stateful = new Sequential([new LSTM(3, { stateful: true, batchInputShape: [2, 3, 2] }), new Dense(1)]);
  const x = randomTensor(rng, [2, 3, 2]);
  const p1 = (stateful.predict(x) as Tensor).data.slice(), p2 = (stateful.predict(x) as Tensor).data.slice(), p3 = (stateful.predict(x) as Tensor).data.slice();
  const lstm = stateful.layers[0] as LSTM;
  lstm.resetStates();
  const eager = [1, 2, 3].map(() => noGrad(() => stateful.layers[1].apply(lstm.apply(x)) as Tensor).data.slice());
  [p1, p2, p3].forEach((p, k) => assert.ok(Array.from(p).every((v, i) => Math.abs(v - eager[k][i]) < 1e-6), `predict call ${k + 1}`));
  assert.notDeepEqual(Array.from(p2), Array.from(p1));
});

test('a stacked model (Embedding with a mask, Bidirectional LSTM sequences, GRU, TimeDistributed) trains the same replayed and eager', async () => {
  const make = () => {
    setSeed(12);
    const m = new Sequential([
      new Embedding({ inputDim: 7, outputDim: 3, maskZero: true, inputShape: [5] }),
      new Bidirectional(new LSTM(3, { returnSequences: true }), { mergeMode: 'sum' }),
      new TimeDistributed(new Dense(3, { activation: 'tanh' })),
      new GRU(2, { resetAfter: true }),
      new Dense(1),
    ]);
    m.compile({ optimizer: 'adam', loss: 'mse' });
    return m;
  };
  const replayed = make(), eager = make();
  eager.fastPath = false;
  const x = tensor([[1, 2, 3, 0, 0], [4, 5, 0, 0, 0], [6, 1, 2, 3, 4], [2, 2, 0, 0, 0]]);
  const y = tensor([[0.3], [-0.2], [0.8], [0.1]]);
  await replayed.fit(x, y, { epochs: 3, batchSize: 2, shuffle: false, verbose: 0 });
  await eager.fit(x, y, { epochs: 3, batchSize: 2, shuffle: false, verbose: 0 });
  const a = replayed.getWeights(), b = eager.getWeights();
  a.forEach((w, i) => w.data.forEach((v, j) => assert.ok(Math.abs(v - b[i].data[j]) < 1e-5, `weight ${i}[${j}]: replayed ${v} vs eager ${b[i].data[j]}`)));
});

test('LSTM: the fused step with other elementwise activations equals the same LSTM composed from ops (a user function)', () => {
  for (const [act, rec] of [['relu', 'hard_sigmoid'], ['softsign', 'sigmoid'], ['linear', 'tanh']] as const) {
    const x = randomTensor(rng, [3, 4, 2], -1, 1);
    const fused = new LSTM(3, { activation: act, recurrentActivation: rec, returnSequences: true });
    // The same functions, given as functions: not recognized as elementwise by name, so composed from ops.
    const byName = (name: string) => (t: Tensor) => layerFromConfig('Activation', { activation: name }).apply(t) as Tensor;
    const composed = new LSTM(3, { activation: byName(act), recurrentActivation: byName(rec), returnSequences: true });
    fused.apply(x);
    composed.apply(x);
    composed.setWeights(fused.getWeights());
    const r = randomTensor(rng, [3, 4, 3], -1, 1);
    const loss = (l: LSTM) => ops.sum(ops.mul(l.apply(x), r));
    const a = variableGrads(() => loss(fused), fused.trainableWeights);
    const b = variableGrads(() => loss(composed), composed.trainableWeights);
    assert.ok(Math.abs(a.value.item() - b.value.item()) < 1e-5, `${act}/${rec}: ${a.value.item()} vs ${b.value.item()}`);
    a.grads.forEach((g, k) => g.data.forEach((v, i) => assert.ok(Math.abs(v - b.grads[k].data[i]) < 1e-5, `${act}/${rec} gradient ${k}[${i}]: ${v} vs ${b.grads[k].data[i]}`)));
  }
});
