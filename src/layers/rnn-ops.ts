// Ops the recurrent layers need beyond the core set, as one small seam: split, notEqual, a dropout mask, an in-place
// state update and a gather that names a bad token id. Written with ops, so gradients flow through them.
// TODO(engine): the N-D op table has split, notEqual, dropout and scatter-add gather rules; when it lands these
// become thin calls to it (the state update as an op with an effect, so that a replayed step updates it too).

import { Tensor, ones } from '../tensor/tensor.js';
import type { Rng } from '../tensor/random.js';
import { formatShape } from '../tensor/shape.js';
import * as ops from '../ops/index.js';

/** Split along axis into n equal parts, or parts of the given sizes. */
export function split(x: Tensor, sizesOrCount: number | readonly number[], axis: number): Tensor[] {
  const ax = axis < 0 ? axis + x.rank : axis;
  const dim = x.shape[ax];
  const sizes = typeof sizesOrCount === 'number' ? new Array(sizesOrCount).fill(dim / sizesOrCount) : [...sizesOrCount];
  let at = 0;
  return sizes.map((s) => {
    const begin = x.shape.map((_, d) => (d === ax ? at : 0));
    at += s;
    return ops.slice(x, begin, x.shape.map((d, i) => (i === ax ? s : d)));
  });
}

/** 1 where a ≠ b, else 0 (not differentiable). */
export function notEqual(a: Tensor, b: number): Tensor {
  return ops.sub(1, ops.equal(a, b));
}

/** A dropout mask of `shape`: 0 with probability rate, else 1/(1 − rate), drawn from rng. */
export function dropoutMask(shape: readonly number[], rate: number, rng: () => Rng): Tensor {
  const mask = ones(shape);
  const r = rng(), keep = 1 - rate;
  for (let i = 0; i < mask.size; i++) mask.data[i] = r.next() < keep ? 1 / keep : 0;
  return mask;
}

/** Copy value into target's storage (a stateful layer's carried state). */
export function assign(target: Tensor, value: Tensor): void {
  target.data.set(value.data);
}

/** Rows of table at integer ids (table [n, d], ids any shape -> [...ids, d]); `what` names a bad id's source. */
export function gatherRows(table: Tensor, ids: Tensor, what: string): Tensor {
  const n = table.shape[0];
  const row = ids.rank > 1 ? ids.size / ids.shape[0] : 1;
  for (let i = 0; i < ids.size; i++) {
    const v = ids.data[i];
    if (!Number.isInteger(v) || v < 0 || v >= n) {
      throw new Error(`${what} ${v} in row ${Math.floor(i / row)} (position ${i % row}) of the input ${formatShape(ids.shape)} is outside [0, ${n}).`);
    }
  }
  return ops.gather(table, ids, 0);
}
