// Merge layers (Keras 3's keras.layers.merging, TF.js's tf.layers.add/concatenate/...): called on a list of
// tensors of the same shape (elementwise ones broadcast size-1 axes), e.g. new Add().apply([x, shortcut]).
//   Add Σ xᵢ · Subtract x₀ − x₁ · Multiply Π xᵢ · Average (Σ xᵢ)/n · Maximum / Minimum elementwise
//   Concatenate({ axis = -1 }) joins along an axis · Dot({ axes, normalize = false }) Σ_k a[b,k]·b[b,k] → [batch, 1]

import { ones, type Tensor } from '../tensor/tensor.js';
import * as ops from '../ops/index.js';
import { Layer, registerLayer, checkLayerOptions, isShapeList, formatSymbolicShape, type LayerArgs, type SymbolicShape } from './layer.js';

/** Base: checks the list of input shapes (the error names the layer and every shape), then folds the inputs. */
export abstract class Merge extends Layer {
  /** Exactly this many inputs (Subtract, Dot), or null for two or more. */
  protected readonly arity: number | null = null;
  override readonly supportsMasking = true;

  /** Keras 3's merge mask: a step is kept where any input keeps it (OR), and no mask unless every input has one. */
  override computeMask(_inputs: Tensor | Tensor[], mask: Tensor | null | (Tensor | null)[]): Tensor | null {
    if (!Array.isArray(mask) || mask.some((m) => m === null)) return null;
    return (mask as Tensor[]).slice(1).reduce((a, b) => ops.maximum(a, b), mask[0] as Tensor);
  }

  protected shapes(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape[] {
    const what = `Layer '${this.name}' (${this.className})`;
    if (!isShapeList(inputShape)) throw new Error(`${what} must be called on a list of tensors, e.g. layer.apply([a, b]); got one tensor of shape ${formatSymbolicShape(inputShape)}.`);
    const n = this.arity;
    if (n !== null ? inputShape.length !== n : inputShape.length < 2) {
      throw new Error(`${what} needs ${n ?? 'at least 2'} inputs, got ${inputShape.length}: ${inputShape.map(formatSymbolicShape).join(', ')}.`);
    }
    return inputShape;
  }

  override build(inputShape: SymbolicShape | SymbolicShape[]): void {
    this.computeOutputShape(inputShape);
    this.built = true;
  }

  /** Elementwise merges: same rank, each axis equal or 1 (broadcast), batch axis free. */
  override computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape {
    const shapes = this.shapes(inputShape);
    const rank = shapes[0].length;
    const out: SymbolicShape = [...shapes[0]];
    for (const s of shapes) {
      const bad = () => new Error(`Layer '${this.name}' (${this.className}) needs inputs of the same shape (or size 1 to broadcast), got ${shapes.map(formatSymbolicShape).join(', ')}.`);
      if (s.length !== rank) throw bad();
      for (let i = 1; i < rank; i++) {
        const [a, b] = [out[i], s[i]];
        if (a === null || b === null) out[i] = a === 1 ? b : b === 1 ? a : (a ?? b);
        else if (a === 1) out[i] = b;
        else if (b !== 1 && a !== b) throw bad();
      }
    }
    out[0] = shapes.every((s) => s[0] !== null) ? shapes[0][0] : null;
    return out;
  }

  call(inputs: Tensor | Tensor[]): Tensor {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    this.shapes(list.map((t) => [null, ...t.shape.slice(1)]));
    return this.merge(list);
  }

  protected abstract merge(inputs: Tensor[]): Tensor;
}

const fold = (f: (a: Tensor, b: Tensor) => Tensor) => (xs: Tensor[]) => xs.slice(1).reduce(f, xs[0]);

export class Add extends Merge {
  readonly className = 'Add';
  constructor(args: LayerArgs = {}) {
    checkLayerOptions('Add', args, []);
    super(args);
  }
  protected merge(xs: Tensor[]): Tensor {
    return fold(ops.add)(xs);
  }
}

export class Subtract extends Merge {
  readonly className = 'Subtract';
  protected override readonly arity = 2;
  constructor(args: LayerArgs = {}) {
    checkLayerOptions('Subtract', args, []);
    super(args);
  }
  protected merge(xs: Tensor[]): Tensor {
    return fold(ops.sub)(xs);
  }
}

export class Multiply extends Merge {
  readonly className = 'Multiply';
  constructor(args: LayerArgs = {}) {
    checkLayerOptions('Multiply', args, []);
    super(args);
  }
  protected merge(xs: Tensor[]): Tensor {
    return fold(ops.mul)(xs);
  }
}

export class Average extends Merge {
  readonly className = 'Average';
  constructor(args: LayerArgs = {}) {
    checkLayerOptions('Average', args, []);
    super(args);
  }
  protected merge(xs: Tensor[]): Tensor {
    return ops.mul(fold(ops.add)(xs), 1 / xs.length);
  }
}

export class Maximum extends Merge {
  readonly className = 'Maximum';
  constructor(args: LayerArgs = {}) {
    checkLayerOptions('Maximum', args, []);
    super(args);
  }
  protected merge(xs: Tensor[]): Tensor {
    return fold(ops.maximum)(xs);
  }
}

export class Minimum extends Merge {
  readonly className = 'Minimum';
  constructor(args: LayerArgs = {}) {
    checkLayerOptions('Minimum', args, []);
    super(args);
  }
  protected merge(xs: Tensor[]): Tensor {
    return fold(ops.minimum)(xs);
  }
}

export interface ConcatenateArgs extends LayerArgs {
  /** Axis to join along (default -1, the last; the batch axis 0 is not allowed). */
  axis?: number;
}

/** Joins inputs along `axis`; every other axis must match. */
export class Concatenate extends Merge {
  readonly className = 'Concatenate';
  readonly axis: number;
  constructor(args: ConcatenateArgs = {}) {
    checkLayerOptions('Concatenate', args, ['axis']);
    super(args);
    this.axis = args.axis ?? -1;
    if (!Number.isInteger(this.axis)) throw new Error(`Concatenate: axis must be an integer, got ${args.axis}.`);
  }

