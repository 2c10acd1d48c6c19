// Pooling kernels over 1 to 3 spatial dimensions, channels last (geometry from convGeometry, inChannels = outChannels).
// Max pooling records the flat input index of each window's maximum (first one on ties), so its backward pass
// routes each output gradient to that one input, as TensorFlow does. Average pooling divides by the number of
// real (non-padding) inputs in the window, as TensorFlow's 'same' average pooling does.

import { getBackend } from './backend.js';
import type { ConvGeometry } from './conv-geometry.js';

/** Visit each output position with the input positions of its window (flat input offsets of channel 0). */
function windows(g: ConvGeometry, f: (outBase: number, inBases: Int32Array, count: number) => void): void {
  const [D, H, W] = g.inSize, [OD, OH, OW] = g.outSize, [KD, KH, KW] = g.kernel;
  const C = g.inChannels;
  const taps = new Int32Array(KD * KH * KW);
  for (let n = 0; n < g.batch; n++)
    for (let od = 0; od < OD; od++)
      for (let oh = 0; oh < OH; oh++)
        for (let ow = 0; ow < OW; ow++) {
          let count = 0;
          for (let kd = 0; kd < KD; kd++) {
            const id = od * g.strides[0] - g.padBefore[0] + kd * g.dilations[0];
            if (id < 0 || id >= D) continue;
            for (let kh = 0; kh < KH; kh++) {
              const ih = oh * g.strides[1] - g.padBefore[1] + kh * g.dilations[1];
              if (ih < 0 || ih >= H) continue;
              for (let kw = 0; kw < KW; kw++) {
                const iw = ow * g.strides[2] - g.padBefore[2] + kw * g.dilations[2];
                if (iw >= 0 && iw < W) taps[count++] = (((n * D + id) * H + ih) * W + iw) * C;
              }
            }
          }
          f((((n * OD + od) * OH + oh) * OW + ow) * C, taps, count);
        }
}

export function maxPoolForwardJs(g: ConvGeometry, x: Float32Array, y: Float32Array, argmax: Int32Array): void {
  const C = g.inChannels;
  windows(g, (o, taps, count) => {
    for (let c = 0; c < C; c++) {
      let best = -Infinity, at = taps[0] + c;
      for (let t = 0; t < count; t++) {
        const i = taps[t] + c, v = x[i];
        if (v > best || v !== v) {
          best = v;
          at = i;
          if (v !== v) break; // NaN propagates, as in TensorFlow
        }
      }
      y[o + c] = best;
      argmax[o + c] = at;
    }
  });
}

export function maxPoolBackwardJs(dy: Float32Array, argmax: Int32Array, dx: Float32Array): void {
  dx.fill(0);
  for (let o = 0; o < dy.length; o++) dx[argmax[o]] += dy[o];
}

export function avgPoolForwardJs(g: ConvGeometry, x: Float32Array, y: Float32Array): void {
  const C = g.inChannels;
  windows(g, (o, taps, count) => {
    for (let c = 0; c < C; c++) {
      let s = 0;
      for (let t = 0; t < count; t++) s += x[taps[t] + c];
      y[o + c] = s / count;
    }
  });
}

export function avgPoolBackwardJs(g: ConvGeometry, dy: Float32Array, dx: Float32Array): void {
  const C = g.inChannels;
  dx.fill(0);
  windows(g, (o, taps, count) => {
    for (let c = 0; c < C; c++) {
      const v = dy[o + c] / count;
      for (let t = 0; t < count; t++) dx[taps[t] + c] += v;
    }
  });
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
