// Optimizer base, as Keras 3's BaseOptimizer: each algorithm only declares its slots and an in-place
// `updateStep`; the base does the rest, in Keras's order, for one call of applyGradients:
//   lr      = schedule(iterations) (or the constant), then Keras 2's legacy decay: lr / (1 + decay * iterations)
//   g       = clip(g): clipnorm per gradient g * c / max(||g||, c); globalClipnorm g * c * min(1/||all||, 1/c);
//             clipvalue clip(g, -c, c)  (at most one of the three)
//   w      -= w * weightDecay * lr           (decoupled weight decay, before the update, as Keras 3)
//   updateStep(w, g, slots, lr, t)           t = iterations + 1 (the 1-based step used for bias corrections)
//   iterations += 1
// Slots (moments, accumulators) are Float32Arrays keyed by variable identity, created at its first update.

import { Tensor, tensor, type NestedArray } from '../tensor/tensor.js';
import { Variable } from '../tensor/variable.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import { backward, isRecording, variableGrads } from '../autograd/tape.js';
import { LearningRateSchedule, checkKeys, checkNumber, type LearningRateFunction } from '../schedules/schedule.js';

export { checkNumber, checkKeys };

export type LearningRate = number | LearningRateSchedule | LearningRateFunction;
export type GradientLike = Tensor | Float32Array | NestedArray | readonly number[];

/** Options every optimizer accepts (Keras's base arguments, camelCase). */
export interface OptimizerOptions {
  /** Learning rate: a number, a LearningRateSchedule, or a function of the step. Default per optimizer. */
  learningRate?: LearningRate;
  /** Legacy alias of learningRate (Keras 2 / the chapter's `lr=`). */
  lr?: LearningRate;
  /** Keras 2 time-based decay: lr_t = lr / (1 + decay * iterations). Default 0. */
  decay?: number;
  /** Decoupled weight decay: w -= w * weightDecay * lr before each update. Default none. */
  weightDecay?: number | null;
  /** Clip each gradient to this L2 norm. */
  clipnorm?: number | null;
  /** Clip each gradient element to [-clipvalue, clipvalue]. */
  clipvalue?: number | null;
  /** Clip all gradients together to this global L2 norm. */
  globalClipnorm?: number | null;
  name?: string;
}

const BASE_KEYS = ['learningRate', 'lr', 'decay', 'weightDecay', 'clipnorm', 'clipvalue', 'globalClipnorm', 'name'] as const;

/** A slot buffer per variable: name and initial value. */
export interface SlotSpec {
  name: string;
  init: number;
}

/** Everything needed to continue training exactly: iteration count, slots per variable (in build order), scalars. */
export interface OptimizerState {
  className: string;
  iterations: number;
  variables: { name: string; shape: number[] }[];
  slots: Record<string, Float32Array[]>;
  extras: Record<string, number>;
}

interface VarState {
  slots: Float32Array[];
  clipped: Float32Array | null; // scratch buffer for clipped gradients, allocated once
}

export abstract class Optimizer {
  static className = 'Optimizer';

  /** Updates applied so far (Keras optimizer.iterations). */
  iterations = 0;
  readonly name: string;
  readonly weightDecay: number | null;
  readonly clipnorm: number | null;
  readonly clipvalue: number | null;
  readonly globalClipnorm: number | null;
  readonly decay: number;

  private lrValue = 0;
  private lrSchedule: LearningRateSchedule | LearningRateFunction | null = null;
  private readonly state = new Map<Tensor, VarState>();
  private readonly order: Tensor[] = [];
  private pending: OptimizerState | null = null;
  private specs: SlotSpec[] | null = null; // slotSpecs(), computed once (options are fixed after construction)
  private excludeVars = new Set<Tensor>();
  private excludePattern: RegExp | null = null;

