// EarlyStopping (Keras keras.callbacks.EarlyStopping): stop when `monitor` has not improved for `patience` epochs.
// At each epoch end (from startFromEpoch on): wait += 1; if current improves on best by more than minDelta, best = current
// (and the weights are kept when restoreBestWeights) and wait resets to 0 only if current also beats `baseline`;
// otherwise, if wait >= patience and epoch > 0, model.stopTraining = true. At train end the best weights are restored
// when restoreBestWeights (even if no epoch beat the baseline: the best epoch seen).

import { Callback, type Logs } from './callback.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkMonitor, monitorValue, resolveMode, say, type MonitorMode } from './monitor.js';
import { checkKeys, checkNumber } from '../schedules/schedule.js';

export interface EarlyStoppingOptions {
  /** Log key to watch. Default 'val_loss'. */
  monitor?: string;
  /** Smallest change that counts as an improvement (absolute). Default 0. */
  minDelta?: number;
  /** Epochs without improvement before stopping. Default 0. */
  patience?: number;
  /** 1 prints a message when stopping/restoring. Default 0. */
  verbose?: number;
  /** 'min', 'max', or 'auto' (from the metric name). Default 'auto'. */
  mode?: MonitorMode;
  /** Value the monitor must beat for the patience counter to reset. Default none. */
  baseline?: number | null;
  /** Restore the weights of the best epoch at the end of training. Default false. */
  restoreBestWeights?: boolean;
  /** Epochs to wait before monitoring starts. Default 0. */
  startFromEpoch?: number;
}

export class EarlyStopping extends Callback {
  readonly monitor: string;
  readonly minDelta: number;
  readonly patience: number;
  readonly verbose: number;
  readonly mode: 'min' | 'max';
  readonly baseline: number | null;
  readonly restoreBestWeights: boolean;
  readonly startFromEpoch: number;
  wait = 0;
  /** Epoch (0-based) at which training was stopped, 0 if it was not. */
  stoppedEpoch = 0;
  best = Infinity;
  bestEpoch = 0;
  bestWeights: Tensor[] | null = null;
  private readonly warned = new Set<string>();

  constructor(options: EarlyStoppingOptions = {}) {
    super();
    const o = 'EarlyStopping';
    checkKeys(o, options, ['monitor', 'minDelta', 'patience', 'verbose', 'mode', 'baseline', 'restoreBestWeights', 'startFromEpoch']);
    this.monitor = checkMonitor(o, options.monitor ?? 'val_loss');
    this.minDelta = Math.abs(checkNumber(o, 'minDelta', options.minDelta ?? 0));
    this.patience = checkNumber(o, 'patience', options.patience ?? 0, { min: 0, integer: true });
    this.verbose = options.verbose ?? 0;
    this.mode = resolveMode(o, this.monitor, options.mode, true);
    this.baseline = options.baseline === undefined || options.baseline === null ? null : checkNumber(o, 'baseline', options.baseline);
    this.restoreBestWeights = options.restoreBestWeights ?? false;
    this.startFromEpoch = checkNumber(o, 'startFromEpoch', options.startFromEpoch ?? 0, { min: 0, integer: true });
  }

  private improves(current: number, reference: number): boolean {
    return this.mode === 'min' ? current + this.minDelta < reference : current - this.minDelta > reference;
  }

  override onTrainBegin(): void {
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.bestWeights = null;
    this.bestEpoch = 0;
    this.best = this.mode === 'min' ? Infinity : -Infinity;
  }

  override onEpochEnd(epoch: number, logs?: Logs): void {
    const current = monitorValue('Early stopping', this.monitor, logs, this.warned);
    if (current === undefined || epoch < this.startFromEpoch) return;
    if (this.restoreBestWeights && this.bestWeights === null) {
      this.bestWeights = this.model!.getWeights().map((w) => w.clone());
      this.bestEpoch = epoch;
    }
    this.wait += 1;
    if (this.improves(current, this.best)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) this.bestWeights = this.model!.getWeights().map((w) => w.clone());
      if (this.baseline === null || this.improves(current, this.baseline)) this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      this.model!.stopTraining = true;
    }
  }

  override onTrainEnd(): void {
    if (this.stoppedEpoch > 0 && this.verbose > 0) say(`Epoch ${this.stoppedEpoch + 1}: early stopping`);
    if (this.restoreBestWeights && this.bestWeights !== null) {
      if (this.verbose > 0) say(`Restoring model weights from the end of the best epoch: ${this.bestEpoch + 1}.`);
      this.model!.setWeights(this.bestWeights);
    }
  }
}
