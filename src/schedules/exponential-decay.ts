// ExponentialDecay (Keras keras.optimizers.schedules.ExponentialDecay):
//   lr(step) = initialLearningRate * decayRate ^ (step / decaySteps)      (floor of the exponent if staircase)

import { LearningRateSchedule, checkKeys, checkNumber } from './schedule.js';

export interface ExponentialDecayOptions {
  initialLearningRate: number;
  /** Steps per factor of decayRate, > 0. */
  decaySteps: number;
  /** Factor per decaySteps, > 0. */
  decayRate: number;
  /** Decay at discrete intervals. Default false. */
  staircase?: boolean;
  name?: string;
}

export class ExponentialDecay extends LearningRateSchedule {
  static override className = 'ExponentialDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  readonly staircase: boolean;
  readonly name: string;

  constructor(options: ExponentialDecayOptions) {
    super();
    const o = 'ExponentialDecay';
    checkKeys(o, options ?? {}, ['initialLearningRate', 'decaySteps', 'decayRate', 'staircase', 'name']);
    this.initialLearningRate = checkNumber(o, 'initialLearningRate', options?.initialLearningRate, { min: 0 });
    this.decaySteps = checkNumber(o, 'decaySteps', options.decaySteps, { min: 0, minExclusive: true });
    this.decayRate = checkNumber(o, 'decayRate', options.decayRate, { min: 0, minExclusive: true });
    this.staircase = options.staircase ?? false;
    this.name = options.name ?? o;
  }

  call(step: number): number {
    let p = step / this.decaySteps;
    if (this.staircase) p = Math.floor(p);
    return this.initialLearningRate * Math.pow(this.decayRate, p);
  }

  getConfig(): Record<string, unknown> {
    return { initialLearningRate: this.initialLearningRate, decaySteps: this.decaySteps, decayRate: this.decayRate, staircase: this.staircase, name: this.name };
  }
}
