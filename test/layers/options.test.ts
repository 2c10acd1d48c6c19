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
