// Weight initializers with Keras's formulas and defaults. fanIn/fanOut follow Keras for 2-D kernels [in, out].

import { Tensor } from '../tensor/tensor.js';
import { sizeOf, type Shape } from '../tensor/shape.js';
import { getRng, type Rng } from '../tensor/random.js';
import { Registry } from '../registry.js';

export interface Initializer {
  readonly className: string;
  init(shape: Shape): Tensor;
  getConfig(): Record<string, unknown>;
}

function fans(shape: Shape): { fanIn: number; fanOut: number } {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0], fanOut: shape[0] };
  if (shape.length === 2) return { fanIn: shape[0], fanOut: shape[1] };
  // Convolution kernels: receptive field × channels.
  const receptive = sizeOf(shape.slice(0, -2));
  return { fanIn: shape[shape.length - 2] * receptive, fanOut: shape[shape.length - 1] * receptive };
}

function filled(shape: Shape, f: () => number): Tensor {
  const data = new Float32Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = f();
  return new Tensor(data, shape);
}

/** The seed option gives an initializer its own stream; otherwise it draws from the global setSeed generator. */
function rngFor(seed: number | undefined): () => Rng {
  let own: Rng | null = null;
  return () => (seed === undefined ? getRng() : (own ??= getRng(seed)));
}

export class Zeros implements Initializer {
  readonly className = 'Zeros';
  init(shape: Shape): Tensor {
    return new Tensor(new Float32Array(sizeOf(shape)), shape);
  }
  getConfig() {
    return {};
  }
}

export class Ones implements Initializer {
  readonly className = 'Ones';
  init(shape: Shape): Tensor {
    return new Tensor(new Float32Array(sizeOf(shape)).fill(1), shape);
  }
  getConfig() {
    return {};
  }
}

export class Constant implements Initializer {
  readonly className = 'Constant';
  readonly value: number;
  constructor(options: { value?: number } = {}) {
    this.value = options.value ?? 0;
  }
  init(shape: Shape): Tensor {
    return new Tensor(new Float32Array(sizeOf(shape)).fill(this.value), shape);
  }
  getConfig() {
    return { value: this.value };
  }
}

/** Base of the random initializers: a seed gives the initializer its own stream, else the global one is used. */
abstract class SeededInitializer implements Initializer {
  abstract readonly className: string;
  readonly seed?: number;
  readonly rng: () => Rng;
  constructor(seed: number | undefined) {
    this.seed = seed;
    this.rng = rngFor(seed);
  }
  /** One draw from the distribution. */
  protected abstract sample(rng: Rng): number;
  protected abstract params(): Record<string, number>;
  init(shape: Shape): Tensor {
    const rng = this.rng();
    return filled(shape, () => this.sample(rng));
  }
  getConfig(): Record<string, unknown> {
    return { ...this.params(), seed: this.seed ?? null };
  }
}

/** Uniform in [minval, maxval) (Keras defaults −0.05, 0.05). */
export class RandomUniform extends SeededInitializer {
  readonly className = 'RandomUniform';
  readonly minval: number;
  readonly maxval: number;
  constructor(options: { minval?: number; maxval?: number; seed?: number } = {}) {
    super(options.seed);
    this.minval = options.minval ?? -0.05;
    this.maxval = options.maxval ?? 0.05;
  }
  protected sample(rng: Rng): number {
    return rng.uniform(this.minval, this.maxval);
  }
  protected params() {
    return { minval: this.minval, maxval: this.maxval };
  }
}

/** Normal(mean, stddev) (Keras defaults 0, 0.05). */
export class RandomNormal extends SeededInitializer {
  readonly className: string = 'RandomNormal';
  readonly mean: number;
  readonly stddev: number;
  constructor(options: { mean?: number; stddev?: number; seed?: number } = {}) {
    super(options.seed);
    this.mean = options.mean ?? 0;
    this.stddev = options.stddev ?? 0.05;
  }
  protected sample(rng: Rng): number {
    return rng.normal(this.mean, this.stddev);
  }
  protected params() {
    return { mean: this.mean, stddev: this.stddev };
  }
}

