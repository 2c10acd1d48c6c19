// Shared by EarlyStopping, ReduceLROnPlateau and ModelCheckpoint: which direction of a monitored log value is better.
// mode 'auto' infers it from the name: accuracy-like metrics (acc, auc, precision, recall, f1, iou, cosine_similarity,
// with or without 'val_') improve upwards, losses and errors downwards (Keras reads the metric's direction).

import type { CallbackModel, Logs } from './callback.js';
import { platform } from '../platform/node.js';

export type MonitorMode = 'auto' | 'min' | 'max';

const UP = /acc|auc|precision|recall|f1_score|fbeta_score|iou|cosine_similarity|r2_score/;
const DOWN = /loss|error|mse|mae|mape|msle|rmse|crossentropy|hinge|divergence|kld|kl_|poisson|logcosh|huber/;

/**
 * 'min' or 'max' for a monitored key. With strict (EarlyStopping, as Keras) an 'auto' name that is neither
 * accuracy-like nor loss-like is an error; otherwise it counts as lower-is-better (Keras's other callbacks).
 */
export function resolveMode(owner: string, monitor: string, mode: MonitorMode | undefined, strict = false): 'min' | 'max' {
  const m = mode ?? 'auto';
  if (m !== 'auto' && m !== 'min' && m !== 'max') throw new Error(`${owner}: \`mode\` must be 'auto', 'min' or 'max'; received '${String(mode)}'.`);
  if (m !== 'auto') return m;
  const name = monitor.replace(/^val_/, '');
  if (UP.test(name)) return 'max';
  if (strict && !DOWN.test(name)) {
    throw new Error(`${owner} received monitor='${monitor}' but cannot determine whether that metric should be maximized or minimized. Pass mode: 'max' to stop on the highest value, or mode: 'min' for the lowest.`);
  }
  return 'min';
}

export function checkMonitor(owner: string, monitor: unknown): string {
  if (typeof monitor !== 'string' || monitor.length === 0) throw new Error(`${owner}: \`monitor\` must be a log key such as 'val_loss' or 'accuracy'; received ${String(monitor)}.`);
  return monitor;
}

/** The monitored value, or undefined with a one-time warning listing the available keys (as Keras warns). */
export function monitorValue(owner: string, monitor: string, logs: Logs | undefined, warned: Set<string>): number | undefined {
  const v = logs?.[monitor];
  if (v === undefined && !warned.has(monitor)) {
    warned.add(monitor);
    platform.warn(`${owner} is conditioned on metric \`${monitor}\` which is not available. Available metrics are: ${Object.keys(logs ?? {}).join(',')}.`);
  }
  return v;
}

/** The optimizer's learning rate through the structural CallbackModel (throws clearly when there is none). */
export function optimizerOf(owner: string, model: CallbackModel | null): { learningRate: number } {
  const opt = model?.optimizer as { learningRate?: unknown } | undefined;
  if (!opt || typeof opt.learningRate !== 'number') throw new Error(`${owner}: the model has no optimizer with a learningRate; compile the model first.`);
  return opt as { learningRate: number };
}

export function say(line: string): void {
  platform.stdout().write(line + '\n');
}
