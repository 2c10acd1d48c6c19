// SimpleRNN, LSTM and GRU against the numbers in Keras's own tests (keras/src/layers/rnn/{simple_rnn,lstm,gru}_test.py):
// constant initializers (kernel 0.01, recurrent 0.02, bias 0.03) on np.arange sequences, with goBackwards,
// unitForgetBias, useBias, resetAfter, stateful layers, initial states, returnState and masks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Tensor, SimpleRNN, LSTM, GRU, Bidirectional, withMask, tensor, type Layer } from '../../src/index.js';

const arange = (shape: number[]) => new Tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i), shape);
const constants = { kernelInitializer: { className: 'Constant', config: { value: 0.01 } }, recurrentInitializer: { className: 'Constant', config: { value: 0.02 } }, biasInitializer: { className: 'Constant', config: { value: 0.03 } } };
/** Each Keras expectation lists one value per sample (all units equal) or full rows. */
function close(got: Tensor, want: number[][] | number[][][], tol = 1e-5): void {
  const w = want.flat(2) as number[];
  const g = Array.from(got.data);
  assert.equal(g.length, w.length, `shape ${got.shape}`);
  g.forEach((v, i) => assert.ok(Math.abs(v - w[i]) <= tol + tol * Math.abs(w[i]), `[${i}] ${v} vs Keras ${w[i]}`));
}
const rows = (vals: number[], units: number) => vals.map((v) => Array(units).fill(v));
const run = (layer: Layer, x: Tensor | Tensor[]) => layer.apply(x as Tensor) as Tensor;
const maskOf = (rowsB: boolean[][]) => tensor(rowsB.map((r) => r.map(Number)));

test('LSTM: Keras test_correctness (goBackwards, unitForgetBias false, useBias false)', () => {
  const x = arange([3, 6, 4]);
  close(run(new LSTM(3, constants), x), rows([0.6288687, 0.86899155, 0.9460773], 3));
  close(run(new LSTM(3, { ...constants, goBackwards: true }), x), rows([0.35622165, 0.74789524, 0.8872726], 3));
  close(run(new LSTM(3, { ...constants, unroll: true }), x), rows([0.6288687, 0.86899155, 0.9460773], 3));
  close(run(new LSTM(3, { ...constants, unitForgetBias: false }), x), rows([0.57019705, 0.8661914, 0.9459622], 3));
  close(run(new LSTM(3, { ...constants, useBias: false }), x), rows([0.54986924, 0.86226785, 0.9443936], 3));
});

test('LSTM: Keras test_statefulness, test_pass_initial_state, test_masking', () => {
  const seq = arange([2, 3, 4]);
  const layer = new LSTM(4, { ...constants, stateful: true });
  run(layer, seq);
  close(run(layer, seq), rows([0.3124785, 0.6863672], 4));
  layer.resetStates();
  run(layer, seq);
  close(run(layer, seq), rows([0.3124785, 0.6863672], 4));

  const s = arange([2, 4, 3]);
  const init = [arange([2, 2]), arange([2, 2])];
  close(run(new LSTM(2, constants), [s, ...init]), [[0.20574439, 0.3558822], [0.64930826, 0.66276]]);
  close(run(new LSTM(2, { ...constants, goBackwards: true }), [s, ...init]), [[0.13281618, 0.2790356], [0.5839337, 0.5992567]]);

  const mask = maskOf([[true, true, true, false], [true, true, false, false]]);
  close(run(new LSTM(2, constants), withMask(arange([2, 4, 3]), mask)), rows([0.11755939, 0.28556206], 2));
  close(run(new LSTM(2, { ...constants, returnSequences: true }), withMask(arange([2, 4, 3]), mask)), [
    rows([0.0158891, 0.05552048, 0.11755939, 0.11755939], 2),
    rows([0.14185596, 0.28556206, 0.28556206, 0.28556206], 2),
  ]);
  const back = maskOf([[false, true, true, true], [false, false, true, true]]);
  close(run(new LSTM(2, { ...constants, goBackwards: true }), withMask(arange([2, 4, 3]), back)), rows([0.15341201, 0.3844719], 2));
});

