// How an input is read when broadcast to an output shape, and how a gradient is summed back to the input's shape.

import { type Shape, sizeOf } from '../tensor/shape.js';
import { stridedIndex, broadcastStrides } from '../tensor/strided.js';
import { elementwise } from '../backend/backend.js';

/**
 * 'same': element i; 'scalar': element 0; 'suffix': i mod size (a bias over trailing dims); 'prefix': ⌊i / inner⌋
 * (one value per row: x / sum(x, -1, keepDims), a normalization's mean); 'map': map[i].
 */
export interface Reader {
  readonly kind: 'same' | 'scalar' | 'suffix' | 'prefix' | 'map';
  readonly size: number;
  readonly map: Int32Array | null;
  /** Output elements per input element ('prefix' only; 1 otherwise). */
  readonly inner: number;
}

/** How an input of shape inShape is read when broadcast to outShape. */
export function broadcastIndex(inShape: Shape, outShape: Shape): Reader {
  const size = sizeOf(inShape);
  const n = sizeOf(outShape);
  if (size === n) return { kind: 'same', size, map: null, inner: 1 };
  if (size === 1) return { kind: 'scalar', size, map: null, inner: 1 };
  // Input equals the trailing dims of the output (leading 1s ignored): a repeating block.
  const trimmed = [...inShape];
  while (trimmed.length && trimmed[0] === 1) trimmed.shift();
  const suffix = outShape.slice(outShape.length - trimmed.length);
  if (trimmed.every((d, i) => d === suffix[i])) return { kind: 'suffix', size, map: null, inner: 1 };
  // Input (left-padded with 1s to the output's rank) equals the output's leading dims, then only 1s: one value per row.
  const padded = [...new Array<number>(outShape.length - inShape.length).fill(1), ...inShape];
  let k = padded.length;
  while (k > 0 && padded[k - 1] === 1) k--;
  if (padded.slice(0, k).every((d, i) => d === outShape[i])) return { kind: 'prefix', size, map: null, inner: n / size };
  return { kind: 'map', size, map: stridedIndex(outShape, broadcastStrides(inShape, outShape)), inner: 1 };
}

/** The index map of a reader over n output elements (materialised for the generic loops). */
export function readerMap(r: Reader, n: number): Int32Array {
  if (r.map) return r.map;
  const m = new Int32Array(n);
  if (r.kind === 'same') for (let i = 0; i < n; i++) m[i] = i;
  else if (r.kind === 'suffix') for (let i = 0; i < n; i++) m[i] = i % r.size;
  else if (r.kind === 'prefix') for (let i = 0; i < n; i++) m[i] = Math.floor(i / r.inner);
  return m;
}

/** Sum g (of the broadcast output's size) back into out (of the input's size): the adjoint of reading through r. */
export function sumInto(r: Reader, g: Float32Array, out: Float32Array): void {
  switch (r.kind) {
    case 'same':
      out.set(g);
      return;
    case 'scalar': {
      let s = 0;
      for (let i = 0; i < g.length; i++) s += g[i];
      out[0] = s;
      return;
    }
    case 'suffix':
      elementwise(g.length, g).sumRows!(g, out); // a bias gradient: a backend kernel (jsBackend's is the loop)
      return;
    case 'prefix': {
      const inner = r.inner;
      for (let j = 0, i = 0; j < out.length; j++) {
        let s = 0;
        for (let k = 0; k < inner; k++, i++) s += g[i];
        out[j] = s;
      }
      return;
    }
    case 'map': {
      const m = r.map!;
      out.fill(0);
      for (let i = 0; i < g.length; i++) out[m[i]] += g[i];
    }
  }
}
