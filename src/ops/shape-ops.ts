// Ops that move values without arithmetic, at any rank: reshape, transpose, slice (strided), pad, broadcastTo,
// concat/split/stack, gather and scatterAdd, oneHot. Index arithmetic goes through stridedIndex (src/tensor/strided.ts).

import type { Tensor, TensorLike } from '../tensor/tensor.js';
import { formatShape, normalizeAxes, sizeOf, stridesOf, broadcastShapes } from '../tensor/shape.js';
import { stridedIndex } from '../tensor/strided.js';
import { run } from '../autograd/tape.js';
import { asTensor } from './unary.js';
import { broadcastIndex, readerMap, sumInto, type Reader } from './broadcast.js';
import type { Planned, Rule } from './rule.js';

/** Output element o reads input element map[o] (a gather by a fixed index map); backward scatters back. */
interface MapPlan extends Planned {
  readonly map: Int32Array;
  /** Every input element is read (a permutation): backward needs no zeroing. */
  readonly bijective: boolean;
}
const mapForward = (p: MapPlan, x: Float32Array, y: Float32Array): void => {
  const map = p.map;
  for (let o = 0; o < map.length; o++) y[o] = x[map[o]];
};
const mapBackward = (p: MapPlan, g: Float32Array, gx: Float32Array): void => {
  const map = p.map;
  if (!p.bijective) gx.fill(0);
  for (let o = 0; o < map.length; o++) gx[map[o]] = g[o]; // maps here never read an element twice
};
const mapRule = <A>(plan: (shapes: readonly (readonly number[])[], a: A) => MapPlan): Rule<A, MapPlan> => ({
  plan,
  forward: (p, [x], y) => mapForward(p, x, y),
  backward: (p, _x, _y, g, [gx]) => mapBackward(p, g, gx!),
});

interface ConcatPlan extends Planned {
  readonly outer: number;
  readonly blocks: number[];
  readonly rowLen: number;
}
interface GatherPlan extends Planned {
  /** How a bad index is reported: its source (e.g. "Embedding 'e': token id"), the indices' shape, the axis text. */
  readonly label?: string;
  readonly idxShape?: readonly number[];
  readonly where?: string;
  /** Output = [batch…, outer…, indices…, inner…] from x = [batch…, outer…, dim, inner…]. */
  readonly batch: number;
  readonly outer: number;
  readonly dim: number;
  readonly count: number;
  readonly inner: number;
}

function planGather(xShape: readonly number[], idxShape: readonly number[], axis: number, batchDims: number): GatherPlan {
  const ax = axis < 0 ? axis + xShape.length : axis;
  const bd = batchDims < 0 ? batchDims + idxShape.length : batchDims;
  if (!(ax >= 0 && ax < xShape.length)) throw new Error(`gather: axis ${axis} is out of range for shape ${formatShape(xShape)}.`);
  if (!(bd >= 0 && bd <= ax && bd <= idxShape.length) || xShape.slice(0, bd).some((d, i) => d !== idxShape[i])) {
    throw new Error(`gather: batchDims ${batchDims} must be ≤ axis ${ax} and the leading dims of x ${formatShape(xShape)} and indices ${formatShape(idxShape)} must match.`);
  }
  const shape = [...xShape.slice(0, ax), ...idxShape.slice(bd), ...xShape.slice(ax + 1)];
  return { shape, batch: sizeOf(xShape.slice(0, bd)), outer: sizeOf(xShape.slice(bd, ax)), dim: xShape[ax], count: sizeOf(idxShape.slice(bd)), inner: sizeOf(xShape.slice(ax + 1)) };
}

/**
 * The rows gather copies: x row ((b·outer + o)·dim + idx)·inner ↔ out row ((b·outer + o)·count + i)·inner.
 * Gather reads x rows into out rows; scatter adds out-shaped rows (from) into x-shaped rows (to).
 */
