// The playground's computations, on descent's public browser entry. The page's Web Worker runs these, and so
// can Node (test/browser/playground.test.ts runs the same seeded training here and in the page and compares).

import {
  Sequential, Dense, Dropout, Variable, Rng, setSeed, variableGrads, ops, getOptimizer, l2,
  ExponentialDecay, InverseTimeDecay, CosineDecay, GaussianProcess, GridSearch, RandomSearch, BayesianOptimization,
  LambdaCallback, tensor, type Optimizer, type Tensor, type HyperParameters,
} from '../../src/browser.js';
import { num, regressionTarget, surfaceValue, DEFAULT_SETTINGS, type Arith, type Surface, type OptimizerSettings, type Trajectory, type NetConfig, type DataSplit, type Points, type EpochResult, type TuneConfig, type TrialPoint } from './defs.js';
import { unitPoint } from './defs.js';

// ---------------------------------------------------------------- 2-D loss surfaces

export * from './defs.js';

const ten: Arith<Tensor> = {
  c: (v) => tensor(v),
  add: (a, b) => ops.add(a, b), sub: (a, b) => ops.sub(a, b), mul: (a, b) => ops.mul(a, b), sq: (a) => ops.square(a), cos: (a) => ops.cos(a),
};

function learningRate(s: OptimizerSettings) {
  const lr = s.learningRate;
  switch (s.schedule) {
    case 'exponential': return new ExponentialDecay({ initialLearningRate: lr, decaySteps: s.decaySteps, decayRate: s.decayRate });
    case 'inverse_time': return new InverseTimeDecay({ initialLearningRate: lr, decaySteps: s.decaySteps, decayRate: s.decayRate });
    case 'cosine': return new CosineDecay({ initialLearningRate: lr, decaySteps: s.decaySteps });
    default: return lr;
  }
}

/** A descent optimizer for a racer id ('momentum' and 'nesterov' are SGD with those options). */
export function makeOptimizer(id: string, s: OptimizerSettings): Optimizer {
  const learning = learningRate(s);
  const moments = { beta1: s.beta1, beta2: s.beta2, epsilon: s.epsilon };
  switch (id) {
    case 'sgd': return getOptimizer({ className: 'SGD', config: { learningRate: learning } });
    case 'momentum': return getOptimizer({ className: 'SGD', config: { learningRate: learning, momentum: s.momentum } });
    case 'nesterov': return getOptimizer({ className: 'SGD', config: { learningRate: learning, momentum: s.momentum, nesterov: true } });
    case 'adam': case 'adamax': case 'nadam': case 'adamw': return getOptimizer({ className: id, config: { learningRate: learning, ...moments } });
    case 'rmsprop': return getOptimizer({ className: 'RMSprop', config: { learningRate: learning, rho: s.beta2 === 0.999 ? 0.9 : s.beta2, momentum: 0, epsilon: s.epsilon } });
    case 'adagrad': case 'adadelta': return getOptimizer({ className: id, config: { learningRate: learning, epsilon: s.epsilon } });
    case 'lion': return getOptimizer({ className: 'Lion', config: { learningRate: learning, beta1: s.beta1, beta2: s.beta2 } });
    default: return getOptimizer({ className: id, config: { learningRate: learning } });
  }
}

/** Run one optimizer from the surface's start for `steps` updates, with gradients from descent's autograd. */
export function race(surface: Surface, id: string, settings: OptimizerSettings, steps: number, start = surface.start): Trajectory {
  const vx = new Variable([start[0]]), vy = new Variable([start[1]]);
  const opt = makeOptimizer(id, settings);
  const t: Trajectory = { id, xs: [start[0]], ys: [start[1]], losses: [], divergedAt: null };
  const limit = 1e6 * Math.max(1, Math.abs(surfaceValue(surface, start[0], start[1])));
  const span = Math.max(surface.box[1] - surface.box[0], surface.box[3] - surface.box[2]);
  for (let step = 0; step <= steps; step++) {
    const { value, grads } = variableGrads(() => surface.f(ten, vx, vy), [vx, vy]);
    const loss = value.data[0];
    t.losses.push(loss);
    const x = vx.data[0], y = vy.data[0];
    if (!Number.isFinite(loss) || Math.abs(loss) > limit || Math.abs(x) > 50 * span || Math.abs(y) > 50 * span) {
      t.divergedAt = step;
      break;
    }
    if (step === steps) break;
    opt.applyGradients([[grads[0], vx], [grads[1], vy]]);
    t.xs.push(vx.data[0]);
    t.ys.push(vy.data[0]);
  }
  return t;
}

// ---------------------------------------------------------------- 2-D data sets and networks

