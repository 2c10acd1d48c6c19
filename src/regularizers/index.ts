// Weight penalties added to the training loss: l1·Σ|w| + l2·Σw² (Keras defaults 0.01 for L1 and L2 alone).

import type { Tensor } from '../tensor/tensor.js';
import * as ops from '../ops/index.js';
import { Registry } from '../registry.js';
import { checkKeys } from '../schedules/schedule.js';

export class L1L2 {
  readonly className: string = 'L1L2';
  readonly l1: number;
  readonly l2: number;
  constructor(options: { l1?: number; l2?: number } = {}) {
    checkKeys(new.target.name, options, ['l1', 'l2']);
    this.l1 = options.l1 ?? 0;
    this.l2 = options.l2 ?? 0;
    for (const [k, v] of Object.entries({ l1: this.l1, l2: this.l2 })) {
      if (!Number.isFinite(v) || v < 0) throw new Error(`Regularizer ${k} must be a non-negative number, got ${v}.`);
    }
  }
  /** The penalty as a scalar tensor (differentiable). */
  penalty(x: Tensor): Tensor {
    let total: Tensor | null = null;
    if (this.l1) total = ops.mul(this.l1, ops.sum(ops.abs(x)));
    if (this.l2) {
      const p = ops.mul(this.l2, ops.sum(ops.square(x)));
      total = total ? ops.add(total, p) : p;
    }
    return total ?? ops.mul(0, ops.sum(x));
  }
  getConfig(): Record<string, unknown> {
    return { l1: this.l1, l2: this.l2 };
  }
}

export class L1 extends L1L2 {
  override readonly className = 'L1';
  constructor(options: { l1?: number } | number = {}) {
    if (typeof options === 'object' && options !== null) checkKeys('L1', options, ['l1']);
    super({ l1: typeof options === 'number' ? options : (options.l1 ?? 0.01) });
  }
  override getConfig() {
    return { l1: this.l1 };
  }
}

export class L2 extends L1L2 {
  override readonly className = 'L2';
  constructor(options: { l2?: number } | number = {}) {
    if (typeof options === 'object' && options !== null) checkKeys('L2', options, ['l2']);
    super({ l2: typeof options === 'number' ? options : (options.l2 ?? 0.01) });
  }
  override getConfig() {
    return { l2: this.l2 };
  }
}

export type Regularizer = L1L2;

/** Keras's functional spellings l1(0.01), l2(0.01), l1l2({ l1, l2 }); TF.js's l1({ l1: 0.01 }), l2({ l2: 0.01 }) as well. */
export const l1 = (value: number | { l1?: number } = 0.01) => new L1(value);
export const l2 = (value: number | { l2?: number } = 0.01) => new L2(value);
export const l1l2 = (options: { l1?: number; l2?: number } = { l1: 0.01, l2: 0.01 }) => new L1L2(options);

export const regularizers = new Registry<new (config?: any) => Regularizer>('regularizer');
regularizers.register(['l1', 'L1'], L1);
regularizers.register(['l2', 'L2'], L2);
regularizers.register(['l1_l2', 'L1L2', 'l1l2'], L1L2);

export type RegularizerIdentifier = string | Regularizer | { className: string; config?: Record<string, unknown> };

export function getRegularizer(identifier: RegularizerIdentifier | null | undefined): Regularizer | null {
  if (identifier === null || identifier === undefined) return null;
  if (typeof identifier === 'string') return new (regularizers.get(identifier))();
  if (identifier instanceof L1L2) return identifier;
  return new (regularizers.get(identifier.className))(identifier.config ?? {});
}

/** A layer config's regularizer entry (Keras's serialize_keras_object shape), or null: getRegularizer's inverse. */
export function serializeRegularizer(r: Regularizer | null): { className: string; config: Record<string, unknown> } | null {
  return r ? { className: r.className, config: r.getConfig() } : null;
}
