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

/** Calls every callback's hook in order, awaiting async ones. Hooks a callback did not override are skipped cheaply. */
export class CallbackList {
  constructor(readonly callbacks: Callback[]) {}

  private overridden(name: keyof Callback): Callback[] {
    return this.callbacks.filter((c) => (c as unknown as Record<string, unknown>)[name] !== (Callback.prototype as unknown as Record<string, unknown>)[name]);
  }

  setModel(model: CallbackModel): void {
    for (const c of this.callbacks) c.setModel(model);
  }
  setParams(params: TrainParams): void {
    for (const c of this.callbacks) c.setParams(params);
  }

  async call(hook: 'onTrainBegin' | 'onTrainEnd' | 'onTestBegin' | 'onTestEnd' | 'onPredictBegin' | 'onPredictEnd', logs?: Logs): Promise<void>;
  async call(hook: 'onEpochBegin' | 'onEpochEnd' | 'onTrainBatchBegin' | 'onTrainBatchEnd' | 'onTestBatchBegin' | 'onTestBatchEnd', index: number, logs?: Logs): Promise<void>;
  async call(hook: string, a?: number | Logs, b?: Logs): Promise<void> {
    for (const c of this.callbacks) {
      const fn = (c as unknown as Record<string, (...args: unknown[]) => unknown>)[hook];
      const r = typeof a === 'number' ? fn.call(c, a, b) : fn.call(c, a);
      if (r && typeof (r as Promise<void>).then === 'function') await r;
    }
    // Keras's onBatchBegin/End aliases, for callbacks that override those names instead.
    if (hook === 'onTrainBatchBegin' || hook === 'onTrainBatchEnd') {
      const alias = hook === 'onTrainBatchBegin' ? 'onBatchBegin' : 'onBatchEnd';
      for (const c of this.overridden(alias)) {
        const r = (c as unknown as Record<string, (i: number, l?: Logs) => unknown>)[alias].call(c, a as number, b);
        if (r && typeof (r as Promise<void>).then === 'function') await r;
      }
    }
  }
}
