// History: the per-epoch logs that fit returns (history.history.loss, .val_accuracy, ...).

import { Callback, type Logs, type TrainParams } from './callback.js';

export class History extends Callback {
  /** One array per log key, one value per epoch. */
  history: Record<string, number[]> = {};
  /** The epoch index of each entry. */
  epoch: number[] = [];

  override onTrainBegin(): void {
    // Keras keeps appending across fit calls on the same History object; a fresh one is made per fit.
  }

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    this.epoch.push(epoch);
    for (const [k, v] of Object.entries(logs)) (this.history[k] ??= []).push(v);
  }

  get paramsInfo(): TrainParams | null {
    return this.params;
  }
}
