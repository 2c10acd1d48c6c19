// CosineDecayRestarts, SGDR (Loshchilov & Hutter 2017; Keras keras.optimizers.schedules.CosineDecayRestarts).
//   f = step / firstDecaySteps
//   tMul == 1: i = floor(f), f = f - i
//   else:      i = floor(log(1 - f (1 - tMul)) / log(tMul)), f = (f - (1 - tMul^i) / (1 - tMul)) / tMul^i
//   lr = initialLearningRate * ((1 - alpha) * 0.5 * mMul^i * (1 + cos(pi f)) + alpha)
// Period i lasts firstDecaySteps * tMul^i steps and starts from mMul^i times the initial rate.

import { LearningRateSchedule, checkKeys, checkNumber } from './schedule.js';

export interface CosineDecayRestartsOptions {
  initialLearningRate: number;
  /** Length of the first period, > 0. */
  firstDecaySteps: number;
  /** Period length multiplier, > 0. Default 2. */
  tMul?: number;
  /** Restart rate multiplier, >= 0. Default 1. */
  mMul?: number;
  /** Minimum as a fraction of initialLearningRate, in [0, 1]. Default 0. */
  alpha?: number;
  name?: string;
}

export class CosineDecayRestarts extends LearningRateSchedule {
  static override className = 'CosineDecayRestarts';
  readonly initialLearningRate: number;
  readonly firstDecaySteps: number;
  readonly tMul: number;
  readonly mMul: number;
  readonly alpha: number;
  readonly name: string;

  constructor(options: CosineDecayRestartsOptions) {
    super();
    const o = 'CosineDecayRestarts';
    checkKeys(o, options ?? {}, ['initialLearningRate', 'firstDecaySteps', 'tMul', 'mMul', 'alpha', 'name']);
    this.initialLearningRate = checkNumber(o, 'initialLearningRate', options?.initialLearningRate, { min: 0 });
    this.firstDecaySteps = checkNumber(o, 'firstDecaySteps', options.firstDecaySteps, { min: 0, minExclusive: true });
    this.tMul = checkNumber(o, 'tMul', options.tMul ?? 2, { min: 0, minExclusive: true });
    this.mMul = checkNumber(o, 'mMul', options.mMul ?? 1, { min: 0 });
    this.alpha = checkNumber(o, 'alpha', options.alpha ?? 0, { min: 0, max: 1 });
    this.name = options.name ?? 'SGDRDecay';
  }

  call(step: number): number {
    let f = step / this.firstDecaySteps;
    let i: number;
    if (this.tMul === 1) {
      i = Math.floor(f);
      f -= i;
    } else {
      i = Math.floor(Math.log(1 - f * (1 - this.tMul)) / Math.log(this.tMul));
      const sumR = (1 - Math.pow(this.tMul, i)) / (1 - this.tMul);
      f = (f - sumR) / Math.pow(this.tMul, i);
    }
    const cosine = 0.5 * Math.pow(this.mMul, i) * (1 + Math.cos(Math.PI * f));
    return this.initialLearningRate * ((1 - this.alpha) * cosine + this.alpha);
  }

  getConfig(): Record<string, unknown> {
    return { initialLearningRate: this.initialLearningRate, firstDecaySteps: this.firstDecaySteps, tMul: this.tMul, mMul: this.mMul, alpha: this.alpha, name: this.name };
  }
}
