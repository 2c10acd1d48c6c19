// Hyperband (Li et al. 2018) with Keras Tuner's bracket arithmetic. With R = maxEpochs, η = factor:
//   brackets B = number of times R can be divided by η while staying >= 1 (R, R/η, R/η², ... >= 1)
//   bracket s (run from B-1 down to 0) has s + 1 rounds; with e0 = ⌈1 + log_η R⌉,
//     trials in round r:  n(s, r) = ⌈e0 / η^s · η^(s - r)⌉,   epochs in round r:  ⌈R / η^(s - r)⌉
//   round 0 of a bracket starts n(s, 0) random configurations; round r + 1 continues the best n(s, r + 1) of round r
//   once round r has finished (successive halving). The whole schedule runs `iterations` times.
// A trial's budget travels in its values: 'tuner/epochs', 'tuner/initial_epoch', 'tuner/bracket', 'tuner/round',
// 'tuner/iteration', and for a continued configuration 'tuner/trial_id' (the trial whose weights it may resume).

import type { HyperparameterValue, HyperparameterValues } from '../trial.js';
import { paramValues } from '../space.js';
import { type Oracle, type ProposeContext, type Proposal, type TrialBudget, randomUnseen, score, seenKeys } from '../oracle.js';

export interface HyperbandOptions {
  /** Epochs of the longest-trained models (R). Default 100, as Keras Tuner. */
  maxEpochs?: number;
  /** Reduction factor η between rounds. Default 3. */
  factor?: number;
  /** Times the whole set of brackets is run. Default 1. */
  iterations?: number;
}

export class HyperbandOracle implements Oracle {
  readonly name = 'hyperband';
  readonly maxEpochs: number;
  readonly factor: number;
  readonly iterations: number;

  constructor(options: HyperbandOptions = {}) {
    this.maxEpochs = options.maxEpochs ?? 100;
    this.factor = options.factor ?? 3;
    this.iterations = options.iterations ?? 1;
    if (!(Number.isInteger(this.maxEpochs) && this.maxEpochs >= 1)) throw new Error(`Hyperband: maxEpochs must be an integer >= 1, got ${options.maxEpochs}.`);
    if (!(this.factor >= 2)) throw new Error(`Hyperband: factor must be >= 2, got ${options.factor}.`);
    if (!(Number.isInteger(this.iterations) && this.iterations >= 1)) throw new Error(`Hyperband: iterations must be an integer >= 1, got ${options.iterations}.`);
  }

  get brackets(): number {
    let epochs = this.maxEpochs;
    let b = 0;
    while (epochs >= 1) (epochs /= this.factor), b++;
    return b;
  }

  /** Trials in round r of bracket s. */
  size(s: number, r: number): number {
    const e0 = Math.ceil(1 + Math.log(this.maxEpochs) / Math.log(this.factor) - 1e-9);
    return Math.ceil((e0 / this.factor ** s) * this.factor ** (s - r) - 1e-9);
  }

  /** Epochs of round r of bracket s. */
  epochs(s: number, r: number): number {
    return Math.ceil(this.maxEpochs / this.factor ** (s - r) - 1e-9);
  }

  /** A trial's epochs, its start epoch and the trial it continues, from the values it carries (see the header). */
  budget(values: HyperparameterValues): TrialBudget | null {
    return trialBudget(values);
  }

  propose({ space, trials, direction, rng }: ProposeContext): Proposal {
    const at = (it: number, s: number, r: number) =>
      trials.filter((t) => t.hyperparameters['tuner/iteration'] === it && t.hyperparameters['tuner/bracket'] === s && t.hyperparameters['tuner/round'] === r);
    const budget = (it: number, s: number, r: number): HyperparameterValues => ({
      'tuner/epochs': this.epochs(s, r), 'tuner/initial_epoch': r === 0 ? 0 : this.epochs(s, r - 1), 'tuner/bracket': s, 'tuner/round': r, 'tuner/iteration': it,
    });
    for (let it = 0; it < this.iterations; it++) {
      for (let s = this.brackets - 1; s >= 0; s--) {
        // Continue the best of a finished round first (promotions), from the latest round down.
        for (let r = s; r >= 1; r--) {
          const prev = at(it, s, r - 1);
          if (prev.length < this.size(s, r - 1) || prev.some((t) => t.status === 'running')) continue;
          const ranked = prev.filter((t) => t.status === 'complete' && Number.isFinite(t.value)).sort((a, b) => score(a.value!, direction) - score(b.value!, direction));
          const promoted = new Set(at(it, s, r).map((t) => t.hyperparameters['tuner/trial_id']));
          const parent = ranked.slice(0, this.size(s, r)).find((t) => !promoted.has(t.id));
          if (parent) return { ...paramValues(parent.hyperparameters), ...budget(it, s, r), 'tuner/trial_id': parent.id };
        }
        const first = at(it, s, 0);
        if (first.length < this.size(s, 0)) {
          const values = randomUnseen(space, rng, seenKeys(first));
          if (values) return { ...values, ...budget(it, s, 0) };
        }
      }
    }
    return trials.some((t) => t.status === 'running') ? 'wait' : null;
  }
}

/** The budget a Hyperband trial carries, or null for trials of other tuners. */
export function trialBudget(values: HyperparameterValues): TrialBudget | null {
  const e = values['tuner/epochs'];
  if (typeof e !== 'number') return null;
  const parent: HyperparameterValue | undefined = values['tuner/trial_id'];
  return { epochs: e, initialEpoch: (values['tuner/initial_epoch'] as number) ?? 0, parent: typeof parent === 'number' ? parent : null };
}

