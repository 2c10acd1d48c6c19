// The LSTM step's gate arithmetic as two ops (one pass forward and one backward each, in place of a dozen small
// ops per time step), for Keras's default activations: sigmoid gates, tanh candidate and output. With
// z = xw + hu = [z_i, z_f, z_g, z_o] ([batch, 4·units], Keras's gate order):
//   lstmCell(xw, hu, s) = [c' | o] per row ([batch, 2·units]),  c' = σ(z_f)·c + σ(z_i)·tanh(z_g),  o = σ(z_o),
//     where c is the first half of each row of s (the previous step's lstmCell output, or [c0 | anything])
//   lstmHidden(y) = o·tanh(c')  ([batch, units]) from y = [c' | o]
// Carrying [c' | o] as one tensor gives each intermediate a single consumer, so the backward pass adds no gradient
// buffers together. Backward recomputes i, f, g from z. The LSTM layer composes unary and binary ops instead when
// given other activations.

import type { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../tensor/shape.js';
import { run } from '../autograd/tape.js';
import type { Buf, Planned, Rule } from './rule.js';

interface GatePlan extends Planned {
  readonly batch: number;
  readonly units: number;
}

const sigmoid = (v: number) => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)));

function planCell([xw, hu, s]: readonly (readonly number[])[]): GatePlan {
  const [batch, width] = s;
  const units = width / 2;
  if (s.length !== 2 || xw.length !== 2 || formatShape(xw) !== formatShape(hu) || xw[0] !== batch || xw[1] !== 4 * units) {
    throw new Error(`lstmCell: expected xw and hu of shape [batch, 4·units] and a state [batch, 2·units]; got ${formatShape(xw)}, ${formatShape(hu)}, ${formatShape(s)}.`);
  }
  return { shape: [batch, 2 * units], batch, units };
}

export const recurrentRules = {
  /** Inputs xw, hu [B, 4U], s [B, 2U] (c in each row's first half): [c' | σ(z_o)] [B, 2U]. */
  lstmCell: {
    plan: planCell,
    forward: ({ batch, units: U }, [xw, hu, s], y) => {
      for (let b = 0; b < batch; b++) {
        const z = b * 4 * U, r = b * 2 * U;
        for (let u = 0; u < U; u++) {
          const i = sigmoid(xw[z + u] + hu[z + u]), f = sigmoid(xw[z + U + u] + hu[z + U + u]), g = Math.tanh(xw[z + 2 * U + u] + hu[z + 2 * U + u]);
          y[r + u] = f * s[r + u] + i * g;
          y[r + U + u] = sigmoid(xw[z + 3 * U + u] + hu[z + 3 * U + u]);
        }
      }
    },
    backward: ({ batch, units: U }, [xw, hu, s], y, dy, [gx, gh, gs]) => {
      // z = xw + hu: both get dz; write it into whichever needs it and copy to the other.
      const gz = (gx ?? gh) as Buf | null;
      for (let b = 0; b < batch; b++) {
        const z = b * 4 * U, r = b * 2 * U;
        for (let u = 0; u < U; u++) {
          const i = sigmoid(xw[z + u] + hu[z + u]), f = sigmoid(xw[z + U + u] + hu[z + U + u]), g = Math.tanh(xw[z + 2 * U + u] + hu[z + 2 * U + u]);
          const o = y[r + U + u], dc = dy[r + u];
          if (gz) {
            gz[z + u] = dc * g * i * (1 - i);
            gz[z + U + u] = dc * s[r + u] * f * (1 - f);
            gz[z + 2 * U + u] = dc * i * (1 - g * g);
            gz[z + 3 * U + u] = dy[r + U + u] * o * (1 - o);
          }
          if (gs) {
            gs[r + u] = dc * f;
            gs[r + U + u] = 0;
          }
        }
      }
      if (gx && gh) gh.set(gx);
    },
  } as Rule<undefined, GatePlan>,
  /** Input y = [c' | o] [B, 2U]: o·tanh(c') [B, U]. */
  lstmHidden: {
    plan: ([s]) => {
      if (s.length !== 2 || s[1] % 2) throw new Error(`lstmHidden: expected [batch, 2·units], got ${formatShape(s)}.`);
      return { shape: [s[0], s[1] / 2], batch: s[0], units: s[1] / 2 };
    },
    forward: ({ batch, units: U }, [y], h) => {
      for (let b = 0; b < batch; b++) for (let u = 0; u < U; u++) h[b * U + u] = y[b * 2 * U + U + u] * Math.tanh(y[b * 2 * U + u]);
    },
    backward: ({ batch, units: U }, [y], _h, dh, [gy]) => {
      for (let b = 0; b < batch; b++)
        for (let u = 0; u < U; u++) {
          const r = b * 2 * U, t = Math.tanh(y[r + u]), o = y[r + U + u], d = dh[b * U + u];
          gy![r + u] = d * o * (1 - t * t);
          gy![r + U + u] = d * t;
        }
    },
  } as Rule<undefined, GatePlan>,
};

/** [c' | σ(z_o)] per row with z = xw + hu ([batch, 4·units], gates i, f, g, o) and c the first half of s's rows. */
export const lstmCell = (xw: Tensor, hu: Tensor, s: Tensor): Tensor => run('lstmCell', recurrentRules.lstmCell, [xw, hu, s], undefined);

/** o·tanh(c') from y = [c' | o] ([batch, 2·units]). */
export const lstmHidden = (y: Tensor): Tensor => run('lstmHidden', recurrentRules.lstmHidden, [y], undefined);
