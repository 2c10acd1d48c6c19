// Layer options: misspelt names are errors (Keras raises for unknown arguments), shapes in Keras's forms.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sequential, Dense, Dropout, Activation, Flatten, InputLayer, Input, layerFromConfig } from '../../src/index.js';

test('unknown layer options are errors listing the valid ones; saved configs with extra keys still load', () => {
  assert.throws(() => new Dense(3, { activaton: 'relu' } as never), /Dense: unknown option 'activaton'. Valid options: units, activation/);
  assert.throws(() => new Dense({ units: 3, input_shape: [2] } as never), /unknown option 'input_shape'/);
  assert.throws(() => new Dropout(0.5, { rat: 0.2 } as never), /Dropout: unknown option 'rat'/);
  assert.throws(() => new Activation('relu', { activaton: 'tanh' } as never), /Activation: unknown option 'activaton'/);
  assert.throws(() => new Flatten({ inputShap: [2, 2] } as never), /Flatten: unknown option 'inputShap'/);
  assert.throws(() => new InputLayer({ shap: [2] } as never), /InputLayer: unknown option 'shap'/);
  // A Keras-converted config may carry keys descent does not use (constraints): loading ignores them.
  const layer = layerFromConfig('Dense', { units: 2, kernelConstraint: null, biasConstraint: { className: 'NonNeg' }, name: 'from_config' });
  assert.equal((layer as Dense).units, 2);
});

test('inputShape as a number, batchSize, and Input() all give the same model input', () => {
  for (const first of [new Dense(4, { inputShape: 3 }), new Dense(4, { inputShape: [3], batchSize: 16 }), new Dense(4, { inputDim: 3 })]) {
    const m = new Sequential([first, new Dense(1)]);
    assert.deepEqual(m.predict([[1, 2, 3]]).shape, [1, 1]);
    assert.equal(m.countParams(), 4 * 3 + 4 + 4 + 1);
  }
  const m = new Sequential([Input({ shape: [3] }), new Dense(4), new Dense(1)]);
  assert.equal(m.countParams(), 21);
  assert.throws(() => new Dense(4, { inputShape: '3' } as never), /inputShape must be an array of dimensions such as \[8\], got "3"/);
});

test('layer.getWeights/setWeights in Keras order, shapes checked before any change; Dropout refuses noiseShape', () => {
  const m = new Sequential([new Dense(2, { inputDim: 3 }), new Dense(1)]);
  const [k, b] = m.layers[0].getWeights();
  assert.deepEqual([k.shape, b.shape], [[3, 2], [2]]);
  m.layers[0].setWeights([[[1, 2], [3, 4], [5, 6]], [0.5, -0.5]]);
  assert.deepEqual(m.getWeights()[0].toArray(), [[1, 2], [3, 4], [5, 6]]);
  assert.deepEqual(m.getWeights()[1].toArray(), [0.5, -0.5]);
  // getWeights returns copies.
  m.layers[0].getWeights()[0].data[0] = 99;
  assert.equal(m.getWeights()[0].data[0], 1);
  const before = m.getWeights().map((t) => Array.from(t.data));
  assert.throws(() => m.layers[0].setWeights([[[1, 2], [3, 4], [5, 6]], [1, 2, 3]]), /weight 1 \(dense_\d+\/bias\) has shape \[2\], got \[3\]/);
  assert.throws(() => m.layers[0].setWeights([[[1, 2], [3, 4], [5, 6]]]), /has 2 weights/);
  assert.deepEqual(m.getWeights().map((t) => Array.from(t.data)), before);
  assert.throws(() => new Dropout(0.5, { noiseShape: [1, 3] }), /noiseShape is not supported/);
});
