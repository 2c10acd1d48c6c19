// Matrix product through the active backend. d(A·B)/dA = G·Bᵀ, d(A·B)/dB = Aᵀ·G, with transposes folded into the kernel.

import { Tensor, type TensorLike } from '../tensor/tensor.js';
import { formatShape } from '../tensor/shape.js';
import { withGrad } from '../autograd/tape.js';
import { getBackend } from '../backend/backend.js';
import { asTensor } from './binary.js';

/** Raw product of 2-D buffers: op(a)·op(b). */
export function matmulRaw(a: Tensor, b: Tensor, transA: boolean, transB: boolean): Tensor {
  const m = transA ? a.shape[1] : a.shape[0];
  const k = transA ? a.shape[0] : a.shape[1];
  const kb = transB ? b.shape[1] : b.shape[0];
  const n = transB ? b.shape[0] : b.shape[1];
  if (k !== kb) {
    throw new Error(`matmul: inner dimensions differ: ${formatShape(a.shape)}${transA ? 'ᵀ' : ''} · ${formatShape(b.shape)}${transB ? 'ᵀ' : ''} (${k} vs ${kb}).`);
  }
  const out = new Float32Array(m * n);
  getBackend().matmul(a.data, b.data, out, m, k, n, transA, transB);
  return new Tensor(out, [m, n]);
}

/** C = op(A)·op(B) for 2-D tensors. */
export function matmul(a: TensorLike, b: TensorLike, transposeA = false, transposeB = false): Tensor {
  const x = asTensor(a), y = asTensor(b);
  if (x.rank !== 2 || y.rank !== 2) throw new Error(`matmul needs 2-D tensors; got ${formatShape(x.shape)} and ${formatShape(y.shape)}.`);
  const out = matmulRaw(x, y, transposeA, transposeB);
  return withGrad(out, 'matmul', [x, y], (g) => [
    // dA: if C = A·B then G·Bᵀ; with transposes, the same identity applied to op(·).
    x.requiresGrad ? (transposeA ? matmulRaw(y, g, transposeB, true) : matmulRaw(g, y, false, !transposeB)) : null,
    y.requiresGrad ? (transposeB ? matmulRaw(g, x, true, transposeA) : matmulRaw(x, g, !transposeA, false)) : null,
  ]);
}
