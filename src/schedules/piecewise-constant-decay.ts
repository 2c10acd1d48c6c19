// PiecewiseConstantDecay (Keras keras.optimizers.schedules.PiecewiseConstantDecay):
//   lr(step) = values[0] if step <= boundaries[0]; values[i] if boundaries[i-1] < step <= boundaries[i];
//              values[n] if step > boundaries[n-1]

import { LearningRateSchedule, checkKeys, checkNumber } from './schedule.js';

export interface PiecewiseConstantDecayOptions {
  /** Strictly increasing step boundaries. */
  boundaries: number[];
  /** One more value than boundaries, each >= 0. */
  values: number[];
  name?: string;
}

export class PiecewiseConstantDecay extends LearningRateSchedule {
  static override className = 'PiecewiseConstantDecay';
  readonly boundaries: number[];
  readonly values: number[];
  readonly name: string;

  constructor(options: PiecewiseConstantDecayOptions) {
    super();
    const o = 'PiecewiseConstantDecay';
    checkKeys(o, options ?? {}, ['boundaries', 'values', 'name']);
    const { boundaries, values } = options ?? ({} as PiecewiseConstantDecayOptions);
    if (!Array.isArray(boundaries) || !Array.isArray(values)) throw new Error(`${o}: \`boundaries\` and \`values\` must be arrays of numbers.`);
    if (boundaries.length !== values.length - 1) {
      throw new Error(`${o}: the length of boundaries should be 1 less than the length of values; received ${boundaries.length} boundaries and ${values.length} values.`);
    }
    boundaries.forEach((b, i) => {
      checkNumber(o, `boundaries[${i}]`, b);
      if (i > 0 && b <= boundaries[i - 1]) throw new Error(`${o}: boundaries must be strictly increasing; boundaries[${i}]=${b} <= boundaries[${i - 1}]=${boundaries[i - 1]}.`);
    });
    values.forEach((v, i) => checkNumber(o, `values[${i}]`, v, { min: 0 }));
    this.boundaries = [...boundaries];
    this.values = [...values];
    this.name = options.name ?? 'PiecewiseConstant';
  }

  call(step: number): number {
    let i = 0;
    while (i < this.boundaries.length && step > this.boundaries[i]) i++;
    return this.values[i];
  }

  getConfig(): Record<string, unknown> {
    return { boundaries: [...this.boundaries], values: [...this.values], name: this.name };
  }
}
