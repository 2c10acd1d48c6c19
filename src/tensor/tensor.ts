// Tensor: float32 row-major storage plus shape, and the autograd link to the op that made it.

import { type Shape, sizeOf, formatShape } from './shape.js';
import type { Planned, Rule } from '../ops/rule.js';

/** The op that produced a tensor: its rule (forward and backward), the plan it ran with, and its inputs. */
export interface GradNode {
  readonly op: string;
  readonly rule: Rule;
  readonly plan: Planned;
  readonly inputs: readonly Tensor[];
}

export type NestedArray = number | NestedArray[];
export type TensorLike = Tensor | NestedArray | Float32Array | readonly number[] | readonly Float32Array[];

export class Tensor {
  readonly shape: readonly number[];
  readonly dtype = 'float32' as const;
  data: Float32Array;
  /** Set when this tensor was computed from tensors that require gradients. */
  node: GradNode | null = null;
  requiresGrad = false;

  constructor(data: Float32Array, shape: Shape) {
    const expected = sizeOf(shape);
    if (data.length !== expected) {
      throw new Error(`Tensor data has ${data.length} values but shape ${formatShape(shape)} needs ${expected}.`);
    }
    this.data = data;
    this.shape = Object.freeze([...shape]);
  }

  get size(): number {
    return this.data.length;
  }

  get rank(): number {
    return this.shape.length;
  }

  /** Nested arrays matching the shape (a plain number for a scalar). */
  toArray(): NestedArray {
    const { shape, data } = this;
    if (shape.length === 0) return data[0];
    const build = (dim: number, offset: number): NestedArray[] => {
      const n = shape[dim];
      if (dim === shape.length - 1) return Array.from(data.subarray(offset, offset + n));
      const stride = sizeOf(shape.slice(dim + 1));
      const out: NestedArray[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = build(dim + 1, offset + i * stride);
      return out;
    };
    return build(0, 0);
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) throw new Error(`item() needs a tensor with one value, got shape ${formatShape(this.shape)}.`);
    return this.data[0];
  }

  /** Same values, detached from the autograd graph. */
  detach(): Tensor {
    return new Tensor(this.data, this.shape);
  }

  clone(): Tensor {
    return new Tensor(this.data.slice(), this.shape);
  }

  // TensorFlow.js spellings, so that ported code runs unchanged (tensor.data is the Float32Array itself here).
  /** The values, as TF.js's dataSync() (the storage itself, not a copy). */
  dataSync(): Float32Array {
    return this.data;
  }

  /** Nested arrays, as TF.js's arraySync(). */
  arraySync(): NestedArray {
    return this.toArray();
  }

  /** Nested arrays, as TF.js's array(). */
  async array(): Promise<NestedArray> {
    return this.toArray();
  }

  /** Does nothing: memory is garbage-collected. Present so that TF.js code calling dispose() keeps working. */
  dispose(): void {}

  toString(): string {
    return `Tensor(shape=${formatShape(this.shape)}, ${JSON.stringify(this.toArray())})`;
  }
}

/** Arrays and typed arrays (rows given as Float32Array, as TF.js accepts) both count as a dimension. */
const isList = (v: unknown): v is ArrayLike<unknown> => Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));

/** Infer shape and flatten a nested array, checking that it is rectangular. */
function flattenNested(values: NestedArray): { data: Float32Array; shape: number[] } {
  const shape: number[] = [];
  let probe: unknown = values;
  while (isList(probe)) {
    shape.push(probe.length);
    if (probe.length === 0) break;
    probe = probe[0];
  }
  const data = new Float32Array(sizeOf(shape));
  let k = 0;
  const walk = (v: unknown, dim: number, path: number[]): void => {
    if (dim === shape.length) {
      if (typeof v !== 'number') throw new Error(`Ragged array: expected a number at index [${path.join('][')}], found ${isList(v) ? 'an array' : v === null ? 'null' : typeof v}.`);
      data[k++] = v;
      return;
    }
    if (!isList(v) || v.length !== shape[dim]) {
      const len = isList(v) ? v.length : 'a scalar';
      throw new Error(`Ragged array: index [${path.join('][')}] has ${len} entries, expected ${shape[dim]} (shape ${formatShape(shape)}).`);
    }
    if (dim === shape.length - 1 && !Array.isArray(v)) {
      data.set(v as ArrayLike<number>, k); // a typed-array row: numbers by construction
      k += v.length;
      return;
    }
    for (let i = 0; i < v.length; i++) walk((v as ArrayLike<unknown>)[i], dim + 1, [...path, i]);
  };
  walk(values, 0, []);
  return { data, shape };
}

/** Create a tensor from nested arrays, a typed array plus shape, or a scalar. */
export function tensor(values: TensorLike, shape?: Shape): Tensor {
  if (values instanceof Tensor) return shape ? new Tensor(values.data, shape) : values;
  if (values instanceof Float32Array) return new Tensor(values, shape ?? [values.length]);
  if (typeof values === 'number') return new Tensor(Float32Array.of(values), shape ?? []);
  if (ArrayBuffer.isView(values)) {
    const arr = Float32Array.from(values as unknown as ArrayLike<number>);
    return new Tensor(arr, shape ?? [arr.length]);
  }
  const flat = flattenNested(values as NestedArray);
  return new Tensor(flat.data, shape ?? flat.shape);
}

export function scalar(value: number): Tensor {
  return new Tensor(Float32Array.of(value), []);
}

export function zeros(shape: Shape): Tensor {
  return new Tensor(new Float32Array(sizeOf(shape)), shape);
}

export function ones(shape: Shape): Tensor {
  return new Tensor(new Float32Array(sizeOf(shape)).fill(1), shape);
}

export function fill(shape: Shape, value: number): Tensor {
  return new Tensor(new Float32Array(sizeOf(shape)).fill(value), shape);
}

export function isTensor(x: unknown): x is Tensor {
  return x instanceof Tensor;
}
