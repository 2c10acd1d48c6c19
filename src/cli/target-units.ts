// Regression losses in the target's own units. The CLI trains on the standardized target z = (y - mean) / std,
// so an error e in z is e * std in y: squared errors scale by std^2 (mse), absolute ones by std (mae, rmse).
// Progress lines, history.json, the summary and the report charts show those converted values, next to test
// metrics that are computed in the target's units; a loss or metric that does not convert (huber, msle, mape, ...)
// keeps its value and is labelled "on the standardized target".

import { Callback, type Logs, type TrainParams, type CallbackModel } from '../callbacks/callback.js';

const SQUARED = new Set(['mse', 'meansquarederror']);
const ABSOLUTE = new Set(['mae', 'meanabsoluteerror', 'rmse', 'rootmeansquarederror']);

export interface TargetUnits {
  target: string;
  std: number;
  /** Factor from standardized to target units per log key (null: does not convert). */
  factor(key: string): number | null;
  /** Unit of a metric (base name, without 'val_'): 'price²', 'price', or 'standardized target'. */
  unit(base: string): string;
}

const norm = (name: string) => name.toLowerCase().replace(/[_\s]/g, '');

export function targetUnits(target: string, std: number, loss: string): TargetUnits {
  const kind = (base: string): 'sq' | 'abs' | null => {
    const n = norm(base === 'loss' ? loss : base);
    return SQUARED.has(n) ? 'sq' : ABSOLUTE.has(n) ? 'abs' : null;
  };
  return {
    target,
    std,
    factor(key) {
      const k = kind(key.replace(/^val_/, ''));
      return k === 'sq' ? std * std : k === 'abs' ? std : null;
    },
    unit(base) {
      const k = kind(base);
      return k === 'sq' ? `${target}²` : k === 'abs' ? target : 'standardized target';
    },
  };
}

export function convertLogs(logs: Logs, u: TargetUnits): Logs {
  const out: Logs = {};
  for (const [k, v] of Object.entries(logs)) {
    const f = u.factor(k);
    out[k] = f === null || k === 'batch' || k === 'size' ? v : v * f;
  }
  return out;
}

export function convertHistory(history: Record<string, number[]>, u: TargetUnits): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const [k, vs] of Object.entries(history)) {
    const f = u.factor(k);
    out[k] = f === null ? vs.slice() : vs.map((v) => v * f);
  }
  return out;
}

/** Units by base metric name for the history's keys, e.g. { loss: 'price²', mae: 'price' } (saved in history.json). */
export function unitLabels(keys: readonly string[], u: TargetUnits): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of keys) {
    const base = k.replace(/^val_/, '');
    out[base] = u.unit(base);
  }
  return out;
}

/** One line saying which units the progress lines use. */
export function describeUnits(keys: readonly string[], lossName: string, u: TargetUnits): string {
  const labels = unitLabels(keys, u);
  const text = Object.entries(labels).map(([k, unit]) => `${k === 'loss' ? `loss (${lossName})` : k} in ${unit === 'standardized target' ? 'units of the standardized target' : unit}`);
  return `Losses and metrics below are in the target's units: ${text.join(', ')} (the model trains on the standardized target '${u.target}', std ${Number(u.std.toPrecision(4))}).`;
}

/** Hands another callback (the progress bar) logs converted to target units. */
export class TargetUnitsCallback extends Callback {
  constructor(
    private readonly inner: Callback,
    private readonly units: TargetUnits,
  ) {
    super();
  }
  override setModel(model: CallbackModel): void {
    super.setModel(model);
    this.inner.setModel(model);
  }
  override setParams(params: TrainParams): void {
    super.setParams(params);
    this.inner.setParams(params);
  }
  private conv = (logs?: Logs) => (logs ? convertLogs(logs, this.units) : logs);
  override onTrainBegin(logs?: Logs) {
    return this.inner.onTrainBegin(this.conv(logs));
  }
  override onTrainEnd(logs?: Logs) {
    return this.inner.onTrainEnd(this.conv(logs));
  }
  override onEpochBegin(epoch: number, logs?: Logs) {
    return this.inner.onEpochBegin(epoch, this.conv(logs));
  }
  override onEpochEnd(epoch: number, logs?: Logs) {
    return this.inner.onEpochEnd(epoch, this.conv(logs));
  }
  override onTrainBatchEnd(batch: number, logs?: Logs) {
    return this.inner.onTrainBatchEnd(batch, this.conv(logs));
  }
}
