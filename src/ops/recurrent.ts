// The LSTM step's gate arithmetic as two ops (one pass forward and one backward each, in place of a dozen small
// ops per time step), for any elementwise activation φ (Keras's default tanh) and gate activation σ (default
// sigmoid), given as unary rules' formulas (ops/unary.ts), so each activation has one definition. With
// z = xw + hu = [z_i, z_f, z_g, z_o] ([batch, 4·units], Keras's gate order):
//   lstmCell(xw, hu, s) = [c' | o] per row ([batch, 2·units]),  c' = σ(z_f)·c + σ(z_i)·φ(z_g),  o = σ(z_o),
//     where c is the first half of each row of s (the previous step's lstmCell output, or [c0 | anything])
//   lstmHidden(y) = o·φ(c')  ([batch, units]) from y = [c' | o]
// Carrying [c' | o] as one tensor gives each intermediate a single consumer, so the backward pass adds no gradient
// buffers together. Forward keeps i, f, g (and lstmHidden φ(c')) in its plan, in float64, for the backward pass of
// the same op: every activation is evaluated once per step. The LSTM layer composes ops instead only for activations
// that are not elementwise (softmax, a user's function).

import type { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../tensor/shape.js';
import { run } from '../autograd/tape.js';
import type { Buf, Planned, Rule } from './rule.js';
import { unaryRules } from './unary.js';

/** An elementwise activation for the fused step: a unary rule's formula, derivative (from x and y) and attributes (src/activations's elementwise table). */
export interface Elementwise {
  readonly f: (x: number, a: number, b: number) => number;
  readonly df: (x: number, y: number, a: number, b: number) => number;
  readonly a: number;
  readonly b: number;
}

/** The step's activations: φ (candidate and output) and σ (gates). */
export interface CellActivations {
  readonly activation: Elementwise;
  readonly recurrentActivation: Elementwise;
}

interface GatePlan extends Planned, CellActivations {
  readonly batch: number;
  readonly units: number;
  /** Written by forward, read by backward: lstmCell's i, f, g per row ([batch, 3·units]); lstmHidden's φ(c') ([batch, units]). */
  kept: Float64Array | null;
}

function planCell([xw, hu, s]: readonly (readonly number[])[], acts: CellActivations): GatePlan {
  const [batch, width] = s;
  const units = width / 2;
  if (s.length !== 2 || xw.length !== 2 || formatShape(xw) !== formatShape(hu) || xw[0] !== batch || xw[1] !== 4 * units) {
    throw new Error(`lstmCell: expected xw and hu of shape [batch, 4·units] and a state [batch, 2·units]; got ${formatShape(xw)}, ${formatShape(hu)}, ${formatShape(s)}.`);
  }
  return { shape: [batch, 2 * units], batch, units, ...acts, kept: null };
}

export const recurrentRules = {
  /** Inputs xw, hu [B, 4U], s [B, 2U] (c in each row's first half): [c' | σ(z_o)] [B, 2U]. */
  lstmCell: {
    plan: planCell,
    forward: (p, [xw, hu, s], y) => {
      const { batch, units: U, activation: act, recurrentActivation: rec } = p;
      const phi = act.f, pa = act.a, pb = act.b, sig = rec.f, sa = rec.a, sb = rec.b;
      const kept = (p.kept ??= new Float64Array(batch * 3 * U));
      for (let b = 0; b < batch; b++) {
        const z = b * 4 * U, r = b * 2 * U, k = b * 3 * U;
        for (let u = 0; u < U; u++) {
          const i = sig(xw[z + u] + hu[z + u], sa, sb), f = sig(xw[z + U + u] + hu[z + U + u], sa, sb), g = phi(xw[z + 2 * U + u] + hu[z + 2 * U + u], pa, pb);
          kept[k + u] = i;
          kept[k + U + u] = f;
          kept[k + 2 * U + u] = g;
          y[r + u] = f * s[r + u] + i * g;
          y[r + U + u] = sig(xw[z + 3 * U + u] + hu[z + 3 * U + u], sa, sb);
        }
      }
    },
    backward: ({ batch, units: U, activation: act, recurrentActivation: rec, kept }, [xw, hu, s], y, dy, [gx, gh, gs]) => {
      const dphi = act.df, pa = act.a, pb = act.b, dsig = rec.df, sa = rec.a, sb = rec.b;
      const gates = kept!;
      // z = xw + hu: both get dz; write it into whichever needs it and copy to the other.
      const gz = (gx ?? gh) as Buf | null;
      for (let b = 0; b < batch; b++) {
        const z = b * 4 * U, r = b * 2 * U, k = b * 3 * U;
        for (let u = 0; u < U; u++) {
          const zi = xw[z + u] + hu[z + u], zf = xw[z + U + u] + hu[z + U + u], zg = xw[z + 2 * U + u] + hu[z + 2 * U + u];
          const i = gates[k + u], f = gates[k + U + u], g = gates[k + 2 * U + u];
          const dc = dy[r + u];
          if (gz) {
            gz[z + u] = dc * g * dsig(zi, i, sa, sb);
            gz[z + U + u] = dc * s[r + u] * dsig(zf, f, sa, sb);
            gz[z + 2 * U + u] = dc * i * dphi(zg, g, pa, pb);
            gz[z + 3 * U + u] = dy[r + U + u] * dsig(xw[z + 3 * U + u] + hu[z + 3 * U + u], y[r + U + u], sa, sb);
          }
          if (gs) {
            gs[r + u] = dc * f;
            gs[r + U + u] = 0;
          }
        }
      }
      if (gx && gh) gh.set(gx);
    },
  } as Rule<CellActivations, GatePlan>,
  /** Input y = [c' | o] [B, 2U]: o·tanh(c') [B, U]. */
  lstmHidden: {
    plan: ([s], acts) => {
      if (s.length !== 2 || s[1] % 2) throw new Error(`lstmHidden: expected [batch, 2·units], got ${formatShape(s)}.`);
      return { shape: [s[0], s[1] / 2], batch: s[0], units: s[1] / 2, ...acts, kept: null };
    },
    forward: (p, [y], h) => {
      const { batch, units: U, activation: act } = p;
      const phi = act.f, pa = act.a, pb = act.b;
      const kept = (p.kept ??= new Float64Array(batch * U));
      for (let b = 0; b < batch; b++)
        for (let u = 0; u < U; u++) {
          const t = phi(y[b * 2 * U + u], pa, pb);
          kept[b * U + u] = t;
          h[b * U + u] = y[b * 2 * U + U + u] * t;
        }
    },
    backward: ({ batch, units: U, activation: act, kept }, [y], _h, dh, [gy]) => {
      const dphi = act.df, pa = act.a, pb = act.b;
      for (let b = 0; b < batch; b++)
        for (let u = 0; u < U; u++) {
          const r = b * 2 * U, c = y[r + u], t = kept![b * U + u], o = y[r + U + u], d = dh[b * U + u];
          gy![r + u] = d * o * dphi(c, t, pa, pb);
          gy![r + U + u] = d * t;
        }
    },
  } as Rule<CellActivations, GatePlan>,
};

const DEFAULT: CellActivations = {
  activation: { f: unaryRules.tanh.f, df: unaryRules.tanh.df, a: 0, b: 0 },
  recurrentActivation: { f: unaryRules.sigmoid.f, df: unaryRules.sigmoid.df, a: 0, b: 0 },
};

/**
 * [c' | σ(z_o)] per row with z = xw + hu ([batch, 4·units], gates i, f, g, o) and c the first half of s's rows;
 * φ and σ default to Keras's tanh and sigmoid.
 */
export const lstmCell = (xw: Tensor, hu: Tensor, s: Tensor, acts: CellActivations = DEFAULT): Tensor => run('lstmCell', recurrentRules.lstmCell, [xw, hu, s], acts);

/** o·φ(c') from y = [c' | o] ([batch, 2·units]); φ defaults to tanh. */
export const lstmHidden = (y: Tensor, acts: CellActivations = DEFAULT): Tensor => run('lstmHidden', recurrentRules.lstmHidden, [y], acts);
