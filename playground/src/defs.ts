// The playground's definitions that the page needs without the engine: surfaces (written once over an
// arithmetic, so the page draws them with numbers and the worker differentiates them with tensors), the racers,
// the data sets and the shapes of configurations and results.

/** Arithmetic over numbers (contours) or tensors (gradients): each surface is written once. */
export interface Arith<T> {
  c(v: number): T;
  add(a: T, b: T): T;
  sub(a: T, b: T): T;
  mul(a: T, b: T): T;
  sq(a: T): T;
  cos(a: T): T;
}

export const num: Arith<number> = { c: (v) => v, add: (a, b) => a + b, sub: (a, b) => a - b, mul: (a, b) => a * b, sq: (a) => a * a, cos: Math.cos };

export interface Surface {
  id: string;
  label: string;
  /** What it shows. */
  note: string;
  f<T>(m: Arith<T>, x: T, y: T): T;
  /** Drawn region [xmin, xmax, ymin, ymax]. */
  box: [number, number, number, number];
  start: [number, number];
  minima: [number, number][];
  /** Suggested learning rate and steps. */
  lr: number;
  steps: number;
}

export const SURFACES: Surface[] = [
  {
    id: 'bowl', label: 'Ill-conditioned bowl', note: 'f = (x² + 20y²)/2: curvature 20× steeper across than along; plain SGD zig-zags.',
    f: (m, x, y) => m.mul(m.c(0.5), m.add(m.sq(x), m.mul(m.c(20), m.sq(y)))),
    box: [-3, 3, -2, 2], start: [-2.6, 1.1], minima: [[0, 0]], lr: 0.065, steps: 150,
  },
  {
    id: 'rosenbrock', label: 'Rosenbrock', note: 'f = (1−x)² + 100(y−x²)²: a long curved valley; the minimum is at (1, 1).',
    f: (m, x, y) => m.add(m.sq(m.sub(m.c(1), x)), m.mul(m.c(100), m.sq(m.sub(y, m.sq(x))))),
    box: [-2, 2, -1, 3], start: [-1.5, 2.2], minima: [[1, 1]], lr: 0.02, steps: 1000,
  },
  {
    id: 'beale', label: 'Beale', note: 'f = (1.5−x+xy)² + (2.25−x+xy²)² + (2.625−x+xy³)²: flat plateaus and sharp ridges; minimum (3, 0.5).',
    f: (m, x, y) => {
      const y2 = m.mul(y, y), y3 = m.mul(y2, y);
      return m.add(m.add(m.sq(m.add(m.sub(m.c(1.5), x), m.mul(x, y))), m.sq(m.add(m.sub(m.c(2.25), x), m.mul(x, y2)))), m.sq(m.add(m.sub(m.c(2.625), x), m.mul(x, y3))));
    },
    box: [-4.5, 4.5, -4.5, 4.5], start: [1, 1.6], minima: [[3, 0.5]], lr: 0.005, steps: 800,
  },
  {
    id: 'saddle', label: 'Saddle', note: 'f = x² − y² + y⁴/4: a saddle at the origin between two minima (0, ±√2); starting on the ridge, who escapes?',
    f: (m, x, y) => m.add(m.sub(m.sq(x), m.sq(y)), m.mul(m.c(0.25), m.sq(m.sq(y)))),
    box: [-2.5, 2.5, -2.5, 2.5], start: [-2.2, 0.0005], minima: [[0, Math.SQRT2], [0, -Math.SQRT2]], lr: 0.05, steps: 300,
  },
  {
    id: 'multimodal', label: 'Several minima', note: 'f = (x²+y²)/4 − 0.4 cos 3x − 0.4 cos 3y + 0.8: local minima on a grid, the global one at the origin; momentum can roll through.',
    f: (m, x, y) => m.add(m.sub(m.sub(m.mul(m.c(0.25), m.add(m.sq(x), m.sq(y))), m.mul(m.c(0.4), m.cos(m.mul(m.c(3), x)))), m.mul(m.c(0.4), m.cos(m.mul(m.c(3), y)))), m.c(0.8)),
    box: [-3, 3, -3, 3], start: [2.6, 2.3], minima: [[0, 0]], lr: 0.06, steps: 300,
  },
];

export function surfaceById(id: string): Surface {
  const s = SURFACES.find((v) => v.id === id);
  if (!s) throw new Error(`Unknown surface '${id}' (known: ${SURFACES.map((v) => v.id).join(', ')}).`);
  return s;
}

export const surfaceValue = (s: Surface, x: number, y: number): number => s.f(num, x, y);

