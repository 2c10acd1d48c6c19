// Broadcasting binary ops at any rank. Backward: d(a∘b)/da and d(a∘b)/db, summed over broadcast dimensions.

import { Tensor, type TensorLike } from '../tensor/tensor.js';
import { broadcastShapes, sizeOf } from '../tensor/shape.js';
import { alloc, run } from '../autograd/tape.js';
import { broadcastIndex, readerMap, sumInto, type Reader } from './broadcast.js';
import { asTensor } from './unary.js';
import type { Buf, Planned, Rule } from './rule.js';
import { elementwise } from '../backend/backend.js';

export { asTensor };

interface BinaryPlan extends Planned {
  readonly n: number;
  readonly ra: Reader;
  readonly rb: Reader;
  /** a has the output's size and b is the same size, a scalar or a trailing block: the cycling loop applies. */
  readonly cycle: boolean;
  /** a has the output's size and b one value per row of `inner` elements: the row loop applies. */
  readonly rows: boolean;
  /** a is a scalar and b has the output's size (1 − p): the scalar-first loop applies. */
  readonly scalarFirst: boolean;
  ma: Int32Array | null;
  mb: Int32Array | null;
  /** Scratch of the output's size for gradients that must be reduced (allocated on first use, then reused). */
  tmp: Float32Array | null;
}

function planBinary([sa, sb]: readonly (readonly number[])[]): BinaryPlan {
  const shape = broadcastShapes(sa, sb);
  const n = sizeOf(shape);
  const ra = broadcastIndex(sa, shape), rb = broadcastIndex(sb, shape);
  const same = ra.kind === 'same';
  return {
    shape, n, ra, rb, cycle: same && rb.kind !== 'map' && rb.kind !== 'prefix', rows: same && rb.kind === 'prefix',
    scalarFirst: ra.kind === 'scalar' && rb.kind === 'same', ma: null, mb: null, tmp: null,
  };
}

const maps = (p: BinaryPlan): [Int32Array, Int32Array] => [(p.ma ??= readerMap(p.ra, p.n)), (p.mb ??= readerMap(p.rb, p.n))];
const scratch = (p: BinaryPlan): Float32Array => (p.tmp ??= alloc(p.n));

type Kernel = (x: number, y: number) => number;
type Partial = (x: number, y: number, g: number) => number;

/** y[i] = f(a, b) through the broadcast maps. */
function generic(p: BinaryPlan, a: Buf, b: Buf, y: Buf, f: Kernel): void {
  const [ma, mb] = maps(p);
  for (let i = 0; i < y.length; i++) y[i] = f(a[ma[i]], b[mb[i]]);
}

/** gx = Σ_broadcast d(a_i, b_i, g_i) for one input. */
function partialInto(p: BinaryPlan, r: Reader, a: Buf, b: Buf, g: Buf, gx: Buf, d: Partial): void {
  const [ma, mb] = maps(p);
  const t = r.kind === 'same' ? gx : scratch(p);
  for (let i = 0; i < g.length; i++) t[i] = d(a[ma[i]], b[mb[i]], g[i]);
  if (t !== gx) sumInto(r, t, gx);
}

/** A binary rule: f elementwise with partial derivatives da, db (both absent: not differentiable). */
function binaryRule(f: Kernel, da?: Partial, db?: Partial): Rule<undefined, BinaryPlan> {
  return {
    plan: planBinary,
    forward: (p, [a, b], y) => generic(p, a, b, y, f),
    backward: da && db ? (p, [a, b], _y, g, [ga, gb]) => {
      if (ga) partialInto(p, p.ra, a, b, g, ga, da);
      if (gb) partialInto(p, p.rb, a, b, g, gb, db);
    } : undefined,
  };
}

/*
 * add, sub, mul and div have loops of their own for the common layouts (same shape, scalar, bias): the generic
 * loop calls f through a call site shared by every op, which V8 cannot inline.
 */
