// Loss base, as Keras 3's keras.losses.Loss: a per-sample function (compute) plus the reduction of the weighted values.
//
//   values = compute(yTrue, yPred)              one value per sample (or per sample and timestep), shape [batch, ...]
//   values = values · sampleWeight              a scalar, [batch], [batch, 1] or the values' shape, broadcast
//   'sum_over_batch_size' (default), 'mean':    Σ values / number of values      (0 when there are none)
//   'sum':                                      Σ values
//   'mean_with_sample_weight':                  Σ values / Σ sampleWeight        (as sum_over_batch_size when unweighted)
//   'none':                                     values, unreduced
// 'auto' (tf.keras 2 configs) means 'sum_over_batch_size'; null means 'none'.

import { Tensor } from '../tensor/tensor.js';
import * as ops from '../ops/index.js';
import { Registry } from '../registry.js';
import { checkKeys } from '../schedules/schedule.js';

/** Keras's backend epsilon, used for clipping probabilities. */
export const EPSILON = 1e-7;

export type Reduction = 'sum_over_batch_size' | 'sum' | 'mean' | 'mean_with_sample_weight' | 'none';
export const REDUCTIONS: readonly Reduction[] = ['sum_over_batch_size', 'sum', 'mean', 'mean_with_sample_weight', 'none'];

export interface LossOptions {
  /** Name in logs and configs. Default: the loss's snake_case name, e.g. 'mean_squared_error'. */
  name?: string;
  /** How call() reduces the weighted per-sample values. Default 'sum_over_batch_size'. */
  reduction?: Reduction | 'auto' | null;
  /** Accepted for Keras configs and ignored: descent computes in float32. */
  dtype?: unknown;
}

/** A sample weight as Keras takes it: a number, or a tensor of shape [], [batch], [batch, 1] or the values' shape. */
export type SampleWeight = Tensor | number | null | undefined;

function standardizeReduction(owner: string, r: LossOptions['reduction']): Reduction {
  if (r === undefined || r === 'auto') return 'sum_over_batch_size';
  if (r === null) return 'none';
  // Saved configs may carry the camelCase spelling ('sumOverBatchSize', as TF.js converts string values).
  if (typeof r === 'string') r = r.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) as Reduction;
  if (!REDUCTIONS.includes(r)) throw new Error(`${owner}: invalid value for argument \`reduction\`: '${String(r)}'. Expected one of ${REDUCTIONS.map((x) => `'${x}'`).join(', ')} (or null).`);
  return r;
}

export abstract class Loss {
  /** The class name in saved configs and the registry, e.g. 'MeanSquaredError'. */
  abstract readonly className: string;
  readonly name: string;
  readonly reduction: Reduction;
  /** True when targets are class indices (sparse), which changes how targets are aligned with predictions. */
  readonly sparse: boolean = false;

  /** `known` lists the subclass's own option names (checked with name, reduction and dtype). */
  constructor(options: LossOptions & object, defaultName: string, known: readonly string[] = []) {
    const owner = new.target.name;
    if (options === null || typeof options !== 'object') throw new Error(`${owner}: options must be an object, e.g. new ${owner}({ reduction: 'sum' }).`);
    checkKeys(owner, options, ['name', 'reduction', 'dtype', ...known]);
    this.name = options.name ?? defaultName;
    this.reduction = standardizeReduction(owner, options.reduction);
  }

  /** Per-sample values from aligned targets; shape [batch] (or [batch, ...] for sequence outputs). */
  protected abstract compute(yTrue: Tensor, yPred: Tensor): Tensor;

  /** The subclass's own config entries (camelCase), e.g. { fromLogits, labelSmoothing }. */
  protected options(): Record<string, unknown> {
    return {};
  }

  /** Per-sample values, unweighted and unreduced. */
  perSampleLoss(yTrue: Tensor, yPred: Tensor): Tensor {
    return this.compute(alignTargets(yTrue, yPred, this.sparse), yPred);
  }

  /** Keras's loss(yTrue, yPred, sampleWeight): per-sample values, weighted, then reduced by `reduction`. */
  call(yTrue: Tensor, yPred: Tensor, sampleWeight?: SampleWeight): Tensor {
    const y = alignTargets(yTrue, yPred, this.sparse);
    return reduceWeighted(this.compute(y, yPred), sampleWeight, this.reduction, this.validMask(y));
  }

  /** 1 where a value counts, 0 where it is masked out (e.g. an ignored class); null when all count. */
  protected validMask(_yTrue: Tensor): Tensor | null {
    return null;
  }

  /** Checks labels before training; throws with the offending position. Default: no check. */
  validateTargets(_yTrue: Tensor, _outputShape: readonly number[]): void {}

  getConfig(): Record<string, unknown> {
    return { name: this.name, reduction: this.reduction, ...this.options() };
  }

  /** The config without name and reduction (what the planned fast path and the TF.js export look at). */
  get config(): Record<string, unknown> {
    return this.options();
  }
}

