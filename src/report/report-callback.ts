// ReportCallback: collects the per-epoch logs and writes the HTML report when training ends
// (and, with everyEpoch, after each epoch, so a long run can be watched by reloading the page).

import { Callback, type Logs } from '../callbacks/callback.js';
import { writeReport } from './html.js';

export interface ReportCallbackOptions {
  /** Page title; default 'Training report'. */
  title?: string;
  /** Rewrite the file after every epoch as well; default false. */
  everyEpoch?: boolean;
  /** Free text shown under the title. */
  summary?: string;
}

export class ReportCallback extends Callback {
  readonly history: Record<string, number[]> = {};
  readonly epoch: number[] = [];

  constructor(readonly path: string, readonly options: ReportCallbackOptions = {}) {
    super();
    if (typeof path !== 'string' || path.length === 0) throw new Error('ReportCallback needs the path of the HTML file to write.');
  }

  override onTrainBegin(): void {
    for (const k of Object.keys(this.history)) delete this.history[k];
    this.epoch.length = 0;
  }

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    // Keys that appear late (or are missing in an epoch) are padded with NaN so every series stays aligned.
    const n = this.epoch.length;
    for (const k of Object.keys(logs)) {
      if (!this.history[k]) this.history[k] = new Array(n).fill(NaN);
    }
    for (const k of Object.keys(this.history)) this.history[k].push(logs[k] ?? NaN);
    this.epoch.push(epoch);
    if (this.options.everyEpoch) this.write();
  }

  override onTrainEnd(): void {
    if (this.epoch.length > 0) this.write();
  }

  /** Write the report now; returns its path. */
  write(): string {
    return writeReport(this.path, {
      title: this.options.title ?? 'Training report',
      summary: this.options.summary,
      history: { history: this.history, epoch: this.epoch },
    });
  }
}
