// The numbers of Keras 3's own loss tests (keras/src/losses/losses_test.py), one row per assertion; inputs and
// expected values carry over, the code does not. Tolerances follow Keras's: assertAlmostEqual checks 3 decimals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor, getLoss, losses, Tensor, checkGradients } from '../../src/index.js';

type Nested = number | Nested[];
interface Row {
  what: string;
  loss: () => losses.Loss;
  y: Nested;
  p: Nested;
  w?: Nested;
  expected: number | number[];
  tol?: number;
}

const A = { y: [[1, 9, 2], [-5, -2, 6]], p: [[4, 8, 12], [8, 1, 3]] };
const A3 = { y: [[[1], [9], [2]], [[-5], [-2], [6]]], p: [[[4], [8], [12]], [[8], [1], [3]]] };
const TIMESTEP_W = [[3, 6, 5], [0, 4, 2]];
const H = { y: [[0, 1], [0, 0]], p: [[0.6, 0.4], [0.4, 0.6]] };
const EYE = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
const CP = [[0.9, 0.05, 0.05], [0.5, 0.89, 0.6], [0.05, 0.01, 0.94]];
const LOGITS = [[8, 1, 1], [0, 9, 1], [2, 3, 5]];
const SW3 = [[1.2], [3.4], [5.6]];
const SEG = { y: [[1, 0, 1, 0], [0, 1, 0, 1], [1, 0, 1, 0], [0, 1, 0, 1]], p: [[0, 1, 0, 1], [1, 0, 1, 1], [0, 1, 0, 1], [1, 0, 1, 1]] };
const SEG4 = { y: [[[[1], [1]], [[0], [0]]], [[[1], [1]], [[0], [0]]]], p: [[[[0], [1]], [[0], [1]]], [[[0.4], [0]], [[0], [0.9]]]] };

// Float64 references for the rows whose Keras expectation is itself a numpy formula.
const cos = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i], 0) / Math.hypot(...a) / Math.hypot(...b);
const cosRows = [cos(A.y[0], A.p[0]), cos(A.y[1], A.p[1])];
const huber = (y: number[][], p: number[][], d = 1) => y.flat().map((v, i) => { const e = Math.abs(p.flat()[i] - v); return e <= d ? 0.5 * e * e : d * e - 0.5 * d * d; });
const H2 = { y: [[1, 0, 1], [1, 0, 0]], p: [[0.9, 0.2, 0.2], [0.8, 0.4, 0.6]] };
const hub = huber(H2.y, H2.p);
const logcosh = A.y.flat().map((v, i) => Math.log(Math.cosh(A.p.flat()[i] - v)));
const KL = { p: [[0.4, 0.9, 0.12], [0.36, 0.3, 0.4]], y: [[0.5, 0.8, 0.12], [0.7, 0.43, 0.8]] };
const kl = KL.y.flat().map((v, i) => v * Math.log(v / KL.p.flat()[i]));
const PO = { p: [[1, 9, 2], [5, 2, 6]], y: [[4, 8, 12], [8, 1, 3]] };
const po = PO.p.flat().map((v, i) => v - PO.y.flat()[i] * Math.log(v));
const sum = (a: number[]) => a.reduce((s, v) => s + v, 0);
const rowW = [1.2, 1.2, 1.2, 3.4, 3.4, 3.4];
const tsW = TIMESTEP_W.flat();