/**
 * Weight and reduce per-sample values as Keras 3's reduce_weighted_values. A mask (one entry per value) joins the
 * weights; for the mean reductions its kept entries weigh total/valid, so the mean is over the valid values only.
 */
export function reduceWeighted(values: Tensor, sampleWeight: SampleWeight, reduction: Reduction, mask: Tensor | null = null): Tensor {
  // Everything here is ops (no reads of .data), so a captured step recomputes the mask and divisors per batch.
  let w: Tensor | null = null;
  if (sampleWeight !== undefined && sampleWeight !== null) {
    w = typeof sampleWeight === 'number' ? new Tensor(new Float32Array([sampleWeight]), []) : sampleWeight;
    w = weightLike(w, values);
  }
  if (mask) {
    // Kept entries weigh total/valid for the mean reductions (all masked: the values are 0 whatever the scale).
    const m = reduction === 'sum_over_batch_size' || reduction === 'mean' ? ops.mul(mask, ops.div(mask.size, ops.maximum(ops.sum(mask), 1))) : mask;
    w = w ? ops.mul(w, m) : m;
  }
  if (w) values = ops.mul(values, w);
  if (reduction === 'none' || values.rank === 0) return values;
  const total = ops.sum(values);
  if (reduction === 'sum') return total;
  if (reduction === 'mean_with_sample_weight' && w) {
    // total / Σw, and 0 when Σw = 0 (then every weighted value is 0 too).
    const sw = ops.sum(w);
    return ops.div(total, ops.add(sw, ops.equal(sw, 0)));
  }
  return ops.div(total, values.size);
}

/** The weight shaped to broadcast against values: a scalar stays; [batch, 1] / [batch] / [batch, T] line up from the left. */
function weightLike(w: Tensor, values: Tensor): Tensor {
  if (w.size === 1) return w.rank === 0 ? w : ops.reshape(w, []);
  if (w.size === values.size) return ops.reshape(w, values.shape);
  let shape = [...w.shape];
  while (shape.length > values.rank && shape[shape.length - 1] === 1) shape = shape.slice(0, -1);
  while (shape.length < values.rank) shape.push(1);
  const ok = shape.length === values.rank && shape.every((d, i) => d === 1 || d === values.shape[i]);
  if (!ok) throw new Error(`sampleWeight of shape [${w.shape.join(', ')}] does not match the loss values of shape [${values.shape.join(', ')}]; give one weight per sample ([${values.shape[0]}]), a number, or the values' shape.`);
  return ops.reshape(w, shape);
}

/** Keras aligns a [batch] target with a [batch, 1] prediction (and drops a trailing 1 for sparse targets). */
export function alignTargets(yTrue: Tensor, yPred: Tensor, sparse: boolean): Tensor {
  if (sparse) return yTrue.rank === yPred.rank && yTrue.shape[yTrue.rank - 1] === 1 ? ops.reshape(yTrue, yTrue.shape.slice(0, -1)) : yTrue;
  if (yTrue.rank === yPred.rank - 1 && yPred.shape[yPred.rank - 1] === 1) return ops.reshape(yTrue, yPred.shape);
  if (yTrue.rank === yPred.rank + 1 && yTrue.shape[yTrue.rank - 1] === 1) return ops.reshape(yTrue, yPred.shape);
  return yTrue;
}

/** Mean over the last axis, giving one value per sample. */
export function meanLastAxis(x: Tensor): Tensor {
  return x.rank <= 1 ? x : ops.mean(x, -1);
}

/** A user's function as a loss: per-sample values (or a scalar) from (yTrue, yPred). */
export class LossFunctionWrapper extends Loss {
  readonly className = 'LossFunctionWrapper';
  constructor(
    private readonly fn: (yTrue: Tensor, yPred: Tensor) => Tensor,
    options: LossOptions = {},
  ) {
    super(options, fn.name || 'custom_loss');
  }
  protected compute(yTrue: Tensor, yPred: Tensor): Tensor {
    return this.fn(yTrue, yPred);
  }
}

export type LossClass = new (options?: any) => Loss;
export const lossRegistry = new Registry<LossClass>('loss');

export type LossIdentifier = string | Loss | ((yTrue: Tensor, yPred: Tensor) => Tensor);

/** Resolve 'binary_crossentropy', 'binaryCrossentropy', a Loss object, or a user function (per-sample or scalar). */
export function getLoss(identifier: LossIdentifier, config: Record<string, unknown> = {}): Loss {
  if (identifier instanceof Loss) return identifier;
  if (typeof identifier === 'function') return new LossFunctionWrapper(identifier);
  const Cls = lossRegistry.get(identifier);
  return new Cls(config);
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

/** A number in [lo, hi] (an option of a loss or metric), or a clear error naming it. */
export function checkIn(owner: string, key: string, v: unknown, lo: number, hi: number): number {
  if (typeof v !== 'number' || !(v >= lo && v <= hi)) throw new Error(`${owner}: \`${key}\` must be a number in [${lo}, ${hi}], got ${String(v)}.`);
  return v;
}

export { Tensor };
