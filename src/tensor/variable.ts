// Variable: a named tensor whose values training updates in place (model weights are Variables).

import { Tensor, tensor, type TensorLike } from './tensor.js';
import { formatShape, shapesEqual } from './shape.js';

let variableCounter = 0;

export class Variable extends Tensor {
  readonly name: string;
  trainable: boolean;

  constructor(initial: TensorLike, options: { name?: string; trainable?: boolean } = {}) {
    const t = tensor(initial);
    super(t.data.slice(), t.shape);
    this.name = options.name ?? `variable_${variableCounter++}`;
    this.trainable = options.trainable ?? true;
    this.requiresGrad = this.trainable;
  }

  /** Overwrite the values (same shape), keeping identity so optimizers' slots stay attached. */
  assign(values: TensorLike): void {
    if (values instanceof Float32Array) {
      if (values.length !== this.size) throw new Error(`Cannot assign ${values.length} values to variable '${this.name}' of shape ${formatShape(this.shape)}.`);
      this.data.set(values);
      return;
    }
    const t = tensor(values);
    if (!shapesEqual(t.shape, this.shape)) {
      throw new Error(`Cannot assign a value of shape ${formatShape(t.shape)} to variable '${this.name}' of shape ${formatShape(this.shape)}.`);
    }
    for (let i = 0; i < t.size; i++) {
      if (!Number.isFinite(t.data[i])) throw new Error(`Cannot assign a non-finite value (${t.data[i]}) to variable '${this.name}' at flat index ${i}.`);
    }
    this.data.set(t.data);
  }
}
