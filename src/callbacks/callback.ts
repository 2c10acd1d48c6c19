// Callback base with Keras's hooks. The training loop only calls hooks; printing, history, early stopping
// and checkpoints are all callbacks. Hooks may be async: the loop awaits them.

export type Logs = Record<string, number>;

/** What a callback can reach of the model it is attached to (kept structural to avoid an import cycle). */
export interface CallbackModel {
  stopTraining: boolean;
  getWeights(): import('../tensor/tensor.js').Tensor[];
  setWeights(weights: readonly (import('../tensor/tensor.js').Tensor | import('../tensor/tensor.js').NestedArray)[]): void;
  optimizer?: unknown;
}

export interface TrainParams {
  epochs: number;
  steps: number; // batches per epoch
  samples: number;
  batchSize: number;
  verbose: number;
  metrics: string[]; // log keys the loop will report, e.g. ['loss', 'accuracy', 'val_loss', 'val_accuracy']
}

export class Callback {
  model: CallbackModel | null = null;
  params: TrainParams | null = null;

  setModel(model: CallbackModel): void {
    this.model = model;
  }
  setParams(params: TrainParams): void {
    this.params = params;
  }
  onTrainBegin(_logs?: Logs): void | Promise<void> {}
  onTrainEnd(_logs?: Logs): void | Promise<void> {}
  onEpochBegin(_epoch: number, _logs?: Logs): void | Promise<void> {}
  onEpochEnd(_epoch: number, _logs?: Logs): void | Promise<void> {}
  onTrainBatchBegin(_batch: number, _logs?: Logs): void | Promise<void> {}
  onTrainBatchEnd(_batch: number, _logs?: Logs): void | Promise<void> {}
  onTestBegin(_logs?: Logs): void | Promise<void> {}
  onTestEnd(_logs?: Logs): void | Promise<void> {}
  onTestBatchBegin(_batch: number, _logs?: Logs): void | Promise<void> {}
  onTestBatchEnd(_batch: number, _logs?: Logs): void | Promise<void> {}
  onPredictBegin(_logs?: Logs): void | Promise<void> {}
  onPredictEnd(_logs?: Logs): void | Promise<void> {}
  /** Keras alias: onBatchBegin/End are the training-batch hooks. */
  onBatchBegin(batch: number, logs?: Logs): void | Promise<void> {
    return this.onTrainBatchBegin(batch, logs);
  }
  onBatchEnd(batch: number, logs?: Logs): void | Promise<void> {
    return this.onTrainBatchEnd(batch, logs);
  }
}

type HookName = 'onTrainBegin' | 'onTrainEnd' | 'onTestBegin' | 'onTestEnd' | 'onPredictBegin' | 'onPredictEnd' | 'onEpochBegin' | 'onEpochEnd' | 'onTrainBatchBegin' | 'onTrainBatchEnd' | 'onTestBatchBegin' | 'onTestBatchEnd';
type Hook = (this: Callback, a?: number | Logs, b?: Logs) => unknown;

/**
 * Calls every callback's hook in order, awaiting async ones. Only callbacks that override a hook are called, and
 * when none of them returns a promise the call is synchronous (returns undefined): the training loop then runs a
 * step without allocating promises.
 */
export class CallbackList {
  private readonly targets = new Map<string, [Callback, Hook][]>();

  constructor(readonly callbacks: Callback[]) {}

  private overrides(c: Callback, name: string): boolean {
    return (c as unknown as Record<string, unknown>)[name] !== (Callback.prototype as unknown as Record<string, unknown>)[name];
  }

  /** The hooks to call for an event, in callback order; training-batch events also reach Keras's onBatchBegin/End aliases. */
  private targetsOf(hook: HookName): [Callback, Hook][] {
    let list = this.targets.get(hook);
    if (list) return list;
    list = [];
    const alias = hook === 'onTrainBatchBegin' ? 'onBatchBegin' : hook === 'onTrainBatchEnd' ? 'onBatchEnd' : null;
    for (const c of this.callbacks) {
      const methods = c as unknown as Record<string, Hook>;
      if (this.overrides(c, hook)) list.push([c, methods[hook]]);
      if (alias && this.overrides(c, alias)) list.push([c, methods[alias]]);
    }
    this.targets.set(hook, list);
    return list;
  }

  /** Whether any callback listens to this event (so the loop can skip building its logs). */
  has(hook: HookName): boolean {
    return this.targetsOf(hook).length > 0;
  }

  setModel(model: CallbackModel): void {
    for (const c of this.callbacks) c.setModel(model);
  }
  setParams(params: TrainParams): void {
    for (const c of this.callbacks) c.setParams(params);
  }

  call(hook: 'onTrainBegin' | 'onTrainEnd' | 'onTestBegin' | 'onTestEnd' | 'onPredictBegin' | 'onPredictEnd', logs?: Logs): Promise<void> | undefined;
  call(hook: 'onEpochBegin' | 'onEpochEnd' | 'onTrainBatchBegin' | 'onTrainBatchEnd' | 'onTestBatchBegin' | 'onTestBatchEnd', index: number, logs?: Logs): Promise<void> | undefined;
  call(hook: HookName, a?: number | Logs, b?: Logs): Promise<void> | undefined {
    const list = this.targetsOf(hook);
    for (let i = 0; i < list.length; i++) {
      const [c, fn] = list[i];
      const r = typeof a === 'number' ? fn.call(c, a, b) : fn.call(c, a);
      if (r && typeof (r as Promise<void>).then === 'function') return this.continueAsync(r as Promise<void>, list, i + 1, a, b);
    }
    return undefined;
  }

  private async continueAsync(pending: Promise<void>, list: [Callback, Hook][], from: number, a?: number | Logs, b?: Logs): Promise<void> {
    await pending;
    for (let i = from; i < list.length; i++) {
      const [c, fn] = list[i];
      await (typeof a === 'number' ? fn.call(c, a, b) : fn.call(c, a));
    }
  }
}
