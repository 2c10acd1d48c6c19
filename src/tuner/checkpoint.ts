// A trial's best epoch (Keras Tuner's SaveBestEpoch): the callback that keeps the weights of the epoch with the best
// objective value, and the bytes a storage keeps per trial, so that getBestModels(), `descent tune --out` and a
// Hyperband trial continued in another process all get the weights that were scored.
//
// Checkpoint bytes ('descent.weights/1'): a 4-byte little-endian length n, n bytes of JSON
// { format, epoch, value, shapes }, then every weight's float32 values, little-endian, in getWeights() order.

import { Callback, type Logs } from '../callbacks/callback.js';
import type { Direction } from './trial.js';
import { score } from './oracle.js';

export interface WeightsCheckpoint {
  /** Epoch (0-based, as in fit's history) whose weights these are. */
  epoch: number;
  /** The objective's value at that epoch. */
  value: number;
  /** As getWeights() returned them (copies), or as decoded from bytes (Float32Arrays, which setWeights takes). */
  weights: readonly unknown[];
}

/** What the checkpoint needs of a model: getWeights() (copies, as Keras) and setWeights(). */
export interface WeightsModel {
  getWeights?(): unknown[];
  setWeights?(weights: never): void;
}

export function restoreWeights(model: WeightsModel, checkpoint: Pick<WeightsCheckpoint, 'weights'>): void {
  if (typeof model.setWeights !== 'function') throw new Error('checkpoint: the model has no setWeights(weights).');
  model.setWeights(checkpoint.weights as never);
}

/** The checkpoint's bytes, or null when its weights are not tensors (shape + float32 dataSync()/data). */
export function encodeCheckpoint(c: WeightsCheckpoint): Uint8Array | null {
  const shapes: number[][] = [];
  const arrays: Float32Array[] = [];
  for (const w of c.weights) {
    const t = w as { shape?: readonly number[]; dataSync?(): Float32Array; data?: Float32Array } | null;
    const data = typeof t?.dataSync === 'function' ? t.dataSync() : t?.data;
    if (!(data instanceof Float32Array)) return null;
    shapes.push([...(t!.shape ?? [data.length])]);
    arrays.push(data);
  }
  // Uint8Array and DataView rather than Buffer: the tuner also runs in the browser.
  const head = new TextEncoder().encode(JSON.stringify({ format: 'descent.weights/1', epoch: c.epoch, value: c.value, shapes }));
  const total = arrays.reduce((n, w) => n + w.length, 0);
  const out = new Uint8Array(4 + head.length + 4 * total);
  const view = new DataView(out.buffer);
  view.setUint32(0, head.length, true);
  out.set(head, 4);
  let at = 4 + head.length;
  for (const w of arrays) for (let i = 0; i < w.length; i++, at += 4) view.setFloat32(at, w[i], true);
  return out;
}

export function decodeCheckpoint(bytes: Uint8Array, where: string): WeightsCheckpoint {
  const buf = bytes;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = buf.length >= 4 ? view.getUint32(0, true) : -1;
  let head: { format?: string; epoch: number; value: number; shapes: number[][] };
  try {
    head = JSON.parse(new TextDecoder().decode(buf.subarray(4, 4 + n)));
  } catch {
    throw new Error(`${where}: not a descent.weights/1 checkpoint (unreadable header).`);
  }
  if (head.format !== 'descent.weights/1' || !Array.isArray(head.shapes)) throw new Error(`${where}: not a descent.weights/1 checkpoint (format ${JSON.stringify(head.format)}).`);
  const sizes = head.shapes.map((s) => s.reduce((a, b) => a * b, 1));
  if (buf.length !== 4 + n + 4 * sizes.reduce((a, b) => a + b, 0)) throw new Error(`${where}: checkpoint is ${buf.length} bytes, its header describes ${4 + n + 4 * sizes.reduce((a, b) => a + b, 0)}.`);
  let at = 4 + n;
  const weights = sizes.map((size) => {
    const w = new Float32Array(size);
    for (let i = 0; i < size; i++, at += 4) w[i] = view.getFloat32(at, true);
    return w;
  });
  return { epoch: head.epoch, value: head.value, weights };
}

/**
 * Keeps a copy of the weights at the epoch whose `monitor` value is best (ties: the earlier epoch, as the trial's
 * value takes the first best). After fit, `restore()` puts them back into the model.
 */
export class BestEpoch extends Callback {
  best: WeightsCheckpoint | null = null;

  constructor(private readonly monitor: string, private readonly direction: Direction, private readonly target: WeightsModel) {
    super();
  }

  override onEpochEnd(epoch: number, logs?: Logs): void {
    const v = logs?.[this.monitor];
    if (typeof v !== 'number' || !Number.isFinite(v)) return;
    if (this.best && score(v, this.direction) >= score(this.best.value, this.direction)) return;
    if (typeof this.target.getWeights === 'function') this.best = { epoch, value: v, weights: this.target.getWeights() };
  }

  /** Put the best epoch's weights back into the model; returns the checkpoint (null when no epoch was finite). */
  restore(): WeightsCheckpoint | null {
    if (this.best) restoreWeights(this.target, this.best);
    return this.best;
  }
}
