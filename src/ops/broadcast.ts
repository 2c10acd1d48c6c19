// Index maps for broadcasting: for each element of the output, which element of an input it reads.

import { type Shape, sizeOf, stridesOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

export type IndexFn = { kind: 'same' } | { kind: 'scalar' } | { kind: 'suffix'; size: number } | { kind: 'map'; map: Int32Array };

/** How an input of shape inShape is read when broadcast to outShape. */
export function broadcastIndex(inShape: Shape, outShape: Shape): IndexFn {
  const inSize = sizeOf(inShape);
  const outSize = sizeOf(outShape);
  if (inSize === outSize) return { kind: 'same' };
  if (inSize === 1) return { kind: 'scalar' };
  // Input equals the trailing dims of the output (leading 1s ignored): a repeating block.
  const trimmed = [...inShape];
  while (trimmed.length && trimmed[0] === 1) trimmed.shift();
  const suffix = outShape.slice(outShape.length - trimmed.length);
  if (trimmed.every((d, i) => d === suffix[i])) return { kind: 'suffix', size: inSize };
  const rank = outShape.length;
  const padded = [...new Array(rank - inShape.length).fill(1), ...inShape];
  const inStrides = stridesOf(padded);
  const map = new Int32Array(outSize);
  const coord = new Array<number>(rank).fill(0);
  for (let i = 0; i < outSize; i++) {
    let idx = 0;
    for (let d = 0; d < rank; d++) if (padded[d] !== 1) idx += coord[d] * inStrides[d];
    map[i] = idx;
    for (let d = rank - 1; d >= 0; d--) {
      if (++coord[d] < outShape[d]) break;
      coord[d] = 0;
    }
  }
  return { kind: 'map', map };
}

export function resolveIndex(fn: IndexFn, i: number): number {
  switch (fn.kind) {
    case 'same':
      return i;
    case 'scalar':
      return 0;
    case 'suffix':
      return i % fn.size;
    case 'map':
      return fn.map[i];
  }
}

/** Sum a gradient of the broadcast output shape back down to the input's shape. */
export function sumToShape(grad: Tensor, shape: Shape): Tensor {
  const size = sizeOf(shape);
  if (grad.size === size) return grad.shape.length === shape.length ? grad : new Tensor(grad.data, shape);
  const fn = broadcastIndex(shape, grad.shape);
  const out = new Float32Array(size);
  const g = grad.data;
  if (fn.kind === 'scalar') {
    let s = 0;
    for (let i = 0; i < g.length; i++) s += g[i];
    out[0] = s;
  } else if (fn.kind === 'suffix') {
    for (let i = 0; i < g.length; i += size) for (let j = 0; j < size; j++) out[j] += g[i + j];
  } else {
    for (let i = 0; i < g.length; i++) out[resolveIndex(fn, i)] += g[i];
  }
  return new Tensor(out, shape);
}