/** Normal redrawn until within two standard deviations of the mean (Keras defaults 0, 0.05). */
export class TruncatedNormal extends RandomNormal {
  override readonly className = 'TruncatedNormal';
  protected override sample(rng: Rng): number {
    return truncated(rng, this.mean, this.stddev);
  }
}

function truncated(rng: Rng, mean: number, stddev: number): number {
  for (;;) {
    const z = rng.normal();
    if (Math.abs(z) <= 2) return mean + stddev * z;
  }
}

export type VarianceMode = 'fanIn' | 'fanOut' | 'fanAvg';
export type VarianceDistribution = 'truncatedNormal' | 'untruncatedNormal' | 'uniform';

/**
 * scale / n where n is fan_in, fan_out or their mean. uniform: U(−√(3·scale/n), √(3·scale/n));
 * truncated normal: stddev √(scale/n) / 0.87962566103423978 (Keras's correction for truncation at 2σ).
 */
export class VarianceScaling implements Initializer {
  className = 'VarianceScaling';
  readonly scale: number;
  readonly mode: VarianceMode;
  readonly distribution: VarianceDistribution;
  readonly seed?: number;
  readonly rng: () => Rng;
  constructor(options: { scale?: number; mode?: VarianceMode; distribution?: VarianceDistribution; seed?: number } = {}) {
    this.scale = options.scale ?? 1;
    // Accept Keras's snake_case spellings too ('fan_avg', 'truncated_normal', 'normal').
    const camel = (v: string) => v.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
    this.mode = camel(options.mode ?? 'fanIn') as VarianceMode;
    const dist = camel(options.distribution ?? 'truncatedNormal');
    this.distribution = (dist === 'normal' ? 'truncatedNormal' : dist) as VarianceDistribution;
    if (!['fanIn', 'fanOut', 'fanAvg'].includes(this.mode)) throw new Error(`VarianceScaling: mode must be fanIn, fanOut or fanAvg, got '${options.mode}'.`);
    if (!['truncatedNormal', 'untruncatedNormal', 'uniform'].includes(this.distribution)) throw new Error(`VarianceScaling: unknown distribution '${options.distribution}'.`);
    this.seed = options.seed;
    if (!(this.scale > 0)) throw new Error(`VarianceScaling: scale must be positive, got ${this.scale}.`);
    this.rng = rngFor(options.seed);
  }
  init(shape: Shape): Tensor {
    const { fanIn, fanOut } = fans(shape);
    const n = this.mode === 'fanIn' ? fanIn : this.mode === 'fanOut' ? fanOut : (fanIn + fanOut) / 2;
    const variance = this.scale / Math.max(1, n);
    const rng = this.rng();
    if (this.distribution === 'uniform') {
      const limit = Math.sqrt(3 * variance);
      return filled(shape, () => rng.uniform(-limit, limit));
    }
    if (this.distribution === 'untruncatedNormal') {
      const sd = Math.sqrt(variance);
      return filled(shape, () => rng.normal(0, sd));
    }
    const sd = Math.sqrt(variance) / 0.87962566103423978;
    return filled(shape, () => truncated(rng, 0, sd));
  }
  getConfig(): Record<string, unknown> {
    return { scale: this.scale, mode: this.mode, distribution: this.distribution, seed: this.seed ?? null };
  }
}

function varianceFactory(className: string, scale: number, mode: VarianceMode, distribution: VarianceDistribution) {
  return class extends VarianceScaling {
    constructor(options: { seed?: number } = {}) {
      super({ scale, mode, distribution, seed: options.seed });
      this.className = className;
    }
    override getConfig(): Record<string, unknown> {
      return { seed: this.seed ?? null };
    }
  };
}

export const GlorotUniform = varianceFactory('GlorotUniform', 1, 'fanAvg', 'uniform');
export const GlorotNormal = varianceFactory('GlorotNormal', 1, 'fanAvg', 'truncatedNormal');
export const HeUniform = varianceFactory('HeUniform', 2, 'fanIn', 'uniform');
export const HeNormal = varianceFactory('HeNormal', 2, 'fanIn', 'truncatedNormal');
export const LecunUniform = varianceFactory('LecunUniform', 1, 'fanIn', 'uniform');
export const LecunNormal = varianceFactory('LecunNormal', 1, 'fanIn', 'truncatedNormal');

