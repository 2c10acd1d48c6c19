// The layer contract, for every layer in the registry: output shape inference (symbolic = eager), a finite-difference
// gradient check (inputs and weights), a captured step replayed on new data equal to eager autograd (training mode,
// same random stream), config round trip, and save/load round trip inside a model.
//
// ADDING A LAYER = ONE ROW in LAYERS below: its registry name, a sample config and the input shape(s) without the
// batch dimension (a list of shapes for layers taking several inputs). A registered layer without a row fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Input, Model, Tensor, Rng, layerFromConfig, checkGradients, variableGrads, noGrad, ops, loadModel, CapturedStep, setSeed,
  type Layer, type SymbolicTensor,
} from '../../src/index.js';
import { layerRegistry } from '../../src/layers/layer.js';

interface Row {
  /** Sample config (camelCase, as getConfig). */
  config: Record<string, unknown>;
  /** One sample's input shape, or a list of them (merge layers). */
  input: number[] | number[][];
  /** Skip the gradient check (layers whose output is piecewise constant in the inputs). */
  noGradCheck?: boolean;
  /** Inputs are integer ids in [0, ids) (Embedding): no input gradient, the weights' gradients are still checked. */
  ids?: number;
  /** Takes texts (TextVectorization; input: [] or [1]): shape inference, config and save/load on these (no numbers, no gradients). */
  texts?: string[];
}

const dense3 = { className: 'Dense', config: { units: 3, activation: 'tanh' } };
const functionalConfig = () => {
  const x = Input({ shape: [4], name: 'fin' });
  const h = layerFromConfig('Dense', { units: 3, activation: 'tanh', name: 'fdense' }).apply(x) as SymbolicTensor;
  return new Model({ inputs: x, outputs: h, name: 'inner_functional' }).getConfig();
};

