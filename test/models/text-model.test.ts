// TextVectorization as a model layer: first layer of a Sequential, or after Input({ dtype: 'string' }) in a functional
// model. fit / evaluate / predict (arrays, lists, objects, Dataset, validationData) take texts and equal vectorizing
// first then feeding ids to the same numeric model; save/load keeps the configuration, vocabulary and idf weights; bad
// input fails with a clear message before any weight changes. Keras's own numbers: text_vectorization_test.py's
// test_tf_as_first_sequential_layer and test_save_load_tf_idf_mode.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Sequential, Model, Input, TextVectorization, Embedding, LSTM, Dense, GlobalAveragePooling1D, Concatenate, SGD, setSeed,
  tensor, loadModel, Dataset, batchesFromGenerator, Tensor,
} from '../../src/index.js';

const TEXTS = ['good movie', 'bad movie', 'a great film', 'an awful film', 'good and great', 'bad, awful!', 'great movie', 'awful'];
const LABELS = [[1], [0], [1], [0], [1], [0], [1], [0]];
const same = (a: Tensor, b: Tensor, what: string) => {
  assert.deepEqual(a.shape, b.shape, `${what}: shape`);
  for (let i = 0; i < a.size; i++) assert.ok(Math.abs(a.data[i] - b.data[i]) <= 1e-6, `${what}[${i}]: ${a.data[i]} vs ${b.data[i]}`);
};
const weightsEqual = (a: { getWeights(): Tensor[] }, b: { getWeights(): Tensor[] }, what: string) =>
  a.getWeights().forEach((w, i) => same(w, b.getWeights()[i], `${what} weight ${i}`));