function gatherRows(p: GatherPlan, idx: Float32Array, from: Float32Array, to: Float32Array, scatter: boolean): void {
  const { batch, outer, dim, count, inner } = p;
  for (let b = 0; b < batch; b++)
    for (let o = 0; o < outer; o++)
      for (let i = 0; i < count; i++) {
        const xo = ((b * outer + o) * dim + idx[b * count + i]) * inner, oo = ((b * outer + o) * count + i) * inner;
        if (scatter) for (let j = 0; j < inner; j++) to[xo + j] += from[oo + j];
        else for (let j = 0; j < inner; j++) to[oo + j] = from[xo + j];
      }
}

export const shapeRules = {
  /** Same values in a new shape (the output shares the input's storage). */
  reshape: {
    view: true,
    passesGrad: () => true,
    plan: (_s, { shape }) => ({ shape }),
    forward: () => {},
    backward: (_p, _x, _y, g, [gx]) => gx!.set(g),
  } as Rule<{ shape: number[] }, Planned>,
  transpose: mapRule<{ perm: readonly number[] }>(([shape], { perm }) => {
    const strides = stridesOf(shape);
    const out = perm.map((d) => shape[d]);
    return { shape: out, map: stridedIndex(out, perm.map((d) => strides[d])), bijective: true };
  }),
  /** begin, size and step per axis: out[i…] = x[begin + i·step …]. Backward adds into the read elements only. */
  slice: {
    ...mapRule<{ begin: number[]; size: number[]; step: number[] }>(([shape], { begin, size, step }) => {
      const strides = stridesOf(shape);
      const offset = begin.reduce((s, b, d) => s + b * strides[d], 0);
      return { shape: size, map: stridedIndex(size, strides.map((s, d) => s * step[d]), offset), bijective: size.every((s, d) => s === shape[d]) };
    }),
    addsGrad: true,
    backward: (p: MapPlan, _x: readonly Float32Array[], _y: Float32Array, g: Float32Array, [gx]: readonly (Float32Array | null)[]) => {
      const map = p.map, out = gx!;
      for (let o = 0; o < map.length; o++) out[map[o]] += g[o];
    },
  } as Rule<{ begin: number[]; size: number[]; step: number[] }, MapPlan>,
  /** Read through broadcasting; the gradient sums over the stretched axes. */
  broadcastTo: {
    plan: ([s], { shape }) => {
      const out = broadcastShapes(s, shape);
      if (out.length !== shape.length || out.some((d, i) => d !== shape[i])) throw new Error(`broadcastTo: shape ${formatShape(s)} cannot be broadcast to ${formatShape(shape)}.`);
      const r = broadcastIndex(s, out);
      return { shape: out, r, map: readerMap(r, sizeOf(out)) };
    },
    forward: (p, [x], y) => {
      for (let o = 0; o < y.length; o++) y[o] = x[p.map[o]];
    },
    backward: (p, _x, _y, g, [gx]) => sumInto(p.r, g, gx!),
  } as Rule<{ shape: number[] }, Planned & { r: Reader; map: Int32Array }>,
  /** Constant padding: paddings[d] = [before, after]. Input element i lands at inMap[i] of the output. */
  pad: {
    plan: ([shape], { paddings, value }) => {
      const out = shape.map((d, i) => d + paddings[i][0] + paddings[i][1]);
      const os = stridesOf(out);
      return { shape: out, value, inMap: stridedIndex(shape, os, paddings.reduce((s, [b], d) => s + b * os[d], 0)) };
    },
    forward: (p, [x], y) => {
      y.fill(p.value);
      for (let i = 0; i < x.length; i++) y[p.inMap[i]] = x[i];
    },
    backward: (p, _x, _y, g, [gx]) => {
      for (let i = 0; i < gx!.length; i++) gx![i] = g[p.inMap[i]];
    },
  } as Rule<{ paddings: [number, number][]; value: number }, Planned & { value: number; inMap: Int32Array }>,
  /** Join along an existing axis (any number of inputs). */
  concat: {
    plan: (shapes, { axis }) => {
      const rank = shapes[0].length;
      const ax = axis < 0 ? axis + rank : axis;
      if (!(ax >= 0 && ax < rank)) throw new Error(`concat: axis ${axis} is out of range for rank ${rank}.`);
      for (const s of shapes) {
        if (s.length !== rank || s.some((d, i) => i !== ax && d !== shapes[0][i])) throw new Error(`concat: shapes ${shapes.map((u) => formatShape(u)).join(', ')} differ outside axis ${ax}.`);
      }
      const blocks = shapes.map((s) => sizeOf(s.slice(ax)));
      const shape = [...shapes[0]];
      shape[ax] = shapes.reduce((p, s) => p + s[ax], 0);
      return { shape, outer: sizeOf(shapes[0].slice(0, ax)), blocks, rowLen: blocks.reduce((p, q) => p + q, 0) };
    },
    // Plain loops, not set(subarray()): a replayed step allocates nothing.
    forward: ({ outer, blocks, rowLen }, xs, y) => {
      for (let k = 0, off = 0; k < xs.length; off += blocks[k++]) {
        const x = xs[k], w = blocks[k];
        for (let o = 0; o < outer; o++) for (let j = 0; j < w; j++) y[o * rowLen + off + j] = x[o * w + j];
      }
    },
    backward: ({ outer, blocks, rowLen }, _x, _y, g, gx) => {
      for (let k = 0, off = 0; k < gx.length; off += blocks[k++]) {
        const t = gx[k], w = blocks[k];
        if (t) for (let o = 0; o < outer; o++) for (let j = 0; j < w; j++) t[o * w + j] = g[o * rowLen + off + j];
      }
    },
  } as Rule<{ axis: number }, ConcatPlan>,
  /** Rows of x picked along axis by integer indices (input 1, read at run time); leading batchDims pair up. */
  gather: {
    plan: ([xs, is], { axis, batchDims, label }) => ({ ...planGather(xs, is, axis, batchDims), label, idxShape: is, where: `axis ${axis} of shape ${formatShape(xs)}` }),
    // Indices are data: checked on every run (replayed steps too), before anything is written.
    forward: (p, [x, idx], y) => {
      checkRange(p, idx);
      gatherRows(p, idx, x, y, false);
    },
    backward: (p, [, idx], _y, g, [gx]) => {
      gx!.fill(0);
      gatherRows(p, idx, g, gx!, true);
    },
  } as Rule<{ axis: number; batchDims: number; label?: string }, GatherPlan>,
  /** The adjoint of gather: a zero tensor of `shape` with updates added at the indexed rows (repeats add up). */
  scatterAdd: {
    plan: ([us, is], { shape, axis, batchDims }) => {
      const p = planGather(shape, is, axis, batchDims);
      if (formatShape(p.shape) !== formatShape(us)) throw new Error(`scatterAdd: updates have shape ${formatShape(us)}, expected ${formatShape(p.shape)} for indices ${formatShape(is)} into ${formatShape(shape)}.`);
      return { ...p, shape };
    },
    forward: (p, [u, idx], y) => {
      y.fill(0);
      gatherRows(p, idx, u, y, true);
    },
    backward: (p, [, idx], _y, g, [gu]) => gatherRows(p, idx, g, gu!, false),
  } as Rule<{ shape: readonly number[]; axis: number; batchDims: number }, GatherPlan>,
  /** One-hot rows for integer labels (input 0, read at run time): shape [...labels, depth]. Not differentiable. */
  oneHot: {
    plan: ([shape], { depth }) => ({ shape: [...shape, depth], depth }),
    forward: (p, [l], y) => {
      y.fill(0);
      for (let i = 0; i < l.length; i++) y[i * p.depth + l[i]] = 1;
    },
  } as Rule<{ depth: number }, Planned & { depth: number }>,
};

