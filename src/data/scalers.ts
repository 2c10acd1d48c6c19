// Feature scalers, column-wise over rows [n, d], as scikit-learn's (statistics accumulated in float64):
//   StandardScaler  z = (x - mean) / std, std the population std (ddof 0); a constant column gets std 1
//   MinMaxScaler    z = (x - min) / (max - min) * (hi - lo) + lo; a constant column gets range 1
// Fit on the training set only, apply to test data; toJSON/fromJSON save them with a model.

import { Tensor, tensor, type TensorLike } from '../tensor/tensor.js';
import { formatShape } from '../tensor/shape.js';

export interface ScalerJSON {
  className: string;
  config: Record<string, unknown>;
  /** Fitted per-column offset and scale: z = (x - offset) / scale (+ shift for MinMaxScaler); null before fit. */
  state: { offset: number[]; scale: number[] } | null;
}

/** Base: z = (x - offset) * factor + shift, per column. Subclasses compute offset and scale in fit. */
export abstract class Scaler {
  abstract readonly className: string;
  protected offset: Float64Array | null = null;
  protected scale: Float64Array | null = null;
  protected shift = 0;

  /** Learn the per-column statistics from x [n, d]. */
  abstract fit(x: TensorLike): this;
  abstract getConfig(): Record<string, unknown>;

  get fitted(): boolean {
    return this.offset !== null;
  }

  transform(x: TensorLike): Tensor {
    const t = this.check(x, 'transform');
    const d = this.offset!.length;
    const out = new Float32Array(t.size);
    for (let i = 0; i < t.size; i++) {
      const j = i % d;
      out[i] = (t.data[i] - this.offset![j]) / this.scale![j] + this.shift;
    }
    return new Tensor(out, t.shape);
  }

  inverseTransform(z: TensorLike): Tensor {
    const t = this.check(z, 'inverseTransform');
    const d = this.offset!.length;
    const out = new Float32Array(t.size);
    for (let i = 0; i < t.size; i++) {
      const j = i % d;
      out[i] = (t.data[i] - this.shift) * this.scale![j] + this.offset![j];
    }
    return new Tensor(out, t.shape);
  }

  fitTransform(x: TensorLike): Tensor {
    return this.fit(x).transform(x);
  }

  toJSON(): ScalerJSON {
    return {
      className: this.className,
      config: this.getConfig(),
      state: this.offset ? { offset: Array.from(this.offset), scale: Array.from(this.scale!) } : null,
    };
  }

  protected setState(state: ScalerJSON['state']): void {
    if (state === null) return;
    if (!Array.isArray(state.offset) || !Array.isArray(state.scale) || state.offset.length !== state.scale.length) {
      throw new Error(`${this.className}.fromJSON: state needs offset and scale arrays of the same length.`);
    }
    if (![...state.offset, ...state.scale].every(Number.isFinite) || state.scale.some((s) => s === 0)) {
      throw new Error(`${this.className}.fromJSON: state holds a non-finite or zero-scale value.`);
    }
    this.offset = Float64Array.from(state.offset);
    this.scale = Float64Array.from(state.scale);
  }

  /** Validate a [n, d] input: 2-D, finite; `fitting` skips the fitted checks. */
  protected check(x: TensorLike, what: string, fitting = false): Tensor {
    const t = tensor(x);
    if (t.rank !== 2) throw new Error(`${this.className}.${what} expects rows [n, features], got shape ${formatShape(t.shape)}.`);
    if (!fitting) {
      if (!this.offset) throw new Error(`${this.className}.${what} called before fit.`);
      if (t.shape[1] !== this.offset.length) {
        throw new Error(`${this.className}.${what}: x has ${t.shape[1]} features (shape ${formatShape(t.shape)}) but the scaler was fitted on ${this.offset.length}.`);
      }
    } else if (t.shape[0] === 0) throw new Error(`${this.className}.fit needs at least one row.`);
    const d = t.shape[1];
    for (let i = 0; i < t.size; i++) {
      if (!Number.isFinite(t.data[i])) throw new Error(`${this.className}.${what}: non-finite value ${t.data[i]} at row ${Math.floor(i / d)}, column ${i % d}.`);
    }
    return t;
  }

