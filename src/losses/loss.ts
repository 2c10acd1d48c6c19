// Loss base: a per-sample function plus Keras's reduction (sum over batch size, with sample weights).

import { Tensor } from '../tensor/tensor.js';
import * as ops from '../ops/index.js';
import { Registry } from '../registry.js';

/** Per-sample loss: yTrue and yPred in, one value per sample (shape [batch]) out. */
export type PerSampleLoss = (yTrue: Tensor, yPred: Tensor) => Tensor;

/** Keras's backend epsilon, used for clipping probabilities. */
export const EPSILON = 1e-7;

export class Loss {
  constructor(
    readonly name: string,
    readonly className: string,
    private readonly perSample: PerSampleLoss,
    readonly config: Record<string, unknown> = {},
    /** Checks labels before training; throws with the offending position. */
    readonly validateTargets: (yTrue: Tensor, outputShape: readonly number[]) => void = () => {},
    /** True when targets are class indices (sparse), which changes target alignment and 'accuracy'. */
    readonly sparse = false,
  ) {}

  /** Per-sample values, shape [batch]. */
  perSampleLoss(yTrue: Tensor, yPred: Tensor): Tensor {
    return this.perSample(alignTargets(yTrue, yPred, this.sparse), yPred);
  }

  /** Scalar loss: Σ(loss_i · w_i) / batch size (Keras 'sum_over_batch_size'). */
  call(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor | null): Tensor {
    let values = this.perSampleLoss(yTrue, yPred);
    if (sampleWeight) values = ops.mul(values, ops.reshape(sampleWeight, values.shape));
    return ops.mean(values);
  }

  getConfig(): Record<string, unknown> {
    return { name: this.name, ...this.config };
  }
}

/** Keras aligns a [batch] target with a [batch, 1] prediction (and drops a trailing 1 for sparse targets). */
export function alignTargets(yTrue: Tensor, yPred: Tensor, sparse: boolean): Tensor {
  if (sparse) return yTrue.rank === yPred.rank && yTrue.shape[yTrue.rank - 1] === 1 ? ops.reshape(yTrue, yTrue.shape.slice(0, -1)) : yTrue;
  if (yTrue.rank === yPred.rank - 1 && yPred.shape[yPred.rank - 1] === 1) return ops.reshape(yTrue, yPred.shape);
  return yTrue;
}

/** Mean over the last axis, giving one value per sample. */
export function meanLastAxis(x: Tensor): Tensor {
  return x.rank <= 1 ? x : ops.mean(x, -1);
}

export type LossFactory = (config?: Record<string, any>) => Loss;
export const lossRegistry = new Registry<LossFactory>('loss');

export type LossIdentifier = string | Loss | ((yTrue: Tensor, yPred: Tensor) => Tensor);

/** Resolve 'binary_crossentropy', 'binaryCrossentropy', a Loss object, or a user function (per-sample or scalar). */
export function getLoss(identifier: LossIdentifier): Loss {
  if (identifier instanceof Loss) return identifier;
  if (typeof identifier === 'function') return new Loss(identifier.name || 'custom_loss', 'LossFunctionWrapper', identifier);
  return lossRegistry.get(identifier)();
}

export function checkRange(what: string, t: Tensor, lo: number, hi: number, integer = false): void {
  for (let i = 0; i < t.size; i++) {
    const v = t.data[i];
    if (!(v >= lo && v <= hi) || (integer && !Number.isInteger(v))) {
      const row = t.rank > 1 ? Math.floor(i / (t.size / t.shape[0])) : i;
      throw new Error(`${what}: label ${v} in row ${row} is outside ${integer ? `the integers 0..${hi}` : `[${lo}, ${hi}]`}.`);
    }
  }
}

export { Tensor };
