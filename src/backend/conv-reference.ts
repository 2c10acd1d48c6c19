// Direct convolution loops: the oracle the fast kernels are tested against (slow; small shapes only).
// Every (output position, kernel tap, input channel, output channel) that touches a real input value is one
// multiply-add; the three kernels are the same visit with the roles of the three arrays exchanged:
//   forward:          y[o]  += x[i] · w[k]
//   backprop input:   dx[i] += dy[o] · w[k]
//   backprop filter:  dw[k] += x[i] · dy[o]
// Layout: x [N, D, H, W, Cin], w [KD, KH, KW, Cin/groups, Cout], y [N, OD, OH, OW, Cout].

import type { ConvGeometry } from './conv-geometry.js';

function visit(g: ConvGeometry, f: (i: number, k: number, o: number) => void): void {
  const [D, H, W] = g.inSize, [OD, OH, OW] = g.outSize, [KD, KH, KW] = g.kernel;
  const Cin = g.inChannels, Cout = g.outChannels, cg = Cin / g.groups, og = Cout / g.groups;
  for (let n = 0; n < g.batch; n++)
    for (let od = 0; od < OD; od++)
      for (let oh = 0; oh < OH; oh++)
        for (let ow = 0; ow < OW; ow++) {
          const oBase = (((n * OD + od) * OH + oh) * OW + ow) * Cout;
          for (let kd = 0; kd < KD; kd++) {
            const id = od * g.strides[0] - g.padBefore[0] + kd * g.dilations[0];
            if (id < 0 || id >= D) continue;
            for (let kh = 0; kh < KH; kh++) {
              const ih = oh * g.strides[1] - g.padBefore[1] + kh * g.dilations[1];
              if (ih < 0 || ih >= H) continue;
              for (let kw = 0; kw < KW; kw++) {
                const iw = ow * g.strides[2] - g.padBefore[2] + kw * g.dilations[2];
                if (iw < 0 || iw >= W) continue;
                const iBase = (((n * D + id) * H + ih) * W + iw) * Cin;
                const kBase = ((kd * KH + kh) * KW + kw) * cg * Cout;
                for (let oc = 0; oc < Cout; oc++) {
                  const grp = Math.floor(oc / og);
                  for (let c = 0; c < cg; c++) f(iBase + grp * cg + c, kBase + c * Cout + oc, oBase + oc);
                }
              }
            }
          }
        }
}

export function convForwardReference(g: ConvGeometry, x: Float32Array, w: Float32Array, y: Float32Array): void {
  y.fill(0);
  visit(g, (i, k, o) => (y[o] += x[i] * w[k]));
}

export function convBackpropInputReference(g: ConvGeometry, dy: Float32Array, w: Float32Array, dx: Float32Array): void {
  dx.fill(0);
  visit(g, (i, k, o) => (dx[i] += dy[o] * w[k]));
}

export function convBackpropFilterReference(g: ConvGeometry, x: Float32Array, dy: Float32Array, dw: Float32Array): void {
  dw.fill(0);
  visit(g, (i, k, o) => (dw[k] += x[i] * dy[o]));
}

// Pooling, one output value at a time: the window's real input positions (flat index of channel 0 of each).
function windowTaps(g: ConvGeometry, n: number, od: number, oh: number, ow: number): number[] {
  const [D, H, W] = g.inSize, [KD, KH, KW] = g.kernel;
  const taps: number[] = [];
  for (let kd = 0; kd < KD; kd++)
    for (let kh = 0; kh < KH; kh++)
      for (let kw = 0; kw < KW; kw++) {
        const id = od * g.strides[0] - g.padBefore[0] + kd * g.dilations[0];
        const ih = oh * g.strides[1] - g.padBefore[1] + kh * g.dilations[1];
        const iw = ow * g.strides[2] - g.padBefore[2] + kw * g.dilations[2];
        if (id >= 0 && id < D && ih >= 0 && ih < H && iw >= 0 && iw < W) taps.push((((n * D + id) * H + ih) * W + iw) * g.inChannels);
      }
  return taps;
}

function visitWindows(g: ConvGeometry, f: (o: number, taps: number[], c: number) => void): void {
  const [OD, OH, OW] = g.outSize, C = g.inChannels;
  for (let n = 0; n < g.batch; n++)
    for (let od = 0; od < OD; od++)
      for (let oh = 0; oh < OH; oh++)
        for (let ow = 0; ow < OW; ow++) {
          const taps = windowTaps(g, n, od, oh, ow);
          for (let c = 0; c < C; c++) f((((n * OD + od) * OH + oh) * OW + ow) * C + c, taps, c);
        }
}

/** Max pooling: the window's maximum and its flat input index (the first on ties; a NaN wins). */
export function maxPoolForwardReference(g: ConvGeometry, x: Float32Array, y: Float32Array, argmax: Int32Array): void {
  visitWindows(g, (o, taps, c) => {
    let at = taps[0] + c;
    for (const t of taps) if (x[t + c] > x[at] || (Number.isNaN(x[t + c]) && !Number.isNaN(x[at]))) at = t + c;
    y[o] = x[at];
    argmax[o] = at;
  });
}

/** Average pooling over the window's real inputs. */
export function avgPoolForwardReference(g: ConvGeometry, x: Float32Array, y: Float32Array): void {
  visitWindows(g, (o, taps, c) => (y[o] = taps.reduce((s, t) => s + x[t + c], 0) / taps.length));
}

export function avgPoolBackwardReference(g: ConvGeometry, dy: Float32Array, dx: Float32Array): void {
  dx.fill(0);
  visitWindows(g, (o, taps, c) => taps.forEach((t) => (dx[t + c] += dy[o] / taps.length)));
}