/** Points of a data set, seeded (the same seed gives the same points in the page and in Node). */
export function makeData(c: Pick<NetConfig, 'dataset' | 'noise' | 'trainFraction' | 'points' | 'seed'>): DataSplit {
  const rng = new Rng(c.seed);
  const n = c.points;
  const x = new Float32Array(2 * n), y = new Float32Array(n);
  const u = () => 2 * rng.next() - 1;
  for (let i = 0; i < n; i++) {
    let px = 0, py = 0, label = 0;
    switch (c.dataset) {
      case 'circles': {
        label = i % 2;
        const r = label ? 0.55 + 0.35 * rng.next() : 0.45 * rng.next();
        const a = 2 * Math.PI * rng.next();
        px = r * Math.cos(a); py = r * Math.sin(a);
        break;
      }
      case 'xor': {
        px = u(); py = u();
        const pad = 0.05;
        px += px > 0 ? pad : -pad; py += py > 0 ? pad : -pad;
        label = px * py > 0 ? 1 : 0;
        break;
      }
      case 'spirals': {
        label = i % 2;
        const t = (i >> 1) / (n / 2);
        const r = 0.08 + 0.85 * t, a = 3.5 * Math.PI * t + label * Math.PI;
        px = r * Math.cos(a); py = r * Math.sin(a);
        break;
      }
      case 'blobs': {
        label = i % 2;
        const cx = label ? 0.45 : -0.45, cy = label ? 0.35 : -0.35;
        px = cx + 0.22 * rng.normal(); py = cy + 0.22 * rng.normal();
        break;
      }
      case 'regression': {
        px = u(); py = u();
        label = regressionTarget(px, py);
        break;
      }
    }
    if (c.dataset === 'regression') label += c.noise * rng.normal();
    else if (rng.next() < c.noise / 2) label = 1 - label; // label noise: a fraction noise/2 of the labels flipped
    if (c.dataset !== 'regression') { px += 0.6 * c.noise * 0.2 * rng.normal(); py += 0.6 * c.noise * 0.2 * rng.normal(); }
    x[2 * i] = Math.max(-1, Math.min(1, px));
    x[2 * i + 1] = Math.max(-1, Math.min(1, py));
    y[i] = label;
  }
  // Shuffle, then split train / test.
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const nTrain = Math.max(2, Math.min(n - 2, Math.round(c.trainFraction * n)));
  const take = (idx: number[]): Points => {
    const px = new Float32Array(2 * idx.length), py = new Float32Array(idx.length);
    idx.forEach((k, i) => { px[2 * i] = x[2 * k]; px[2 * i + 1] = x[2 * k + 1]; py[i] = y[k]; });
    return { x: px, y: py, n: idx.length };
  };
  return { train: take(order.slice(0, nTrain)), test: take(order.slice(nTrain)), task: c.dataset === 'regression' ? 'regression' : 'classification' };
}

/** A Sequential for the configuration, compiled; weights seeded by config.seed. */
export function buildNet(c: NetConfig, task: DataSplit['task'], overrides: { units?: number; learningRate?: number } = {}): Sequential {
  setSeed(c.seed);
  const model = new Sequential();
  const reg = c.l2 > 0 ? l2(c.l2) : undefined;
  c.hidden.forEach((units, i) => {
    model.add(new Dense({ units: overrides.units ?? units, activation: c.activation, kernelRegularizer: reg, ...(i === 0 ? { inputShape: [2] } : {}) }));
    if (c.dropout > 0) model.add(new Dropout({ rate: c.dropout }));
  });
  const classification = task === 'classification';
  model.add(new Dense({ units: 1, activation: classification ? 'sigmoid' : 'linear', kernelRegularizer: reg, ...(c.hidden.length === 0 ? { inputShape: [2] } : {}) }));
  const settings = overrides.learningRate === undefined ? c.settings : { ...c.settings, learningRate: overrides.learningRate };
  model.compile({ optimizer: makeOptimizer(c.optimizer, settings), loss: classification ? 'binary_crossentropy' : 'mse', metrics: classification ? ['accuracy'] : [] });
  return model;
}

export const batchSizeOf = (c: NetConfig, split: DataSplit): number => (c.batchSize === 'full' ? split.train.n : c.batchSize);

/** A training session: one epoch per call, the model and data kept between calls. */
export class NetSession {
  readonly split: DataSplit;
  readonly model: Sequential;
  epoch = 0;
  constructor(readonly config: NetConfig) {
    this.split = makeData(config);
    this.model = buildNet(config, this.split.task);
    setSeed(config.seed + 1); // shuffling order, independent of how the weights were drawn
  }

  async trainEpoch(): Promise<EpochResult> {
    const { train, test } = this.split;
    const batchLosses: number[] = [];
    const h = await this.model.fit(tensor2(train), tensor1(train), {
      epochs: this.epoch + 1, initialEpoch: this.epoch, batchSize: batchSizeOf(this.config, this.split), verbose: 0, shuffle: true,
      validationData: [tensor2(test), tensor1(test)],
      callbacks: [new LambdaCallback({ onBatchEnd: (_b, logs) => { if (logs) batchLosses.push(logs.loss); } })],
    });
    this.epoch++;
    return { epoch: this.epoch, loss: h.history.loss[0], valLoss: h.history.val_loss[0], batchLosses };
  }

