// The search algorithm's one contract: the study's trials in, the next point out (Keras Tuner's Oracle,
// Optuna's Sampler). Oracles keep no state between calls, so any worker holding the same trials proposes the
// same point, and a resumed study continues exactly where it stopped.

import type { Direction, HyperparameterValue, HyperparameterValues, TrialRecord } from './trial.js';
import type { ParamSpec } from './space.js';
import { isActive, sampleValue, valuesKey } from './space.js';
import type { Rng } from '../tensor/random.js';

export interface ProposeContext {
  /** Definitions known so far, in declaration order (parents before children). */
  readonly space: readonly ParamSpec[];
  /** Every trial of the study, whatever its status (running trials are pending points). */
  readonly trials: readonly TrialRecord[];
  readonly direction: Direction;
  /** Seeded from (tuner seed, number of trials): same seed and history, same proposal. */
  readonly rng: Rng;
}

/** Values for the next trial; null when the search is over; 'wait' when nothing can start until a running trial ends. */
export type Proposal = HyperparameterValues | null | 'wait';

export interface Oracle {
  readonly name: string;
  propose(ctx: ProposeContext): Proposal;
  /** Value of a parameter first declared while a trial runs (define-by-run). Default: uniform on its unit interval. */
  sampleNew?(spec: ParamSpec, rng: Rng): HyperparameterValue;
}

/** Lower is better: the value itself when minimising, its negation when maximising. */
export function score(value: number, direction: Direction): number {
  return direction === 'minimize' ? value : -value;
}

/** Complete trials with a finite value, best first. */
export function completedByScore(trials: readonly TrialRecord[], direction: Direction): TrialRecord[] {
  return trials
    .filter((t) => t.status === 'complete' && typeof t.value === 'number' && Number.isFinite(t.value))
    .sort((a, b) => score(a.value!, direction) - score(b.value!, direction) || a.id - b.id);
}

/** Keys of the values of every trial (any status), to avoid proposing a point twice. */
export function seenKeys(trials: readonly TrialRecord[]): Set<string> {
  return new Set(trials.map((t) => valuesKey(t.hyperparameters)));
}

/** Uniform values of the active parameters, retried to avoid repeating a seen point; null after `tries` repeats. */
export function randomUnseen(space: readonly ParamSpec[], rng: Rng, seen: Set<string>, tries = 100): HyperparameterValues | null {
  if (space.length === 0) return {}; // nothing declared yet: the trial declares and samples as it runs
  for (let i = 0; i < tries; i++) {
    const values: HyperparameterValues = {};
    for (const p of space) if (isActive(p, values)) values[p.name] = sampleValue(p, rng);
    if (!seen.has(valuesKey(values))) return values;
  }
  return null;
}