function cycled(op: 'add' | 'sub' | 'mul' | 'div', p: BinaryPlan, ad: Buf, bd: Buf, out: Buf): void {
  if (p.rows) return byRow(op, p.rb.inner, ad, bd, out);
  if (p.scalarFirst) return fromScalar(op, ad[0], bd, out);
  if (!p.cycle) return generic(p, ad, bd, out, kernels[op]);
  const n = out.length, m = bd.length;
  switch (op) {
    case 'add': if (n) elementwise(n, ad).biasAdd!(ad, bd, out); return; // a bias add: a backend kernel (jsBackend's is the loop)
    case 'sub': for (let i = 0, j = 0; i < n; i++) { out[i] = ad[i] - bd[j]; if (++j === m) j = 0; } return;
    case 'mul': for (let i = 0, j = 0; i < n; i++) { out[i] = ad[i] * bd[j]; if (++j === m) j = 0; } return;
    case 'div': for (let i = 0, j = 0; i < n; i++) { out[i] = ad[i] / bd[j]; if (++j === m) j = 0; } return;
  }
}
/** out[j·inner + k] = a[j·inner + k] ∘ b[j]. */
function byRow(op: 'add' | 'sub' | 'mul' | 'div', inner: number, ad: Buf, bd: Buf, out: Buf): void {
  for (let j = 0, i = 0; j < bd.length; j++) {
    const v = bd[j], end = i + inner;
    switch (op) {
      case 'add': for (; i < end; i++) out[i] = ad[i] + v; break;
      case 'sub': for (; i < end; i++) out[i] = ad[i] - v; break;
      case 'mul': for (; i < end; i++) out[i] = ad[i] * v; break;
      case 'div': for (; i < end; i++) out[i] = ad[i] / v; break;
    }
  }
}

/** out[i] = s ∘ b[i] (a scalar first: 1 − p, 1 / x). */
function fromScalar(op: 'add' | 'sub' | 'mul' | 'div', s: number, bd: Buf, out: Buf): void {
  const n = out.length;
  switch (op) {
    case 'add': for (let i = 0; i < n; i++) out[i] = s + bd[i]; return;
    case 'sub': for (let i = 0; i < n; i++) out[i] = s - bd[i]; return;
    case 'mul': for (let i = 0; i < n; i++) out[i] = s * bd[i]; return;
    case 'div': for (let i = 0; i < n; i++) out[i] = s / bd[i]; return;
  }
}
const kernels = { add: (p: number, q: number) => p + q, sub: (p: number, q: number) => p - q, mul: (p: number, q: number) => p * q, div: (p: number, q: number) => p / q };

function negInto(r: Reader, g: Buf, gx: Buf, tmp: () => Buf): void {
  const t = r.kind === 'same' ? gx : tmp();
  for (let i = 0; i < g.length; i++) t[i] = -g[i];
  if (t !== gx) sumInto(r, t, gx);
}