/** Same values in a new shape; one dimension may be -1 (inferred). */
export function reshape(a: TensorLike, shape: readonly number[]): Tensor {
  const x = asTensor(a);
  const unknown = shape.indexOf(-1);
  const target = [...shape];
  if (unknown >= 0) {
    const known = sizeOf(shape.filter((d) => d !== -1));
    target[unknown] = known === 0 ? 0 : x.size / known;
  }
  if (sizeOf(target) !== x.size || target.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new Error(`Cannot reshape a tensor of shape ${formatShape(x.shape)} (${x.size} values) to ${formatShape(shape)}.`);
  }
  return run('reshape', shapeRules.reshape, [x], { shape: target });
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
  return run('transpose', shapeRules.transpose, [x], { perm: p });
}

/** Copy a box region; begin per axis, size per axis (-1 = to the end). */
export function slice(a: TensorLike, begin: readonly number[], size?: readonly number[]): Tensor {
  const x = asTensor(a);
  const b = x.shape.map((_, d) => begin[d] ?? 0);
  const s = x.shape.map((dim, d) => ((size?.[d] ?? -1) === -1 ? dim - b[d] : size![d]));
  for (let d = 0; d < x.rank; d++) {
    if (b[d] < 0 || s[d] < 0 || b[d] + s[d] > x.shape[d]) throw new Error(`slice: begin ${formatShape(b)} size ${formatShape(s)} is out of bounds for shape ${formatShape(x.shape)}.`);
  }
  return run('slice', shapeRules.slice, [x], { begin: b, size: s, step: s.map(() => 1) });
}