/** The optimizers of the race: Keras names, colours for the page. */
export const RACERS = [
  { id: 'sgd', label: 'SGD', color: '#6b7280' },
  { id: 'momentum', label: 'Momentum', color: '#d97706' },
  { id: 'nesterov', label: 'Nesterov', color: '#b45309' },
  { id: 'adagrad', label: 'Adagrad', color: '#059669' },
  { id: 'rmsprop', label: 'RMSprop', color: '#2563eb' },
  { id: 'adadelta', label: 'Adadelta', color: '#0891b2' },
  { id: 'adam', label: 'Adam', color: '#dc2626' },
  { id: 'adamax', label: 'Adamax', color: '#db2777' },
  { id: 'nadam', label: 'Nadam', color: '#7c3aed' },
  { id: 'adamw', label: 'AdamW', color: '#9333ea' },
  { id: 'lion', label: 'Lion', color: '#65a30d' },
  { id: 'ftrl', label: 'Ftrl', color: '#78716c' },
] as const;

export type ScheduleKind = 'constant' | 'exponential' | 'inverse_time' | 'cosine';

export interface OptimizerSettings {
  learningRate: number;
  momentum: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  schedule: ScheduleKind;
  /** Steps over which the schedule decays (exponential: to decayRate; cosine: to 0). */
  decaySteps: number;
  decayRate: number;
}

export const DEFAULT_SETTINGS: OptimizerSettings = { learningRate: 0.01, momentum: 0.9, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, schedule: 'constant', decaySteps: 100, decayRate: 0.5 };

export interface Trajectory {
  id: string;
  /** x, y per step (step 0 is the start), up to the divergence. */
  xs: number[];
  ys: number[];
  losses: number[];
  /** Step at which the loss became non-finite or left 1e6 × the start's scale, else null. */
  divergedAt: number | null;
}

export type DatasetId = 'circles' | 'xor' | 'spirals' | 'blobs' | 'regression';
export const DATASETS: { id: DatasetId; label: string }[] = [
  { id: 'circles', label: 'Circles' },
  { id: 'xor', label: 'XOR' },
  { id: 'spirals', label: 'Two spirals' },
  { id: 'blobs', label: 'Gaussian blobs' },
  { id: 'regression', label: 'Regression surface' },
];

export interface Points {
  /** Inputs in [-1, 1]², row-major [n, 2]. */
  x: Float32Array;
  /** Labels 0/1 (classification) or targets in [-1, 1] (regression). */
  y: Float32Array;
  n: number;
}

export interface DataSplit {
  train: Points;
  test: Points;
  task: 'classification' | 'regression';
}

export interface NetConfig {
  dataset: DatasetId;
  /** Label noise (classification: flip / jitter) and target noise (regression), 0..0.5. */
  noise: number;
  /** Fraction of points used for training, the rest for validation. */
  trainFraction: number;
  points: number;
  hidden: number[];
  activation: 'relu' | 'tanh' | 'sigmoid' | 'linear';
  /** 'full', 1, or a mini-batch size. */
  batchSize: 'full' | number;
  optimizer: string;
  settings: OptimizerSettings;
  l2: number;
  dropout: number;
  seed: number;
}

export const DEFAULT_NET: NetConfig = {
  dataset: 'circles', noise: 0.1, trainFraction: 0.5, points: 300, hidden: [8, 8], activation: 'tanh', batchSize: 16,
  optimizer: 'adam', settings: { ...DEFAULT_SETTINGS, learningRate: 0.03 }, l2: 0, dropout: 0, seed: 1,
};

export const regressionTarget = (x: number, y: number): number => Math.sin(2.5 * x) * Math.cos(2 * y) * 0.8;

export interface EpochResult {
  epoch: number;
  loss: number;
  valLoss: number;
  /** Loss of every batch of the epoch (the noise of SGD and mini-batches). */
  batchLosses: number[];
}

export type TunerKind = 'grid' | 'random' | 'bayesian';

export interface TuneConfig {
  kind: TunerKind;
  trials: number;
  epochs: number;
  lrMin: number;
  lrMax: number;
  unitsMin: number;
  unitsMax: number;
}

export interface TrialPoint {
  id: number;
  learningRate: number;
  units: number;
  value: number;
}

/** Unit-cube coordinates of a trial (log learning rate, units) — the space the GP models. */
export function unitPoint(t: { learningRate: number; units: number }, c: TuneConfig): [number, number] {
  return [Math.log(t.learningRate / c.lrMin) / Math.log(c.lrMax / c.lrMin), (t.units - c.unitsMin) / Math.max(1, c.unitsMax - c.unitsMin)];
}