const rows: Row[] = [
  // MeanSquaredErrorTest
  { what: 'mse unweighted', loss: () => new losses.MeanSquaredError(), ...A, expected: 49.5 },
  { what: 'mse scalar weight', loss: () => new losses.MeanSquaredError(), ...A, w: 2.3, expected: 113.85 },
  { what: 'mse sample weight', loss: () => new losses.MeanSquaredError(), ...A, w: [[1.2], [3.4]], expected: 767.8 / 6 },
  { what: 'mse timestep weight', loss: () => new losses.MeanSquaredError(), ...A3, w: TIMESTEP_W, expected: 97.833336 },
  { what: 'mse zero weight', loss: () => new losses.MeanSquaredError(), ...A, w: 0, expected: 0 },
  { what: 'mse reduction none', loss: () => new losses.MeanSquaredError({ reduction: null }), ...A, w: 2.3, expected: [84.3333, 143.3666] },
  { what: 'mse reduction sum', loss: () => new losses.MeanSquaredError({ reduction: 'sum' }), ...A, w: 2.3, expected: 227.69998 },
  { what: 'mse mean_with_sample_weight', loss: () => new losses.MeanSquaredError({ reduction: 'mean_with_sample_weight' }), ...A, w: [[1.2], [3.4]], expected: ((110 / 3) * 1.2 + (187 / 3) * 3.4) / 4.6 },
  // MeanAbsoluteErrorTest
  { what: 'mae unweighted', loss: () => new losses.MeanAbsoluteError(), ...A, expected: 5.5 },
  { what: 'mae scalar weight', loss: () => new losses.MeanAbsoluteError(), ...A, w: 2.3, expected: 12.65 },
  { what: 'mae sample weight', loss: () => new losses.MeanAbsoluteError(), ...A, w: [[1.2], [3.4]], expected: 81.4 / 6 },
  { what: 'mae timestep weight', loss: () => new losses.MeanAbsoluteError(), ...A3, w: TIMESTEP_W, expected: 13.833333 },
  { what: 'mae zero weight', loss: () => new losses.MeanAbsoluteError(), ...A, w: 0, expected: 0 },
  { what: 'mae reduction none', loss: () => new losses.MeanAbsoluteError({ reduction: null }), ...A, w: 2.3, expected: [10.7333, 14.5666] },
  { what: 'mae reduction sum', loss: () => new losses.MeanAbsoluteError({ reduction: 'sum' }), ...A, w: 2.3, expected: 25.29999 },
  { what: 'mae mean_with_sample_weight', loss: () => new losses.MeanAbsoluteError({ reduction: 'mean_with_sample_weight' }), ...A, w: [[1.2], [3.4]], expected: ((14 / 3) * 1.2 + (19 / 3) * 3.4) / 4.6 },
  // MeanAbsolutePercentageErrorTest
  { what: 'mape unweighted', loss: () => new losses.MeanAbsolutePercentageError(), ...A, expected: 211.8518 },
  { what: 'mape scalar weight', loss: () => new losses.MeanAbsolutePercentageError(), ...A, w: 2.3, expected: 487.259 },
  { what: 'mape sample weight', loss: () => new losses.MeanAbsolutePercentageError(), ...A, w: [[1.2], [3.4]], expected: 422.8888 },
  { what: 'mape timestep weight', loss: () => new losses.MeanAbsolutePercentageError(), ...A3, w: TIMESTEP_W, expected: 694.4444 },
  { what: 'mape zero weight', loss: () => new losses.MeanAbsolutePercentageError(), ...A, w: 0, expected: 0 },
  { what: 'mape reduction none', loss: () => new losses.MeanAbsolutePercentageError({ reduction: null }), ...A, w: 2.3, expected: [621.8518, 352.6666] },
  { what: 'mape mean_with_sample_weight', loss: () => new losses.MeanAbsolutePercentageError({ reduction: 'mean_with_sample_weight' }), ...A, w: [[1.2], [3.4]], expected: 183.865 },
  // MeanSquaredLogarithmicErrorTest
  { what: 'msle unweighted', loss: () => new losses.MeanSquaredLogarithmicError(), ...A, expected: 1.437 },
  { what: 'msle scalar weight', loss: () => new losses.MeanSquaredLogarithmicError(), ...A, w: 2.3, expected: 3.3051 },
  { what: 'msle sample weight', loss: () => new losses.MeanSquaredLogarithmicError(), ...A, w: [[1.2], [3.4]], expected: 3.7856 },
  { what: 'msle timestep weight', loss: () => new losses.MeanSquaredLogarithmicError(), ...A3, w: TIMESTEP_W, expected: 2.647374 },
  { what: 'msle zero weight', loss: () => new losses.MeanSquaredLogarithmicError(), ...A, w: 0, expected: 0 },
  { what: 'msle mean_with_sample_weight', loss: () => new losses.MeanSquaredLogarithmicError({ reduction: 'mean_with_sample_weight' }), ...A, w: [[1.2], [3.4]], expected: 1.646 },
  // HingeTest, SquaredHingeTest, CategoricalHingeTest
  { what: 'hinge', loss: () => new losses.Hinge(), ...H, expected: 1.3 },
  { what: 'hinge sum', loss: () => new losses.Hinge({ reduction: 'sum' }), ...H, expected: 2.6 },
  { what: 'hinge none', loss: () => new losses.Hinge({ reduction: null }), ...H, expected: [1.1, 1.5] },
  { what: 'hinge weighted', loss: () => new losses.Hinge(), ...H, w: [1, 0], expected: 0.55 },
  { what: 'hinge weighted sum', loss: () => new losses.Hinge({ reduction: 'sum' }), ...H, w: [1, 0], expected: 1.1 },
  { what: 'hinge weighted none', loss: () => new losses.Hinge({ reduction: 'none' }), ...H, w: [1, 0], expected: [1.1, 0] },
  { what: 'hinge zero weight', loss: () => new losses.Hinge(), ...H, w: 0, expected: 0 },
  { what: 'squared hinge', loss: () => new losses.SquaredHinge(), ...H, expected: 1.86 },
  { what: 'squared hinge sum', loss: () => new losses.SquaredHinge({ reduction: 'sum' }), ...H, expected: 3.72 },
  { what: 'squared hinge none', loss: () => new losses.SquaredHinge({ reduction: null }), ...H, expected: [1.46, 2.26] },
  { what: 'squared hinge weighted', loss: () => new losses.SquaredHinge(), ...H, w: [1, 0], expected: 0.73 },
  { what: 'squared hinge weighted sum', loss: () => new losses.SquaredHinge({ reduction: 'sum' }), ...H, w: [1, 0], expected: 1.46 },
  { what: 'squared hinge weighted none', loss: () => new losses.SquaredHinge({ reduction: null }), ...H, w: [1, 0], expected: [1.46, 0] },
  { what: 'categorical hinge', loss: () => new losses.CategoricalHinge(), ...H, expected: 1.4 },
  { what: 'categorical hinge sum', loss: () => new losses.CategoricalHinge({ reduction: 'sum' }), ...H, expected: 2.8 },
  { what: 'categorical hinge none', loss: () => new losses.CategoricalHinge({ reduction: null }), ...H, expected: [1.2, 1.6] },
  { what: 'categorical hinge weighted', loss: () => new losses.CategoricalHinge(), ...H, w: [1, 0], expected: 0.6 },
  { what: 'categorical hinge weighted sum', loss: () => new losses.CategoricalHinge({ reduction: 'sum' }), ...H, w: [1, 0], expected: 1.2 },
  { what: 'categorical hinge weighted none', loss: () => new losses.CategoricalHinge({ reduction: null }), ...H, w: [1, 0], expected: [1.2, 0] },
  // CosineSimilarityTest (the loss is the negated similarity; the input gives −0.18722)
  { what: 'cosine unweighted', loss: () => new losses.CosineSimilarity(), ...A, expected: -0.18722 },
  { what: 'cosine unweighted (formula)', loss: () => new losses.CosineSimilarity(), ...A, expected: -sum(cosRows) / 2 },
  { what: 'cosine scalar weight', loss: () => new losses.CosineSimilarity(), ...A, w: 2.3, expected: (-sum(cosRows) / 2) * 2.3 },
  { what: 'cosine sample weight', loss: () => new losses.CosineSimilarity(), ...A, w: [1.2, 3.4], expected: -(cosRows[0] * 1.2 + cosRows[1] * 3.4) / 2 },
  { what: 'cosine timestep weight', loss: () => new losses.CosineSimilarity(), ...A3, w: TIMESTEP_W, expected: -sum(A.y.flat().map((v, i) => Math.sign(v * A.p.flat()[i]) * tsW[i])) / 6 },
  { what: 'cosine zero weight', loss: () => new losses.CosineSimilarity(), ...A, w: 0, expected: 0 },
  { what: 'cosine axis 1', loss: () => new losses.CosineSimilarity({ axis: 1 }), ...A, expected: -sum(cosRows) / 2 },
  // HuberLossTest
  { what: 'huber all correct', loss: () => new losses.Huber(), y: H2.y, p: H2.y, expected: 0 },
  { what: 'huber unweighted', loss: () => new losses.Huber(), ...H2, expected: sum(hub) / 6 },
  { what: 'huber scalar weight', loss: () => new losses.Huber(), ...H2, w: 2.3, expected: (2.3 * sum(hub)) / 6 },
  { what: 'huber sample weight', loss: () => new losses.Huber(), ...H2, w: [[1.2], [3.4]], expected: sum(hub.map((v, i) => v * rowW[i])) / 6 },
  { what: 'huber timestep weight', loss: () => new losses.Huber(), y: [[[1], [0], [1]], [[1], [0], [0]]], p: [[[0.9], [0.2], [0.2]], [[0.8], [0.4], [0.6]]], w: [[[3], [6], [5]], [[0], [4], [2]]], expected: sum(hub.map((v, i) => v * tsW[i])) / 6 },
  { what: 'huber zero weight', loss: () => new losses.Huber(), ...H2, w: 0, expected: 0 },
  { what: 'huber delta 0.8', loss: () => new losses.Huber({ delta: 0.8 }), ...H2, w: 2.3, expected: (2.3 * sum(huber(H2.y, H2.p, 0.8))) / 6 },
  // LogCoshTest
  { what: 'log_cosh unweighted', loss: () => new losses.LogCosh(), ...A, expected: sum(logcosh) / 6 },
  { what: 'log_cosh scalar weight', loss: () => new losses.LogCosh(), ...A, w: 2.3, expected: (2.3 * sum(logcosh)) / 6 },
  { what: 'log_cosh sample weight', loss: () => new losses.LogCosh(), ...A, w: [1.2, 3.4], expected: sum(logcosh.map((v, i) => v * rowW[i])) / 6 },
  { what: 'log_cosh timestep weight', loss: () => new losses.LogCosh(), ...A3, w: [[[3], [6], [5]], [[0], [4], [2]]], expected: sum(logcosh.map((v, i) => v * tsW[i])) / 6 },
  { what: 'log_cosh zero weight', loss: () => new losses.LogCosh(), ...A, w: 0, expected: 0 },
  // KLDivergenceTest
  { what: 'kld unweighted', loss: () => new losses.KLDivergence(), ...KL, expected: sum(kl) / 2 },
  { what: 'kld scalar weight', loss: () => new losses.KLDivergence(), ...KL, w: 2.3, expected: (2.3 * sum(kl)) / 2 },
  { what: 'kld sample weight', loss: () => new losses.KLDivergence(), ...KL, w: [[1.2], [3.4]], expected: sum(kl.map((v, i) => v * rowW[i])) / 2 },
  { what: 'kld timestep weight', loss: () => new losses.KLDivergence(), y: KL.y.map((r) => r.map((v) => [v])), p: KL.p.map((r) => r.map((v) => [v])), w: TIMESTEP_W, expected: sum(kl.map((v, i) => v * tsW[i])) / 6 },
  { what: 'kld zero weight', loss: () => new losses.KLDivergence(), ...KL, w: 0, expected: 0 },
  // PoissonTest
  { what: 'poisson unweighted', loss: () => new losses.Poisson(), ...PO, expected: sum(po) / 6 },
  { what: 'poisson scalar weight', loss: () => new losses.Poisson(), ...PO, w: 2.3, expected: (2.3 * sum(po)) / 6 },
  { what: 'poisson sample weight', loss: () => new losses.Poisson(), ...PO, w: [[1.2], [3.4]], expected: sum(po.map((v, i) => v * rowW[i])) / 6 },
  { what: 'poisson timestep weight', loss: () => new losses.Poisson(), y: PO.y.map((r) => r.map((v) => [v])), p: PO.p.map((r) => r.map((v) => [v])), w: TIMESTEP_W, expected: sum(po.map((v, i) => v * tsW[i])) / 6 },
  { what: 'poisson zero weight', loss: () => new losses.Poisson(), ...PO, w: 0, expected: 0 },
  // BinaryCrossentropyTest
  { what: 'bce all correct', loss: () => new losses.BinaryCrossentropy(), y: EYE, p: EYE, expected: 0 },
  { what: 'bce all correct logits', loss: () => new losses.BinaryCrossentropy({ fromLogits: true }), y: EYE, p: [[10, -10, -10], [-10, 10, -10], [-10, -10, 10]], expected: 0 },
  { what: 'bce unweighted', loss: () => new losses.BinaryCrossentropy(), y: EYE, p: [[0.9, 0.1, 0.2], [0.3, 0.8, 0.1], [0.1, 0.2, 0.7]], expected: 0.20046903, tol: 1e-6 },
  { what: 'bce saturated', loss: () => new losses.BinaryCrossentropy(), y: [[1, 0], [1, 0]], p: [[1, 1], [1, 0]], expected: 3.98559 },
  { what: 'bce logits', loss: () => new losses.BinaryCrossentropy({ fromLogits: true }), y: [[1, 0, 1], [0, 1, 1]], p: [[10, -10, 10], [10, 10, -10]], expected: 3.3333 },
  { what: 'bce scalar weight', loss: () => new losses.BinaryCrossentropy(), y: [[1, 0], [1, 0]], p: [[1, 1], [1, 0]], w: 2.3, expected: 9.1668 },
  { what: 'bce logits scalar weight', loss: () => new losses.BinaryCrossentropy({ fromLogits: true }), y: [[1, 0, 1], [0, 1, 1]], p: [[10, -10, 10], [10, 10, -10]], w: 2.3, expected: 7.666 },
  { what: 'bce sample weight', loss: () => new losses.BinaryCrossentropy(), y: [[1, 0], [1, 0]], p: [[1, 1], [1, 0]], w: [[1.2], [3.4]], expected: 4.7827 },
  { what: 'bce logits sample weight', loss: () => new losses.BinaryCrossentropy({ fromLogits: true }), y: [[1, 0, 1], [0, 1, 1]], p: [[10, -10, 10], [10, 10, -10]], w: [4, 3], expected: 10 },
  { what: 'bce logits none', loss: () => new losses.BinaryCrossentropy({ fromLogits: true, reduction: null }), y: [[1, 0, 1], [0, 1, 1]], p: [[10, -10, 10], [10, 10, -10]], expected: [0, 6.666] },
  { what: 'bce label smoothing', loss: () => new losses.BinaryCrossentropy({ fromLogits: true, labelSmoothing: 0.1 }), y: [[1, 0, 1]], p: [[10, -10, -10]], expected: (10 + 5 * 0.1) / 3 },
  // CategoricalCrossentropyTest
  { what: 'cce all correct', loss: () => new losses.CategoricalCrossentropy(), y: EYE, p: EYE, expected: 0 },
  { what: 'cce all correct logits', loss: () => new losses.CategoricalCrossentropy({ fromLogits: true }), y: EYE, p: [[10, 0, 0], [0, 10, 0], [0, 0, 10]], expected: 0 },
  { what: 'cce unweighted', loss: () => new losses.CategoricalCrossentropy(), y: EYE, p: CP, expected: 0.3239 },
  { what: 'cce logits', loss: () => new losses.CategoricalCrossentropy({ fromLogits: true }), y: EYE, p: LOGITS, expected: 0.0573 },
  { what: 'cce scalar weight', loss: () => new losses.CategoricalCrossentropy(), y: EYE, p: CP, w: 2.3, expected: 0.7449 },
  { what: 'cce logits scalar weight', loss: () => new losses.CategoricalCrossentropy({ fromLogits: true }), y: EYE, p: LOGITS, w: 2.3, expected: 0.1317 },
  { what: 'cce sample weight', loss: () => new losses.CategoricalCrossentropy(), y: EYE, p: CP, w: SW3, expected: 1.0696 },
  { what: 'cce logits sample weight', loss: () => new losses.CategoricalCrossentropy({ fromLogits: true }), y: EYE, p: LOGITS, w: SW3, expected: 0.31829 },
  { what: 'cce logits none', loss: () => new losses.CategoricalCrossentropy({ fromLogits: true, reduction: null }), y: EYE, p: LOGITS, expected: [0.001822, 0.000459, 0.169846], tol: 1e-5 },
  { what: 'cce label smoothing', loss: () => new losses.CategoricalCrossentropy({ fromLogits: true, labelSmoothing: 0.1 }), y: [[1, 0, 0]], p: [[100, -100, -100]], expected: (400 * 0.1) / 3 },
  // SparseCategoricalCrossentropyTest
  { what: 'scce all correct', loss: () => new losses.SparseCategoricalCrossentropy(), y: [[0], [1], [2]], p: EYE, expected: 0 },
  { what: 'scce all correct logits', loss: () => new losses.SparseCategoricalCrossentropy({ fromLogits: true }), y: [[0], [1], [2]], p: [[10, 0, 0], [0, 10, 0], [0, 0, 10]], expected: 0 },
  { what: 'scce unweighted', loss: () => new losses.SparseCategoricalCrossentropy(), y: [0, 1, 2], p: CP, expected: 0.3239 },
  { what: 'scce logits', loss: () => new losses.SparseCategoricalCrossentropy({ fromLogits: true }), y: [0, 1, 2], p: LOGITS, expected: 0.0573 },
  { what: 'scce scalar weight', loss: () => new losses.SparseCategoricalCrossentropy(), y: [[0], [1], [2]], p: CP, w: 2.3, expected: 0.7449 },
  { what: 'scce logits scalar weight', loss: () => new losses.SparseCategoricalCrossentropy({ fromLogits: true }), y: [[0], [1], [2]], p: LOGITS, w: 2.3, expected: 0.1317 },
  { what: 'scce sample weight', loss: () => new losses.SparseCategoricalCrossentropy(), y: [[0], [1], [2]], p: CP, w: SW3, expected: 1.0696 },
  { what: 'scce logits sample weight', loss: () => new losses.SparseCategoricalCrossentropy({ fromLogits: true }), y: [[0], [1], [2]], p: LOGITS, w: SW3, expected: 0.31829 },
  { what: 'scce logits none', loss: () => new losses.SparseCategoricalCrossentropy({ fromLogits: true, reduction: null }), y: [[0], [1], [2]], p: LOGITS, expected: [0.001822, 0.000459, 0.169846], tol: 1e-5 },
  { what: 'scce ignoreClass', loss: () => new losses.SparseCategoricalCrossentropy({ fromLogits: true, ignoreClass: -1, reduction: null }), y: [[-1, 2]], p: [[[0.854, 0.698, 0.598], [0.088, 0.86, 0.018]]], expected: [0, 1.480129], tol: 1e-5 },
  { what: 'scce ignoreClass, targets [..., 1]', loss: () => new losses.SparseCategoricalCrossentropy({ fromLogits: true, ignoreClass: -1, reduction: null }), y: [[[-1], [2]]], p: [[[0.854, 0.698, 0.598], [0.088, 0.86, 0.018]]], expected: [0, 1.480129], tol: 1e-5 },
  // BinaryFocalCrossentropyTest
  { what: 'bfce all correct', loss: () => new losses.BinaryFocalCrossentropy({ gamma: 1.5 }), y: EYE, p: EYE, expected: 0 },
  { what: 'bfce all correct logits', loss: () => new losses.BinaryFocalCrossentropy({ gamma: 2, fromLogits: true }), y: EYE, p: [[100, -100, -100], [-100, 100, -100], [-100, -100, 100]], expected: 0 },
  { what: 'bfce unweighted', loss: () => new losses.BinaryFocalCrossentropy({ gamma: 2 }), y: [[1, 0], [1, 0]], p: [[0.9, 0.8], [0.7, 0.2]], expected: 0.268 },
  { what: 'bfce logits', loss: () => new losses.BinaryFocalCrossentropy({ gamma: 3, fromLogits: true }), y: [[1, 1, 0], [0, 1, 0]], p: [[1.5, -2.7, 2.9], [-3.8, 1.2, -4.5]], expected: 0.799 },
  { what: 'bfce scalar weight', loss: () => new losses.BinaryFocalCrossentropy({ gamma: 2 }), y: [[1, 0], [1, 0]], p: [[0.9, 0.8], [0.7, 0.2]], w: 1.23, expected: 0.3296 },
  { what: 'bfce logits scalar weight', loss: () => new losses.BinaryFocalCrossentropy({ gamma: 3, fromLogits: true }), y: [[1, 1, 0], [0, 1, 0]], p: [[1.5, -2.7, 2.9], [-3.8, 1.2, -4.5]], w: 3.21, expected: 2.565 },
  { what: 'bfce sample weight', loss: () => new losses.BinaryFocalCrossentropy({ gamma: 2 }), y: [[1, 0], [1, 0]], p: [[0.9, 0.8], [0.7, 0.2]], w: [[1.2], [3.4]], expected: 0.34415 },
  { what: 'bfce logits sample weight', loss: () => new losses.BinaryFocalCrossentropy({ gamma: 3, fromLogits: true }), y: [[1, 1, 0], [0, 1, 0]], p: [[1.5, -2.7, 2.9], [-3.8, 1.2, -4.5]], w: [[1.2], [3.4]], expected: 0.95977 },
  { what: 'bfce none', loss: () => new losses.BinaryFocalCrossentropy({ gamma: 2, reduction: null }), y: [[1, 0], [1, 0]], p: [[0.9, 0.8], [0.7, 0.2]], expected: [0.515547, 0.020513], tol: 1e-5 },
  // CategoricalFocalCrossentropyTest
  { what: 'cfce all correct', loss: () => new losses.CategoricalFocalCrossentropy({ alpha: 0.25, gamma: 2 }), y: EYE, p: EYE, expected: 0 },
  { what: 'cfce all correct logits', loss: () => new losses.CategoricalFocalCrossentropy({ fromLogits: true }), y: EYE, p: [[10, 0, 0], [0, 10, 0], [0, 0, 10]], expected: 0 },
  { what: 'cfce unweighted', loss: () => new losses.CategoricalFocalCrossentropy(), y: EYE, p: CP, expected: 0.02059 },
  { what: 'cfce logits', loss: () => new losses.CategoricalFocalCrossentropy({ fromLogits: true }), y: EYE, p: LOGITS, expected: 0.000345 },
  { what: 'cfce scalar weight', loss: () => new losses.CategoricalFocalCrossentropy(), y: EYE, p: CP, w: 2.3, expected: 0.047368 },
  { what: 'cfce logits scalar weight', loss: () => new losses.CategoricalFocalCrossentropy({ fromLogits: true }), y: EYE, p: LOGITS, w: 2.3, expected: 0.000794, tol: 1e-4 },
  { what: 'cfce sample weight', loss: () => new losses.CategoricalFocalCrossentropy(), y: EYE, p: CP, w: SW3, expected: 0.06987 },
  { what: 'cfce logits sample weight', loss: () => new losses.CategoricalFocalCrossentropy({ fromLogits: true }), y: EYE, p: LOGITS, w: SW3, expected: 0.001933 },
  { what: 'cfce logits none', loss: () => new losses.CategoricalFocalCrossentropy({ fromLogits: true, reduction: null }), y: EYE, p: LOGITS, expected: [1.5096224e-9, 2.4136547e-11, 1.0360638e-3], tol: 1e-6 },
  { what: 'cfce label smoothing', loss: () => new losses.CategoricalFocalCrossentropy({ fromLogits: true, labelSmoothing: 0.1 }), y: [[1, 0, 0]], p: [[4.9, -0.5, 2.05]], expected: 0.06685 },
  // DiceTest
  { what: 'dice', loss: () => new losses.Dice(), y: [[1, 2], [1, 2]], p: [[4, 1], [6, 1]], expected: -0.55555546, tol: 1e-6 },
  { what: 'dice binary segmentation', loss: () => new losses.Dice(), ...SEG, expected: 0.77777773, tol: 1e-6 },
  { what: 'dice axis', loss: () => new losses.Dice({ axis: [1, 2, 3], reduction: null }), ...SEG4, expected: [0.5, 0.75757575], tol: 1e-6 },
  // TverskyTest
  { what: 'tversky', loss: () => new losses.Tversky(), y: [[1, 2], [1, 2]], p: [[4, 1], [6, 1]], expected: -0.55555546, tol: 1e-6 },
  { what: 'tversky custom coefficients', loss: () => new losses.Tversky({ alpha: 0.2, beta: 0.8 }), y: [[1, 2], [1, 2]], p: [[4, 1], [6, 1]], expected: -0.29629636, tol: 1e-6 },
  { what: 'tversky binary segmentation', loss: () => new losses.Tversky(), ...SEG, expected: 0.77777773, tol: 1e-6 },
  { what: 'tversky axis', loss: () => new losses.Tversky({ axis: [1, 2, 3], reduction: null }), ...SEG4, expected: [0.5, 0.75757575], tol: 1e-6 },
  { what: 'tversky segmentation custom coefficients', loss: () => new losses.Tversky({ alpha: 0.2, beta: 0.8 }), ...SEG, expected: 0.7916667, tol: 1e-6 },
  { what: 'tversky axis custom coefficients', loss: () => new losses.Tversky({ alpha: 0.2, beta: 0.8, axis: [1, 2, 3], reduction: null }), ...SEG4, expected: [0.5, 0.7222222], tol: 1e-6 },
];

