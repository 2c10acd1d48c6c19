// Keras's progress output as a callback (the training loop never prints):
//   Epoch 3/150
//   8/8 [==============================] - 0s 2ms/step - loss: 0.6558 - accuracy: 0.5782 - val_loss: 0.6045 - val_accuracy: 0.6224
// verbose 1 redraws the bar in place on a TTY (throttled) and prints one line per epoch otherwise; verbose 2 prints
// one summary line per epoch.

import { Callback, type Logs } from './callback.js';
import { platform } from '../platform/node.js';

export interface ProgbarOptions {
  /** 1: progress bar, 2: one line per epoch. */
  verbose?: number;
  /** Where to write (default process.stdout; console.log by lines in the browser). */
  stream?: { write(s: string): unknown; isTTY?: boolean; columns?: number };
  /** Minimum milliseconds between redraws on a TTY (default 50). */
  interval?: number;
  /** Called with the epoch losses at the end of training (e.g. a small text chart). */
  onTrainEndSummary?: (history: Record<string, number[]>) => string | null;
}

const BAR_WIDTH = 30;

export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e4) ? v.toExponential(4) : v.toFixed(4);
}

export function formatLogs(logs: Logs, skip: readonly string[] = ['batch', 'size']): string {
  return Object.entries(logs)
    .filter(([k]) => !skip.includes(k))
    .map(([k, v]) => ` - ${k}: ${formatValue(v)}`)
    .join('');
}

function perStep(seconds: number): string {
  if (seconds >= 1) return `${Math.round(seconds)}s/step`;
  if (seconds >= 1e-3) return `${Math.round(seconds * 1e3)}ms/step`;
  return `${Math.round(seconds * 1e6)}us/step`;
}

export class ProgbarLogger extends Callback {
  readonly verbose: number;
  private readonly stream: NonNullable<ProgbarOptions['stream']>;
  private readonly interval: number;
  private readonly tty: boolean;
  private epochStart = 0;
  private lastDraw = 0;
  private firstStepEnd = 0;
  private seen = 0;
  private epochs = 0;
  private losses: Record<string, number[]> = {};
  private readonly summary?: ProgbarOptions['onTrainEndSummary'];
  /** Learning rate last shown, to announce changes made by callbacks. */

  constructor(options: ProgbarOptions = {}) {
    super();
    this.verbose = options.verbose ?? 1;
    this.stream = options.stream ?? platform.stdout();
    this.interval = options.interval ?? 50;
    this.tty = Boolean(this.stream.isTTY);
    this.summary = options.onTrainEndSummary;
  }

  private write(s: string): void {
    this.stream.write(s);
  }

  override onTrainBegin(): void {
    this.epochs = this.params?.epochs ?? 0;
    this.losses = {};
  }

  override onEpochBegin(epoch: number): void {
    this.epochStart = performance.now();
    this.lastDraw = 0;
    this.seen = 0;
    this.firstStepEnd = 0;
    if (this.verbose === 1) this.write(`Epoch ${epoch + 1}/${this.epochs}\n`);
  }

  override onTrainBatchEnd(batch: number, logs: Logs = {}): void {
    this.seen = batch + 1;
    if (batch === 0) this.firstStepEnd = performance.now();
    if (this.verbose !== 1 || !this.tty) return;
    const now = performance.now();
    const steps = this.params?.steps ?? 0;
    if (now - this.lastDraw < this.interval && this.seen !== steps) return;
    this.lastDraw = now;
    this.write(`\r${this.line(this.seen, logs, false)}\x1b[K`);
  }

  private line(done: number, logs: Logs, final: boolean): string {
    const steps = final ? done : this.params?.steps || done;
    const width = String(steps).length;
    const filled = steps ? Math.floor((BAR_WIDTH * done) / steps) : BAR_WIDTH;
    const bar = done >= steps ? '='.repeat(BAR_WIDTH) : '='.repeat(Math.max(0, filled - 1)) + '>' + '.'.repeat(BAR_WIDTH - Math.max(filled, 1));
    const elapsed = (performance.now() - this.epochStart) / 1000;
    let timing: string;
    if (final) timing = `${Math.floor(elapsed)}s ${perStep(elapsed / Math.max(done, 1))}`;
    else {
      // ETA ignores the first step (compilation and warm-up), as Keras does.
      const rest = done > 1 ? (performance.now() - this.firstStepEnd) / 1000 / (done - 1) : elapsed / Math.max(done, 1);
      timing = `ETA: ${Math.round(rest * (steps - done))}s`;
    }
    return `${String(done).padStart(width)}/${steps} [${bar}] - ${timing}${formatLogs(logs)}`;
  }

  override onEpochEnd(_epoch: number, logs: Logs = {}): void {
    for (const [k, v] of Object.entries(logs)) (this.losses[k] ??= []).push(v);
    // The batches actually run: an epoch cut short by stopTraining ends as "3/3", as Keras 3 finalizes its bar.
    const steps = this.seen || this.params?.steps || 0;
    if (this.verbose === 1) {
      this.write(`${this.tty ? '\r' : ''}${this.line(steps, logs, true)}${this.tty ? '\x1b[K' : ''}\n`);
    } else if (this.verbose === 2) {
      const elapsed = (performance.now() - this.epochStart) / 1000;
      this.write(`Epoch ${_epoch + 1}/${this.epochs}\n${steps}/${steps} - ${Math.floor(elapsed)}s - ${perStep(elapsed / Math.max(steps, 1))}${formatLogs(logs)}\n`);
    }
  }

  override onTrainEnd(): void {
    if (this.verbose === 1 && this.tty && this.summary) {
      const text = this.summary(this.losses);
      if (text) this.write(text.endsWith('\n') ? text : text + '\n');
    }
  }
}