/** Orthogonal matrix (QR of a Gaussian matrix, sign-corrected) times gain, as Keras. */
export class Orthogonal implements Initializer {
  readonly className = 'Orthogonal';
  readonly gain: number;
  readonly seed?: number;
  readonly rng: () => Rng;
  constructor(options: { gain?: number; seed?: number } = {}) {
    this.gain = options.gain ?? 1;
    this.seed = options.seed;
    this.rng = rngFor(options.seed);
  }
  init(shape: Shape): Tensor {
    if (shape.length < 2) throw new Error(`Orthogonal initializer needs a shape of rank ≥ 2, got [${shape.join(', ')}].`);
    const cols = shape[shape.length - 1];
    const rows = sizeOf(shape) / cols;
    const rng = this.rng();
    // Work on the tall orientation (r ≥ c), Gram-Schmidt with re-orthogonalisation (equivalent to QR with positive diag(R)).
    const r = Math.max(rows, cols);
    const c = Math.min(rows, cols);
    const q: Float64Array[] = [];
    for (let j = 0; j < c; j++) {
      const v = new Float64Array(r);
      for (let i = 0; i < r; i++) v[i] = rng.normal();
      for (let pass = 0; pass < 2; pass++)
        for (const u of q) {
          let dot = 0;
          for (let i = 0; i < r; i++) dot += u[i] * v[i];
          for (let i = 0; i < r; i++) v[i] -= dot * u[i];
        }
      let norm = 0;
      for (let i = 0; i < r; i++) norm += v[i] * v[i];
      norm = Math.sqrt(norm);
      for (let i = 0; i < r; i++) v[i] /= norm;
      q.push(v);
    }
    const data = new Float32Array(rows * cols);
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < cols; j++) data[i * cols + j] = this.gain * (rows >= cols ? q[j][i] : q[i][j]);
    return new Tensor(data, shape);
  }
  getConfig() {
    return { gain: this.gain, seed: this.seed ?? null };
  }
}

type InitializerClass = new (config?: any) => Initializer;
export const initializers = new Registry<InitializerClass>('initializer');
initializers.register(['zeros', 'Zeros'], Zeros);
initializers.register(['ones', 'Ones'], Ones);
initializers.register(['constant', 'Constant'], Constant);
initializers.register(['random_uniform', 'RandomUniform'], RandomUniform);
initializers.register(['random_normal', 'RandomNormal'], RandomNormal);
initializers.register(['truncated_normal', 'TruncatedNormal'], TruncatedNormal);
initializers.register(['variance_scaling', 'VarianceScaling'], VarianceScaling);
initializers.register(['glorot_uniform', 'GlorotUniform'], GlorotUniform);
initializers.register(['glorot_normal', 'GlorotNormal'], GlorotNormal);
initializers.register(['he_uniform', 'HeUniform'], HeUniform);
initializers.register(['he_normal', 'HeNormal'], HeNormal);
initializers.register(['lecun_uniform', 'LecunUniform'], LecunUniform);
initializers.register(['lecun_normal', 'LecunNormal'], LecunNormal);
initializers.register(['orthogonal', 'Orthogonal'], Orthogonal);

export type InitializerIdentifier = string | Initializer | { className: string; config?: Record<string, unknown> };

export function getInitializer(identifier: InitializerIdentifier): Initializer {
  if (typeof identifier === 'string') return new (initializers.get(identifier))();
  if ('init' in identifier) return identifier;
  return new (initializers.get(identifier.className))(camelizeKeys(identifier.config ?? {}));
}

/** Keras configs are snake_case; our options are camelCase. null means "unset". */
export function camelizeKeys(config: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) if (v !== null) out[k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = v;
  return out;
}

export function serializeInitializer(init: Initializer): { className: string; config: Record<string, unknown> } {
  return { className: init.className, config: init.getConfig() };
}
