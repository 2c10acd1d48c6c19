// The search algorithm's one contract: the study's trials in, the next point out (Keras Tuner's Oracle,
// Optuna's Sampler). Oracles keep no state between calls, so any worker holding the same trials proposes the
// same point, and a resumed study continues exactly where it stopped.
// What every algorithm shares lives here: an abandoned trial (its worker died) is re-run once before anything else
// (resumePlan), and a finite space is covered completely before a sampler calls it exhausted (randomUnseen).

import type { Direction, HyperparameterValue, HyperparameterValues, TrialRecord } from './trial.js';
import type { ParamSpec } from './space.js';
import { gridPoints, gridValues, isActive, sampleValue, valuesKey } from './space.js';
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
  /** The fit budget a trial's values carry (Hyperband), or null: then search() fits its own epochs from scratch. */
  budget?(values: HyperparameterValues): TrialBudget | null;
}

/** Epochs to train to, the epoch to start at, and the trial whose best-epoch weights to start from (or null). */
export interface TrialBudget {
  epochs: number;
  initialEpoch: number;
  parent: number | null;
}

/** Marks a retry: the value is the id of the abandoned trial whose values it re-runs. */
export const RETRY_KEY = 'tuner/retry_of';

export const isAbandoned = (t: TrialRecord): boolean => t.status === 'failed' && (t.error ?? '').startsWith('abandoned:');

/**
 * Crash-resume, the same for every algorithm (Keras Tuner re-runs an interrupted trial): an abandoned trial that was
 * the first of its configuration is superseded by one re-run of its values (`retry`, to claim before anything else,
 * until a trial marked as its retry or a later trial of the same configuration exists), and the oracle and the
 * maxTrials count see the `live` trials, without the superseded ones. A second abandonment stays failed.
 */
export function resumePlan(trials: readonly TrialRecord[]): { retry: TrialRecord | null; live: TrialRecord[] } {
  const configKey = (t: TrialRecord) => JSON.stringify(Object.entries(t.hyperparameters).filter(([k]) => k !== RETRY_KEY).sort(([a], [b]) => (a < b ? -1 : 1)));
  const retried = new Set(trials.map((t) => t.hyperparameters[RETRY_KEY]).filter((v) => typeof v === 'number'));
  const count = new Map<string, number>();
  for (const t of trials) count.set(configKey(t), (count.get(configKey(t)) ?? 0) + 1);
  const first = new Set<string>();
  let retry: TrialRecord | null = null;
  const live = trials.filter((t) => {
    const k = configKey(t);
    const isFirst = !first.has(k);
    first.add(k);
    if (!isFirst || !isAbandoned(t) || RETRY_KEY in t.hyperparameters) return true;
    if (!retried.has(t.id) && count.get(k) === 1) retry ??= t;
    return false;
  });
  return { retry, live };
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

/**
 * Uniform values of the active parameters, not a seen point. After `tries` draws in a row were all seen, a finite
 * space draws uniformly from the points left (null only when none is), an infinite one gives up (null).
 */
export function randomUnseen(space: readonly ParamSpec[], rng: Rng, seen: Set<string>, tries = 10): HyperparameterValues | null {
  if (space.length === 0) return {}; // nothing declared yet: the trial declares and samples as it runs
  for (let i = 0; i < tries; i++) {
    const values: HyperparameterValues = {};
    for (const p of space) if (isActive(p, values)) values[p.name] = sampleValue(p, rng);
    if (!seen.has(valuesKey(values))) return values;
  }
  const left = unseenPoints(space, seen);
  if (left === null) return tries < 100 ? randomUnseen(space, rng, seen, 100) : null;
  return left.length > 0 ? left[rng.int(left.length)] : null;
}

/** The points of a finite space not in `seen` (null when the space is continuous or has more than `limit` points). */
export function unseenPoints(space: readonly ParamSpec[], seen: Set<string>, limit = 1_000_000): HyperparameterValues[] | null {
  if (space.some((p) => gridValues(p) === null)) return null;
  const left: HyperparameterValues[] = [];
  let n = 0;
  for (const point of gridPoints(space)) {
    if (++n > limit) return null;
    if (!seen.has(valuesKey(point))) left.push(point);
  }
  return left;
}
