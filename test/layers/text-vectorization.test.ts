// TextVectorization against keras/src/layers/preprocessing/text_vectorization_test.py's numbers, and the idf rule
// of keras/src/layers/preprocessing/index_lookup.py computed here in float64.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextVectorization } from '../../src/layers/text-vectorization.js';

const rows = (t: { toArray(): unknown }) => t.toArray() as number[][];
const close = (got: number[][], want: number[][], tol = 1e-6) => {
  assert.deepEqual([got.length, got[0]?.length], [want.length, want[0]?.length]);
  got.forEach((r, i) => r.forEach((v, j) => assert.ok(Math.abs(v - want[i][j]) < tol, `[${i}][${j}] ${v} vs ${want[i][j]}`)));
};

test('TextVectorization: Keras test_adapt_flow (frequency order, ties by the larger token, OOV 1, padding 0)', () => {
  const layer = new TextVectorization({ maxTokens: 5000, outputMode: 'int', outputSequenceLength: 4 });
  layer.adapt(['foo bar', 'bar baz', 'baz bada boom']);
  assert.deepEqual(rows(layer.call([['foo qux bar'], ['qux baz']])), [[4, 1, 3, 0], [1, 2, 0, 0]]);
  assert.deepEqual(layer.getVocabulary(), ['', '[UNK]', 'baz', 'bar', 'foo', 'boom', 'bada']);
});

test('TextVectorization: Keras test_fixed_vocabulary and test_set_vocabulary', () => {
  const fixed = new TextVectorization({ maxTokens: 5000, outputSequenceLength: 4, vocabulary: ['baz', 'bar', 'foo'] });
  assert.deepEqual(rows(fixed.call(['foo qux bar', 'qux baz'])), [[4, 1, 3, 0], [1, 2, 0, 0]]);
  assert.throws(() => fixed.adapt(['a']), /cannot adapt after a fixed vocabulary/);
  const set = new TextVectorization({ maxTokens: 5000, outputSequenceLength: 4 });
  set.setVocabulary(['baz', 'bar', 'foo']);
  assert.deepEqual(rows(set.call(['foo qux bar', 'qux baz'])), [[4, 1, 3, 0], [1, 2, 0, 0]]);
  // The special tokens may lead the vocabulary; the result is the same.
  set.setVocabulary(['', '[UNK]', 'baz', 'bar', 'foo']);
  assert.deepEqual(rows(set.call(['foo qux bar'])), [[4, 1, 3, 0]]);
});

test('TextVectorization: Keras test_multi_hot_output, count and tf_idf', () => {
  const mh = new TextVectorization({ outputMode: 'multi_hot', vocabulary: ['foo', 'bar', 'baz'] });
  assert.deepEqual(rows(mh.call([['foo bar'], ['baz foo foo']])), [[0, 1, 1, 0], [0, 1, 0, 1]]);
  assert.deepEqual(mh.getVocabulary(), ['[UNK]', 'foo', 'bar', 'baz']);
  const count = new TextVectorization({ outputMode: 'count', vocabulary: ['foo', 'bar', 'baz'] });
  assert.deepEqual(rows(count.call(['foo bar', 'baz foo foo'])), [[0, 1, 1, 0], [0, 2, 0, 1]]);
  const tfidf = new TextVectorization({ outputMode: 'tf_idf', vocabulary: ['foo', 'bar', 'baz'], idfWeights: [0.3, 0.5, 0.2] });
  close(rows(tfidf.call(['foo bar', 'baz foo foo'])), [[0, 0.3, 0.5, 0], [0, 0.6, 0, 0.2]]);
  // OOV column weighted by the mean idf (index_lookup.py pads the front with np.average).
  close(rows(tfidf.call(['qux qux'])), [[2 * (0.3 + 0.5 + 0.2) / 3, 0, 0, 0]]);
});

test('TextVectorization: tf_idf learned by adapt follows idf = log(1 + N / (1 + df))', () => {
  const layer = new TextVectorization({ outputMode: 'tf_idf' });
  const docs = ['foo bar', 'bar baz', 'baz bada boom'];
  layer.adapt(docs);
  const vocab = layer.getVocabulary();
  assert.deepEqual(vocab, ['[UNK]', 'baz', 'bar', 'foo', 'boom', 'bada']);
  const df: Record<string, number> = { baz: 2, bar: 2, foo: 1, boom: 1, bada: 1 };
  const idf = vocab.slice(1).map((w) => Math.log(1 + 3 / (1 + df[w])));
  const oov = idf.reduce((a, b) => a + b, 0) / idf.length;
  close(rows(layer.call(['bar bar zzz'])), [[oov, 0, 2 * idf[1], 0, 0, 0]]);
});

