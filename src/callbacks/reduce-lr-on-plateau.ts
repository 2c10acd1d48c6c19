// ReduceLROnPlateau (Keras keras.callbacks.ReduceLROnPlateau): multiply the learning rate by `factor` when `monitor`
// has not improved by more than minDelta for `patience` epochs; then wait `cooldown` epochs; never below minLr.
// Each epoch end puts the learning rate used during the epoch in logs.learning_rate (as Keras 3 does).

import { Callback, type Logs } from './callback.js';
import { checkMonitor, monitorValue, optimizerOf, resolveMode, say, type MonitorMode } from './monitor.js';
import { checkKeys, checkNumber } from '../schedules/schedule.js';

export interface ReduceLROnPlateauOptions {
  /** Log key to watch. Default 'val_loss'. */
  monitor?: string;
  /** new lr = lr * factor, in [0, 1). Default 0.1. */
  factor?: number;
  /** Epochs without improvement before reducing. Default 10. */
  patience?: number;
  /** 1 prints a message on each reduction. Default 0. */
  verbose?: number;
  /** 'min', 'max' or 'auto'. Default 'auto'. */
  mode?: MonitorMode;
  /** Threshold for a significant improvement. Default 1e-4. */
  minDelta?: number;
  /** Epochs to wait after a reduction before counting again. Default 0. */
  cooldown?: number;
  /** Lower bound on the learning rate. Default 0. */
  minLr?: number;
}

export class ReduceLROnPlateau extends Callback {
  readonly monitor: string;
  readonly factor: number;
  readonly patience: number;
  readonly verbose: number;
  readonly mode: 'min' | 'max';
  readonly minDelta: number;
  readonly cooldown: number;
  readonly minLr: number;
  wait = 0;
  cooldownCounter = 0;
  best = Infinity;
  private readonly warned = new Set<string>();

  constructor(options: ReduceLROnPlateauOptions = {}) {
    super();
    const o = 'ReduceLROnPlateau';
    checkKeys(o, options, ['monitor', 'factor', 'patience', 'verbose', 'mode', 'minDelta', 'cooldown', 'minLr']);
    this.monitor = checkMonitor(o, options.monitor ?? 'val_loss');
    const factor = options.factor ?? 0.1;
    if (typeof factor === 'number' && factor >= 1) throw new Error(`${o} does not support a factor >= 1.0; received factor=${factor}.`);
    this.factor = checkNumber(o, 'factor', factor, { min: 0 });
    this.patience = checkNumber(o, 'patience', options.patience ?? 10, { min: 0, integer: true });
    this.verbose = options.verbose ?? 0;
    this.mode = resolveMode(o, this.monitor, options.mode);
    this.minDelta = checkNumber(o, 'minDelta', options.minDelta ?? 1e-4);
    this.cooldown = checkNumber(o, 'cooldown', options.cooldown ?? 0, { min: 0, integer: true });
    this.minLr = checkNumber(o, 'minLr', options.minLr ?? 0, { min: 0 });
    this.reset();
  }

  private reset(): void {
    this.best = this.mode === 'min' ? Infinity : -Infinity;
    this.cooldownCounter = 0;
    this.wait = 0;
  }

  private improves(current: number): boolean {
    return this.mode === 'min' ? current < this.best - this.minDelta : current > this.best + this.minDelta;
  }

  override onTrainBegin(): void {
    this.reset();
  }

  override onEpochEnd(epoch: number, logs?: Logs): void {
    const opt = optimizerOf('ReduceLROnPlateau', this.model);
    if (logs) logs.learning_rate = opt.learningRate;
    const current = monitorValue('Learning rate reduction', this.monitor, logs, this.warned);
    if (current === undefined) return;
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.wait = 0;
    }
    if (this.improves(current)) {
      this.best = current;
      this.wait = 0;
    } else if (this.cooldownCounter <= 0) {
      this.wait += 1;
      if (this.wait >= this.patience) {
        const old = opt.learningRate;
        if (old > Math.fround(this.minLr)) {
          const next = Math.max(old * this.factor, this.minLr);
          opt.learningRate = next;
          if (this.verbose > 0) say(`\nEpoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${next}.`);
          this.cooldownCounter = this.cooldown;
          this.wait = 0;
        }
      }
    }
  }
}
