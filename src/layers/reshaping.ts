// Reshaping layers (Keras 3 names and defaults): Reshape, Permute, RepeatVector, and the spatial ones
// ZeroPaddingND (zeros around each spatial dimension), CroppingND (cut from each end), UpSamplingND (repeat each
// position `size` times, nearest neighbour). Spatial layers are channels last unless dataFormat: 'channels_first'.
// Built from differentiable ops (reshape, transpose, concat, slice, gather), so gradients come with them.

import { Tensor, zeros } from '../tensor/tensor.js';
import * as ops from '../ops/index.js';
import { Layer, registerLayer, checkLayerOptions, type LayerArgs, type SymbolicShape } from './layer.js';
import { dataFormatOf, tupleOf, checkSpatialRank, type DataFormat, type DataFormatIdentifier } from './spatial.js';

const known = (dims: SymbolicShape) => dims.every((d) => d !== null);
const product = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);

/** Reshape each sample to targetShape (one entry may be -1): new Reshape({ targetShape: [28, 28, 1] }). */
export class Reshape extends Layer {
  readonly className = 'Reshape';
  readonly targetShape: number[];
  constructor(args: LayerArgs & { targetShape?: number[] } = {}) {
    checkLayerOptions('Reshape', args, ['targetShape']);
    super(args);
    const t = args.targetShape;
    if (!Array.isArray(t) || !t.every((d) => Number.isInteger(d) && (d > 0 || d === -1)) || t.filter((d) => d === -1).length > 1) {
      throw new Error(`Reshape: targetShape must be a list of positive integers with at most one -1, got ${JSON.stringify(t)}.`);
    }
    this.targetShape = [...t];
  }
  private resolve(sample: SymbolicShape): SymbolicShape {
    if (!known(sample)) return [...this.targetShape].map((d) => (d === -1 ? null : d));
    const size = product(sample as number[]);
    const fixed = product(this.targetShape.filter((d) => d !== -1));
    const out = this.targetShape.map((d) => (d === -1 ? size / fixed : d));
    if (!out.every(Number.isInteger) || product(out) !== size) {
      this.ensureName();
      throw new Error(`Reshape '${this.name}': cannot reshape samples of shape [${sample.join(', ')}] (${size} values) to [${this.targetShape.join(', ')}].`);
    }
    return out;
  }
  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [inputShape[0], ...this.resolve(inputShape.slice(1))];
  }
  call(input: Tensor): Tensor {
    return ops.reshape(input, [input.shape[0], ...(this.resolve(input.shape.slice(1)) as number[])]);
  }
  override getConfig() {
    return { ...super.getConfig(), targetShape: this.targetShape };
  }
}

/** Permute the non-batch dimensions, 1-indexed as Keras: new Permute({ dims: [2, 1] }). */
export class Permute extends Layer {
  readonly className = 'Permute';
  readonly dims: number[];
  constructor(args: LayerArgs & { dims?: number[] } = {}) {
    checkLayerOptions('Permute', args, ['dims']);
    super(args);
    const d = args.dims;
    if (!Array.isArray(d) || [...d].sort((a, b) => a - b).some((v, i) => v !== i + 1)) throw new Error(`Permute: dims must be a permutation of 1..n (the batch axis 0 stays first), got ${JSON.stringify(d)}.`);
    this.dims = [...d];
  }
  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [inputShape[0], ...this.dims.map((d) => inputShape[d])];
  }
  call(input: Tensor): Tensor {
    if (input.rank !== this.dims.length + 1) throw new Error(`Permute '${this.name}': dims ${JSON.stringify(this.dims)} need inputs of rank ${this.dims.length + 1}, got shape [${input.shape.join(', ')}].`);
    return ops.transpose(input, [0, ...this.dims]);
  }
  override getConfig() {
    return { ...super.getConfig(), dims: this.dims };
  }
}

/** Repeat a [batch, features] input n times: [batch, n, features]. */
export class RepeatVector extends Layer {
  readonly className = 'RepeatVector';
  readonly n: number;
  constructor(nOrArgs: number | (LayerArgs & { n?: number }) = {}) {
    const args = typeof nOrArgs === 'number' ? { n: nOrArgs } : nOrArgs;
    checkLayerOptions('RepeatVector', args, ['n']);
    super(args);
    if (!Number.isInteger(args.n) || args.n! < 1) throw new Error(`RepeatVector: n must be a positive integer, got ${args.n}.`);
    this.n = args.n!;
  }
  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [inputShape[0], this.n, inputShape[1]];
  }
  call(input: Tensor): Tensor {
    if (input.rank !== 2) throw new Error(`RepeatVector '${this.name}' expects inputs of rank 2 ([batch, features]), got shape [${input.shape.join(', ')}].`);
    return ops.gather(ops.expandDims(input, 1), new Tensor(new Float32Array(this.n), [this.n]), 1);
  }
  override getConfig() {
    return { ...super.getConfig(), n: this.n };
  }
}