export const LAYERS: Record<string, Row> = {
  Dense: { config: { units: 3, activation: 'tanh' }, input: [4] },
  Activation: { config: { activation: 'softplus' }, input: [2, 3] },
  Dropout: { config: { rate: 0.3 }, input: [5] },
  Flatten: { config: {}, input: [2, 3] },
  InputLayer: { config: { batchInputShape: [null, 4] }, input: [4] },
  Add: { config: {}, input: [[3], [3]] },
  Subtract: { config: {}, input: [[3], [3]] },
  Multiply: { config: {}, input: [[3], [3], [3]] },
  Average: { config: {}, input: [[2, 2], [2, 2]] },
  Maximum: { config: {}, input: [[3], [3]] },
  Minimum: { config: {}, input: [[3], [3]] },
  Concatenate: { config: { axis: 1 }, input: [[2, 3], [1, 3]] },
  Dot: { config: { axes: 1, normalize: true }, input: [[4], [4]] },
  Conv1D: { config: { filters: 3, kernelSize: 3, padding: 'causal', dilationRate: 2, activation: 'tanh' }, input: [7, 2] },
  Conv2D: { config: { filters: 4, kernelSize: [3, 2], strides: 2, padding: 'same' }, input: [5, 6, 2] },
  Conv3D: { config: { filters: 2, kernelSize: 2, padding: 'same' }, input: [3, 3, 4, 2] },
  Conv1DTranspose: { config: { filters: 2, kernelSize: 3, strides: 2 }, input: [4, 3] },
  Conv2DTranspose: { config: { filters: 3, kernelSize: 3, strides: 2, padding: 'same' }, input: [3, 3, 2] },
  Conv3DTranspose: { config: { filters: 2, kernelSize: 2, strides: 2 }, input: [2, 2, 2, 2] },
  DepthwiseConv1D: { config: { kernelSize: 3, depthMultiplier: 2 }, input: [6, 3] },
  DepthwiseConv2D: { config: { kernelSize: 3, padding: 'same' }, input: [4, 4, 3] },
  SeparableConv1D: { config: { filters: 4, kernelSize: 3 }, input: [6, 3] },
  SeparableConv2D: { config: { filters: 4, kernelSize: 3, depthMultiplier: 2, activation: 'sigmoid' }, input: [5, 5, 2] },
  MaxPooling1D: { config: { poolSize: 2, padding: 'same' }, input: [5, 3], noGradCheck: true },
  MaxPooling2D: { config: { poolSize: 2 }, input: [4, 5, 3], noGradCheck: true },
  MaxPooling3D: { config: { poolSize: 2, dataFormat: 'channels_first' }, input: [2, 4, 4, 4], noGradCheck: true },
  AveragePooling1D: { config: { poolSize: 3, strides: 1 }, input: [5, 3] },
  AveragePooling2D: { config: { poolSize: [2, 3], padding: 'same' }, input: [5, 5, 2] },
  AveragePooling3D: { config: { poolSize: 2 }, input: [4, 4, 4, 2] },
  GlobalMaxPooling1D: { config: {}, input: [5, 3], noGradCheck: true },
  GlobalMaxPooling2D: { config: { keepdims: true }, input: [3, 4, 3], noGradCheck: true },
  GlobalMaxPooling3D: { config: {}, input: [2, 3, 2, 2], noGradCheck: true },
  GlobalAveragePooling1D: { config: { dataFormat: 'channels_first' }, input: [3, 5] },
  GlobalAveragePooling2D: { config: {}, input: [3, 4, 3] },
  GlobalAveragePooling3D: { config: { keepdims: true }, input: [2, 3, 2, 2] },
  BatchNormalization: { config: {}, input: [3, 3, 2] },
  LayerNormalization: { config: {}, input: [4, 5] },
  GroupNormalization: { config: { groups: 2 }, input: [3, 4] },
  Reshape: { config: { targetShape: [-1, 2] }, input: [3, 4] },
  Permute: { config: { dims: [2, 1] }, input: [3, 4] },
  RepeatVector: { config: { n: 3 }, input: [4] },
  ZeroPadding1D: { config: { padding: [1, 2] }, input: [3, 2] },
  ZeroPadding2D: { config: { padding: [[1, 0], [2, 1]] }, input: [3, 3, 2] },
  ZeroPadding3D: { config: { padding: 1 }, input: [2, 2, 2, 1] },
  Cropping1D: { config: { cropping: [1, 2] }, input: [6, 2] },
  Cropping2D: { config: { cropping: [[1, 0], [0, 2]], dataFormat: 'channels_first' }, input: [2, 4, 5] },
  Cropping3D: { config: { cropping: 1 }, input: [3, 4, 3, 1] },
  UpSampling1D: { config: { size: 3 }, input: [3, 2] },
  UpSampling2D: { config: { size: [2, 3] }, input: [2, 2, 2] },
  UpSampling3D: { config: {}, input: [2, 1, 2, 1] },
  SpatialDropout1D: { config: { rate: 0.5 }, input: [4, 3] },
  SpatialDropout2D: { config: { rate: 0.5 }, input: [3, 3, 2] },
  SpatialDropout3D: { config: { rate: 0.5 }, input: [2, 2, 2, 2] },
  GaussianNoise: { config: { stddev: 0.1 }, input: [4] },
  GaussianDropout: { config: { rate: 0.3 }, input: [4] },
  Embedding: { config: { inputDim: 6, outputDim: 3, maskZero: true }, input: [4], ids: 6 },
  Masking: { config: { maskValue: 0.5 }, input: [3, 2] },
  SimpleRNN: { config: { units: 3, returnSequences: true }, input: [4, 2] },
  LSTM: { config: { units: 3, goBackwards: true }, input: [4, 2] },
  GRU: { config: { units: 2, returnSequences: true, resetAfter: true }, input: [3, 2] },
  Bidirectional: { config: { layer: { className: 'GRU', config: { units: 2, resetAfter: false } }, mergeMode: 'mul' }, input: [3, 2] },
  TimeDistributed: { config: { layer: { className: 'Dense', config: { units: 2, activation: 'tanh' } } }, input: [3, 4] },
  Sequential: { config: { name: 'inner_sequential', layers: [dense3, { className: 'Dense', config: { units: 2 } }] }, input: [4] },
  Functional: { get config() { return functionalConfig(); }, input: [4] },
  Model: { get config() { return functionalConfig(); }, input: [4] },
  TextVectorization: { config: { vocabulary: ['foo', 'bar', 'Baz'], outputMode: 'tf_idf', idfWeights: [0.3, 0.5, 0.2], standardize: null }, input: [1], texts: ['foo Baz foo', 'baz qux'] },
};

test('every registered layer has a row in the contract table', () => {
  const missing = layerRegistry.names().filter((n) => !(n in LAYERS));
  assert.deepEqual(missing, [], `add a row to LAYERS in test/layers/contract.test.ts for: ${missing.join(', ')}`);
});

const shapesOf = (row: Row): number[][] => (Array.isArray(row.input[0]) ? (row.input as number[][]) : [row.input as number[]]);
const listInput = (row: Row) => Array.isArray(row.input[0]);

function randomInputs(row: Row, batch: number, rng: Rng): Tensor[] {
  return shapesOf(row).map((s) => {
    const shape = [batch, ...s];
    const data = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => (row.ids ? rng.int(row.ids) : rng.uniform(-1, 1)));
    return new Tensor(data, shape);
  });
}

/** Input -> layer -> output as a model (the layer's way into save/load). */
function wrap(name: string, row: Row): { model: Model; layer: Layer } {
  if (name === 'InputLayer') {
    const x = Input({ shape: row.input as number[], name: 'only_input' });
    return { model: new Model({ inputs: x, outputs: x }), layer: x.sourceLayer };
  }
  const layer = layerFromConfig(name, structuredClone(row.config));
  const inputs = shapesOf(row).map((s) => Input({ shape: s }));
  const out = layer.apply(listInput(row) ? inputs : inputs[0]);
  return { model: new Model({ inputs: listInput(row) ? inputs : inputs[0], outputs: out }), layer };
}

