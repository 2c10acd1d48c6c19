// LambdaCallback (Keras keras.callbacks.LambdaCallback): a callback from plain functions, one per hook.

import { Callback, type Logs } from './callback.js';

type EpochFn = (epoch: number, logs?: Logs) => void | Promise<void>;
type BatchFn = (batch: number, logs?: Logs) => void | Promise<void>;
type TrainFn = (logs?: Logs) => void | Promise<void>;

export interface LambdaCallbackOptions {
  onEpochBegin?: EpochFn;
  onEpochEnd?: EpochFn;
  onTrainBegin?: TrainFn;
  onTrainEnd?: TrainFn;
  onTrainBatchBegin?: BatchFn;
  onTrainBatchEnd?: BatchFn;
  /** Keras aliases of onTrainBatchBegin/End. */
  onBatchBegin?: BatchFn;
  onBatchEnd?: BatchFn;
  onTestBegin?: TrainFn;
  onTestEnd?: TrainFn;
  onTestBatchBegin?: BatchFn;
  onTestBatchEnd?: BatchFn;
  onPredictBegin?: TrainFn;
  onPredictEnd?: TrainFn;
}

const HOOKS = ['onEpochBegin', 'onEpochEnd', 'onTrainBegin', 'onTrainEnd', 'onTrainBatchBegin', 'onTrainBatchEnd', 'onBatchBegin', 'onBatchEnd', 'onTestBegin', 'onTestEnd', 'onTestBatchBegin', 'onTestBatchEnd', 'onPredictBegin', 'onPredictEnd'] as const;

export class LambdaCallback extends Callback {
  constructor(hooks: LambdaCallbackOptions = {}) {
    super();
    for (const [k, fn] of Object.entries(hooks)) {
      if (!(HOOKS as readonly string[]).includes(k)) throw new Error(`LambdaCallback: unknown hook '${k}'. Valid hooks: ${HOOKS.join(', ')}.`);
      if (typeof fn !== 'function') throw new Error(`LambdaCallback: hook '${k}' must be a function.`);
      // An own property shadows the base's no-op, so CallbackList sees it as overridden.
      (this as unknown as Record<string, unknown>)[k] = fn;
    }
  }
}