/** Per spatial dimension [before, after] from Keras's forms: n, [a, b] (1-D: before/after; else per dim), [[a, b], ...]. */
function pairsOf(value: unknown, rank: number, name: string, what: string): [number, number][] {
  const ok = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;
  if (ok(value)) return Array.from({ length: rank }, () => [value, value]);
  if (Array.isArray(value) && value.length === 2 && rank === 1 && value.every(ok)) return [[value[0], value[1]]];
  if (Array.isArray(value) && value.length === rank) {
    if (value.every(ok)) return value.map((v) => [v, v]);
    if (value.every((p) => Array.isArray(p) && p.length === 2 && p.every(ok))) return value.map((p) => [p[0], p[1]]);
  }
  throw new Error(`${what}: ${name} must be a non-negative integer, a list of ${rank} of them, or ${rank} [before, after] pairs, got ${JSON.stringify(value)}.`);
}

/** Base of the spatial reshaping layers: data format and the spatial axes. */
abstract class Spatial extends Layer {
  readonly rank: number;
  readonly dataFormat: DataFormat;
  constructor(className: string, rank: number, args: LayerArgs & { dataFormat?: DataFormatIdentifier | null }, own: string[]) {
    checkLayerOptions(className, args, [...own, 'dataFormat']);
    super(args);
    this.rank = rank;
    this.dataFormat = dataFormatOf(rank === 1 ? undefined : args.dataFormat, className);
  }
  /** Axis of spatial dimension d in the full shape. */
  protected axisOf(d: number): number {
    return this.dataFormat === 'channelsLast' ? 1 + d : 2 + d;
  }
  protected check(shape: SymbolicShape): void {
    this.ensureName();
    checkSpatialRank(shape, this.rank, this.className, this.name);
  }
  override getConfig(): Record<string, unknown> {
    return this.rank === 1 ? super.getConfig() : { ...super.getConfig(), dataFormat: this.dataFormat };
  }
}

abstract class ZeroPadding extends Spatial {
  readonly padding: [number, number][];
  constructor(className: string, rank: number, args: LayerArgs & { padding?: unknown; dataFormat?: DataFormatIdentifier | null }) {
    super(className, rank, args, ['padding']);
    this.padding = pairsOf(args.padding ?? 1, rank, 'padding', className);
  }
  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    this.check(inputShape);
    const out = [...inputShape];
    this.padding.forEach(([a, b], d) => {
      const ax = this.axisOf(d);
      out[ax] = out[ax] === null ? null : (out[ax] as number) + a + b;
    });
    return out;
  }
  call(input: Tensor): Tensor {
    this.check([null, ...input.shape.slice(1)]);
    let x = input;
    this.padding.forEach(([a, b], d) => {
      const ax = this.axisOf(d);
      const part = (n: number) => zeros(x.shape.map((s, i) => (i === ax ? n : s)));
      if (a || b) x = ops.concat([...(a ? [part(a)] : []), x, ...(b ? [part(b)] : [])], ax);
    });
    return x;
  }
  override getConfig() {
    return { ...super.getConfig(), padding: this.rank === 1 ? this.padding[0] : this.padding };
  }
}

abstract class Cropping extends Spatial {
  readonly cropping: [number, number][];
  constructor(className: string, rank: number, args: LayerArgs & { cropping?: unknown; dataFormat?: DataFormatIdentifier | null }, fallback: unknown) {
    super(className, rank, args, ['cropping']);
    this.cropping = pairsOf(args.cropping ?? fallback, rank, 'cropping', className);
  }
  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    this.check(inputShape);
    const out = [...inputShape];
    this.cropping.forEach(([a, b], d) => {
      const ax = this.axisOf(d), n = out[ax];
      if (n !== null && a + b >= n) throw new Error(`${this.className} '${this.name}': cropping ${a} + ${b} leaves nothing of dimension ${ax} (size ${n}).`);
      out[ax] = n === null ? null : n - a - b;
    });
    return out;
  }
  call(input: Tensor): Tensor {
    const out = this.computeOutputShape([null, ...input.shape.slice(1)]);
    const begin = input.shape.map(() => 0);
    this.cropping.forEach(([a], d) => (begin[this.axisOf(d)] = a));
    return ops.slice(input, begin, [input.shape[0], ...(out.slice(1) as number[])]);
  }
  override getConfig() {
    return { ...super.getConfig(), cropping: this.rank === 1 ? this.cropping[0] : this.cropping };
  }
}