test('TextVectorization: Keras standardization and splitting tests', () => {
  const strip = new TextVectorization({ vocabulary: ['hello', 'world', 'this', 'is', 'nice', 'test'] });
  assert.deepEqual(rows(strip.call(['Hello, World!. This is just a nice test!'])), [[2, 3, 4, 5, 1, 1, 6, 7]]);
  const lower = new TextVectorization({ standardize: 'lower', vocabulary: ['hello,', 'hello', 'world', 'this', 'is', 'nice', 'test'] });
  assert.deepEqual(rows(lower.call(['Hello, World!. This is just a nice test!'])), [[2, 1, 5, 6, 1, 1, 7, 1]]);
  const chars = new TextVectorization({ split: 'character', vocabulary: ['a', 'b', 'c', 'd', 'e'] });
  assert.deepEqual(rows(chars.call(['abcf'])), [[2, 3, 4, 1]]);
  const custom = new TextVectorization({ split: (t) => t.split('|'), vocabulary: ['foo', 'bar', 'foobar'] });
  // Standardization strips '|' before the custom split runs, so the text is the one token 'foobar' (Keras: [[4]]).
  assert.deepEqual(rows(custom.call(['foo|bar'])), [[4]]);
  const punct = new TextVectorization({ standardize: 'strip_punctuation', vocabulary: ['Hello', 'World', 'Test'] });
  assert.deepEqual(rows(punct.call(['Hello, World! Test.'])), [[2, 3, 4]]);
  const none = new TextVectorization({ standardize: null, vocabulary: ['Hello', 'world'] });
  assert.deepEqual(rows(none.call(['Hello hello'])), [[2, 1]]);
  const nosplit = new TextVectorization({ split: null, vocabulary: ['foo', 'bar', 'baz'] });
  assert.deepEqual(rows(nosplit.call([['foo'], ['bar'], ['unknown']])), [[2], [3], [1]]);
});

test('TextVectorization: maxTokens, padToMaxTokens, vocabulary size, config round trip', () => {
  const capped = new TextVectorization({ maxTokens: 5 });
  capped.adapt(['a b c d e f g h i j']);
  assert.equal(capped.getVocabulary().length, 5);
  const padded = new TextVectorization({ outputMode: 'multi_hot', vocabulary: ['foo', 'bar'], maxTokens: 8, padToMaxTokens: true });
  assert.deepEqual(padded.call(['foo bar']).shape, [1, 8]);
  const v = new TextVectorization({ vocabulary: ['foo', 'bar', 'baz'] });
  assert.equal(v.vocabularySize(), 5);
  assert.deepEqual(v.getVocabulary(false), ['foo', 'bar', 'baz']);
  const t = new TextVectorization({ outputMode: 'tf_idf', maxTokens: 10 });
  t.adapt(['a b', 'b c c']);
  const again = TextVectorization.fromConfig(JSON.parse(JSON.stringify(t.getConfig())));
  assert.deepEqual(rows(again.call(['c a x'])), rows(t.call(['c a x'])));
  assert.deepEqual(again.getConfig(), t.getConfig());
});

test('TextVectorization: bad input is refused before anything changes', () => {
  assert.throws(() => new TextVectorization({ outputMode: 'multi_hot', outputSequenceLength: 5 }), /outputSequenceLength must not be set if outputMode is not 'int'/);
  assert.throws(() => new TextVectorization({ outputMode: 'binary' as 'int' }), /outputMode must be one of int, multi_hot, count, tf_idf/);
  assert.throws(() => new TextVectorization({ maxTokens: 2 }), /maxTokens must be an integer greater than 2/);
  assert.throws(() => new TextVectorization({ max_tokens: 3 } as never), /unknown option 'max_tokens'/);
  const layer = new TextVectorization({ maxTokens: 4 });
  layer.setVocabulary(['x', 'y']);
  assert.throws(() => layer.setVocabulary(['a', 'b', 'a']), /repeats "a"/);
  assert.throws(() => layer.setVocabulary(['a', 'b', 'c']), /5 entries .* exceeds maxTokens 4/);
  assert.throws(() => layer.setVocabulary(['a', '[UNK]']), /special token "\[UNK\]" is at index 1/);
  assert.throws(() => layer.setVocabulary(['a'], [1]), /idfWeights should only be set when outputMode is 'tf_idf'/);
  assert.deepEqual(layer.getVocabulary(), ['', '[UNK]', 'x', 'y']);
  assert.throws(() => layer.call(['ok', 3 as unknown as string]), /text 1 is 3, not a string/);
  assert.throws(() => new TextVectorization({ outputMode: 'count' }).call(['a']), /needs a vocabulary before it is called/);
  assert.throws(() => new TextVectorization({ outputMode: 'tf_idf', vocabulary: ['a'] }), /idfWeights must be set/);
});