  /**
   * @param options the user's options
   * @param defaultLearningRate Keras's default for this optimizer
   * @param ownKeys the subclass's own option names (for the unknown-argument check)
   */
  constructor(options: OptimizerOptions, defaultLearningRate: number, ownKeys: readonly string[]) {
    const cls = this.className;
    if (options === null || typeof options !== 'object') throw new Error(`${cls}: options must be an object; received ${String(options)}.`);
    checkKeys(cls, options, [...BASE_KEYS, ...ownKeys]);
    if (options.lr !== undefined && options.learningRate !== undefined) {
      throw new Error(`${cls}: pass either \`learningRate\` or its legacy alias \`lr\`, not both.`);
    }
    this.name = options.name ?? cls.toLowerCase();
    const lr = options.learningRate ?? options.lr ?? defaultLearningRate;
    this.decay = checkNumber(cls, 'decay', options.decay ?? 0, { min: 0 });
    const clip = (k: 'clipnorm' | 'clipvalue' | 'globalClipnorm'): number | null => {
      const v = options[k];
      return v === undefined || v === null ? null : checkNumber(cls, k, v, { min: 0, minExclusive: true });
    };
    this.clipnorm = clip('clipnorm');
    this.clipvalue = clip('clipvalue');
    this.globalClipnorm = clip('globalClipnorm');
    const nClip = [this.clipnorm, this.clipvalue, this.globalClipnorm].filter((v) => v !== null).length;
    if (nClip > 1) {
      throw new Error(`${cls}: only one of \`clipnorm\`, \`clipvalue\` and \`globalClipnorm\` can be set; received clipnorm=${this.clipnorm}, clipvalue=${this.clipvalue}, globalClipnorm=${this.globalClipnorm}.`);
    }
    const wd = options.weightDecay;
    this.weightDecay = wd === undefined || wd === null ? null : checkNumber(cls, 'weightDecay', wd, { min: 0 });
    if (typeof lr === 'number') {
      this.lrValue = this.checkLearningRate(lr, 'learningRate');
    } else if (lr instanceof LearningRateSchedule || typeof lr === 'function') {
      this.lrSchedule = lr;
      this.learningRateAt(0); // a schedule that gives NaN or a negative rate fails now, not mid-training
    } else {
      throw new Error(`${cls}: \`learningRate\` must be a number, a LearningRateSchedule or a function of the step; received ${String(lr)}.`);
    }
  }

  get className(): string {
    return (this.constructor as typeof Optimizer).className;
  }

  /** The slot buffers this optimizer keeps per variable (may depend on its options). */
  protected abstract slotSpecs(): SlotSpec[];

  /** One update of one variable, in place: param and slots are updated, grad is read only. t = iterations + 1. */
  protected abstract updateStep(param: Float32Array, grad: Float32Array, slots: Float32Array[], lr: number, t: number): void;

  /** Called once per step before the per-variable updates (Nadam's momentum cache). */
  protected beginStep(_t: number): void {}

  /** Scalars beyond slots that the state must carry (Nadam's u_product). */
  protected getExtras(): Record<string, number> {
    return {};
  }
  protected setExtras(_extras: Record<string, number>): void {}

  /** The subclass's own hyperparameters for getConfig. */
  protected abstract ownConfig(): Record<string, unknown>;

