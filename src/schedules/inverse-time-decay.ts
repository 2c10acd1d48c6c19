// InverseTimeDecay (Keras keras.optimizers.schedules.InverseTimeDecay):
//   lr(step) = initialLearningRate / (1 + decayRate * step / decaySteps)   (floor(step / decaySteps) if staircase)
// InverseTimeDecay(lr, decaySteps 1, decayRate d) is exactly Keras 2's legacy `decay=d`.

import { LearningRateSchedule, checkKeys, checkNumber } from './schedule.js';

export interface InverseTimeDecayOptions {
  initialLearningRate: number;
  /** > 0. */
  decaySteps: number;
  /** >= 0. */
  decayRate: number;
  /** Default false. */
  staircase?: boolean;
  name?: string;
}

export class InverseTimeDecay extends LearningRateSchedule {
  static override className = 'InverseTimeDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  readonly staircase: boolean;
  readonly name: string;

  constructor(options: InverseTimeDecayOptions) {
    super();
    const o = 'InverseTimeDecay';
    checkKeys(o, options ?? {}, ['initialLearningRate', 'decaySteps', 'decayRate', 'staircase', 'name']);
    this.initialLearningRate = checkNumber(o, 'initialLearningRate', options?.initialLearningRate, { min: 0 });
    this.decaySteps = checkNumber(o, 'decaySteps', options.decaySteps, { min: 0, minExclusive: true });
    this.decayRate = checkNumber(o, 'decayRate', options.decayRate, { min: 0 });
    this.staircase = options.staircase ?? false;
    this.name = options.name ?? o;
  }

  call(step: number): number {
    let p = step / this.decaySteps;
    if (this.staircase) p = Math.floor(p);
    return this.initialLearningRate / (1 + this.decayRate * p);
  }

  getConfig(): Record<string, unknown> {
    return { initialLearningRate: this.initialLearningRate, decaySteps: this.decaySteps, decayRate: this.decayRate, staircase: this.staircase, name: this.name };
  }
}
