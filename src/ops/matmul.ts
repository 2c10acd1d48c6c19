// Batched matrix product through the active backend's GEMM, batch dimensions broadcast as NumPy's matmul:
// [..., m, k] · [..., k, n] → [..., m, n]. d(A·B)/dA = G·Bᵀ, d(A·B)/dB = Aᵀ·G, transposes folded into the kernel.

import type { Tensor, TensorLike } from '../tensor/tensor.js';
import { broadcastShapes, formatShape, sizeOf } from '../tensor/shape.js';
import { stridedIndex, broadcastStrides } from '../tensor/strided.js';
import { run } from '../autograd/tape.js';
import { getBackend } from '../backend/backend.js';
import { asTensor } from './unary.js';
import type { Buf, Planned, Rule } from './rule.js';

interface MatmulPlan extends Planned {
  readonly m: number;
  readonly k: number;
  readonly n: number;
  readonly ta: boolean;
  readonly tb: boolean;
  /** Output batches; for each, the batch of a and of b it reads (null for one batch). */
  readonly batches: number;
  readonly ia: Int32Array | null;
  readonly ib: Int32Array | null;
  /** A or B is shared by several output batches (its gradient accumulates). */
  readonly sharedA: boolean;
  readonly sharedB: boolean;
  /** Per-batch views, cached per buffer so a replayed step creates none. */
  views: Map<Buf, Buf[]>;
}

function planMatmul([sa, sb]: readonly (readonly number[])[], { transposeA, transposeB }: { transposeA: boolean; transposeB: boolean }): MatmulPlan {
  if (sa.length < 2 || sb.length < 2) throw new Error(`matmul needs tensors of rank 2 or more; got ${formatShape(sa)} and ${formatShape(sb)}.`);
  const [ra, ca] = sa.slice(-2), [rb, cb] = sb.slice(-2);
  const m = transposeA ? ca : ra, k = transposeA ? ra : ca;
  const kb = transposeB ? cb : rb, n = transposeB ? rb : cb;
  if (k !== kb) throw new Error(`matmul: inner dimensions differ: ${formatShape(sa)}${transposeA ? 'ᵀ' : ''} · ${formatShape(sb)}${transposeB ? 'ᵀ' : ''} (${k} vs ${kb}).`);
  const batchA = sa.slice(0, -2), batchB = sb.slice(0, -2);
  const batch = broadcastShapes(batchA, batchB);
  const batches = sizeOf(batch);
  const one = batches === 1;
  return {
    shape: [...batch, m, n], m, k, n, ta: transposeA, tb: transposeB, batches,
    ia: one ? null : stridedIndex(batch, broadcastStrides(batchA, batch)),
    ib: one ? null : stridedIndex(batch, broadcastStrides(batchB, batch)),
    sharedA: sizeOf(batchA) < batches, sharedB: sizeOf(batchB) < batches,
    views: new Map(),
  };
}

/** The size-`size` blocks of buf (cached: the same buffers come back on every replayed step). */
function blocks(p: MatmulPlan, buf: Buf, size: number): Buf[] {
  let v = p.views.get(buf);
  if (!v) {
    if (p.views.size > 16) p.views.clear();
    v = Array.from({ length: buf.length / size }, (_, i) => buf.subarray(i * size, (i + 1) * size));
    p.views.set(buf, v);
  }
  return v;
}

/** out = op(a)·op(b) per batch, where a, b are read through the batch maps; acc adds into out. */
function gemm(p: MatmulPlan, a: Buf, ia: Int32Array | null, b: Buf, ib: Int32Array | null, out: Buf, oi: Int32Array | null, m: number, k: number, n: number, ta: boolean, tb: boolean, acc: boolean): void {
  const be = getBackend();
  if (p.batches === 1) return be.matmul(a, b, out, m, k, n, ta, tb, acc);
  const A = blocks(p, a, m * k), B = blocks(p, b, k * n), O = blocks(p, out, m * n);
  if (acc) out.fill(0);
  for (let i = 0; i < p.batches; i++) be.matmul(A[ia ? ia[i] : i], B[ib ? ib[i] : i], O[oi ? oi[i] : i], m, k, n, ta, tb, acc);
}

export const matmulRules = {
  matmul: {
    plan: planMatmul,
    forward: (p, [a, b], y) => gemm(p, a, p.ia, b, p.ib, y, null, p.m, p.k, p.n, p.ta, p.tb, false),
    backward: (p, [a, b], _y, g, [ga, gb]) => {
      const { m, k, n, ta, tb } = p;
      // dA: if C = A·B then G·Bᵀ; with transposes, the same identity applied to op(·). Shared batches accumulate.
      if (ga) {
        if (ta) gemm(p, b, p.ib, g, null, ga, p.ia, k, n, m, tb, true, p.sharedA);
        else gemm(p, g, null, b, p.ib, ga, p.ia, m, n, k, false, !tb, p.sharedA);
      }
      if (gb) {
        if (tb) gemm(p, g, null, a, p.ia, gb, p.ib, n, m, k, true, ta, p.sharedB);
        else gemm(p, a, p.ia, g, null, gb, p.ib, k, m, n, !ta, false, p.sharedB);
      }
    },
  } as Rule<{ transposeA: boolean; transposeB: boolean }, MatmulPlan>,
};

/** C = op(A)·op(B) over the last two axes, batch axes broadcast (rank ≥ 2). */
export function matmul(a: TensorLike, b: TensorLike, transposeA = false, transposeB = false): Tensor {
  return run('matmul', matmulRules.matmul, [asTensor(a), asTensor(b)], { transposeA, transposeB });
}
