// ModelCheckpoint (Keras keras.callbacks.ModelCheckpoint): after each epoch (or every saveFreq batches), keep the
// model's weights — always in memory (bestWeights, restoreBest()), and on disk through the model's own
// save(path) / saveWeights(path) when a filepath is given (those write atomically: temp then rename).
// With saveBestOnly only improvements of `monitor` are kept. The filepath may hold Python-style fields filled from
// the epoch (1-based) and the logs: 'ckpt-{epoch:02d}-{val_loss:.2f}'.

import { Callback, type CallbackModel, type Logs } from './callback.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkMonitor, resolveMode, say, type MonitorMode } from './monitor.js';
import { checkKeys, checkNumber } from '../schedules/schedule.js';
import { platform } from '../platform/node.js';

export interface ModelCheckpointOptions {
  /** Where to save (needs model.save / model.saveWeights); omit to keep the weights in memory only. */
  filepath?: string;
  /** Log key compared for saveBestOnly. Default 'val_loss'. */
  monitor?: string;
  /** 1 prints a message on each save decision. Default 0. */
  verbose?: number;
  /** Keep only when the monitored value improves. Default false. */
  saveBestOnly?: boolean;
  /** Save the weights only (model.saveWeights) rather than the whole model (model.save). Default false. */
  saveWeightsOnly?: boolean;
  /** 'min', 'max' or 'auto'. Default 'auto'. */
  mode?: MonitorMode;
  /** 'epoch', or a number of batches. Default 'epoch'. */
  saveFreq?: 'epoch' | number;
  /** Value the monitor must beat for the first save. Default none. */
  initialValueThreshold?: number | null;
}

type Saver = CallbackModel & { save?: (p: string) => unknown; saveWeights?: (p: string) => unknown };

/** Python str.format-style fields: {name}, {name:02d}, {name:.4f}, {name:.2e}. */
export function formatFilepath(template: string, values: Record<string, number>): string {
  return template.replace(/\{(\w+)(?::([^}]*))?\}/g, (whole, key: string, spec: string | undefined) => {
    if (!(key in values)) throw new Error(`ModelCheckpoint: the filepath '${template}' uses {${key}} but the logs have only: epoch, ${Object.keys(values).filter((k) => k !== 'epoch').join(', ')}.`);
    const v = values[key];
    if (!spec) return String(v);
    const m = /^(0?)(\d*)(?:\.(\d+))?([dfe])$/.exec(spec);
    if (!m) throw new Error(`ModelCheckpoint: unsupported format '${whole}' in filepath; use d, f or e (e.g. {epoch:02d}, {val_loss:.4f}).`);
    const [, zero, width, precision, type] = m;
    let s = type === 'd' ? String(Math.round(v)) : type === 'f' ? v.toFixed(Number(precision ?? 6)) : v.toExponential(Number(precision ?? 6)).replace(/e([+-])(\d)$/, 'e$10$2');
    if (width) s = s.padStart(Number(width), zero ? '0' : ' ');
    return s;
  });
}

export class ModelCheckpoint extends Callback {
  readonly filepath: string | null;
  readonly monitor: string;
  readonly verbose: number;
  readonly saveBestOnly: boolean;
  readonly saveWeightsOnly: boolean;
  readonly mode: 'min' | 'max';
  readonly saveFreq: 'epoch' | number;
  best: number;
  /** The weights last kept (the best ones with saveBestOnly), and the epoch (0-based) they come from. */
  bestWeights: Tensor[] | null = null;
  bestEpoch: number | null = null;
  /** Paths written, in order. */
  readonly saved: string[] = [];
  private currentEpoch = 0;
  private batchesSinceSave = 0;

  constructor(options: ModelCheckpointOptions = {}) {
    super();
    const o = 'ModelCheckpoint';
    checkKeys(o, options, ['filepath', 'monitor', 'verbose', 'saveBestOnly', 'saveWeightsOnly', 'mode', 'saveFreq', 'initialValueThreshold']);
    if (options.filepath !== undefined && (typeof options.filepath !== 'string' || options.filepath.length === 0)) throw new Error(`${o}: \`filepath\` must be a non-empty string.`);
    this.filepath = options.filepath ?? null;
    this.monitor = checkMonitor(o, options.monitor ?? 'val_loss');
    this.verbose = options.verbose ?? 0;
    this.saveBestOnly = options.saveBestOnly ?? false;
    this.saveWeightsOnly = options.saveWeightsOnly ?? false;
    this.mode = resolveMode(o, this.monitor, options.mode);
    const freq = options.saveFreq ?? 'epoch';
    if (freq !== 'epoch') checkNumber(o, 'saveFreq', freq, { min: 1, integer: true });
    this.saveFreq = freq;
    const t = options.initialValueThreshold;
    this.best = t === undefined || t === null ? (this.mode === 'min' ? Infinity : -Infinity) : checkNumber(o, 'initialValueThreshold', t);
  }

  override setModel(model: CallbackModel): void {
    super.setModel(model);
    if (this.filepath !== null) {
      const m = model as Saver;
      const method = this.saveWeightsOnly ? 'saveWeights' : 'save';
      if (typeof m[method] !== 'function') {
        throw new Error(`ModelCheckpoint: the model has no ${method}(path) method, so '${this.filepath}' cannot be written; omit \`filepath\` to keep the best weights in memory (checkpoint.bestWeights).`);
      }
    }
  }

  override onEpochBegin(epoch: number): void {
    this.currentEpoch = epoch;
  }

  override async onTrainBatchEnd(_batch: number, logs?: Logs): Promise<void> {
    if (this.saveFreq === 'epoch') return;
    if (++this.batchesSinceSave >= this.saveFreq) {
      this.batchesSinceSave = 0;
      await this.keep(this.currentEpoch, logs ?? {});
    }
  }

  override async onEpochEnd(epoch: number, logs?: Logs): Promise<void> {
    if (this.saveFreq === 'epoch') await this.keep(epoch, logs ?? {});
  }

  private async keep(epoch: number, logs: Logs): Promise<void> {
    const file = this.filepath === null ? null : formatFilepath(this.filepath, { ...logs, epoch: epoch + 1 });
    if (this.saveBestOnly) {
      const current = logs[this.monitor];
      if (current === undefined) {
        platform.warn(`Can save best model only with ${this.monitor} available. Available metrics are: ${Object.keys(logs).join(',')}.`);
        return;
      }
      const better = this.mode === 'min' ? current < this.best : current > this.best;
      if (!better) {
        if (this.verbose > 0) say(`\nEpoch ${epoch + 1}: ${this.monitor} did not improve from ${this.best.toFixed(5)}`);
        return;
      }
      if (this.verbose > 0) say(`\nEpoch ${epoch + 1}: ${this.monitor} improved from ${this.best.toFixed(5)} to ${current.toFixed(5)}${file ? `, saving model to ${file}` : ''}`);
      this.best = current;
    } else if (this.verbose > 0 && file) say(`\nEpoch ${epoch + 1}: saving model to ${file}`);
    this.bestWeights = this.model!.getWeights().map((w) => w.clone());
    this.bestEpoch = epoch;
    if (file !== null) {
      const m = this.model as Saver;
      await (this.saveWeightsOnly ? m.saveWeights!(file) : m.save!(file));
      this.saved.push(file);
    }
  }

  /** Put the kept weights back into the model (e.g. after training). */
  restoreBest(): void {
    if (!this.bestWeights) throw new Error('ModelCheckpoint.restoreBest: no weights were kept yet.');
    this.model!.setWeights(this.bestWeights);
  }
}
