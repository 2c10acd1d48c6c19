// The one strided-index walk. Broadcasting (stride 0), transpose (permuted strides), strided slicing (scaled
// strides plus an offset), padding and reductions are all "read element i of this shape from offset map[i]".

import { type Shape, sizeOf, stridesOf } from './shape.js';

/** For each element of `shape` in row-major order, offset + Σ_d coord[d]·strides[d]. */
export function stridedIndex(shape: Shape, strides: readonly number[], offset = 0): Int32Array {
  const n = sizeOf(shape);
  const rank = shape.length;
  const map = new Int32Array(n);
  const coord = new Array<number>(rank).fill(0);
  let idx = offset;
  for (let i = 0; i < n; i++) {
    map[i] = idx;
    for (let d = rank - 1; d >= 0; d--) {
      idx += strides[d];
      if (++coord[d] < shape[d]) break;
      idx -= strides[d] * shape[d];
      coord[d] = 0;
    }
  }
  return map;
}

/** Strides that read a tensor of inShape as if broadcast to outShape: 0 along stretched or missing dimensions. */
export function broadcastStrides(inShape: Shape, outShape: Shape): number[] {
  const s = stridesOf(inShape);
  const lead = outShape.length - inShape.length;
  return outShape.map((_, d) => (d < lead || inShape[d - lead] === 1 ? 0 : s[d - lead]));
}
