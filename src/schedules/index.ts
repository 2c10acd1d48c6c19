// Learning-rate schedules and their registry ({ className, config } -> schedule).

import { LearningRateSchedule } from './schedule.js';
import { ExponentialDecay } from './exponential-decay.js';
import { InverseTimeDecay } from './inverse-time-decay.js';
import { PiecewiseConstantDecay } from './piecewise-constant-decay.js';
import { PolynomialDecay } from './polynomial-decay.js';
import { CosineDecay } from './cosine-decay.js';
import { CosineDecayRestarts } from './cosine-decay-restarts.js';

export { LearningRateSchedule, type LearningRateFunction } from './schedule.js';
export { ExponentialDecay, type ExponentialDecayOptions } from './exponential-decay.js';
export { InverseTimeDecay, type InverseTimeDecayOptions } from './inverse-time-decay.js';
export { PiecewiseConstantDecay, type PiecewiseConstantDecayOptions } from './piecewise-constant-decay.js';
export { PolynomialDecay, type PolynomialDecayOptions } from './polynomial-decay.js';
export { CosineDecay, type CosineDecayOptions } from './cosine-decay.js';
export { CosineDecayRestarts, type CosineDecayRestartsOptions } from './cosine-decay-restarts.js';

type ScheduleClass = (new (options: any) => LearningRateSchedule) & { className: string };
const registry = new Map<string, ScheduleClass>();

export function registerSchedule(cls: ScheduleClass): void {
  registry.set(cls.className, cls);
}
for (const cls of [ExponentialDecay, InverseTimeDecay, PiecewiseConstantDecay, PolynomialDecay, CosineDecay, CosineDecayRestarts]) registerSchedule(cls);

/** A schedule instance (returned as is) or one rebuilt from { className, config }. */
export function getSchedule(identifier: LearningRateSchedule | { className: string; config?: object }): LearningRateSchedule {
  if (identifier instanceof LearningRateSchedule) return identifier;
  const cls = identifier && typeof identifier === 'object' ? registry.get(identifier.className) : undefined;
  if (!cls) {
    throw new Error(`Unknown learning-rate schedule ${JSON.stringify((identifier as { className?: string })?.className ?? identifier)}. Valid: ${[...registry.keys()].join(', ')}.`);
  }
  return new cls({ ...(identifier as { config?: object }).config });
}