/**
 * x[begin:end:step] per axis, as TF's stridedSlice with positive steps: begin defaults to 0, end to the axis
 * size (both clamped; negative values count from the end), step to 1.
 */
export function stridedSlice(a: TensorLike, begin: readonly number[], end: readonly number[], strides?: readonly number[]): Tensor {
  const x = asTensor(a);
  const step = x.shape.map((_, d) => strides?.[d] ?? 1);
  const clampIdx = (v: number, dim: number) => Math.min(dim, Math.max(0, v < 0 ? v + dim : v));
  const b = x.shape.map((dim, d) => clampIdx(begin[d] ?? 0, dim));
  const e = x.shape.map((dim, d) => clampIdx(end[d] ?? dim, dim));
  step.forEach((s, d) => {
    if (!Number.isInteger(s) || s < 1) throw new Error(`stridedSlice: step ${s} on axis ${d} must be a positive integer.`);
  });
  const size = b.map((v, d) => Math.max(0, Math.ceil((e[d] - v) / step[d])));
  return run('slice', shapeRules.slice, [x], { begin: b, size, step });
}

/** Pad with a constant: paddings[d] = [before, after] for every axis (as tf.pad). */
export function pad(a: TensorLike, paddings: readonly (readonly [number, number])[], value = 0): Tensor {
  const x = asTensor(a);
  if (paddings.length !== x.rank || paddings.some((p) => p.length !== 2 || p.some((v) => !Number.isInteger(v) || v < 0))) {
    throw new Error(`pad: paddings must be ${x.rank} pairs [before, after] of non-negative integers for shape ${formatShape(x.shape)}, got ${JSON.stringify(paddings)}.`);
  }
  return run('pad', shapeRules.pad, [x], { paddings: paddings.map(([p, q]) => [p, q] as [number, number]), value });
}

/** x repeated along its size-1 (or missing leading) axes up to shape. */
export const broadcastTo = (a: TensorLike, shape: readonly number[]): Tensor => run('broadcastTo', shapeRules.broadcastTo, [asTensor(a)], { shape: [...shape] });

/** Join tensors along an existing axis. */
export function concat(tensors: readonly TensorLike[], axis = 0): Tensor {
  if (tensors.length === 0) throw new Error('concat needs at least one tensor.');
  return run('concat', shapeRules.concat, tensors.map(asTensor), { axis });
}

/** Split along axis into n equal parts, or parts of the given sizes (one may be -1), as tf.split. */
export function split(a: TensorLike, sizesOrCount: number | readonly number[], axis = 0): Tensor[] {
  const x = asTensor(a);
  const ax = normalizeAxes(axis, x.rank)[0];
  const dim = x.shape[ax];
  let sizes: number[];
  if (typeof sizesOrCount === 'number') {
    if (!Number.isInteger(sizesOrCount) || sizesOrCount < 1 || dim % sizesOrCount) throw new Error(`split: axis ${ax} of size ${dim} cannot be split into ${sizesOrCount} equal parts.`);
    sizes = new Array(sizesOrCount).fill(dim / sizesOrCount);
  } else {
    sizes = [...sizesOrCount];
    const free = sizes.indexOf(-1);
    if (free >= 0) sizes[free] = dim - sizes.reduce((p, q) => p + (q === -1 ? 0 : q), 0);
    if (sizes.some((s) => s < 0) || sizes.reduce((p, q) => p + q, 0) !== dim) throw new Error(`split: sizes ${formatShape(sizesOrCount)} do not add up to ${dim} (axis ${ax} of ${formatShape(x.shape)}).`);
  }
  let at = 0;
  return sizes.map((s) => {
    const begin = x.shape.map((_, d) => (d === ax ? at : 0));
    at += s;
    return slice(x, begin, x.shape.map((d, i) => (i === ax ? s : d)));
  });
}