abstract class UpSampling extends Spatial {
  readonly size: number[];
  constructor(className: string, rank: number, args: LayerArgs & { size?: number | number[]; dataFormat?: DataFormatIdentifier | null; interpolation?: string }) {
    super(className, rank, args, rank === 2 ? ['size', 'interpolation'] : ['size']);
    if (args.interpolation !== undefined && args.interpolation !== 'nearest') throw new Error(`${className}: only interpolation 'nearest' is supported, got ${JSON.stringify(args.interpolation)}.`);
    this.size = tupleOf(args.size ?? 2, rank, 'size', className);
  }
  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    this.check(inputShape);
    const out = [...inputShape];
    this.size.forEach((s, d) => {
      const ax = this.axisOf(d);
      out[ax] = out[ax] === null ? null : (out[ax] as number) * s;
    });
    return out;
  }
  call(input: Tensor): Tensor {
    this.check([null, ...input.shape.slice(1)]);
    let x = input;
    this.size.forEach((s, d) => {
      const ax = this.axisOf(d), n = x.shape[ax];
      if (s > 1) x = ops.gather(x, new Tensor(Float32Array.from({ length: n * s }, (_, i) => Math.floor(i / s)), [n * s]), ax);
    });
    return x;
  }
  override getConfig() {
    const size = this.rank === 1 ? this.size[0] : this.size;
    return { ...super.getConfig(), size, ...(this.rank === 2 ? { interpolation: 'nearest' } : {}) };
  }
}

type SpatialArgs<K extends string, V> = LayerArgs & { dataFormat?: DataFormatIdentifier | null } & { [P in K]?: V };
type PadValue = number | number[] | [number, number][];

/** new ZeroPadding1D({ padding: 2 }) or padding [left, right]. */
export class ZeroPadding1D extends ZeroPadding {
  readonly className = 'ZeroPadding1D';
  constructor(args: SpatialArgs<'padding', PadValue> = {}) { super('ZeroPadding1D', 1, args); }
}
/** padding n, [rows, cols] or [[top, bottom], [left, right]] (default 1). */
export class ZeroPadding2D extends ZeroPadding {
  readonly className = 'ZeroPadding2D';
  constructor(args: SpatialArgs<'padding', PadValue> = {}) { super('ZeroPadding2D', 2, args); }
}
export class ZeroPadding3D extends ZeroPadding {
  readonly className = 'ZeroPadding3D';
  constructor(args: SpatialArgs<'padding', PadValue> = {}) { super('ZeroPadding3D', 3, args); }
}
/** cropping n or [start, end] (default [1, 1]). */
export class Cropping1D extends Cropping {
  readonly className = 'Cropping1D';
  constructor(args: SpatialArgs<'cropping', PadValue> = {}) { super('Cropping1D', 1, args, 1); }
}
/** cropping n, [rows, cols] or [[top, bottom], [left, right]] (default 0). */
export class Cropping2D extends Cropping {
  readonly className = 'Cropping2D';
  constructor(args: SpatialArgs<'cropping', PadValue> = {}) { super('Cropping2D', 2, args, 0); }
}
export class Cropping3D extends Cropping {
  readonly className = 'Cropping3D';
  constructor(args: SpatialArgs<'cropping', PadValue> = {}) { super('Cropping3D', 3, args, 1); }
}
/** Repeat each step size times (default 2). */
export class UpSampling1D extends UpSampling {
  readonly className = 'UpSampling1D';
  constructor(args: SpatialArgs<'size', number | number[]> = {}) { super('UpSampling1D', 1, args); }
}
/** Repeat rows and columns size times (default [2, 2]); interpolation 'nearest'. */
export class UpSampling2D extends UpSampling {
  readonly className = 'UpSampling2D';
  constructor(args: SpatialArgs<'size', number | number[]> & { interpolation?: 'nearest' } = {}) { super('UpSampling2D', 2, args); }
}
export class UpSampling3D extends UpSampling {
  readonly className = 'UpSampling3D';
  constructor(args: SpatialArgs<'size', number | number[]> = {}) { super('UpSampling3D', 3, args); }
}

registerLayer('Reshape', Reshape);
registerLayer('Permute', Permute);
registerLayer('RepeatVector', RepeatVector);
registerLayer('ZeroPadding1D', ZeroPadding1D);
registerLayer('ZeroPadding2D', ZeroPadding2D);
registerLayer('ZeroPadding3D', ZeroPadding3D);
registerLayer('Cropping1D', Cropping1D);
registerLayer('Cropping2D', Cropping2D);
registerLayer('Cropping3D', Cropping3D);
registerLayer('UpSampling1D', UpSampling1D);
registerLayer('UpSampling2D', UpSampling2D);
registerLayer('UpSampling3D', UpSampling3D);