  /** Predictions on a res × res grid over [-1, 1]² (row 0 at y = 1). */
  grid(res: number): Float32Array {
    const g = new Float32Array(res * res * 2);
    for (let r = 0; r < res; r++) for (let c = 0; c < res; c++) {
      g[2 * (r * res + c)] = -1 + (2 * (c + 0.5)) / res;
      g[2 * (r * res + c) + 1] = 1 - (2 * (r + 0.5)) / res;
    }
    return (this.model.predict(toTensor(g, res * res)) as Tensor).data.slice();
  }

  /** Kernels and biases of the Dense layers, for drawing the network. */
  weights(): { kernel: Float32Array; bias: Float32Array; inputs: number; units: number }[] {
    return this.model.layers.filter((l) => l instanceof Dense).map((l) => {
      const [k, b] = (l as Dense).weights as Tensor[];
      return { kernel: k.data.slice(), bias: b.data.slice(), inputs: k.shape[0], units: k.shape[1] };
    });
  }
}

const toTensor = (x: Float32Array, n: number) => tensor(x, [n, 2]);
const tensor2 = (p: Points) => toTensor(p.x, p.n);
const tensor1 = (p: Points) => tensor(p.y, [p.n, 1]);

/** The seeded run the page test compares with Node: `epochs` epochs of config, losses per epoch. */
export async function seededRun(config: NetConfig, epochs: number): Promise<EpochResult[]> {
  const s = new NetSession(config);
  const out: EpochResult[] = [];
  for (let i = 0; i < epochs; i++) out.push(await s.trainEpoch());
  return out;
}

// ---------------------------------------------------------------- tuning

/** Search learning rate and hidden units of `net` with descent's tuners; onTrial is called as each trial completes. */
export async function tune(net: NetConfig, c: TuneConfig, onTrial: (t: TrialPoint) => void, stop: () => boolean = () => false): Promise<TrialPoint[]> {
  const split = makeData(net);
  const results: TrialPoint[] = [];
  const gridSteps = Math.max(2, Math.round(Math.sqrt(c.trials)));
  const options = { storage: 'memory', maxTrials: c.trials, seed: net.seed, verbose: 0, direction: 'minimize' as const };
  const tuner = c.kind === 'grid' ? new GridSearch(options) : c.kind === 'random' ? new RandomSearch(options) : new BayesianOptimization({ ...options, numInitialPoints: 3 });
  const lrStep = Math.pow(c.lrMax / c.lrMin, 1 / (gridSteps - 1));
  const unitStep = Math.max(1, Math.round((c.unitsMax - c.unitsMin) / (gridSteps - 1)));
  await tuner.optimize(async (hp: HyperParameters, trial) => {
    if (stop()) throw new Error('stopped');
    const learningRate = hp.float('learning_rate', c.lrMin, c.lrMax, { sampling: 'log', ...(c.kind === 'grid' ? { step: lrStep } : {}) });
    const units = hp.int('units', c.unitsMin, c.unitsMax, c.kind === 'grid' ? { step: unitStep } : {});
    const model = buildNet(net, split.task, { units, learningRate });
    setSeed(net.seed + 1);
    const h = await model.fit(tensor2(split.train), tensor1(split.train), {
      epochs: c.epochs, batchSize: batchSizeOf(net, split), verbose: 0, validationData: [tensor2(split.test), tensor1(split.test)],
    });
    const v = h.history.val_loss;
    const value = Number.isFinite(v[v.length - 1]) ? Math.min(...v.filter(Number.isFinite)) : 10;
    const point = { id: trial.id, learningRate, units, value };
    results.push(point);
    onTrial(point);
    await new Promise((r) => setTimeout(r, 0)); // let the page's messages (stop) in
    return value;
  });
  return results;
}

/** The GP posterior mean over the unit square (res × res, row 0 at the top = most units), fitted to the trials. */
export function gpMean(trials: readonly TrialPoint[], c: TuneConfig, res: number): Float32Array | null {
  if (trials.length < 2) return null;
  const x = trials.map((t) => unitPoint(t, c));
  const y = trials.map((t) => Math.log(Math.max(t.value, 1e-9)));
  let gp: GaussianProcess;
  try {
    gp = GaussianProcess.fit(x, y, { rng: new Rng(0) });
  } catch {
    return null;
  }
  const out = new Float32Array(res * res);
  for (let r = 0; r < res; r++) for (let col = 0; col < res; col++) out[r * res + col] = Math.exp(gp.predict([(col + 0.5) / res, 1 - (r + 0.5) / res]).mean);
  return out;
}
