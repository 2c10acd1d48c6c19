// A model directory as `descent train` writes it: the model in TensorFlow.js's layers format (model.json + weight
// shards, by src/io) carrying the CSV encoders and the fitted scalers ('x' for features, 'y' for a standardized
// regression target), plus two files of the run:
//   history.json   Keras History of the training run (history, epoch, params, testMetrics)
//   report.html    learning curves (descent report <dir> writes it again)
// Any model saved with saveModel(model, dir, { encoders, scalers: { x } }) works with predict/evaluate too.

import { readJsonFile } from '../io/json-file.js';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve, relative, isAbsolute } from 'node:path';
import type { Sequential } from '../models/sequential.js';
import type { CsvEncoders, Task } from '../data/csv.js';
import type { Scaler } from '../data/scalers.js';
import { saveModel } from '../io/save.js';
import { loadModel } from '../io/load.js';
import { getModelMetadata } from '../io/metadata.js';

export const HISTORY_FILE = 'history.json';
export const REPORT_FILE = 'report.html';

/** How CSV rows become model inputs and predictions become answers. */
export interface Preprocessing {
  task: Task;
  target: string;
  classes?: string[];
  encoders: CsvEncoders;
  /** Feature scaler fitted on the training rows (none: features used as encoded). */
  x?: Scaler;
  /** Regression target scaler (predictions are mapped back with its inverse). */
  y?: Scaler;
}

export interface SavedHistory {
  history: Record<string, number[]>;
  epoch: number[];
  params?: unknown;
  testMetrics?: Record<string, number>;
  /** Unit of each metric (regression: the target's units), for the report's charts. */
  units?: Record<string, string>;
  /** The run in a few lines (data, model, test metrics): the report's summary, so `descent report` can redraw it. */
  summary?: string;
}

/**
 * Save the model with its preprocessing, the run's history and (optionally) its report as one atomic directory
 * write: a crash leaves the previous directory or the new one, never a model without its history.
 */
export async function saveModelDir(dir: string, model: Sequential, pre: Preprocessing, history: SavedHistory, reportHtml?: string): Promise<void> {
  const scalers: Record<string, Scaler> = {};
  if (pre.x) scalers.x = pre.x;
  if (pre.y) scalers.y = pre.y;
  const files: Record<string, string> = { [HISTORY_FILE]: JSON.stringify(history) + '\n' };
  if (reportHtml !== undefined) files[REPORT_FILE] = reportHtml;
  await saveModel(model, dir, { scalers, encoders: pre.encoders, files });
}

/**
 * saveModel replaces the whole directory, so --out must be new, empty, or a model directory holding only what
 * descent writes; and never the working directory, one of its parents, or a directory holding the input files.
 * Checked before any training starts.
 */
export function checkOutDir(dir: string, inputs: readonly string[]): void {
  const target = resolve(dir);
  const inside = (path: string) => {
    const rel = relative(target, resolve(path));
    return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
  };
  if (inside(process.cwd())) throw new Error(`--out ${dir} is the working directory or one of its parents; saving replaces that directory, so choose a new one (e.g. --out model).`);
  const input = inputs.find(inside);
  if (input) throw new Error(`--out ${dir} holds the input file ${input}; saving replaces the whole directory, so choose another one.`);
  if (!existsSync(target)) return;
  if (!statSync(target).isDirectory()) throw new Error(`--out ${dir} exists and is not a directory.`);
  // Also the temp files of a single-file write that was killed (older versions wrote history.json on its own).
  const own = (f: string) => f === 'model.json' || f === HISTORY_FILE || f === REPORT_FILE || /^group\d+-shard\d+of\d+\.bin$/.test(f) || /^\.(model\.json|history\.json|report\.html)\.\d+\.[0-9a-f]+\.tmp$/.test(f);
  const foreign = readdirSync(target).filter((f) => !own(f));
  if (foreign.length > 0) {
    throw new Error(`--out ${dir} already holds files that are not part of a saved model (${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', ...' : ''}); saving replaces the whole directory, so choose a new or empty one.`);
  }
}

export function checkModelDir(dir: string): void {
  if (!existsSync(dir)) throw new Error(`Model directory not found: ${dir}`);
  if (!statSync(dir).isDirectory()) throw new Error(`${dir} is not a directory; pass the directory that descent train --out wrote.`);
  if (!existsSync(join(dir, 'model.json'))) throw new Error(`${dir} has no model.json; is it a model directory written by descent train --out or saveModel()?`);
}

export async function loadModelDir(dir: string): Promise<Sequential> {
  checkModelDir(dir);
  return loadModel(dir);
}

/** The encoders and scalers saved with a model; an error if it has no encoders (saved without loadCsv's). */
export function preprocessingOf(model: Sequential, dir: string): Preprocessing {
  const md = getModelMetadata(model);
  const encoders = md?.encoders;
  if (!encoders) {
    throw new Error(`${dir} has no CSV encoders saved with the model, so the CLI cannot encode CSV columns for it (train with descent train, or save with saveModel(model, dir, { encoders: data.encoders, scalers: { x: scaler } })).`);
  }
  return { task: encoders.target.task, target: encoders.target.name, classes: encoders.target.classes, encoders, x: md.scalers.x, y: md.scalers.y };
}

export function readHistory(path: string): SavedHistory {
  let h = readJsonFile(path, 'History') as SavedHistory;
  // Keras users dump history.history itself: { "loss": [...], "val_loss": [...] }.
  const raw = h as unknown as Record<string, unknown>;
  if (raw && typeof raw === 'object' && !('history' in raw) && Object.keys(raw).length > 0 && Object.values(raw).every(Array.isArray)) {
    h = { history: raw as Record<string, number[]>, epoch: undefined as unknown as number[] };
  }
  if (!h || typeof h.history !== 'object' || h.history === null || Object.values(h.history).some((v) => !Array.isArray(v))) {
    throw new Error(`${path} is not a training history: expected { "history": { "loss": [...], ... } } or Keras's history.history { "loss": [...], ... }.`);
  }
  // NaN/Infinity are not JSON; they were written as null.
  for (const k of Object.keys(h.history)) h.history[k] = h.history[k].map((v) => (v === null ? NaN : v));
  if (!Array.isArray(h.epoch)) h.epoch = Array.from({ length: Math.max(0, ...Object.values(h.history).map((v) => v.length)) }, (_, i) => i);
  return h;
}