export const binaryRules = {
  add: {
    plan: planBinary,
    passesGrad: (p, k) => (k === 0 ? p.ra : p.rb).kind === 'same',
    forward: (p, [a, b], y) => cycled('add', p, a, b, y),
    backward: (p, _x, _y, g, [ga, gb]) => {
      if (ga) sumInto(p.ra, g, ga);
      if (gb) sumInto(p.rb, g, gb);
    },
  } as Rule<undefined, BinaryPlan>,
  sub: {
    plan: planBinary,
    passesGrad: (p, k) => k === 0 && p.ra.kind === 'same',
    forward: (p, [a, b], y) => cycled('sub', p, a, b, y),
    backward: (p, _x, _y, g, [ga, gb]) => {
      if (ga) sumInto(p.ra, g, ga);
      if (gb) negInto(p.rb, g, gb, () => scratch(p));
    },
  } as Rule<undefined, BinaryPlan>,
  mul: {
    plan: planBinary,
    forward: (p, [a, b], y) => cycled('mul', p, a, b, y),
    backward: (p, [a, b], _y, g, [ga, gb]) => {
      // Same shapes (the common case): d/da = g·b and d/db = g·a, one loop each.
      if (p.ra.kind === 'same' && p.rb.kind === 'same') {
        if (ga) for (let i = 0; i < g.length; i++) ga[i] = g[i] * b[i];
        if (gb) for (let i = 0; i < g.length; i++) gb[i] = g[i] * a[i];
        return;
      }
      if (p.rows) {
        // Per-row factor: d/da = g·b[row]; d/db[row] = Σ_row g·a.
        const inner = p.rb.inner;
        if (ga) byRow('mul', inner, g, b, ga);
        if (gb) for (let j = 0, i = 0; j < b.length; j++) { let s = 0; for (const end = i + inner; i < end; i++) s += g[i] * a[i]; gb[j] = s; }
        return;
      }
      if (ga) partialInto(p, p.ra, a, b, g, ga, (_p, q, gv) => gv * q);
      if (gb) partialInto(p, p.rb, a, b, g, gb, (q, _p, gv) => gv * q);
    },
  } as Rule<undefined, BinaryPlan>,
  div: {
    plan: planBinary,
    forward: (p, [a, b], y) => cycled('div', p, a, b, y),
    backward: (p, [a, b], _y, g, [ga, gb]) => {
      if (p.rows) {
        // Per-row divisor: d/da = g / b[row]; d/db[row] = −Σ_row g·a / b[row]².
        const inner = p.rb.inner;
        if (ga) byRow('div', inner, g, b, ga);
        if (gb) for (let j = 0, i = 0; j < b.length; j++) { let s = 0; for (const end = i + inner; i < end; i++) s += g[i] * a[i]; gb[j] = -s / (b[j] * b[j]); }
        return;
      }
      if (ga) partialInto(p, p.ra, a, b, g, ga, (_p, q, gv) => gv / q);
      if (gb) partialInto(p, p.rb, a, b, g, gb, (q, r, gv) => (-gv * q) / (r * r));
    },
  } as Rule<undefined, BinaryPlan>,
  /** d/da = b·a^(b−1); d/db = a^b·ln a (taken as 0 where a ≤ 0). */
  pow: binaryRule(Math.pow, (q, r, gv) => (r === 0 ? 0 : gv * r * Math.pow(q, r - 1)), (q, r, gv) => (q > 0 ? gv * Math.pow(q, r) * Math.log(q) : 0)),
  /** The gradient goes to a where a ≥ b (ties to a), else to b. */
  maximum: binaryRule((q, r) => (q >= r ? q : r), (q, r, gv) => (q >= r ? gv : 0), (q, r, gv) => (q >= r ? 0 : gv)),
  minimum: binaryRule((q, r) => (q <= r ? q : r), (q, r, gv) => (q <= r ? gv : 0), (q, r, gv) => (q <= r ? 0 : gv)),
  // Comparisons: 0/1 floats, not differentiable.
  greater: binaryRule((q, r) => (q > r ? 1 : 0)),
  greaterEqual: binaryRule((q, r) => (q >= r ? 1 : 0)),
  less: binaryRule((q, r) => (q < r ? 1 : 0)),
  lessEqual: binaryRule((q, r) => (q <= r ? 1 : 0)),
  equal: binaryRule((q, r) => (q === r ? 1 : 0)),
  notEqual: binaryRule((q, r) => (q !== r ? 1 : 0)),
};
type BinaryName = keyof typeof binaryRules;

const bin = (name: BinaryName) => (a: TensorLike, b: TensorLike): Tensor => run(name, binaryRules[name] as Rule, [asTensor(a), asTensor(b)], undefined);

export const add = bin('add');
export const sub = bin('sub');
export const mul = bin('mul');
export const div = bin('div');
/** a^b elementwise. d/da = b·a^(b-1); d/db = a^b·ln(a) (taken as 0 where a ≤ 0). */
export const pow = bin('pow');
/** Elementwise maximum; the gradient goes to a where a ≥ b (ties to a), else to b. */
export const maximum = bin('maximum');
export const minimum = bin('minimum');
export const greater = bin('greater');
export const greaterEqual = bin('greaterEqual');
export const less = bin('less');
export const lessEqual = bin('lessEqual');
export const equal = bin('equal');
export const notEqual = bin('notEqual');
