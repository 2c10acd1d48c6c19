// Pooling kernels over 1 to 3 spatial dimensions, channels last (geometry from convGeometry, inChannels = outChannels).
// Max pooling records the flat input index of each window's maximum (first one on ties), so its backward pass
// routes each output gradient to that one input, as TensorFlow does. Average pooling divides by the number of
// real (non-padding) inputs in the window, as TensorFlow's 'same' average pooling does.
// Windows are boxes: per dimension, the taps of output o that land inside the input are the k in [lo[o], hi[o]),
// at input o·s − pad + k·d. The loops run over whole channel rows (C contiguous values) per tap.

import { getBackend } from './backend.js';
import type { ConvGeometry } from './conv-geometry.js';

/** Per dimension and output position: the first and one-past-last kernel tap inside the input. */
function tapRanges(g: ConvGeometry, dim: number): Int32Array {
  const n = g.inSize[dim], out = g.outSize[dim], k = g.kernel[dim], s = g.strides[dim], d = g.dilations[dim], pad = g.padBefore[dim];
  const r = new Int32Array(2 * out);
  for (let o = 0; o < out; o++) {
    const at = o * s - pad;
    let lo = 0, hi = k;
    while (lo < k && at + lo * d < 0) lo++;
    while (hi > lo && at + (hi - 1) * d >= n) hi--;
    r[2 * o] = lo;
    r[2 * o + 1] = hi;
  }
  return r;
}

type Mode = 0 | 1 | 2; // max forward, average forward, average backward

/** The one walk over windows shared by the kernels below; `mode` picks the work once per channel row. */
function pool(g: ConvGeometry, mode: Mode, src: Float32Array, dst: Float32Array, argmax: Int32Array | null): void {
  const [D, H, W] = g.inSize, [OD, OH, OW] = g.outSize, [sd, sh, sw] = g.strides, [dd, dh, dw] = g.dilations, [pd, ph, pw] = g.padBefore;
  const C = g.inChannels;
  const rd = tapRanges(g, 0), rh = tapRanges(g, 1), rw = tapRanges(g, 2);
  if (mode === 2) dst.fill(0);
  let o = 0;
  for (let n = 0; n < g.batch; n++)
    for (let od = 0; od < OD; od++) {
      const kd0 = rd[2 * od], kd1 = rd[2 * od + 1];
      for (let oh = 0; oh < OH; oh++) {
        const kh0 = rh[2 * oh], kh1 = rh[2 * oh + 1];
        for (let ow = 0; ow < OW; ow++, o += C) {
          const kw0 = rw[2 * ow], kw1 = rw[2 * ow + 1];
          const count = (kd1 - kd0) * (kh1 - kh0) * (kw1 - kw0);
          let first = true;
          for (let kd = kd0; kd < kd1; kd++) {
            const id = od * sd - pd + kd * dd;
            for (let kh = kh0; kh < kh1; kh++) {
              const row = (n * D + id) * H + oh * sh - ph + kh * dh;
              for (let kw = kw0; kw < kw1; kw++) {
                const i = (row * W + ow * sw - pw + kw * dw) * C;
                if (mode === 0) {
                  if (first) {
                    for (let c = 0; c < C; c++) {
                      dst[o + c] = src[i + c];
                      argmax![o + c] = i + c;
                    }
                  } else {
                    for (let c = 0; c < C; c++) {
                      const v = src[i + c], best = dst[o + c];
                      // First maximum wins ties; the first NaN wins and stays (NaN propagates, as in TensorFlow).
                      if (v > best || (v !== v && best === best)) {
                        dst[o + c] = v;
                        argmax![o + c] = i + c;
                      }
                    }
                  }
                } else if (mode === 1) {
                  if (first) for (let c = 0; c < C; c++) dst[o + c] = src[i + c];
                  else for (let c = 0; c < C; c++) dst[o + c] += src[i + c];
                } else {
                  const scale = 1 / count;
                  for (let c = 0; c < C; c++) dst[i + c] += src[o + c] * scale;
                }
                first = false;
              }
            }
          }
          if (mode === 1) for (let c = 0; c < C; c++) dst[o + c] /= count;
        }
      }
    }
}

export function maxPoolForwardJs(g: ConvGeometry, x: Float32Array, y: Float32Array, argmax: Int32Array): void {
  pool(g, 0, x, y, argmax);
}

export function maxPoolBackwardJs(dy: Float32Array, argmax: Int32Array, dx: Float32Array): void {
  dx.fill(0);
  for (let o = 0; o < dy.length; o++) dx[argmax[o]] += dy[o];
}

export function avgPoolForwardJs(g: ConvGeometry, x: Float32Array, y: Float32Array): void {
  pool(g, 1, x, y, null);
}

export function avgPoolBackwardJs(g: ConvGeometry, dy: Float32Array, dx: Float32Array): void {
  pool(g, 2, dy, dx, null);
}

// Entry points: the active backend's kernels when it has them, else these.

export function maxPoolForward(g: ConvGeometry, x: Float32Array, y: Float32Array, argmax: Int32Array): void {
  const b = getBackend();
  (b.maxPoolForward ?? maxPoolForwardJs)(g, x, y, argmax);
}

export function maxPoolBackward(dy: Float32Array, argmax: Int32Array, dx: Float32Array): void {
  maxPoolBackwardJs(dy, argmax, dx);
}

export function avgPoolForward(g: ConvGeometry, x: Float32Array, y: Float32Array): void {
  (getBackend().avgPoolForward ?? avgPoolForwardJs)(g, x, y);
}

export function avgPoolBackward(g: ConvGeometry, dy: Float32Array, dx: Float32Array): void {
  (getBackend().avgPoolBackward ?? avgPoolBackwardJs)(g, dy, dx);
}
