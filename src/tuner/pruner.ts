// Pruners stop hopeless trials early from their per-epoch (step) objective values.
// MedianPruner (Optuna's semantics): at step t (after nWarmupSteps, every intervalSteps), once nStartupTrials trials
// are complete, prune when the trial's best value so far is worse than the median of the values the complete
// trials reported at the same step (at least nMinTrials of them).

import type { Direction, TrialRecord } from './trial.js';

export interface Pruner {
  /** trial carries its intermediate values up to the current step; trials is the whole study. */
  shouldPrune(trial: TrialRecord, trials: readonly TrialRecord[], direction: Direction): boolean;
}

export interface MedianPrunerOptions {
  /** Complete trials needed before anything is pruned. Default 5. */
  nStartupTrials?: number;
  /** Steps (epochs) of a trial that are never pruned. Default 0. */
  nWarmupSteps?: number;
  /** Check every this many steps after the warm-up. Default 1. */
  intervalSteps?: number;
  /** Complete trials that must have reported the step. Default 1. */
  nMinTrials?: number;
}

export class MedianPruner implements Pruner {
  readonly nStartupTrials: number;
  readonly nWarmupSteps: number;
  readonly intervalSteps: number;
  readonly nMinTrials: number;

  constructor(options: MedianPrunerOptions = {}) {
    this.nStartupTrials = options.nStartupTrials ?? 5;
    this.nWarmupSteps = options.nWarmupSteps ?? 0;
    this.intervalSteps = options.intervalSteps ?? 1;
    this.nMinTrials = options.nMinTrials ?? 1;
    for (const [k, v, min] of [['nStartupTrials', this.nStartupTrials, 0], ['nWarmupSteps', this.nWarmupSteps, 0], ['intervalSteps', this.intervalSteps, 1], ['nMinTrials', this.nMinTrials, 1]] as const) {
      if (!(Number.isInteger(v) && v >= min)) throw new Error(`MedianPruner: ${k} must be an integer >= ${min}, got ${v}.`);
    }
  }

  shouldPrune(trial: TrialRecord, trials: readonly TrialRecord[], direction: Direction): boolean {
    const last = trial.intermediate[trial.intermediate.length - 1];
    if (!last) return false;
    const step = last.step;
    if (step < this.nWarmupSteps || (step - this.nWarmupSteps) % this.intervalSteps !== 0) return false;
    const complete = trials.filter((t) => t.status === 'complete' && t.id !== trial.id);
    if (complete.length < this.nStartupTrials) return false;
    const atStep = complete.map((t) => t.intermediate.find((p) => p.step === step)?.value).filter((v): v is number => typeof v === 'number' && !Number.isNaN(v));
    if (atStep.length < this.nMinTrials) return false;
    const own = trial.intermediate.map((p) => p.value).filter((v) => !Number.isNaN(v));
    if (own.length === 0) return true; // only NaN so far
    const best = direction === 'minimize' ? Math.min(...own) : Math.max(...own);
    const m = median(atStep);
    return direction === 'minimize' ? best > m : best < m;
  }
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}
