// CSVLogger (Keras keras.callbacks.CSVLogger): one row per epoch, `epoch` then the log keys sorted by name (plus the
// val_ columns, 'NA' until they appear, as Keras). Each row is appended with one write + fsync, so a crash leaves
// whole rows only; without `append` the file is replaced atomically (temp file + rename) at train begin.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { Callback, type Logs } from './callback.js';
import { writeFileAtomic, appendFileDurable } from '../io/atomic-file.js';
import { checkKeys } from '../schedules/schedule.js';

export interface CSVLoggerOptions {
  /** Column separator. Default ','. */
  separator?: string;
  /** Append to an existing file (header written only if the file is empty). Default false. */
  append?: boolean;
}

export class CSVLogger extends Callback {
  readonly filename: string;
  readonly separator: string;
  readonly append: boolean;
  private keys: string[] | null = null;
  private writeHeader = true;

  constructor(filename: string, options: CSVLoggerOptions = {}) {
    super();
    if (typeof filename !== 'string' || filename.length === 0) throw new Error('CSVLogger: `filename` must be a non-empty path.');
    checkKeys('CSVLogger', options, ['separator', 'append']);
    this.filename = filename;
    this.separator = options.separator ?? ',';
    if (this.separator.length !== 1 || /["\r\n]/.test(this.separator)) throw new Error(`CSVLogger: \`separator\` must be one character other than a quote or newline; received ${JSON.stringify(this.separator)}.`);
    this.append = options.append ?? false;
  }

  override onTrainBegin(): void {
    const dir = path.dirname(this.filename);
    if (!fs.existsSync(dir)) throw new Error(`CSVLogger: the directory of '${this.filename}' does not exist.`);
    this.keys = null;
    if (this.append && fs.existsSync(this.filename)) this.writeHeader = fs.statSync(this.filename).size === 0;
    else {
      this.writeHeader = true;
      writeFileAtomic(this.filename, '');
    }
  }

  private cell(v: unknown): string {
    const s = typeof v === 'number' ? String(v) : String(v ?? 'NA');
    return s.includes(this.separator) || /["\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  }

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    if (this.keys === null) {
      this.keys = Object.keys(logs).sort();
      if (!this.keys.some((k) => k.startsWith('val_'))) this.keys.push(...this.keys.map((k) => `val_${k}`));
    }
    let out = '';
    if (this.writeHeader) {
      out += ['epoch', ...this.keys].map((k) => this.cell(k)).join(this.separator) + '\r\n';
      this.writeHeader = false;
    }
    out += [epoch, ...this.keys.map((k) => logs[k] ?? 'NA')].map((v) => this.cell(v)).join(this.separator) + '\r\n';
    appendFileDurable(this.filename, out);
  }
}