export function stack(tensors: readonly TensorLike[], axis = 0): Tensor {
  return concat(tensors.map((t) => expandDims(t, axis)), axis);
}

/** The inverse of stack: the slices along axis, each without that axis. */
export function unstack(a: TensorLike, axis = 0): Tensor[] {
  const x = asTensor(a);
  const ax = normalizeAxes(axis, x.rank)[0];
  return split(x, x.shape[ax], ax).map((t) => squeeze(t, ax));
}

/** Throw on an index outside [0, dim): with a label, naming the row (first axis) and position of the bad one. */
function checkRange(p: GatherPlan, idx: Float32Array): void {
  const dim = p.dim;
  for (let i = 0; i < idx.length; i++) {
    const v = idx[i];
    if (v >= 0 && v < dim && v === Math.floor(v)) continue;
    const shape = p.idxShape ?? [idx.length];
    const row = shape.length > 1 ? idx.length / shape[0] : idx.length;
    if (p.label) throw new Error(`${p.label} ${v} in row ${Math.floor(i / row)} (position ${i % row}) of the input ${formatShape(shape)} is outside [0, ${dim}).`);
    throw new Error(`gather: index ${v} at position ${i} is out of range [0, ${dim}) for ${p.where}.`);
  }
}

function checkIndices(what: string, idx: Tensor, dim: number, where: string): void {
  for (let i = 0; i < idx.size; i++) {
    const v = idx.data[i];
    if (!Number.isInteger(v) || v < 0 || v >= dim) throw new Error(`${what}: index ${v} at position ${i} is out of range [0, ${dim}) for ${where}.`);
  }
}

/**
 * Slices of x along axis at integer indices: shape x[:axis] + indices[batchDims:] + x[axis+1:]. With batchDims b,
 * the first b axes of x and indices pair up (tf.gather's batch_dims), e.g. each sample's label column. Indices are
 * checked on every run (captured steps too); `label` names their source in the error (e.g. "Embedding 'e': token id",
 * then the row and position of the bad one).
 */
export function gather(a: TensorLike, indices: TensorLike, axis = 0, batchDims = 0, label?: string): Tensor {
  const x = asTensor(a);
  const ax = axis < 0 ? axis + x.rank : axis;
  return run('gather', shapeRules.gather, [x, asTensor(indices)], { axis: ax, batchDims, label });
}

/** A zeros tensor of `shape` with each row of updates added at its index along axis (the gradient of gather). */
export function scatterAdd(updates: TensorLike, indices: TensorLike, shape: readonly number[], axis = 0, batchDims = 0): Tensor {
  const idx = asTensor(indices);
  const ax = axis < 0 ? axis + shape.length : axis;
  checkIndices('scatterAdd', idx, shape[ax], `axis ${ax} of shape ${formatShape(shape)}`);
  return run('scatterAdd', shapeRules.scatterAdd, [asTensor(updates), idx], { shape: [...shape], axis: ax, batchDims });
}

/** One-hot encode integer labels: shape [...labels.shape, depth]. */
export function oneHot(labels: TensorLike, depth: number): Tensor {
  const l = asTensor(labels);
  for (let i = 0; i < l.size; i++) {
    const c = l.data[i];
    if (!Number.isInteger(c) || c < 0 || c >= depth) throw new Error(`oneHot: label ${c} at position ${i} is not an integer in [0, ${depth}).`);
  }
  return run('oneHot', shapeRules.oneHot, [l], { depth });
}