  /**
   * Keras 3's Concatenate mask: each input's mask spread over its last axis (all ones for an input without one),
   * joined along the concatenation axis, then OR over the last axis. No mask when no input has one.
   */
  override computeMask(inputs: Tensor | Tensor[], mask: Tensor | null | (Tensor | null)[]): Tensor | null {
    if (!Array.isArray(mask) || !Array.isArray(inputs) || mask.every((m) => m === null)) return null;
    const spread = inputs.map((x, i) => {
      const m = mask[i];
      return m === null ? ones(x.shape) : ops.mul(ops.expandDims(m, -1), ones([...m.shape, x.shape[x.rank - 1]]));
    });
    return ops.max(ops.concat(spread, this.axis), -1);
  }
  override computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape {
    const shapes = this.shapes(inputShape);
    const rank = shapes[0].length;
    const axis = this.axis < 0 ? this.axis + rank : this.axis;
    const bad = (why: string) => new Error(`Layer '${this.name}' (Concatenate, axis ${this.axis}) ${why}, got ${shapes.map(formatSymbolicShape).join(', ')}.`);
    if (axis <= 0 || axis >= rank) throw bad(`needs an axis between 1 and ${rank - 1} (not the batch axis)`);
    if (shapes.some((s) => s.length !== rank || s.some((d, i) => i !== 0 && i !== axis && d !== null && shapes[0][i] !== null && d !== shapes[0][i]))) {
      throw bad('needs inputs whose shapes match except along the concatenation axis');
    }
    const out = [...shapes[0]];
    out[axis] = shapes.some((s) => s[axis] === null) ? null : shapes.reduce((n, s) => n + (s[axis] as number), 0);
    return out;
  }
  protected merge(xs: Tensor[]): Tensor {
    return ops.concat(xs, this.axis);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }
}

export interface DotArgs extends LayerArgs {
  /** Axis (or one per input) to contract; for the rank-2 inputs supported, 1 or -1 (default -1). */
  axes?: number | [number, number];
  /** L2-normalize each input along the axis first, giving the cosine similarity (default false). */
  normalize?: boolean;
}

/** Per-sample dot product of two [batch, n] inputs: [batch, 1] (Keras's batch_dot for rank 2). */
export class Dot extends Merge {
  readonly className = 'Dot';
  protected override readonly arity = 2;
  readonly axes: number | [number, number];
  readonly normalize: boolean;
  constructor(args: DotArgs = {}) {
    checkLayerOptions('Dot', args, ['axes', 'normalize']);
    super(args);
    this.axes = args.axes ?? -1;
    this.normalize = args.normalize ?? false;
    const list = Array.isArray(this.axes) ? this.axes : [this.axes, this.axes];
    if (!list.every((a) => a === 1 || a === -1)) throw new Error(`Dot: axes ${JSON.stringify(args.axes)} not supported; descent's Dot takes rank-2 inputs and contracts axis 1 (or -1).`);
  }
  /** The contracted axis is gone: no mask (Keras's Dot.compute_mask returns None). */
  override computeMask(): null {
    return null;
  }
  override computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape {
    const [a, b] = this.shapes(inputShape);
    if (a.length !== 2 || b.length !== 2 || (a[1] !== null && b[1] !== null && a[1] !== b[1])) {
      throw new Error(`Layer '${this.name}' (Dot) needs two inputs of shape (batch, n) with the same n, got ${formatSymbolicShape(a)}, ${formatSymbolicShape(b)}.`);
    }
    return [a[0] ?? b[0], 1];
  }
  protected merge([a, b]: Tensor[]): Tensor {
    const unit = (x: Tensor) => ops.div(x, ops.sqrt(ops.maximum(ops.sum(ops.mul(x, x), -1, true), 1e-12)));
    if (this.normalize) [a, b] = [unit(a), unit(b)];
    return ops.sum(ops.mul(a, b), -1, true);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axes: this.axes, normalize: this.normalize };
  }
}

for (const cls of [Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot]) registerLayer(cls.name, cls);
