// Ops that move values around without arithmetic: reshape, transpose, slice, concat, gather, oneHot.

import { Tensor, type TensorLike } from '../tensor/tensor.js';
import { formatShape, normalizeAxes, sizeOf, stridesOf } from '../tensor/shape.js';
import { withGrad } from '../autograd/tape.js';
import { asTensor } from './binary.js';

/** Same values in a new shape; one dimension may be -1 (inferred). */
export function reshape(a: TensorLike, shape: readonly number[]): Tensor {
  const x = asTensor(a);
  const unknown = shape.indexOf(-1);
  let target = [...shape];
  if (unknown >= 0) {
    const known = sizeOf(shape.filter((d) => d !== -1));
    target[unknown] = known === 0 ? 0 : x.size / known;
  }
  if (sizeOf(target) !== x.size || target.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new Error(`Cannot reshape a tensor of shape ${formatShape(x.shape)} (${x.size} values) to ${formatShape(shape)}.`);
  }
  return withGrad(new Tensor(x.data, target), 'reshape', [x], (g) => [new Tensor(g.data, x.shape)]);
}

export function flatten2d(a: TensorLike): Tensor {
  const x = asTensor(a);
  return reshape(x, [x.shape[0] ?? 1, -1]);
}

export function expandDims(a: TensorLike, axis = 0): Tensor {
  const x = asTensor(a);
  const ax = axis < 0 ? x.rank + 1 + axis : axis;
  const shape = [...x.shape];
  shape.splice(ax, 0, 1);
  return reshape(x, shape);
}

export function squeeze(a: TensorLike, axis?: number | number[]): Tensor {
  const x = asTensor(a);
  const axes = axis === undefined ? x.shape.map((d, i) => (d === 1 ? i : -1)).filter((i) => i >= 0) : normalizeAxes(axis, x.rank);
  for (const ax of axes) if (x.shape[ax] !== 1) throw new Error(`Cannot squeeze axis ${ax} of size ${x.shape[ax]}.`);
  return reshape(x, x.shape.filter((_, i) => !axes.includes(i)));
}

/** Permute dimensions (default: reverse them). */
export function transpose(a: TensorLike, perm?: readonly number[]): Tensor {
  const x = asTensor(a);
  const rank = x.rank;
  const p = perm ?? Array.from({ length: rank }, (_, i) => rank - 1 - i);
  if (p.length !== rank || [...p].sort().some((v, i) => v !== i)) throw new Error(`transpose: ${formatShape(p)} is not a permutation of ${rank} axes.`);
  const outShape = p.map((d) => x.shape[d]);
  const inStrides = stridesOf(x.shape);
  const out = new Float32Array(x.size);
  if (rank === 2 && p[0] === 1) {
    const [r, c] = x.shape;
    for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = x.data[i * c + j];
  } else {
    const coord = new Array<number>(rank).fill(0);
    for (let o = 0; o < out.length; o++) {
      let idx = 0;
      for (let d = 0; d < rank; d++) idx += coord[d] * inStrides[p[d]];
      out[o] = x.data[idx];
      for (let d = rank - 1; d >= 0; d--) {
        if (++coord[d] < outShape[d]) break;
        coord[d] = 0;
      }
    }
  }
  const inverse = new Array<number>(rank);
  p.forEach((d, i) => (inverse[d] = i));
  return withGrad(new Tensor(out, outShape), 'transpose', [x], (g) => [transpose(g, inverse)]);
}

/** Copy a box region; begin per axis, size per axis (-1 = to the end). */
export function slice(a: TensorLike, begin: readonly number[], size?: readonly number[]): Tensor {
  const x = asTensor(a);
  const rank = x.rank;
  const b = x.shape.map((_, d) => begin[d] ?? 0);
  const s = x.shape.map((dim, d) => {
    const v = size?.[d] ?? -1;
    return v === -1 ? dim - b[d] : v;
  });
  for (let d = 0; d < rank; d++) {
    if (b[d] < 0 || s[d] < 0 || b[d] + s[d] > x.shape[d]) throw new Error(`slice: begin ${formatShape(b)} size ${formatShape(s)} is out of bounds for shape ${formatShape(x.shape)}.`);
  }
  const strides = stridesOf(x.shape);
  const n = sizeOf(s);
  const index = new Int32Array(n);
  const coord = new Array<number>(rank).fill(0);
  for (let o = 0; o < n; o++) {
    let idx = 0;
    for (let d = 0; d < rank; d++) idx += (coord[d] + b[d]) * strides[d];
    index[o] = idx;
    for (let d = rank - 1; d >= 0; d--) {
      if (++coord[d] < s[d]) break;
      coord[d] = 0;
    }
  }
  const out = new Float32Array(n);
  for (let o = 0; o < n; o++) out[o] = x.data[index[o]];
  return withGrad(new Tensor(out, s), 'slice', [x], (g) => {
    const gx = new Float32Array(x.size);
    for (let o = 0; o < n; o++) gx[index[o]] += g.data[o];
    return [new Tensor(gx, x.shape)];
  });
}

