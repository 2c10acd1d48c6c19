// Synthetic training histories and tuning studies for the report tests (closed-form curves, fixed trials).

import type { TrialRecord } from '../../src/tuner/trial.js';

/** 20 epochs: train loss decays; validation loss bottoms out at epoch 12 (1-based) then rises (overfitting). */
export function syntheticHistory(epochs = 20): { history: Record<string, number[]>; epoch: number[] } {
  const loss: number[] = [], val_loss: number[] = [], accuracy: number[] = [], val_accuracy: number[] = [];
  for (let e = 0; e < epochs; e++) {
    loss.push(0.7 * Math.exp(-e / 6) + 0.1);
    val_loss.push(0.3 + 0.002 * (e - 11) ** 2); // minimum at e = 11, i.e. epoch 12
    accuracy.push(0.5 + 0.45 * (1 - Math.exp(-e / 5)));
    val_accuracy.push(0.9 - 0.001 * (e - 9) ** 2); // maximum at e = 9, i.e. epoch 10
  }
  return { history: { loss, accuracy, val_loss, val_accuracy }, epoch: Array.from({ length: epochs }, (_, i) => i) };
}

/** 12 trials over lr (log), units (int) and optimizer (choice): 10 complete, one pruned, one failed. */
export function syntheticTrials(): TrialRecord[] {
  const trials: TrialRecord[] = [];
  const opts = ['adam', 'sgd', 'rmsprop'];
  for (let i = 0; i < 12; i++) {
    const lr = 10 ** (-4 + (i * 7) % 12 / 4); // 1e-4 .. 1e-1 spread
    const units = 8 + ((i * 5) % 9) * 8;
    const optimizer = opts[i % 3];
    const value = 0.2 + 0.1 * Math.abs(Math.log10(lr) + 2) + (optimizer === 'sgd' ? 0.05 : 0) + 0.001 * units;
    const status = i === 7 ? 'pruned' : i === 9 ? 'failed' : 'complete';
    trials.push({
      id: i,
      study: 'demo',
      hyperparameters: { lr, units, optimizer },
      status,
      value: status === 'complete' ? value : status === 'pruned' ? value : null,
      // Per-epoch objective: complete trials report 5 epochs converging to their value, the pruned one 2, the failed one 1.
      intermediate: Array.from({ length: status === 'complete' ? 5 : status === 'pruned' ? 2 : 1 }, (_, step) => ({ step, value: value + 0.1 * (4 - step) / 4 })),
      error: status === 'failed' ? 'Error: loss became NaN at epoch 3 <script>' : undefined,
      startedAt: 1_700_000_000_000 + i * 10_000,
      finishedAt: 1_700_000_000_000 + i * 10_000 + 2500 + i * 100,
    });
  }
  return trials;
}
