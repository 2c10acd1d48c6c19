// The overall progress bar of `descent tune` across trials, driven by each trial's fit callbacks.

import { Callback } from '../callbacks/callback.js';
import type { Tuner } from '../tuner/tuner.js';
import type { TrialRecord } from '../tuner/trial.js';
import { resumePlan } from '../tuner/oracle.js';

/**
 * An overall progress bar across trials, driven by the fit callbacks of each trial:
 *   Trials 3/20 [=========>....................] - best val_loss 0.4123 (trial 2) - trial 4: epoch 5/20
 * On a TTY it redraws in place and prints a line per finished trial above it; otherwise it prints only the lines.
 */
export class TuneProgress extends Callback {
  private readonly shown = new Set<number>();
  private first = true;
  private lastDraw = 0;

  constructor(
    private readonly tuner: Tuner,
    private readonly objective: string,
    private readonly stream: { write(s: string): unknown; isTTY?: boolean } = process.stdout,
  ) {
    super();
  }

  private get total(): number | null {
    return this.tuner.maxTrials;
  }

  private bar(fraction: number, current: string): string {
    const done = resumePlan(this.tuner.trials).live.filter((t) => t.status !== 'running'); // an abandoned trial re-run counts once
    const total = this.total;
    const best = this.tuner.getBestTrials(1)[0];
    const bestText = best ? ` - best ${this.objective} ${Number((best.value as number).toPrecision(5))} (trial ${best.id})` : '';
    if (total === null) return `Trials ${done.length}${bestText}${current}`;
    const width = 30;
    const f = Math.min(1, (done.length + fraction) / total);
    const filled = Math.floor(f * width);
    const bar = '='.repeat(filled) + (filled < width ? '>' : '') + '.'.repeat(Math.max(0, width - filled - 1));
    return `Trials ${done.length}/${total} [${bar}]${bestText}${current}`;
  }

  /** Print lines for trials that finished since the last call (trials already done when we started: one line). */
  private flush(): void {
    const finished = this.tuner.trials.filter((t) => t.status !== 'running' && !this.shown.has(t.id));
    if (this.first) {
      this.first = false;
      if (finished.length > 0) {
        this.clear();
        this.stream.write(`Resuming study '${this.tuner.studyName}': ${finished.length} trials already finished.\n`);
        for (const t of finished) this.shown.add(t.id);
        return;
      }
    }
    for (const t of finished.sort((a, b) => a.id - b.id)) {
      this.shown.add(t.id);
      this.clear();
      this.stream.write(trialLine(t, this.shown.size, this.total, this.objective) + '\n');
    }
  }

  private clear(): void {
    if (this.stream.isTTY) this.stream.write('\r\x1b[K');
  }

  private draw(fraction: number, current: string, force = false): void {
    if (!this.stream.isTTY) return;
    const now = Date.now();
    if (!force && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    this.stream.write(`\r\x1b[K${this.bar(fraction, current)}`);
  }

  override onTrainBegin(): void {
    this.flush();
    this.draw(0, '', true);
  }

  override onEpochEnd(epoch: number): void {
    const epochs = this.params?.epochs ?? 1;
    this.draw(Math.min(1, (epoch + 1) / epochs), ` - current trial: epoch ${epoch + 1}/${epochs}`);
  }

  /** After the search: the remaining trial lines and the final bar. */
  end(): void {
    this.flush();
    if (this.stream.isTTY) this.stream.write(`\r\x1b[K${this.bar(0, '')}\n`);
  }
}

function trialLine(t: TrialRecord, done: number, total: number | null, objective: string): string {
  const hp = Object.entries(t.hyperparameters).filter(([k]) => !k.startsWith('tuner/'))
    .map(([k, v]) => `${k}=${typeof v === 'number' ? Number(v.toPrecision(4)) : v}`).join(' ');
  const value = t.value === null ? '' : ` ${objective}=${Number(t.value.toPrecision(5))}`;
  const time = t.finishedAt !== undefined ? ` in ${((t.finishedAt - t.startedAt) / 1000).toFixed(1)}s` : '';
  const err = t.status === 'failed' && t.error ? ` (${t.error.split('\n')[0].slice(0, 100)})` : '';
  return `[${done}${total !== null ? `/${total}` : ''}] trial ${t.id} ${t.status}${value}${time} - ${hp}${err}`;
}
