// TerminateOnNaN (Keras keras.callbacks.TerminateOnNaN): stop training as soon as a batch's loss is NaN or infinite.

import { Callback, type Logs } from './callback.js';
import { say } from './monitor.js';

export class TerminateOnNaN extends Callback {
  /** The batch at which training was terminated, or null. */
  terminatedAtBatch: number | null = null;

  override onTrainBatchEnd(batch: number, logs?: Logs): void {
    const loss = logs?.loss;
    if (loss !== undefined && !Number.isFinite(loss)) {
      say(`Batch ${batch}: Invalid loss, terminating training`);
      this.terminatedAtBatch = batch;
      this.model!.stopTraining = true;
    }
  }
}
