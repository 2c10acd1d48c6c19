// Plain TypeScript kernels: the oracle for tests and the fallback when WebAssembly is unavailable.

import type { Backend } from './backend.js';
import { checkSameLengths, checkBias, checkRows } from './checks.js';

export function matmulReference(a: Float32Array, b: Float32Array, out: Float32Array, m: number, k: number, n: number, transA: boolean, transB: boolean, accumulate = false): void {
  if (!accumulate) out.fill(0, 0, m * n);
  // i-p-j loop order keeps the inner loop contiguous over B's rows and out's rows when B is not transposed.
  if (!transB) {
    for (let i = 0; i < m; i++) {
      const outRow = i * n;
      for (let p = 0; p < k; p++) {
        const aip = transA ? a[p * m + i] : a[i * k + p];
        if (aip === 0) continue;
        const bRow = p * n;
        for (let j = 0; j < n; j++) out[outRow + j] += aip * b[bRow + j];
      }
    }
  } else {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        const bRow = j * k;
        if (transA) for (let p = 0; p < k; p++) s += a[p * m + i] * b[bRow + p];
        else {
          const aRow = i * k;
          for (let p = 0; p < k; p++) s += a[aRow + p] * b[bRow + p];
        }
        out[i * n + j] += s;
      }
    }
  }
}

export const jsBackend: Backend = {
  name: 'js',
  matmul: matmulReference,
  relu(x, y) {
    checkSameLengths('relu', x, y);
    for (let i = 0; i < x.length; i++) y[i] = x[i] > 0 ? x[i] : 0;
  },
  reluGrad(x, g, gx) {
    checkSameLengths('reluGrad', x, g, gx);
    for (let i = 0; i < x.length; i++) gx[i] = x[i] > 0 ? g[i] : g[i] * 0; // g·0 keeps NaN visible
  },
  biasAdd(x, b, y) {
    checkBias(x, b, y);
    const m = b.length;
    for (let i = 0, j = 0; i < x.length; i++) {
      y[i] = x[i] + b[j];
      if (++j === m) j = 0;
    }
  },
  sumRows(g, out) {
    checkRows(g, out);
    const m = out.length;
    for (let j = 0; j < m; j++) out[j] = g[j];
    for (let i = m; i < g.length; i += m) for (let j = 0; j < m; j++) out[j] += g[i + j];
  },
  firstNonFinite(x) {
    for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) return i;
    return -1;
  },
};
