// One captured step (tinygrad's TinyJit, jax-js's jit, Keras's compiled train_step). The first call for an input
// signature runs the body eagerly while the tape records every op (forward, loss, penalties); the backward pass is
// then planned over that record: one gradient buffer per tensor, written in place by each rule's backward. Later
// calls copy the new inputs into the recorded input buffers and replay the same rules over the same buffers, with
// no allocation per op. Values created outside ops inside the body (a JS number, a tensor built from .data) are
// constants of the record; random ops draw fresh values on every replay from their generators.

import { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../tensor/shape.js';
import type { Buf, Planned, Rule } from '../ops/rule.js';
import { alloc, recordOps, type TapeEntry } from './tape.js';

/** What a step body returns: a scalar loss to differentiate (optional for inference) and tensors to hand back. */
export interface StepBody {
  (inputs: readonly (Tensor | null)[]): { loss?: Tensor; outputs?: readonly Tensor[] };
}

interface Exec {
  readonly rule: Rule;
  readonly plan: Planned;
  readonly ins: readonly Buf[];
  readonly out: Buf;
}
interface BackExec extends Exec {
  readonly g: Buf;
  readonly gx: readonly (Buf | null)[];
  /** [scratch, target] pairs: a second contribution to a gradient is computed apart, then added. */
  readonly adds: readonly Buf[];
}

/** The record of one step for one input signature, and its buffers. */
export class Program {
  /** The loss buffer (one value) after run, or null without a loss. */
  readonly loss: Buf | null;
  /** The body's outputs, as tensors over the program's buffers (overwritten by the next run). */
  readonly outputs: readonly Tensor[];
  /** The gradient of the loss for each differentiated tensor (buffers reused by every run). */
  readonly grads: readonly Buf[];
  private readonly shapes: readonly (readonly number[] | null)[];
  private readonly leaves: readonly (Buf | null)[];
  private readonly forward: readonly Exec[];
  private readonly backward: readonly BackExec[];
  private readonly seed: Buf | null;
  /** Gradient buffers first written by a rule that adds (addsGrad): zeroed before each backward pass. */
  private readonly zeroed: readonly Buf[];

  /** adoptable(t): t's buffer is the caller's scratch, refilled in place before each call: read it, do not copy it. */
  constructor(body: StepBody, inputs: readonly (Tensor | null)[], wrt: readonly Tensor[], adoptable?: (t: Tensor) => boolean) {
    this.shapes = inputs.map((t) => t && t.shape);
    const leafTensors = inputs.map((t) => t && new Tensor(adoptable?.(t) ? t.data : alloc(t.size), t.shape));
    leafTensors.forEach((t, i) => t && t.data !== inputs[i]!.data && t.data.set(inputs[i]!.data));
    this.leaves = leafTensors.map((t) => t && t.data);
    const tape: TapeEntry[] = [];
    const result = recordOps(tape, () => body(leafTensors));
    const loss = result.loss ?? null;
    if (loss && loss.size !== 1) throw new Error(`A captured step's loss must be a scalar; got shape ${formatShape(loss.shape)}.`);
    const outs = result.outputs ?? [];
    this.loss = loss && loss.data;
    this.outputs = outs.map((t) => new Tensor(t.data, t.shape));

    // Forward: the ops the loss and outputs depend on (and every random op, so generators advance as eagerly).
    const live = new Set<Tensor>([...(loss ? [loss] : []), ...outs]);
    const keep: TapeEntry[] = [];
    for (let i = tape.length - 1; i >= 0; i--) {
      const e = tape[i];
      if (!live.has(e.output) && !e.rule.effect) continue;
      keep.push(e);
      for (const x of e.inputs) live.add(x);
    }
    keep.reverse();
    this.forward = keep.filter((e) => !e.rule.view).map((e) => ({ rule: e.rule, plan: e.plan, ins: e.inputs.map((x) => x.data), out: e.output.data }));

    // Backward, planned over the record in reverse: the first contribution to a gradient writes its buffer (or adds into
    // it, zeroed first, for addsGrad rules, or is the output's gradient buffer itself, for passesGrad inputs); later
    // ones are computed apart and added, or added in place (addsGrad).
    const gradOf = new Map<Tensor, Buf>();
    const backward: BackExec[] = [];
    const zeroed: Buf[] = [];
    this.seed = loss?.requiresGrad ? alloc(1) : null;
    if (loss && this.seed) gradOf.set(loss, this.seed);
    for (let i = keep.length - 1; i >= 0; i--) {
      const e = keep[i];
      const g = gradOf.get(e.output);
      if (!g || !e.rule.backward) continue;
      const adds: Buf[] = [];
      const gx = e.inputs.map((x, k) => {
        if (!x.requiresGrad) return null;
        const target = gradOf.get(x);
        // The output's gradient is complete here and read by nothing after this op: it can be x's gradient as it is.
        if (!target && e.rule.passesGrad?.(e.plan, k)) {
          gradOf.set(x, g);
          return null;
        }
        if (!target) {
          const buf = alloc(x.size);
          gradOf.set(x, buf);
          if (e.rule.addsGrad) zeroed.push(buf); // its first contribution adds: start from zeros on every run
          return buf;
        }
        if (e.rule.addsGrad) return target;
        const scratch = alloc(x.size);
        adds.push(scratch, target);
        return scratch;
      });
      if (gx.some((b) => b)) backward.push({ rule: e.rule, plan: e.plan, ins: e.inputs.map((x) => x.data), out: e.output.data, g, gx, adds });
    }
    this.backward = backward;
    this.zeroed = zeroed;
    this.grads = wrt.map((v) => gradOf.get(v) ?? alloc(v.size));
    this.differentiate();
  }

  /** Whether inputs have this program's signature (shapes, and which inputs are absent). */
  matches(inputs: readonly (Tensor | null)[]): boolean {
    if (inputs.length !== this.shapes.length) return false;
    for (let i = 0; i < inputs.length; i++) {
      const t = inputs[i], s = this.shapes[i];
      if (!t || !s) {
        if (t || s) return false;
        continue;
      }
      if (t.shape.length !== s.length) return false;
      for (let d = 0; d < s.length; d++) if (t.shape[d] !== s[d]) return false;
    }
    return true;
  }

  /** Replay: copy the inputs in (unless one is the adopted buffer itself), run every recorded op's forward, then the planned backward. */
  run(inputs: readonly (Tensor | null)[]): void {
    for (let i = 0; i < inputs.length; i++) {
      const t = inputs[i];
      if (t && t.data !== this.leaves[i]) this.leaves[i]!.set(t.data);
    }
    const fw = this.forward;
    for (let i = 0; i < fw.length; i++) {
      const e = fw[i];
      e.rule.forward(e.plan, e.ins, e.out);
    }
    this.differentiate();
  }

  private differentiate(): void {
    if (!this.seed) return;
    this.seed[0] = 1;
    for (const z of this.zeroed) z.fill(0);
    const bw = this.backward;
    for (let i = 0; i < bw.length; i++) {
      const e = bw[i];
      e.rule.backward!(e.plan, e.ins, e.out, e.g, e.gx);
      const adds = e.adds;
      for (let j = 0; j < adds.length; j += 2) {
        const s = adds[j], t = adds[j + 1];
        for (let k = 0; k < t.length; k++) t[k] += s[k];
      }
    }
  }
}

/**
 * A step function captured per input signature: step.run(inputs) records on the first call for those shapes and
 * replays afterwards, returning the program (loss, outputs and the gradients of wrt, in buffers it reuses).
 */
export class CapturedStep {
  private readonly programs: Program[] = [];
  private readonly pairCache = new WeakMap<Program, (readonly [Buf, Tensor])[]>();

  constructor(
    private readonly body: StepBody,
    /** The tensors (usually trainable Variables) whose gradients the program computes. */
    readonly wrt: readonly Tensor[] = [],
    /** Signatures kept at once (full batches, the last partial batch, validation batches…). */
    private readonly limit = 8,
    /**
     * Inputs whose buffers a new program may read in place instead of copying (the trainer's batch buffers, which it
     * refills before every step): a later call with another buffer of that shape is copied into the adopted one.
     */
    private readonly adoptable?: (t: Tensor) => boolean,
  ) {}

  /** [gradient, variable] pairs of a program, for optimizer.applyGradients (made once per program). */
  pairs(p: Program): (readonly [Buf, Tensor])[] {
    let r = this.pairCache.get(p);
    if (!r) this.pairCache.set(p, (r = this.wrt.map((v, i) => [p.grads[i], v] as const)));
    return r;
  }

  run(inputs: readonly (Tensor | null)[]): Program {
    const programs = this.programs;
    for (let i = 0; i < programs.length; i++) {
      if (programs[i].matches(inputs)) {
        programs[i].run(inputs);
        return programs[i];
      }
    }
    const p = new Program(this.body, inputs, this.wrt, this.adoptable);
    if (programs.length >= this.limit) programs.pop();
    programs.unshift(p);
    return p;
  }
}
