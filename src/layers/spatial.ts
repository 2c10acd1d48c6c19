// What the convolution, pooling and reshaping layers share: Keras's data_format, tuple options, the rank check
// with its reshape hint, and moving channels to the end and back (the kernels work channels last).

import type { Tensor } from '../tensor/tensor.js';
import * as ops from '../ops/index.js';
import type { SymbolicShape } from './layer.js';

export type DataFormat = 'channelsLast' | 'channelsFirst';
/** Keras's spellings and TF.js's. */
export type DataFormatIdentifier = DataFormat | 'channels_last' | 'channels_first';

export function dataFormatOf(value: unknown, what: string): DataFormat {
  if (value === undefined || value === null || value === 'channels_last' || value === 'channelsLast') return 'channelsLast';
  if (value === 'channels_first' || value === 'channelsFirst') return 'channelsFirst';
  throw new Error(`${what}: dataFormat must be 'channels_last' or 'channels_first', got ${JSON.stringify(value)}.`);
}

/** A number or a list of `rank` positive integers (min = 0 allows zeros, as paddings and croppings do). */
export function tupleOf(value: unknown, rank: number, name: string, what: string, min = 1): number[] {
  const list = typeof value === 'number' ? new Array<number>(rank).fill(value) : Array.isArray(value) ? [...value] : null;
  if (!list || list.length !== rank || !list.every((v) => Number.isInteger(v) && v >= min)) {
    throw new Error(`${what}: ${name} must be ${min === 0 ? 'a non-negative' : 'a positive'} integer or a list of ${rank} such integers, got ${JSON.stringify(value)}.`);
  }
  return list;
}

const DIM_NAMES = ['steps', 'height, width', 'depth, height, width'];

/** Spatial layers need [batch, ...spatial, channels]; a flat image gets a hint to reshape it. */
export function checkSpatialRank(inputShape: SymbolicShape, rank: number, className: string, name: string): void {
  if (inputShape.length === rank + 2) return;
  const shown = `[${inputShape.map((d) => (d === null ? 'null' : d)).join(', ')}]`;
  let hint = '';
  const flat = inputShape.length === 2 ? inputShape[1] : null;
  if (flat !== null && rank === 2) {
    const side = Math.round(Math.sqrt(flat)), side3 = Math.round(Math.sqrt(flat / 3));
    if (side * side === flat) hint = ` Each sample is a flat vector of ${flat} values: reshape it to [${side}, ${side}, 1] (x.reshape([-1, ${side}, ${side}, 1]), or a Reshape({ targetShape: [${side}, ${side}, 1] }) layer first).`;
    else if (3 * side3 * side3 === flat) hint = ` Each sample is a flat vector of ${flat} values: reshape it to [${side3}, ${side3}, 3].`;
  } else if (flat !== null && rank === 1) hint = ` Each sample is a flat vector: reshape it to [${flat}, 1] (one channel).`;
  throw new Error(`${className} '${name}' expects inputs of rank ${rank + 2} ([batch, ${DIM_NAMES[rank - 1]}, channels]), got shape ${shown}.${hint}`);
}

/** Channels-first data moved to channels last, and back: perms for rank r spatial dims. */
export function toChannelsLast(x: Tensor, rank: number): Tensor {
  return ops.transpose(x, [0, ...Array.from({ length: rank }, (_, i) => i + 2), 1]);
}

export function toChannelsFirst(x: Tensor, rank: number): Tensor {
  return ops.transpose(x, [0, rank + 1, ...Array.from({ length: rank }, (_, i) => i + 1)]);
}

/** A symbolic shape in channels-last order (and back), for shape inference. */
export function shapeToLast(shape: SymbolicShape, format: DataFormat): SymbolicShape {
  return format === 'channelsLast' ? shape : [shape[0], ...shape.slice(2), shape[1]];
}

export function shapeFromLast(shape: SymbolicShape, format: DataFormat): SymbolicShape {
  return format === 'channelsLast' ? shape : [shape[0], shape[shape.length - 1], ...shape.slice(1, -1)];
}