/** Join tensors along an existing axis. */
export function concat(tensors: readonly TensorLike[], axis = 0): Tensor {
  const xs = tensors.map(asTensor);
  if (xs.length === 0) throw new Error('concat needs at least one tensor.');
  const rank = xs[0].rank;
  const ax = axis < 0 ? axis + rank : axis;
  for (const t of xs) {
    if (t.rank !== rank || t.shape.some((d, i) => i !== ax && d !== xs[0].shape[i])) {
      throw new Error(`concat: shapes ${xs.map((u) => formatShape(u.shape)).join(', ')} differ outside axis ${ax}.`);
    }
  }
  const outer = sizeOf(xs[0].shape.slice(0, ax));
  const blocks = xs.map((t) => sizeOf(t.shape.slice(ax)));
  const rowLen = blocks.reduce((p, q) => p + q, 0);
  const out = new Float32Array(outer * rowLen);
  let offset = 0;
  xs.forEach((t, k) => {
    for (let o = 0; o < outer; o++) out.set(t.data.subarray(o * blocks[k], (o + 1) * blocks[k]), o * rowLen + offset);
    offset += blocks[k];
  });
  const shape = [...xs[0].shape];
  shape[ax] = xs.reduce((p, t) => p + t.shape[ax], 0);
  return withGrad(new Tensor(out, shape), 'concat', xs, (g) => {
    let off = 0;
    return xs.map((t, k) => {
      const gx = new Float32Array(t.size);
      for (let o = 0; o < outer; o++) gx.set(g.data.subarray(o * rowLen + off, o * rowLen + off + blocks[k]), o * blocks[k]);
      off += blocks[k];
      return new Tensor(gx, t.shape);
    });
  });
}

export function stack(tensors: readonly TensorLike[], axis = 0): Tensor {
  return concat(tensors.map((t) => expandDims(t, axis)), axis);
}

/** Pick slices of x along axis at integer indices (e.g. the probability of each sample's true class). */
export function gather(a: TensorLike, indices: TensorLike, axis = 0): Tensor {
  const x = asTensor(a);
  const idx = asTensor(indices);
  const ax = axis < 0 ? axis + x.rank : axis;
  const dim = x.shape[ax];
  for (let i = 0; i < idx.size; i++) {
    const v = idx.data[i];
    if (!Number.isInteger(v) || v < 0 || v >= dim) throw new Error(`gather: index ${v} at position ${i} is out of range [0, ${dim}) for axis ${ax} of shape ${formatShape(x.shape)}.`);
  }
  const outer = sizeOf(x.shape.slice(0, ax));
  const inner = sizeOf(x.shape.slice(ax + 1));
  const outShape = [...x.shape.slice(0, ax), ...idx.shape, ...x.shape.slice(ax + 1)];
  const out = new Float32Array(outer * idx.size * inner);
  for (let o = 0; o < outer; o++)
    for (let i = 0; i < idx.size; i++) {
      const src = (o * dim + idx.data[i]) * inner;
      out.set(x.data.subarray(src, src + inner), (o * idx.size + i) * inner);
    }
  return withGrad(new Tensor(out, outShape), 'gather', [x], (g) => {
    const gx = new Float32Array(x.size);
    for (let o = 0; o < outer; o++)
      for (let i = 0; i < idx.size; i++) {
        const dst = (o * dim + idx.data[i]) * inner;
        const src = (o * idx.size + i) * inner;
        for (let j = 0; j < inner; j++) gx[dst + j] += g.data[src + j];
      }
    return [new Tensor(gx, x.shape)];
  });
}

/** One-hot encode integer labels: shape [...labels.shape, depth]. */
export function oneHot(labels: TensorLike, depth: number): Tensor {
  const l = asTensor(labels);
  const out = new Float32Array(l.size * depth);
  for (let i = 0; i < l.size; i++) {
    const c = l.data[i];
    if (!Number.isInteger(c) || c < 0 || c >= depth) throw new Error(`oneHot: label ${c} at position ${i} is not an integer in [0, ${depth}).`);
    out[i * depth + c] = 1;
  }
  return new Tensor(out, [...l.shape, depth]);
}