for (const [name, row] of Object.entries(LAYERS)) {
  if (row.texts) {
    test(`layer contract: ${name} (texts)`, async () => {
      const layer = layerFromConfig(name, structuredClone(row.config));
      const input = Input({ shape: row.input as number[], dtype: 'string' });
      const model = new Model({ inputs: input, outputs: layer.apply(input) });
      const out = model.predict(row.texts!) as Tensor;
      assert.deepEqual(out.shape, [row.texts!.length, ...model.outputs[0].shape.slice(1)], `${name}: eager vs symbolic shape`);
      assert.deepEqual(Array.from(layer.encodeStrings!(row.texts, 'x').data), Array.from(out.data), `${name}: the layer on texts equals the model`);
      const config = layer.getConfig();
      assert.deepEqual(layerFromConfig(layer.className, structuredClone(config)).getConfig(), config, `${name}: config round trip`);
      const dir = mkdtempSync(join(tmpdir(), 'descent-contract-'));
      try {
        await model.save(join(dir, 'm'));
        const loaded = await loadModel<Model>(join(dir, 'm'));
        assert.deepEqual(Array.from((loaded.predict(row.texts!) as Tensor).data), Array.from(out.data), `${name}: save/load predictions`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
    continue;
  }
  test(`layer contract: ${name}`, async () => {
    const rng = new Rng(7);
    const { model, layer } = wrap(name, row);
    const xs = randomInputs(row, 2, rng);

    // Shape inference: the symbolic output shape is the eager one (batch 2).
    const eager = noGrad(() => model.forward(xs, false));
    assert.deepEqual(eager[0].shape, [2, ...model.outputs[0].shape.slice(1)], `${name}: eager vs symbolic shape`);
    const direct = name === 'InputLayer' ? xs[0] : noGrad(() => layer.apply((listInput(row) ? xs : xs[0]) as Tensor) as Tensor);
    assert.deepEqual(Array.from(direct.data), Array.from(eager[0].data), `${name}: layer.apply on tensors equals the model`);

    // Config round trip: the rebuilt layer has the same config.
    const config = layer.getConfig();
    const again = layerFromConfig(layer.className, structuredClone(config));
    assert.deepEqual(again.getConfig(), config, `${name}: config round trip`);

    // Gradient check: d/d(inputs, weights) of Σ out · r by central differences.
    if (!row.noGradCheck) {
      const r = randomInputs({ config: {}, input: eager[0].shape.slice(1) }, 2, rng)[0];
      const f = (...ins: Tensor[]) => ops.sum(ops.mul(model.forward(ins, false)[0], r));
      if (!row.ids) {
        const res = checkGradients(f, xs, 1e-2);
        assert.ok(res.maxRelError < 2e-2, `${name}: input gradient off by ${res.maxRelError} (${JSON.stringify(res.worst)})`);
      }
      const vars = model.trainableWeights;
      const { grads } = variableGrads(() => f(...xs), vars);
      vars.forEach((v, k) => {
        for (let i = 0; i < v.size; i++) {
          const at = (d: number) => {
            const old = v.data[i];
            v.data[i] = old + d;
            const val = noGrad(() => f(...xs).item());
            v.data[i] = old;
            return val;
          };
          const numeric = (at(1e-2) - at(-1e-2)) / 2e-2;
          const err = Math.abs(numeric - grads[k].data[i]) / Math.max(1, Math.abs(numeric));
          assert.ok(err < 2e-2, `${name}: weight ${v.name}[${i}] gradient ${grads[k].data[i]} vs numeric ${numeric}`);
        }
      });
    }

    // Save/load round trip: same predictions from the loaded model.
    const dir = mkdtempSync(join(tmpdir(), 'descent-contract-'));
    try {
      await model.save(join(dir, 'm'));
      const loaded = await loadModel<Model>(join(dir, 'm'));
      const again2 = noGrad(() => loaded.forward(xs, false));
      assert.deepEqual(Array.from(again2[0].data), Array.from(eager[0].data), `${name}: save/load predictions`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    // Replay equals eager (last: a training step moves BatchNormalization's moving statistics): a step captured on one batch, replayed on another, gives eager autograd's loss and weight
    // gradients (training mode; the random ops draw the same stream after the same seed).
    {
      const r = randomInputs({ config: {}, input: eager[0].shape.slice(1) }, 2, rng)[0];
      const loss = (ins: readonly (Tensor | null)[]) => ops.sum(ops.mul(model.forward(ins as Tensor[], true)[0], r));
      const vars = model.trainableWeights;
      const step = new CapturedStep((ins) => ({ loss: loss(ins) }), vars);
      setSeed(11);
      step.run(randomInputs(row, 2, rng));
      const next = randomInputs(row, 2, rng);
      setSeed(12);
      const p = step.run(next);
      setSeed(12);
      const { value, grads } = variableGrads(() => loss(next), vars);
      const near = (a: number, b: number) => Math.abs(a - b) <= 1e-5 * Math.max(1, Math.abs(b));
      assert.ok(near(p.loss![0], value.item()), `${name}: replayed loss ${p.loss![0]} vs eager ${value.item()}`);
      vars.forEach((v, k) => {
        for (let i = 0; i < v.size; i++) assert.ok(near(p.grads[k][i], grads[k].data[i]), `${name}: replayed gradient ${v.name}[${i}] ${p.grads[k][i]} vs eager ${grads[k].data[i]}`);
      });
    }
  });
}
