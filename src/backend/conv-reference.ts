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