test('GRU: Keras test_correctness (goBackwards, resetAfter false, useBias false)', () => {
  const x = arange([3, 6, 4]);
  close(run(new GRU(3, constants), x), rows([0.5217289, 0.6371659, 0.39384964], 3));
  close(run(new GRU(3, { ...constants, goBackwards: true }), x), rows([0.24406259, 0.611516, 0.3928808], 3));
  close(run(new GRU(3, { ...constants, resetAfter: false }), x), rows([0.51447755, 0.6426879, 0.40208298], 3));
  close(run(new GRU(3, { ...constants, useBias: false }), x), rows([0.49988455, 0.64701194, 0.4103359], 3));
});

test('GRU: Keras test_statefulness, test_pass_initial_state, test_pass_return_state, test_masking', () => {
  const seq = arange([2, 3, 4]);
  const layer = new GRU(4, { ...constants, stateful: true });
  run(layer, seq);
  close(run(layer, seq), rows([0.29542392, 0.5885018], 4));
  layer.resetStates();
  run(layer, seq);
  close(run(layer, seq), rows([0.29542392, 0.5885018], 4));

  const s = arange([2, 4, 3]);
  const h0 = arange([2, 2]);
  close(run(new GRU(2, constants), [s, h0]), [[0.23774096, 0.33508456], [0.83659905, 1.0227708]]);
  close(run(new GRU(2, { ...constants, goBackwards: true }), [s, h0]), [[0.13486053, 0.23261218], [0.78257304, 0.9691353]]);
  const [out, state] = new GRU(2, { ...constants, returnState: true }).applyList([s, h0]);
  close(out, [[0.23774096, 0.33508456], [0.83659905, 1.0227708]]);
  assert.deepEqual(Array.from(state.data), Array.from(out.data));

  const mask = maskOf([[true, true, false, true], [true, false, false, true]]);
  close(run(new GRU(2, constants), withMask(arange([2, 4, 3]), mask)), rows([0.19393763, 0.30818558], 2));
  close(run(new GRU(2, { ...constants, returnSequences: true }), withMask(arange([2, 4, 3]), mask)), [
    rows([0.03606692, 0.09497581, 0.09497581, 0.19393763], 2),
    rows([0.16051409, 0.16051409, 0.16051409, 0.30818558], 2),
  ]);
  close(run(new GRU(2, { ...constants, goBackwards: true }), withMask(arange([2, 4, 3]), mask)), rows([0.11669192, 0.28380975], 2));
});

test('SimpleRNN: Keras test_correctness, test_statefulness, test_pass_initial_state, test_masking', () => {
  const x = arange([2, 3, 4]);
  close(run(new SimpleRNN(4, constants), x), rows([0.405432, 0.73605347], 4));
  close(run(new SimpleRNN(4, { ...constants, goBackwards: true }), x), rows([0.11144729, 0.5528889], 4));
  const layer = new SimpleRNN(4, { ...constants, stateful: true });
  run(layer, x);
  close(run(layer, x), rows([0.40559256, 0.7361247], 4));
  layer.resetStates();
  run(layer, x);
  close(run(layer, x), rows([0.40559256, 0.7361247], 4));

  const s = arange([2, 4, 3]);
  const h0 = arange([2, 4]);
  close(run(new SimpleRNN(4, constants), [s, h0]), rows([0.33621645, 0.6262637], 4));
  close(run(new SimpleRNN(4, { ...constants, goBackwards: true }), [s, h0]), rows([0.07344437, 0.43043602], 4));

  const mask = maskOf([[true, true, false, true], [true, false, false, true]]);
  close(run(new SimpleRNN(4, constants), withMask(arange([2, 4, 3]), mask)), rows([0.32951632, 0.61799484], 4));
  close(run(new SimpleRNN(2, { ...constants, returnSequences: true }), withMask(arange([2, 4, 3]), mask)), [
    rows([0.0599281, 0.15122814, 0.15122814, 0.32394567], 2),
    rows([0.3969304, 0.3969304, 0.3969304, 0.608085], 2),
  ]);
  close(run(new SimpleRNN(4, { ...constants, goBackwards: true }), withMask(arange([2, 4, 3]), mask)), rows([0.07376196, 0.43645123], 4));
});

