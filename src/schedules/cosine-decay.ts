// CosineDecay with optional linear warmup (Keras keras.optimizers.schedules.CosineDecay;
// Loshchilov & Hutter 2017, SGDR; warmup: Goyal et al. 2017).
//   no warmupTarget: s = min(step, decaySteps); lr = initialLearningRate * ((1 - alpha) * 0.5 * (1 + cos(pi s / decaySteps)) + alpha)
//   warmupTarget:    s = min(step, warmupSteps + decaySteps)
//                    s < warmupSteps: lr = initialLearningRate + (warmupTarget - initialLearningRate) * s / warmupSteps
//                    else            lr = warmupTarget * ((1 - alpha) * 0.5 * (1 + cos(pi (s - warmupSteps) / decaySteps)) + alpha)

import { LearningRateSchedule, checkKeys, checkNumber } from './schedule.js';

export interface CosineDecayOptions {
  initialLearningRate: number;
  /** Steps of the cosine decay, > 0. */
  decaySteps: number;
  /** Final rate as a fraction of the decay's starting rate, in [0, 1]. Default 0. */
  alpha?: number;
  /** Rate reached at the end of the warmup; null: no warmup. Default null. */
  warmupTarget?: number | null;
  /** Steps of linear warmup, >= 0. Default 0. */
  warmupSteps?: number;
  name?: string;
}

export class CosineDecay extends LearningRateSchedule {
  static override className = 'CosineDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly alpha: number;
  readonly warmupTarget: number | null;
  readonly warmupSteps: number;
  readonly name: string;

  constructor(options: CosineDecayOptions) {
    super();
    const o = 'CosineDecay';
    checkKeys(o, options ?? {}, ['initialLearningRate', 'decaySteps', 'alpha', 'warmupTarget', 'warmupSteps', 'name']);
    this.initialLearningRate = checkNumber(o, 'initialLearningRate', options?.initialLearningRate, { min: 0 });
    this.decaySteps = checkNumber(o, 'decaySteps', options.decaySteps, { min: 0, minExclusive: true });
    this.alpha = checkNumber(o, 'alpha', options.alpha ?? 0, { min: 0, max: 1 });
    this.warmupTarget = options.warmupTarget === undefined || options.warmupTarget === null ? null : checkNumber(o, 'warmupTarget', options.warmupTarget, { min: 0 });
    this.warmupSteps = checkNumber(o, 'warmupSteps', options.warmupSteps ?? 0, { min: 0 });
    this.name = options.name ?? o;
  }

  private decay(s: number, from: number): number {
    return from * ((1 - this.alpha) * 0.5 * (1 + Math.cos((Math.PI * s) / this.decaySteps)) + this.alpha);
  }

  call(step: number): number {
    if (this.warmupTarget === null) return this.decay(Math.min(step, this.decaySteps), this.initialLearningRate);
    const s = Math.min(step, this.warmupSteps + this.decaySteps);
    if (s < this.warmupSteps) return (this.warmupTarget - this.initialLearningRate) * (s / this.warmupSteps) + this.initialLearningRate;
    return this.decay(s - this.warmupSteps, this.warmupTarget);
  }

  getConfig(): Record<string, unknown> {
    return { initialLearningRate: this.initialLearningRate, decaySteps: this.decaySteps, alpha: this.alpha, warmupTarget: this.warmupTarget, warmupSteps: this.warmupSteps, name: this.name };
  }
}
