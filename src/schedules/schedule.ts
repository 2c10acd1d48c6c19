// LearningRateSchedule: the learning rate as a function of the optimizer step (Keras
// keras.optimizers.schedules.LearningRateSchedule). The optimizer evaluates it at `iterations`
// (the number of updates already applied) before each update.

export abstract class LearningRateSchedule {
  static className = 'LearningRateSchedule';

  /** The learning rate at optimizer step `step` (0 for the first update). */
  abstract call(step: number): number;

  /** Keras-style config (camelCase keys); `new Cls(config)` rebuilds the schedule. */
  abstract getConfig(): Record<string, unknown>;

  get className(): string {
    return (this.constructor as typeof LearningRateSchedule).className;
  }
}

/** A plain function of the step, as Keras accepts a callable learning rate. */
export type LearningRateFunction = (step: number) => number;

/** Throws unless v is a finite number (optionally within bounds); used by every schedule's constructor. */
export function checkNumber(owner: string, name: string, v: unknown, opts: { min?: number; minExclusive?: boolean; max?: number; maxExclusive?: boolean; integer?: boolean } = {}): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new Error(`${owner}: \`${name}\` must be a finite number; received ${String(v)}.`);
  }
  const { min, max, minExclusive, maxExclusive, integer } = opts;
  if (integer && !Number.isInteger(v)) throw new Error(`${owner}: \`${name}\` must be an integer; received ${v}.`);
  if (min !== undefined && (minExclusive ? v <= min : v < min)) {
    throw new Error(`${owner}: \`${name}\` must be ${minExclusive ? '>' : '>='} ${min}; received ${v}.`);
  }
  if (max !== undefined && (maxExclusive ? v >= max : v > max)) {
    throw new Error(`${owner}: \`${name}\` must be ${maxExclusive ? '<' : '<='} ${max}; received ${v}.`);
  }
  return v;
}

/** Throws on option keys the constructor does not know (Keras: "Argument(s) not recognized"). */
export function checkKeys(owner: string, options: object, known: readonly string[]): void {
  const unknown = Object.keys(options).filter((k) => !known.includes(k) && (options as Record<string, unknown>)[k] !== undefined);
  if (unknown.length) {
    throw new Error(`${owner}: argument(s) not recognized: ${unknown.join(', ')}. Valid arguments: ${known.join(', ')}.`);
  }
}
