// Convolution kernels by im2col/col2im on the backend's GEMM (the threaded SIMD one under wasm).
// im2col lays each output position's receptive field out as one row, so the convolution is one product per group:
//   forward          Y[M×Cout]  = col[M×K] · W[K×Cout]
//   backprop input   dcol[M×K]  = dY[M×Cout] · Wᵀ, then col2im adds each row back onto the input positions
//   backprop filter  dW[K×Cout] = colᵀ · dY
// with M = output positions (batch included) and K = KD·KH·KW·Cin/groups; W is Keras's kernel as stored.
// Samples are processed in chunks so the col buffer stays under COL_LIMIT values; the buffer is reused across calls
// (training allocates nothing here after the first step). A backend may supply its own kernels (Backend.convForward,
// ...); these run otherwise. conv-reference.ts holds the direct loops they are tested against.

import { getBackend, type Backend } from './backend.js';
import type { ConvGeometry } from './conv-geometry.js';

/** Largest col buffer (values): 16 Mi floats, 64 MiB. */
const COL_LIMIT = 1 << 24;
const scratchBuffers = new Map<string, Float32Array>();

/** A reused buffer of at least n values, of the same element type as `like` (float64 while gradients are checked in float64). */
function scratch(which: 'col' | 'tmp', n: number, like: Float32Array): Float32Array {
  const key = `${which}${like.BYTES_PER_ELEMENT}`;
  let buf = scratchBuffers.get(key);
  if (!buf || buf.length < n) scratchBuffers.set(key, (buf = new (like.constructor as Float32ArrayConstructor)(n)));
  return buf;
}

/** A fresh buffer of n values of like's element type. */
const fresh = (n: number, like: Float32Array) => new (like.constructor as Float32ArrayConstructor)(n);

const positions = (g: ConvGeometry) => g.outSize[0] * g.outSize[1] * g.outSize[2];
const kernelRows = (g: ConvGeometry) => g.kernel[0] * g.kernel[1] * g.kernel[2] * (g.inChannels / g.groups);

/** Samples per chunk so that col (positions·K per sample) stays under the limit. */
function chunkSamples(g: ConvGeometry): number {
  return Math.max(1, Math.min(g.batch, Math.floor(COL_LIMIT / Math.max(1, positions(g) * kernelRows(g)))));
}

/** col[(n−n0)·P + p, tap·cg + c] = x[n, input position of (p, tap), grp·cg + c], 0 in the padding. */
export function im2col(g: ConvGeometry, x: Float32Array, n0: number, n1: number, grp: number, col: Float32Array): void {
  const [D, H, W] = g.inSize, [OD, OH, OW] = g.outSize, [KD, KH, KW] = g.kernel;
  const [sd, sh, sw] = g.strides, [dd, dh, dw] = g.dilations, [pd, ph, pw] = g.padBefore;
  const Cin = g.inChannels, cg = Cin / g.groups, c0 = grp * cg;
  // One group and no dilation along W: a kernel row reads KW·Cin consecutive input values.
  const contiguous = g.groups === 1 && dw === 1, run = KW * Cin;
  let dst = 0;
  for (let n = n0; n < n1; n++)
    for (let od = 0; od < OD; od++)
      for (let oh = 0; oh < OH; oh++)
        for (let ow = 0; ow < OW; ow++)
          for (let kd = 0; kd < KD; kd++) {
            const id = od * sd - pd + kd * dd;
            for (let kh = 0; kh < KH; kh++) {
              const ih = oh * sh - ph + kh * dh;
              const rowOk = id >= 0 && id < D && ih >= 0 && ih < H;
              const base = ((n * D + id) * H + ih) * W;
              const iw0 = ow * sw - pw;
              if (rowOk && contiguous && iw0 >= 0 && iw0 + KW <= W) {
                // The whole kernel row is inside the input: one contiguous run of KW·Cin values.
                const src = (base + iw0) * Cin;
                for (let c = 0; c < run; c++) col[dst + c] = x[src + c];
                dst += run;
                continue;
              }
              for (let kw = 0; kw < KW; kw++) {
                const iw = iw0 + kw * dw;
                if (rowOk && iw >= 0 && iw < W) {
                  const src = (base + iw) * Cin + c0;
                  for (let c = 0; c < cg; c++) col[dst + c] = x[src + c];
                } else for (let c = 0; c < cg; c++) col[dst + c] = 0;
                dst += cg;
              }
            }
          }
}

/** The adjoint of im2col: adds every col entry onto its input position (dx must be zeroed by the caller). */
export function col2im(g: ConvGeometry, col: Float32Array, n0: number, n1: number, grp: number, dx: Float32Array): void {
  const [D, H, W] = g.inSize, [OD, OH, OW] = g.outSize, [KD, KH, KW] = g.kernel;
  const [sd, sh, sw] = g.strides, [dd, dh, dw] = g.dilations, [pd, ph, pw] = g.padBefore;
  const Cin = g.inChannels, cg = Cin / g.groups, c0 = grp * cg;
  const contiguous = g.groups === 1 && dw === 1, run = KW * Cin;
  let src = 0;
  for (let n = n0; n < n1; n++)
    for (let od = 0; od < OD; od++)
      for (let oh = 0; oh < OH; oh++)
        for (let ow = 0; ow < OW; ow++)
          for (let kd = 0; kd < KD; kd++) {
            const id = od * sd - pd + kd * dd;
            for (let kh = 0; kh < KH; kh++) {
              const ih = oh * sh - ph + kh * dh;
              const rowOk = id >= 0 && id < D && ih >= 0 && ih < H;
              const base = ((n * D + id) * H + ih) * W;
              const iw0 = ow * sw - pw;
              if (rowOk && contiguous && iw0 >= 0 && iw0 + KW <= W) {
                const dst = (base + iw0) * Cin;
                for (let c = 0; c < run; c++) dx[dst + c] += col[src + c];
                src += run;
                continue;
              }
              for (let kw = 0; kw < KW; kw++) {
                const iw = iw0 + kw * dw;
                if (rowOk && iw >= 0 && iw < W) {
                  const dst = (base + iw) * Cin + c0;
                  for (let c = 0; c < cg; c++) dx[dst + c] += col[src + c];
                }
                src += cg;
              }
            }
          }
}