  /** Per-column float64 reductions over rows. */
  protected columns(t: Tensor): { n: number; d: number; col: (j: number) => Float64Array } {
    const [n, d] = t.shape;
    return {
      n,
      d,
      col: (j) => {
        const c = new Float64Array(n);
        for (let i = 0; i < n; i++) c[i] = t.data[i * d + j];
        return c;
      },
    };
  }
}

export interface StandardScalerOptions {
  /** Subtract the mean (default true). */
  withMean?: boolean;
  /** Divide by the standard deviation (default true). */
  withStd?: boolean;
}

export class StandardScaler extends Scaler {
  readonly className = 'StandardScaler';
  readonly withMean: boolean;
  readonly withStd: boolean;

  constructor(options: StandardScalerOptions = {}) {
    super();
    this.withMean = options.withMean ?? true;
    this.withStd = options.withStd ?? true;
  }

  /** Column means (after fit). */
  get mean(): number[] | null {
    return this.offset && Array.from(this.offset);
  }

  /** Column standard deviations used for scaling (after fit). */
  get std(): number[] | null {
    return this.scale && Array.from(this.scale);
  }

  fit(x: TensorLike): this {
    const { n, d, col } = this.columns(this.check(x, 'fit', true));
    const offset = new Float64Array(d);
    const scale = new Float64Array(d).fill(1);
    for (let j = 0; j < d; j++) {
      const c = col(j);
      let mean = 0;
      for (const v of c) mean += v;
      mean /= n;
      let ss = 0;
      for (const v of c) ss += (v - mean) * (v - mean);
      const std = Math.sqrt(ss / n);
      if (this.withMean) offset[j] = mean;
      if (this.withStd) scale[j] = std > 0 ? std : 1;
    }
    this.offset = offset;
    this.scale = scale;
    return this;
  }

  getConfig(): Record<string, unknown> {
    return { withMean: this.withMean, withStd: this.withStd };
  }

  static fromJSON(json: ScalerJSON): StandardScaler {
    const s = new StandardScaler(json.config as StandardScalerOptions);
    s.setState(json.state);
    return s;
  }
}

export interface MinMaxScalerOptions {
  /** Target range [lo, hi] (default [0, 1]). */
  featureRange?: [number, number];
}

export class MinMaxScaler extends Scaler {
  readonly className = 'MinMaxScaler';
  readonly featureRange: [number, number];

  constructor(options: MinMaxScalerOptions = {}) {
    super();
    const [lo, hi] = options.featureRange ?? [0, 1];
    if (!(lo < hi)) throw new Error(`MinMaxScaler featureRange must satisfy lo < hi, got [${lo}, ${hi}].`);
    this.featureRange = [lo, hi];
    this.shift = lo;
  }

  /** Column minima and maxima (after fit). */
  get dataMin(): number[] | null {
    return this.offset && Array.from(this.offset);
  }

  fit(x: TensorLike): this {
    const { d, col } = this.columns(this.check(x, 'fit', true));
    const [lo, hi] = this.featureRange;
    const offset = new Float64Array(d);
    const scale = new Float64Array(d);
    for (let j = 0; j < d; j++) {
      const c = col(j);
      let min = Infinity;
      let max = -Infinity;
      for (const v of c) {
        if (v < min) min = v;
        if (v > max) max = v;
      }
      offset[j] = min;
      // z = (x - min) / ((max - min) / (hi - lo)) + lo
      scale[j] = (max - min > 0 ? max - min : 1) / (hi - lo);
    }
    this.offset = offset;
    this.scale = scale;
    return this;
  }

  getConfig(): Record<string, unknown> {
    return { featureRange: [...this.featureRange] };
  }

  static fromJSON(json: ScalerJSON): MinMaxScaler {
    const s = new MinMaxScaler(json.config as MinMaxScalerOptions);
    s.setState(json.state);
    return s;
  }
}

const scalerRegistry: Record<string, (json: ScalerJSON) => Scaler> = {
  StandardScaler: StandardScaler.fromJSON,
  MinMaxScaler: MinMaxScaler.fromJSON,
};

/** Rebuild any scaler from its toJSON() output. */
export function scalerFromJSON(json: ScalerJSON): Scaler {
  const make = json && scalerRegistry[json.className];
  if (!make) throw new Error(`Unknown scaler class '${json?.className}'. Known: ${Object.keys(scalerRegistry).join(', ')}.`);
  return make(json);
}