async function withDir(f: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'descent-text-'));
  try {
    await f(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The text model and its numeric twin (same layers after the vectorizer, same weights). */
function twins(outputSequenceLength = 5) {
  setSeed(3);
  const tv = new TextVectorization({ outputSequenceLength });
  tv.adapt(TEXTS);
  const numericLayers = () => [new Embedding({ inputDim: tv.vocabularySize(), outputDim: 4, maskZero: true }), new LSTM(3), new Dense(1, { activation: 'sigmoid' })];
  const text = new Sequential([tv, ...numericLayers()]);
  const ids = new Sequential([Input({ shape: [outputSequenceLength] }), ...numericLayers()]);
  ids.setWeights(text.getWeights());
  for (const m of [text, ids]) m.compile({ optimizer: new SGD({ learningRate: 0.5 }), loss: 'binary_crossentropy', metrics: ['accuracy'] });
  return { tv, text, ids };
}

test('Keras test_tf_as_first_sequential_layer: vocabulary [baz, bar, foo] gives ids [[4, 1, 3], [1, 2, 0]] into the Embedding', () => {
  const layer = new TextVectorization({ maxTokens: 10, outputMode: 'int', outputSequenceLength: 3 });
  layer.setVocabulary(['baz', 'bar', 'foo']);
  const embedding = new Embedding({ inputDim: 5, outputDim: 4 });
  const model = new Sequential([layer, embedding]);
  assert.deepEqual(model.outputs[0].shape, [null, 3, 4]);
  const out = model.predict([['foo qux bar'], ['qux baz']]);
  const table = embedding.getWeights()[0];
  const want = [4, 1, 3, 1, 2, 0].flatMap((id) => Array.from(table.data.slice(id * 4, id * 4 + 4)));
  same(out, new Tensor(Float32Array.from(want), [2, 3, 4]), 'embedded ids');
});

test('Sequential([TextVectorization, Embedding, LSTM, Dense]) trains, evaluates and predicts on texts as its twin does on ids', async () => {
  const { tv, text, ids } = twins();
  const x = tv.call(TEXTS);
  const y = tensor(LABELS);
  const h1 = await text.fit(TEXTS, LABELS, { epochs: 3, batchSize: 3, shuffle: false, verbose: 0, validationData: [TEXTS.slice(0, 4), LABELS.slice(0, 4)] });
  const h2 = await ids.fit(x, y, { epochs: 3, batchSize: 3, shuffle: false, verbose: 0, validationData: [tv.call(TEXTS.slice(0, 4)), LABELS.slice(0, 4)] });
  assert.deepEqual(h1.history.val_loss, h2.history.val_loss);
  weightsEqual(text, ids, 'after fit');
  assert.deepEqual(await text.evaluate(TEXTS, LABELS, { verbose: 0 }), await ids.evaluate(x, y, { verbose: 0 }));
  same(text.predict(['a good film', 'awful movie']), ids.predict(tv.call(['a good film', 'awful movie'])), 'predict');
  // Keras's shape (n, 1) string data is accepted too.
  same(text.predict([['a good film'], ['awful movie']]), ids.predict(tv.call(['a good film', 'awful movie'])), 'predict (n, 1)');
  const lines: string[] = [];
  text.summary({ printFn: (l) => lines.push(l) });
  assert.ok(lines.some((l) => /text_vectorization.*\(None, 5\)\s+0/.test(l)), lines.join('\n'));
});

test('Dataset.fromTensors(texts, y) and batchesFromGenerator with texts train as the arrays do', async () => {
  const a = twins();
  const b = twins();
  await a.text.fit(Dataset.fromTensors(TEXTS, LABELS).batch(3), undefined, { epochs: 2, verbose: 0, validationData: Dataset.fromTensors(TEXTS, LABELS).batch(4) });
  await b.ids.fit(a.tv.call(TEXTS), LABELS, { epochs: 2, batchSize: 3, shuffle: false, verbose: 0 });
  weightsEqual(a.text, b.ids, 'Dataset');
  const gen = batchesFromGenerator(function* () {
    yield { x: TEXTS.slice(0, 4), y: LABELS.slice(0, 4) };
    yield { x: TEXTS.slice(4), y: LABELS.slice(4) };
  });
  const c = twins();
  await c.text.fit(gen, undefined, { epochs: 1, verbose: 0 });
  await c.ids.fit(c.tv.call(TEXTS), LABELS, { epochs: 1, batchSize: 4, shuffle: false, verbose: 0 });
  weightsEqual(c.text, c.ids, 'generator');
  assert.deepEqual(await c.text.evaluate(Dataset.fromTensors(TEXTS, LABELS).batch(8), undefined, { verbose: 0 }), await c.ids.evaluate(c.tv.call(TEXTS), LABELS, { verbose: 0 }));
});

test('functional: Input({ dtype: "string" }) -> TextVectorization beside a numeric input; data as a list or keyed by input name', async () => {
  setSeed(4);
  const tv = new TextVectorization({ outputMode: 'multi_hot' });
  tv.adapt(TEXTS);
  const text = Input({ shape: [1], dtype: 'string', name: 'text' });
  const extra = Input({ shape: [2], name: 'extra' });
  const dense = new Dense(1, { activation: 'sigmoid' });
  const model = new Model({ inputs: [text, extra], outputs: dense.apply(new Concatenate().apply([tv.apply(text), extra])) });
  assert.deepEqual(tv.apply(Input({ shape: [], dtype: 'string' })).shape, [null, tv.vocabularySize()]);
  const x2 = tensor(TEXTS.map((_, i) => [i / 8, 1 - i / 8]));
  const twinIn = Input({ shape: [tv.vocabularySize() + 2] });
  const twinDense = new Dense(1, { activation: 'sigmoid' });
  const twin = new Model({ inputs: twinIn, outputs: twinDense.apply(twinIn) });
  twin.setWeights(model.getWeights());
  for (const m of [model, twin]) m.compile({ optimizer: new SGD({ learningRate: 0.3 }), loss: 'binary_crossentropy' });
  const joined = (texts: string[], rest: Tensor) => {
    const v = tv.call(texts);
    return tensor(texts.map((_, i) => [...v.data.slice(i * v.shape[1], (i + 1) * v.shape[1]), ...rest.data.slice(i * 2, i * 2 + 2)]));
  };
  await model.fit({ text: TEXTS, extra: x2 }, LABELS, { epochs: 2, batchSize: 4, shuffle: false, verbose: 0 });
  await twin.fit(joined(TEXTS, x2), LABELS, { epochs: 2, batchSize: 4, shuffle: false, verbose: 0 });
  weightsEqual(model, twin, 'functional');
  same(model.predict([TEXTS, x2]) as Tensor, twin.predict(joined(TEXTS, x2)), 'predict (list)');
});

test("Keras's end-to-end export: a model trained on ids, wrapped as Model(Input(string) -> TextVectorization -> model), saves and loads", async () => {
  const { tv, ids } = twins();
  await ids.fit(tv.call(TEXTS), LABELS, { epochs: 1, verbose: 0 });
  const s = Input({ shape: [1], dtype: 'string' });
  const endToEnd = new Model({ inputs: s, outputs: ids.apply(tv.apply(s)) });
  same(endToEnd.predict(['a great movie']) as Tensor, ids.predict(tv.call(['a great movie'])), 'wrapped');
  await withDir(async (dir) => {
    await endToEnd.save(join(dir, 'e2e'));
    same((await loadModel<Model>(join(dir, 'e2e'))).predict(['a great movie']) as Tensor, ids.predict(tv.call(['a great movie'])), 'loaded');
  });
});

test('save/load keeps the configuration, the vocabulary (verbatim) and the idf weights; Keras test_save_load_tf_idf_mode', async () => {
  await withDir(async (dir) => {
    // Keras: Input(dtype="string", shape=()) -> TextVectorization(max_tokens=100, output_mode="tf_idf"), adapted, equal after load.
    const data = ['foo bar', 'bar baz', 'baz bada boom'];
    const input = Input({ shape: [], dtype: 'string' });
    const tv = new TextVectorization({ maxTokens: 100, outputMode: 'tf_idf' });
    tv.adapt(data);
    const idf = new Model({ inputs: input, outputs: new Dense(2).apply(tv.apply(input)) });
    await idf.save(join(dir, 'idf'));
    const idf2 = await loadModel<Model>(join(dir, 'idf'));
    same(idf2.predict(data) as Tensor, idf.predict(data) as Tensor, 'tf_idf model');
    const tv2 = idf2.getLayer(tv.name) as TextVectorization;
    assert.deepEqual(tv2.getConfig(), tv.getConfig());
    tv2.adapt(['adapted layers may adapt again']);

    // Tokens keep their case and underscores (the file's snake_case conversion leaves the vocabulary alone).
    const fixed = new TextVectorization({ standardize: null, vocabulary: ['Hello', 'snake_case', 'camelCase', '[x]'], outputSequenceLength: 3, outputMode: 'int' });
    const { text } = twins();
    const seq = new Sequential([fixed, new Embedding({ inputDim: 6, outputDim: 2 }), new GlobalAveragePooling1D(), new Dense(1)]);
    seq.compile({ optimizer: 'adam', loss: 'mse' });
    for (const [name, m, probe] of [['seq', seq, ['Hello camelCase', 'snake_case [x] hello']], ['text', text, ['good film', 'awful']]] as const) {
      await m.save(join(dir, name));
      const back = await loadModel<Sequential>(join(dir, name));
      same(back.predict([...probe]), m.predict([...probe]), `${name} after load`);
      assert.deepEqual(back.layers[0].getConfig(), { ...m.layers[0].getConfig(), batchInputShape: [null] });
    }
    const loaded = await loadModel<Sequential>(join(dir, 'seq'));
    assert.deepEqual((loaded.layers[0] as TextVectorization).getVocabulary(), ['', '[UNK]', 'Hello', 'snake_case', 'camelCase', '[x]']);
    assert.throws(() => (loaded.layers[0] as TextVectorization).adapt(['a']), /cannot adapt after a fixed vocabulary/);
  });
});

test('bad input: clear errors, before any weight changes', async () => {
  const { tv, text } = twins();
  const before = text.getWeights();
  // Texts to a model without a text layer.
  const numeric = new Sequential([new Dense(1, { inputShape: [2] })]);
  assert.throws(() => numeric.predict(['a text']), /x holds texts \("a text"\) but this model takes numbers there: make a TextVectorization layer its first layer/);
  await assert.rejects(text.fit(TEXTS, TEXTS.map((t) => [t]) as never, { verbose: 0 }), /^Error: y holds texts \("good movie"\); it must hold numbers/);
  // Numbers to a text model.
  await assert.rejects(text.fit(tensor([[1, 2, 0, 0, 0]]), [[1]], { verbose: 0 }), /x: TextVectorization 'text_vectorization\w*' takes texts \(an array of strings\), got numbers/);
  await assert.rejects(text.fit(['fine', 7] as never, [[1], [0]], { verbose: 0 }), /x: text 1 is 7, not a string/);
  await assert.rejects(text.fit(TEXTS, LABELS, { verbose: 0, validationData: [[3], [[1]]] as never }), /validationData x: text 0 is 3, not a string/);
  // A vocabulary larger than the Embedding's inputDim: the row is named.
  const small = new Sequential([tv, new Embedding({ inputDim: 4, outputDim: 2 })]);
  assert.throws(() => small.predict(['qux', 'good good']), /x as vectorized by TextVectorization '\w+': token id \d+ in row 1 \(position 0\) is outside \[0, 4\)/);
  weightsEqual(text, { getWeights: () => before }, 'unchanged');
  // Not adapted.
  const fresh = new Sequential([new TextVectorization({ outputSequenceLength: 3 }), new Embedding({ inputDim: 5, outputDim: 2 })]);
  assert.throws(() => fresh.predict(['a']), /needs a vocabulary before it is called; call adapt\(texts\) or setVocabulary\(\.\.\.\) first/);
  assert.throws(() => new Sequential([new TextVectorization({ outputMode: 'count' }), new Dense(1)]), /needs a vocabulary before it joins a model; call adapt\(texts\) or setVocabulary/);
  // A bag-of-words width that changes after the model was built.
  const bag = new TextVectorization({ outputMode: 'count', vocabulary: ['a', 'b'] });
  const bagModel = new Sequential([bag, new Dense(1)]);
  bag.setVocabulary(['a', 'b', 'c']);
  assert.throws(() => bagModel.predict(['a c']), /output width \(vocabulary size\) changed from 3 to 4/);
  // Wiring: numbers into TextVectorization, strings into Dense, a string input feeding two layers, wrong string shape.
  assert.throws(() => new TextVectorization().apply(Input({ shape: [1] })), /takes strings but was given 'input_layer\w*', a tensor of numbers: declare the input as Input\(\{ shape: \[1\], dtype: 'string' \}\)/);
  assert.throws(() => new Dense(1).apply(Input({ shape: [1], dtype: 'string', name: 'words' })), /Layer 'dense\w*' \(Dense\) takes numbers but was given the string input 'words'/);
  const s = Input({ shape: [1], dtype: 'string' });
  const v1 = new TextVectorization({ vocabulary: ['a'], outputMode: 'multi_hot' });
  const v2 = new TextVectorization({ vocabulary: ['b'], outputMode: 'multi_hot' });
  assert.throws(() => new Model({ inputs: s, outputs: new Concatenate().apply([v1.apply(s), v2.apply(s)]) }), /the string input '\w+' must feed exactly one TextVectorization layer/);
  assert.throws(() => new TextVectorization().apply(Input({ shape: [2], dtype: 'string' })), /takes one text per sample \(input shape \[batch\] or \[batch, 1\]\), got \(None, 2\)/);
  assert.throws(() => Input({ shape: [1], dtype: 'int8' as 'string' }), /InputLayer dtype must be 'float32' or 'string'/);
});
