// LearningRateScheduler (Keras keras.callbacks.LearningRateScheduler): at each epoch begin,
// optimizer.learningRate = schedule(epoch, currentLearningRate); logs.learning_rate at epoch end.
// (Per-step schedules belong in the optimizer: pass a LearningRateSchedule as learningRate.)

import { Callback, type Logs } from './callback.js';
import { optimizerOf, say } from './monitor.js';

export class LearningRateScheduler extends Callback {
  constructor(
    readonly schedule: (epoch: number, learningRate: number) => number,
    readonly options: { verbose?: number } = {},
  ) {
    super();
    if (typeof schedule !== 'function') throw new Error('LearningRateScheduler: `schedule` must be a function (epoch, learningRate) => number.');
  }

  override onEpochBegin(epoch: number): void {
    const opt = optimizerOf('LearningRateScheduler', this.model);
    const lr = this.schedule(epoch, opt.learningRate);
    if (typeof lr !== 'number' || !Number.isFinite(lr) || lr < 0) {
      throw new Error(`LearningRateScheduler: the schedule returned ${String(lr)} for epoch ${epoch}; it must return a finite number >= 0.`);
    }
    opt.learningRate = lr;
    if ((this.options.verbose ?? 0) > 0) say(`\nEpoch ${epoch + 1}: LearningRateScheduler setting learning rate to ${lr}.`);
  }

  override onEpochEnd(_epoch: number, logs?: Logs): void {
    if (logs) logs.learning_rate = optimizerOf('LearningRateScheduler', this.model).learningRate;
  }
}