  private checkLearningRate(v: unknown, what: string): number {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new Error(`${this.className}: ${what} must be a finite number >= 0; received ${String(v)}.`);
    }
    return v;
  }

  /** The learning rate the update at step `iterations` uses (schedule and legacy decay applied), in float32 as Keras. */
  learningRateAt(iterations: number): number {
    let lr: number;
    if (this.lrSchedule === null) lr = this.lrValue;
    else if (this.lrSchedule instanceof LearningRateSchedule) lr = this.lrSchedule.call(iterations);
    else lr = this.lrSchedule(iterations);
    if (this.decay > 0) lr = lr / (1 + this.decay * iterations);
    return Math.fround(this.checkLearningRate(lr, `the learning rate at step ${iterations}`));
  }

  /** Current learning rate (the one the next update uses). */
  get learningRate(): number {
    return this.learningRateAt(this.iterations);
  }

  /**
   * Set a constant learning rate (as callbacks do); the next update uses v. With legacy `decay` the base rate becomes
   * v * (1 + decay * iterations), so decay continues from v (what Keras 2 did when ReduceLROnPlateau scaled the base lr).
   * Not allowed when a LearningRateSchedule drives the rate, as in Keras.
   */
  set learningRate(v: number) {
    if (this.lrSchedule instanceof LearningRateSchedule) {
      throw new Error(`${this.className} was created with a LearningRateSchedule as its learningRate, hence its learning rate is not settable. Create the optimizer with a number learningRate to set it.`);
    }
    this.checkLearningRate(v, 'learningRate');
    this.lrValue = this.decay > 0 ? v * (1 + this.decay * this.iterations) : v;
    this.lrSchedule = null;
  }

  /** Keras 2's name for learningRate. */
  get lr(): number {
    return this.learningRate;
  }
  set lr(v: number) {
    this.learningRate = v;
  }

  /** The constant learning rate or the schedule, as given. */
  get learningRateSchedule(): LearningRateSchedule | LearningRateFunction | null {
    return this.lrSchedule;
  }

  /** Keras exclude_from_weight_decay: these variables, or those whose name contains one of varNames, get no weight decay. */
  excludeFromWeightDecay(options: { varList?: Tensor[]; varNames?: string[] }): void {
    this.excludeVars = new Set(options.varList ?? []);
    const names = options.varNames ?? [];
    this.excludePattern = names.length ? new RegExp(names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')) : null;
  }

  private usesWeightDecay(v: Tensor): boolean {
    if (this.excludeVars.has(v)) return false;
    if (this.excludePattern && this.excludePattern.test((v as Variable).name ?? '')) return false;
    return true;
  }

  /** The last pairs validated (a captured step passes the same list of the same buffers every step). */
  private lastPairs: { list: ReadonlyArray<readonly [GradientLike | null | undefined, Tensor]>; flat: unknown[]; grads: Float32Array[]; vars: Tensor[] } | null = null;

  /** Apply one update to each variable from its gradient (null gradients are skipped, as Keras). */
  applyGradients(gradsAndVars: ReadonlyArray<readonly [GradientLike | null | undefined, Tensor]>): void {
    const cls = this.className;
    if (!Array.isArray(gradsAndVars)) throw new Error(`${cls}.applyGradients expects an array of [gradient, variable] pairs.`);
    // Validate everything before any state changes (once for a list passed again unchanged, as a captured step does).
    const lr = this.learningRateAt(this.iterations);
    let grads: Float32Array[] = [];
    let vars: Tensor[] = [];
    const last = this.lastPairs;
    if (last && last.list === gradsAndVars && last.flat.length === 2 * gradsAndVars.length && gradsAndVars.every((pair, i) => pair[0] === last.flat[2 * i] && pair[1] === last.flat[2 * i + 1])) {
      ({ grads, vars } = last);
    } else {
      const seen = new Set<Tensor>();
      gradsAndVars.forEach((pair, i) => {
        if (!Array.isArray(pair) || pair.length !== 2) throw new Error(`${cls}.applyGradients: entry ${i} must be a [gradient, variable] pair.`);
        const [g, v] = pair;
        if (!(v instanceof Tensor)) throw new Error(`${cls}.applyGradients: entry ${i} has no variable (got ${typeof v}); expected a Variable.`);
        if (seen.has(v)) throw new Error(`${cls}.applyGradients: variable '${varName(v, i)}' appears twice.`);
        seen.add(v);
        if (g === null || g === undefined) return;
        grads.push(gradientData(cls, g, v, i));
        vars.push(v);
      });
      // Only buffers keep their identity from step to step; nested arrays are converted anew each call.
      const reusable = gradsAndVars.every(([g]) => g === null || g === undefined || g instanceof Float32Array || g instanceof Tensor);
      this.lastPairs = reusable ? { list: gradsAndVars, flat: gradsAndVars.flatMap((pair) => [pair[0], pair[1]]), grads, vars } : null;
    }
    if (vars.length === 0) throw new Error(`${cls}.applyGradients: no gradients provided for any variable.`);
    const specs = (this.specs ??= this.slotSpecs());
    const newVars = vars.filter((v) => !this.state.has(v));
    if (this.pending) this.checkPending(this.pending, newVars, specs);

    // Build slots for variables seen for the first time.
    for (const v of newVars) {
      this.state.set(v, { slots: specs.map((s) => new Float32Array(v.size).fill(s.init)), clipped: null });
      this.order.push(v);
    }
    if (this.pending) {
      this.loadSlots(this.pending, newVars, specs);
      this.pending = null;
    }

    const effective = this.clipGradients(grads, vars);
    if (this.weightDecay !== null && this.weightDecay > 0) {
      const f = Math.fround(this.weightDecay * lr);
      for (const v of vars) {
        if (!this.usesWeightDecay(v)) continue;
        const w = v.data;
        for (let j = 0; j < w.length; j++) w[j] -= w[j] * f;
      }
    }
    const t = this.iterations + 1;
    this.beginStep(t);
    for (let i = 0; i < vars.length; i++) this.updateStep(vars[i].data, effective[i], this.state.get(vars[i])!.slots, lr, t);
    this.iterations++;
  }

  private clipGradients(grads: Float32Array[], vars: Tensor[]): Float32Array[] {
    const buffer = (i: number): Float32Array => {
      const st = this.state.get(vars[i])!;
      if (!st.clipped) st.clipped = new Float32Array(vars[i].size);
      return st.clipped;
    };
    if (this.clipnorm !== null) {
      const c = this.clipnorm;
      return grads.map((g, i) => {
        let ss = 0;
        for (let j = 0; j < g.length; j++) ss += g[j] * g[j];
        const out = buffer(i);
        const denom = Math.max(Math.sqrt(ss), c);
        for (let j = 0; j < g.length; j++) out[j] = (g[j] * c) / denom;
        return out;
      });
    }
    if (this.globalClipnorm !== null) {
      const c = this.globalClipnorm;
      let ss = 0;
      for (const g of grads) for (let j = 0; j < g.length; j++) ss += g[j] * g[j];
      const norm = Math.sqrt(ss);
      const scale = c * Math.min(1 / norm, 1 / c) + (norm - norm); // NaN when the norm is infinite, as Keras
      return grads.map((g, i) => {
        const out = buffer(i);
        for (let j = 0; j < g.length; j++) out[j] = g[j] * scale;
        return out;
      });
    }
    if (this.clipvalue !== null) {
      const c = this.clipvalue;
      return grads.map((g, i) => {
        const out = buffer(i);
        for (let j = 0; j < g.length; j++) out[j] = g[j] > c ? c : g[j] < -c ? -c : g[j];
        return out;
      });
    }
    return grads;
  }

  /** Compute the gradients of loss() with the autodiff engine and apply them. Returns the loss value. */
  minimize(loss: () => Tensor, variables?: readonly Tensor[]): Tensor {
    if (typeof loss !== 'function') throw new Error(`${this.className}.minimize expects a function returning a scalar loss tensor.`);
    if (variables) {
      const { value, grads } = variableGrads(loss, variables);
      this.applyGradients(variables.map((v, i) => [grads[i], v] as const));
      return value;
    }
    // No list given: every trainable Variable the loss depends on (as TF.js's minimize).
    if (!isRecording()) throw new Error(`${this.className}.minimize cannot run inside noGrad().`);
    const value = loss();
    if (!(value instanceof Tensor) || value.size !== 1) throw new Error(`${this.className}.minimize: the loss function must return a scalar tensor.`);
    const found: Tensor[] = [];
    const visited = new Set<Tensor>();
    const stack: Tensor[] = [value];
    while (stack.length) {
      const t = stack.pop()!;
      if (visited.has(t)) continue;
      visited.add(t);
      if (t instanceof Variable && t.trainable) found.push(t);
      for (const input of t.node?.inputs ?? []) stack.push(input);
    }
    if (found.length === 0) throw new Error(`${this.className}.minimize: the loss does not depend on any trainable Variable.`);
    const grads = backward(value, found);
    this.applyGradients(found.map((v, i) => [grads[i], v] as const));
    return value.detach();
  }

  /** Variables this optimizer has slots for, in the order it first saw them. */
  get variables(): readonly Tensor[] {
    return this.order;
  }

  /** A deep copy of the iteration count, slots and extra scalars. */
  getState(): OptimizerState {
    const specs = this.slotSpecs();
    const slots: Record<string, Float32Array[]> = {};
    specs.forEach((s, k) => (slots[s.name] = this.order.map((v) => this.state.get(v)!.slots[k].slice())));
    return {
      className: this.className,
      iterations: this.iterations,
      variables: this.order.map((v, i) => ({ name: varName(v, i), shape: [...v.shape] })),
      slots,
      extras: { ...this.getExtras() },
    };
  }

  /**
   * Restore a state from getState(). Slots attach to `variables` in order if given, else to the variables
   * this optimizer already tracks, else to the variables of the next applyGradients call (in its order).
   */
  setState(state: OptimizerState, variables?: readonly Tensor[]): void {
    const cls = this.className;
    if (!state || typeof state !== 'object') throw new Error(`${cls}.setState: expected a state object from getState().`);
    if (state.className !== cls) throw new Error(`${cls}.setState: the state was saved by ${state.className}, not ${cls}.`);
    checkNumber(cls, 'state.iterations', state.iterations, { min: 0, integer: true });
    const specs = this.slotSpecs();
    const names = specs.map((s) => s.name).sort().join(', ');
    const given = Object.keys(state.slots ?? {}).sort().join(', ');
    if (names !== given) throw new Error(`${cls}.setState: the state has slots [${given}] but this optimizer uses [${names}] (different options?).`);
    for (const s of specs) {
      if (state.slots[s.name].length !== state.variables.length) throw new Error(`${cls}.setState: slot '${s.name}' has ${state.slots[s.name].length} buffers for ${state.variables.length} variables.`);
    }
    const targets = variables ?? (this.order.length ? this.order : null);
    if (state.variables.length === 0 && !variables) {
      this.pending = null; // saved before any update: nothing to attach
    } else if (targets) {
      this.checkPending(state, targets, specs);
      for (const v of targets) {
        if (!this.state.has(v)) {
          this.state.set(v, { slots: specs.map((s) => new Float32Array(v.size).fill(s.init)), clipped: null });
          this.order.push(v);
        }
      }
      this.loadSlots(state, targets, specs);
      this.pending = null;
    } else {
      this.pending = state;
    }
    this.iterations = state.iterations;
    this.setExtras({ ...state.extras });
  }

  private checkPending(state: OptimizerState, vars: readonly Tensor[], specs: SlotSpec[]): void {
    const cls = this.className;
    if (vars.length !== state.variables.length) {
      throw new Error(`${cls}: the restored optimizer state is for ${state.variables.length} variables but it is being attached to ${vars.length}.`);
    }
    vars.forEach((v, i) => {
      const saved = state.variables[i];
      if (!shapesEqual(saved.shape, v.shape)) {
        throw new Error(`${cls}: restored state for variable ${i} ('${saved.name}') has shape ${formatShape(saved.shape)} but variable '${varName(v, i)}' has shape ${formatShape(v.shape)}.`);
      }
      for (const s of specs) {
        if (state.slots[s.name][i].length !== v.size) throw new Error(`${cls}: restored slot '${s.name}' of variable ${i} has ${state.slots[s.name][i].length} values, expected ${v.size}.`);
      }
    });
  }

  private loadSlots(state: OptimizerState, vars: readonly Tensor[], specs: SlotSpec[]): void {
    vars.forEach((v, i) => {
      const st = this.state.get(v)!;
      specs.forEach((s, k) => st.slots[k].set(state.slots[s.name][i]));
    });
  }

  /** Keras-style config (camelCase keys); getOptimizer({ className, config }) rebuilds an equal optimizer. */
  getConfig(): Record<string, unknown> {
    let learningRate: unknown = this.lrValue;
    if (this.lrSchedule instanceof LearningRateSchedule) learningRate = { className: this.lrSchedule.className, config: this.lrSchedule.getConfig() };
    else if (this.lrSchedule) throw new Error(`${this.className}.getConfig: a learning rate given as a plain function cannot be serialized; use a LearningRateSchedule.`);
    return {
      name: this.name,
      learningRate,
      weightDecay: this.weightDecay,
      clipnorm: this.clipnorm,
      clipvalue: this.clipvalue,
      globalClipnorm: this.globalClipnorm,
      ...(this.decay > 0 ? { decay: this.decay } : {}),
      ...this.ownConfig(),
    };
  }
}

function varName(v: Tensor, i: number): string {
  return (v as Variable).name ?? `#${i}`;
}

/** A gradient's values as a Float32Array of the variable's size (no copy for tensors and Float32Arrays). */
function gradientData(cls: string, g: GradientLike, v: Tensor, i: number): Float32Array {
  // Built only on error: this runs for every variable at every step.
  const where = () => `${cls}.applyGradients: gradient for variable '${varName(v, i)}' (shape ${formatShape(v.shape)})`;
  if (g instanceof Tensor) {
    if (!shapesEqual(g.shape, v.shape)) throw new Error(`${where()} has shape ${formatShape(g.shape)}.`);
    return g.data;
  }
  if (g instanceof Float32Array) {
    if (g.length !== v.size) throw new Error(`${where()} has ${g.length} values, expected ${v.size}.`);
    return g;
  }
  let t: Tensor;
  try {
    t = tensor(g as NestedArray);
  } catch (e) {
    throw new Error(`${where()} is not a valid array: ${(e as Error).message}`);
  }
  if (t.size !== v.size || (t.rank > 1 && !shapesEqual(t.shape, v.shape))) throw new Error(`${where()} has shape ${formatShape(t.shape)}.`);
  return t.data;
}