test("Keras 3's losses_test.py numbers, one row per assertion", () => {
  const failures: string[] = [];
  for (const r of rows) {
    const w = r.w === undefined ? undefined : typeof r.w === 'number' ? r.w : tensor(r.w as number[]);
    const out = r.loss().call(tensor(r.y as number[]), tensor(r.p as number[]), w);
    const got = Array.from(out.data);
    const want = typeof r.expected === 'number' ? [r.expected] : r.expected;
    const ok = got.length === want.length && got.every((v, i) => Math.abs(v - want[i]) <= (r.tol ?? 1.5e-3) + 1e-6 * Math.abs(want[i]));
    if (!ok) failures.push(`${r.what}: got [${got.join(', ')}], Keras [${want.join(', ')}]`);
  }
  assert.deepEqual(failures, []);
});

test('issue 12 fault 5: a scalar sampleWeight broadcasts; losses are classes; bad reductions and options are refused', () => {
  const mse = new losses.MeanSquaredError();
  assert.ok(Math.abs(mse.call(tensor(A.y), tensor(A.p), 2.3).item() - 113.85) < 1e-3);
  assert.ok(Math.abs(mse.call(tensor(A.y), tensor(A.p), tensor(2.3)).item() - 113.85) < 1e-3);
  assert.throws(() => new losses.Hinge({ reduction: 'abc' as never }), /Hinge: invalid value for argument `reduction`: 'abc'/);
  assert.throws(() => new losses.MeanSquaredError({ form_logits: true } as never), /MeanSquaredError: argument\(s\) not recognized: form_logits/);
  assert.throws(() => new losses.BinaryCrossentropy({ labelSmoothing: 2 }), /labelSmoothing` must be a number in \[0, 1\]/);
  assert.throws(() => mse.call(tensor(A.y), tensor(A.p), tensor([1, 2, 3])), /sampleWeight of shape \[3\] does not match the loss values of shape \[2\]/);
  // 'auto' (tf.keras 2 configs) is sum_over_batch_size.
  assert.equal(new losses.MeanSquaredError({ reduction: 'auto' }).reduction, 'sum_over_batch_size');
});

test('every registered loss: a class with an options object, a config that round-trips, and finite gradients that match finite differences', () => {
  const names = losses.lossRegistry.names();
  assert.ok(names.length >= 19, names.join(', '));
  const y = tensor([[0.1, 0.8, 0.1], [0.7, 0.2, 0.1]]); // no zeros: MAPE divides by |y|
  for (const name of names) {
    const Cls = losses.lossRegistry.get(name);
    const loss = new Cls();
    assert.equal(losses.lossRegistry.get(loss.className), Cls, `${name} registered under its class name ${loss.className}`);
    assert.equal(loss.reduction, 'sum_over_batch_size');
    const config = loss.getConfig();
    assert.deepEqual(new Cls({ ...config }).getConfig(), config, `${name} config round trip`);
    assert.deepEqual(getLoss(String(config.name)).getConfig(), config, `${name} resolves by its name '${config.name}'`);
    const target = loss.sparse ? tensor([1, 0]) : y;
    const pred = tensor([[0.2, 0.5, 0.3], [0.6, 0.1, 0.3]]);
    const { maxRelError } = checkGradients((p: Tensor) => loss.call(target, p), [pred], 1e-3);
    assert.ok(maxRelError < 2e-2, `${name}: gradient error ${maxRelError}`);
  }
});

test("saved Keras configs build losses through their classes (tf.keras 2's reduction 'auto', Keras 3's 'sum_over_batch_size')", () => {
  const huber = getLoss('Huber', { name: 'huber_loss', delta: 0.5, reduction: 'auto' });
  assert.ok(huber instanceof losses.Huber);
  assert.deepEqual(huber.getConfig(), { name: 'huber_loss', reduction: 'sum_over_batch_size', delta: 0.5 });
  const scce = getLoss('SparseCategoricalCrossentropy', { name: 'scce', reduction: 'sum', fromLogits: true, ignoreClass: 255, axis: -1, dtype: 'float32' });
  assert.deepEqual(scce.getConfig(), { name: 'scce', reduction: 'sum', fromLogits: true, ignoreClass: 255, axis: -1 });
});