/** Columns [j0, j0 + width) of a row-major matrix with `cols` columns, as a dense rows×width matrix. */
function takeColumns(a: Float32Array, rows: number, cols: number, j0: number, width: number, out: Float32Array): Float32Array {
  for (let r = 0; r < rows; r++) for (let j = 0; j < width; j++) out[r * width + j] = a[r * cols + j0 + j];
  return out;
}

function putColumns(src: Float32Array, rows: number, width: number, a: Float32Array, cols: number, j0: number, add: boolean): void {
  for (let r = 0; r < rows; r++)
    for (let j = 0; j < width; j++) {
      const i = r * cols + j0 + j;
      a[i] = add ? a[i] + src[r * width + j] : src[r * width + j];
    }
}

export function im2colConvForward(b: Backend, g: ConvGeometry, x: Float32Array, w: Float32Array, y: Float32Array): void {
  const P = positions(g), K = kernelRows(g), Cout = g.outChannels, og = Cout / g.groups;
  const step = chunkSamples(g);
  const wg = g.groups > 1 ? fresh(K * og, w) : w;
  for (let n0 = 0; n0 < g.batch; n0 += step) {
    const n1 = Math.min(g.batch, n0 + step), M = (n1 - n0) * P;
    const col = scratch('col', M * K, x);
    for (let grp = 0; grp < g.groups; grp++) {
      im2col(g, x, n0, n1, grp, col);
      if (g.groups === 1) {
        b.matmul(col, w, y.subarray(n0 * P * Cout, n1 * P * Cout), M, K, Cout, false, false);
      } else {
        const tmp = scratch('tmp', M * og, x);
        b.matmul(col, takeColumns(w, K, Cout, grp * og, og, wg), tmp, M, K, og, false, false);
        putColumns(tmp, M, og, y.subarray(n0 * P * Cout), Cout, grp * og, false);
      }
    }
  }
}

export function im2colConvBackpropInput(b: Backend, g: ConvGeometry, dy: Float32Array, w: Float32Array, dx: Float32Array): void {
  const P = positions(g), K = kernelRows(g), Cout = g.outChannels, og = Cout / g.groups;
  const step = chunkSamples(g);
  dx.fill(0);
  const wg = g.groups > 1 ? fresh(K * og, w) : w;
  const dyg = g.groups > 1 ? fresh(step * P * og, dy) : dy;
  for (let n0 = 0; n0 < g.batch; n0 += step) {
    const n1 = Math.min(g.batch, n0 + step), M = (n1 - n0) * P;
    const col = scratch('col', M * K, dy);
    for (let grp = 0; grp < g.groups; grp++) {
      if (g.groups === 1) b.matmul(dy.subarray(n0 * P * Cout, n1 * P * Cout), w, col, M, Cout, K, false, true);
      else b.matmul(takeColumns(dy.subarray(n0 * P * Cout), M, Cout, grp * og, og, dyg), takeColumns(w, K, Cout, grp * og, og, wg), col, M, og, K, false, true);
      col2im(g, col, n0, n1, grp, dx);
    }
  }
}

export function im2colConvBackpropFilter(b: Backend, g: ConvGeometry, x: Float32Array, dy: Float32Array, dw: Float32Array): void {
  const P = positions(g), K = kernelRows(g), Cout = g.outChannels, og = Cout / g.groups;
  const step = chunkSamples(g);
  const dyg = g.groups > 1 ? fresh(step * P * og, dy) : dy;
  const dwg = g.groups > 1 ? fresh(K * og, dw) : dw;
  for (let n0 = 0; n0 < g.batch; n0 += step) {
    const n1 = Math.min(g.batch, n0 + step), M = (n1 - n0) * P;
    const col = scratch('col', M * K, x);
    for (let grp = 0; grp < g.groups; grp++) {
      im2col(g, x, n0, n1, grp, col);
      if (g.groups === 1) b.matmul(col, dy.subarray(n0 * P * Cout, n1 * P * Cout), dw, K, M, Cout, true, false, n0 > 0);
      else {
        b.matmul(col, takeColumns(dy.subarray(n0 * P * Cout), M, Cout, grp * og, og, dyg), dwg, K, M, og, true, false, false);
        putColumns(dwg, K, og, dw, Cout, grp * og, n0 > 0);
      }
    }
  }
}

// The entry points the ops call: the active backend's own kernel when it has one, else im2col on its GEMM.

export function convForward(g: ConvGeometry, x: Float32Array, w: Float32Array, y: Float32Array): void {
  const b = getBackend();
  if (b.convForward) b.convForward(g, x, w, y);
  else im2colConvForward(b, g, x, w, y);
}

export function convBackpropInput(g: ConvGeometry, dy: Float32Array, w: Float32Array, dx: Float32Array): void {
  const b = getBackend();
  if (b.convBackpropInput) b.convBackpropInput(g, dy, w, dx);
  else im2colConvBackpropInput(b, g, dy, w, dx);
}

export function convBackpropFilter(g: ConvGeometry, x: Float32Array, dy: Float32Array, dw: Float32Array): void {
  const b = getBackend();
  if (b.convBackpropFilter) b.convBackpropFilter(g, x, dy, dw);
  else im2colConvBackpropFilter(b, g, x, dy, dw);
}