test('Bidirectional: Keras test_correctness (concat, ave, none, mul with a backward layer, sum over sequences)', () => {
  const x = arange([2, 3, 4]);
  const fwd = () => new SimpleRNN(2, constants);
  close(run(new Bidirectional(fwd()), x), [[0.39687276, 0.39687276, 0.10004295, 0.10004295], [0.7237238, 0.7237238, 0.53391594, 0.53391594]]);
  close(run(new Bidirectional(fwd(), { mergeMode: 'ave' }), x), [[0.24845785, 0.24845785], [0.6288199, 0.6288199]]);
  const [o1, o2] = new Bidirectional(fwd(), { mergeMode: 'none' }).applyList(x);
  close(o1, [[0.39687276, 0.39687276], [0.7237238, 0.7237238]]);
  close(o2, [[0.10004295, 0.10004295], [0.53391594, 0.53391594]]);
  const backwardLayer = new SimpleRNN(2, { kernelInitializer: { className: 'Constant', config: { value: 0.03 } }, recurrentInitializer: { className: 'Constant', config: { value: 0.02 } }, biasInitializer: { className: 'Constant', config: { value: 0.01 } }, goBackwards: true });
  close(run(new Bidirectional(fwd(), { backwardLayer, mergeMode: 'mul' }), x), [[0.08374989, 0.08374989], [0.6740834, 0.6740834]]);
  close(run(new Bidirectional(new GRU(2, { ...constants, returnSequences: true }), { mergeMode: 'sum' }), x), [
    rows([0.20937867, 0.34462988, 0.40290534], 2),
    rows([0.59829646, 0.6734641, 0.6479671], 2),
  ]);
});

test('Bidirectional: Keras test_statefulness, test_pass_initial_state, test_masking, test_return_state', () => {
  const s = arange([2, 4, 3]);
  const layer = new Bidirectional(new LSTM(2, { ...constants, stateful: true }));
  run(layer, s);
  const want = [[0.26234663, 0.26234663, 0.16959146, 0.16959146], [0.6137073, 0.6137073, 0.5381646, 0.5381646]];
  close(run(layer, s), want);
  layer.resetStates();
  run(layer, s);
  close(run(layer, s), want);

  const init = [1, 2, 3, 4].map((k) => new Tensor(Float32Array.from([0, 1, 2, 3], (v) => v * k), [2, 2]));
  close(run(new Bidirectional(new LSTM(2, constants)), [s, ...init]), [[0.20794602, 0.4577124, 0.14046375, 0.48191673], [0.6682636, 0.6711909, 0.60943645, 0.60950446]]);

  const mask = maskOf([[true, true, false, true], [true, false, false, true]]);
  close(run(new Bidirectional(new GRU(2, constants)), withMask(arange([2, 4, 3]), mask)), [[0.19393763, 0.19393763, 0.11669192, 0.11669192], [0.30818558, 0.30818558, 0.28380975, 0.28380975]]);

  const [out, h1, c1, h2, c2] = new Bidirectional(new LSTM(2, { ...constants, returnState: true })).applyList(s);
  close(out, [[0.1990008, 0.1990008, 0.12659755, 0.12659755], [0.52335435, 0.52335435, 0.44717982, 0.44717982]]);
  close(h1, [[0.1990008, 0.1990008], [0.52335435, 0.52335435]]);
  close(c1, [[0.35567185, 0.35567185], [1.0492687, 1.0492687]]);
  close(h2, [[0.12659755, 0.12659755], [0.44717982, 0.44717982]]);
  close(c2, [[0.2501858, 0.2501858], [0.941473, 0.941473]]);
});
