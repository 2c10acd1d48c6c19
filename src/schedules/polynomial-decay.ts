// PolynomialDecay (Keras keras.optimizers.schedules.PolynomialDecay):
//   not cycle: s = min(step, decaySteps), D = decaySteps
//   cycle:     s = step, D = decaySteps * max(1, ceil(step / decaySteps))   (1 at step 0)
//   lr(step) = (initialLearningRate - endLearningRate) * (1 - s / D) ^ power + endLearningRate

import { LearningRateSchedule, checkKeys, checkNumber } from './schedule.js';

export interface PolynomialDecayOptions {
  initialLearningRate: number;
  /** > 0. */
  decaySteps: number;
  /** Final learning rate, >= 0. Default 0.0001. */
  endLearningRate?: number;
  /** Exponent, >= 0. Default 1. */
  power?: number;
  /** Restart the decay after each decaySteps multiple. Default false. */
  cycle?: boolean;
  name?: string;
}

export class PolynomialDecay extends LearningRateSchedule {
  static override className = 'PolynomialDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly endLearningRate: number;
  readonly power: number;
  readonly cycle: boolean;
  readonly name: string;

  constructor(options: PolynomialDecayOptions) {
    super();
    const o = 'PolynomialDecay';
    checkKeys(o, options ?? {}, ['initialLearningRate', 'decaySteps', 'endLearningRate', 'power', 'cycle', 'name']);
    this.initialLearningRate = checkNumber(o, 'initialLearningRate', options?.initialLearningRate, { min: 0 });
    this.decaySteps = checkNumber(o, 'decaySteps', options.decaySteps, { min: 0, minExclusive: true });
    this.endLearningRate = checkNumber(o, 'endLearningRate', options.endLearningRate ?? 0.0001, { min: 0 });
    this.power = checkNumber(o, 'power', options.power ?? 1, { min: 0 });
    this.cycle = options.cycle ?? false;
    this.name = options.name ?? o;
  }

  call(step: number): number {
    let s = step;
    let d = this.decaySteps;
    if (this.cycle) d *= step === 0 ? 1 : Math.ceil(step / this.decaySteps);
    else s = Math.min(step, d);
    return (this.initialLearningRate - this.endLearningRate) * Math.pow(1 - s / d, this.power) + this.endLearningRate;
  }

  getConfig(): Record<string, unknown> {
    return { initialLearningRate: this.initialLearningRate, decaySteps: this.decaySteps, endLearningRate: this.endLearningRate, power: this.power, cycle: this.cycle, name: this.name };
  }
}
