// CSV files to tensors, streamed with csv-parse (never the whole text in memory).
// Two passes over the file: the first fits the encoders (column kinds, one-hot categories, target classes,
// imputation values), the second encodes rows into a preallocated Float32Array. The encoders are plain
// JSON, saved with a model, so that test and prediction files get exactly the same transform.
//
// Rules (documented in docs/data-and-saving.md):
//   numeric cell    /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/ after trimming
//   missing cell    '', NA, N/A, NaN, nan, null, NULL, None, ? (option missingValues)
//   header 'auto'   a string target names a header cell; otherwise a first row with no numeric cell is a header
//   categorical     'auto': a feature column where most non-missing cells are non-numeric; categories sorted
//   task            non-numeric target: 2 classes binary, more multiclass; numeric target: 2 distinct values
//                   binary, 3..20 distinct integers multiclass, anything else regression (option task overrides)

import { Tensor } from '../tensor/tensor.js';
import { RowError, checkFile, lineOf, readRecords, sniffDelimiter, withLines } from './csv-reader.js';

export type Task = 'binary' | 'multiclass' | 'regression';
export type MissingStrategy = 'error' | 'mean' | 'median' | 'most_frequent' | 'drop';

export interface CsvOptions {
  /** Target column: a header name, or a 0-based column index. */
  target: string | number;
  /** Feature columns (names or indices); default every column but the target. */
  features?: (string | number)[];
  /** Columns to one-hot encode; 'auto' (default) picks columns whose values are mostly non-numeric. */
  categorical?: 'auto' | (string | number)[];
  /** Whether the first row names the columns; default 'auto' (see the rules above). */
  header?: 'auto' | boolean;
  /** Field delimiter; default sniffed from the first line among , ; tab and |. */
  delimiter?: string;
  /** What to do with missing cells: 'error' (default), impute 'mean' | 'median' | 'most_frequent', or 'drop' the row. */
  missing?: MissingStrategy;
  /** Cell texts that count as missing; default ['', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL', 'None', '?']. */
  missingValues?: string[];
  /** Override the task inferred from the target column. */
  task?: Task;
  /** Multiclass targets as one-hot rows [n, k] instead of class indices [n] (default false). */
  oneHot?: boolean;
}

export type ColumnEncoder =
  | { name: string; kind: 'numeric'; fill?: number }
  | { name: string; kind: 'categorical'; categories: string[]; fill?: string; raw?: boolean };

export interface TargetEncoder {
  name: string;
  task: Task;
  /** Class labels as they appear in the file; y holds indices into this list (binary: 0/1). */
  classes?: string[];
  oneHot?: boolean;
}

/** Everything needed to encode another file the same way (JSON-serializable; saved with a model). */
export interface CsvEncoders {
  header: boolean;
  delimiter: string;
  /** Every column of the training file, in file order. */
  columns: string[];
  features: ColumnEncoder[];
  target: TargetEncoder;
  missing: MissingStrategy;
  missingValues: string[];
}

export interface CsvData {
  /** Features [n, d]: numeric columns as is, categorical columns one-hot. */
  x: Tensor;
  /** Targets: [n, 1] for binary (0/1) and regression, [n] class indices (or [n, k] one-hot) for multiclass. */
  y: Tensor;
  featureNames: string[];
  targetName: string;
  classes?: string[];
  task: Task;
  encoders: CsvEncoders;
  /** Data rows read (after dropping rows with missing cells under missing: 'drop'). */
  rows: number;
  /** 0-based indices of the data rows dropped under missing: 'drop'. */
  dropped: number[];
}

const DEFAULT_MISSING = ['', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL', 'None', '?'];
const NUMERIC = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const MAX_CLASSES_INFERRED = 20;
const MAX_TRACKED_VALUES = 10000;

const isNumeric = (s: string): boolean => NUMERIC.test(s);
/** Numbers compare by value ('1.0' and '1' are one category); texts as written. */
const canonical = (s: string): string => (isNumeric(s) ? String(Number(s)) : s);

/** Load a CSV file into feature and target tensors (two streaming passes). */
export async function loadCsv(path: string, options: CsvOptions): Promise<CsvData> {
  const { encoders, rows } = await fitCsvEncoders(path, options);
  const { x, y, dropped } = await encodeCsv(path, encoders, rows, true);
  return {
    x,
    dropped,
    y: y!,
    featureNames: featureNames(encoders),
    targetName: encoders.target.name,
    classes: encoders.target.classes,
    task: encoders.target.task,
    encoders,
    rows: x.shape[0],
  };
}

/**
 * Encode another file (test data, data to predict) with encoders fitted by loadCsv.
 * The target column may be absent (y is then undefined); unknown categories are errors.
 */
export async function transformCsv(path: string, encoders: CsvEncoders): Promise<{ x: Tensor; y?: Tensor; rows: number; dropped: number[] }> {
  const { x, y, dropped } = await encodeCsv(path, encoders, undefined, false);
  return { x, y, rows: x.shape[0], dropped };
}

/** Names of the columns of x: numeric columns by name, one-hot columns as 'name=category'. */
export function featureNames(encoders: CsvEncoders): string[] {
  return encoders.features.flatMap((f) => (f.kind === 'numeric' ? [f.name] : f.categories.map((c) => `${f.name}=${c}`)));
}

/** Width of an encoded feature row. */
export function featureCount(encoders: CsvEncoders): number {
  return encoders.features.reduce((s, f) => s + (f.kind === 'numeric' ? 1 : f.categories.length), 0);
}

function resolveColumn(ref: string | number, columns: string[], header: boolean, path: string, role: string): number {
  if (typeof ref === 'number') {
    if (!Number.isInteger(ref) || ref < 0 || ref >= columns.length) {
      throw new Error(`${role} column index ${ref} is out of range: ${path} has ${columns.length} columns (0..${columns.length - 1}).`);
    }
    return ref;
  }
  const i = columns.indexOf(ref);
  if (i < 0) {
    const list = header ? columns.map((c) => `'${c}'`).join(', ') : `0..${columns.length - 1} (the file has no header row; pass header: true or a column index)`;
    throw new Error(`Unknown ${role} column '${ref}' in ${path}. Columns: ${list}.`);
  }
  return i;
}

// ---------------------------------------------------------------- pass 1: fit

interface ColumnStats {
  numeric: number;
  nonNumeric: number;
  firstNonNumeric?: { rec: number; value: string };
  firstNumeric?: { rec: number; value: string };
  sum: number;
  values: number[] | null; // kept for the median
  counts: Map<string, number>; // distinct cell texts (numbers canonicalised), capped
}

const newStats = (keepValues: boolean): ColumnStats => ({ numeric: 0, nonNumeric: 0, sum: 0, values: keepValues ? [] : null, counts: new Map() });

/** First pass: column kinds, categories, target classes and imputation values. */
export async function fitCsvEncoders(path: string, options: CsvOptions): Promise<{ encoders: CsvEncoders; rows: number }> {
  if (options === undefined || options.target === undefined) throw new Error('loadCsv needs a target column: loadCsv(path, { target: "name" }).');
  const missing = options.missing ?? 'error';
  if (!['error', 'mean', 'median', 'most_frequent', 'drop'].includes(missing)) {
    throw new Error(`Unknown missing strategy '${missing}'. Use one of 'error', 'mean', 'median', 'most_frequent', 'drop'.`);
  }
  if (options.task !== undefined && !['binary', 'multiclass', 'regression'].includes(options.task)) {
    throw new Error(`Unknown task '${options.task}'. Use 'binary', 'multiclass' or 'regression'.`);
  }
  await checkFile(path);
  const delimiter = options.delimiter ?? (await sniffDelimiter(path));
  return withLines(path, delimiter, () => fitPass(path, options, delimiter, missing));
}

async function fitPass(path: string, options: CsvOptions, delimiter: string, missing: MissingStrategy): Promise<{ encoders: CsvEncoders; rows: number }> {
  const missingValues = options.missingValues ?? DEFAULT_MISSING;
  const isMissing = (s: string): boolean => missingValues.includes(s);

  let columns: string[] | null = null;
  let header = false;
  let targetIdx = -1;
  let used: number[] = [];
  let explicitCategorical = new Set<number>();
  let stats: ColumnStats[] = [];
  let rows = 0;

  for await (const { cells, rec } of readRecords(path, delimiter)) {
    if (columns === null) {
      header = decideHeader(cells, options, isMissing);
      columns = header ? cells.map((c, i) => c || `column_${i}`) : cells.map((_, i) => `column_${i}`);
      if (header && new Set(columns).size !== columns.length) {
        const dup = columns.find((c, i) => columns!.indexOf(c) !== i);
        throw new RowError(rec, `the header names column '${dup}' twice.`);
      }
      targetIdx = resolveColumn(options.target, columns, header, path, 'target');
      used = options.features
        ? options.features.map((f) => resolveColumn(f, columns!, header, path, 'feature'))
        : columns.map((_, i) => i).filter((i) => i !== targetIdx);
      if (used.includes(targetIdx)) throw new Error(`The target column '${columns[targetIdx]}' is also listed as a feature.`);
      if (used.length === 0) throw new Error(`${path} has no feature columns besides the target '${columns[targetIdx]}'.`);
      if (Array.isArray(options.categorical)) {
        explicitCategorical = new Set(options.categorical.map((c) => resolveColumn(c, columns!, header, path, 'categorical')));
      }
      stats = columns.map(() => newStats(missing === 'median'));
      if (header) continue;
    }
    if (cells.length !== columns.length) {
      throw new RowError(rec, `ragged row: ${cells.length} fields, expected ${columns.length}${header ? ' (as in the header)' : ' (as in the first row)'}.`);
    }
    const rowMissing = firstMissing(cells, used, targetIdx, isMissing);
    if (rowMissing >= 0) {
      if (missing === 'drop') continue;
      if (missing === 'error' || rowMissing === targetIdx) {
        const hint = rowMissing === targetIdx ? "rows with a missing target can only be dropped (missing: 'drop')" : "use missing: 'mean' | 'median' | 'most_frequent' | 'drop'";
        throw new RowError(rec, `column '${columns[rowMissing]}': missing value ('${cells[rowMissing]}'); ${hint}.`);
      }
    }
    rows++;
    for (const i of [...used, targetIdx]) {
      const cell = cells[i];
      if (isMissing(cell)) continue;
      const s = stats[i];
      const raw = i !== targetIdx && explicitCategorical.has(i);
      const numeric = !raw && isNumeric(cell);
      if (numeric) {
        const v = Number(cell);
        s.numeric++;
        s.sum += v;
        s.values?.push(v);
        s.firstNumeric ??= { rec, value: cell };
        countValue(s.counts, String(v));
      } else {
        s.nonNumeric++;
        s.firstNonNumeric ??= { rec, value: cell };
        countValue(s.counts, raw ? cell : canonical(cell));
      }
    }
  }
  if (columns === null) throw new Error(`CSV file ${path} is empty.`);
  if (rows === 0) {
    throw new Error(header ? `CSV file ${path} has a header row but no data rows${missing === 'drop' ? ' left after dropping rows with missing values' : ''}.` : `CSV file ${path} has no data rows left after dropping rows with missing values.`);
  }

  const features: ColumnEncoder[] = used.map((i) => {
    const s = stats[i];
    const name = columns![i];
    const categorical = explicitCategorical.has(i) || (options.categorical !== undefined && options.categorical !== 'auto' ? false : s.nonNumeric > s.numeric);
    if (!categorical) {
      if (s.nonNumeric > 0) {
        const at = s.firstNonNumeric!;
        throw new RowError(at.rec, `column '${name}': non-numeric value '${at.value}' in a numeric column (to one-hot encode the column, pass categorical: ['${name}']).`);
      }
      const enc: ColumnEncoder = { name, kind: 'numeric' };
      if (missing !== 'error' && missing !== 'drop') enc.fill = numericFill(s, missing, name, path);
      return enc;
    }
    if (s.counts.size >= MAX_TRACKED_VALUES) throw new Error(`Column '${name}' of ${path} has more than ${MAX_TRACKED_VALUES} distinct values; too many to one-hot encode.`);
    const enc: ColumnEncoder = { name, kind: 'categorical', categories: sortLabels([...s.counts.keys()]) };
    if (explicitCategorical.has(i)) enc.raw = true;
    if (missing !== 'error' && missing !== 'drop') enc.fill = mostFrequent(s.counts, name, path);
    return enc;
  });

  const target = fitTarget(stats[targetIdx], columns[targetIdx], options, path);
  return { encoders: { header, delimiter, columns, features, target, missing, missingValues }, rows };
}

function decideHeader(first: string[], options: CsvOptions, isMissing: (s: string) => boolean): boolean {
  if (typeof options.header === 'boolean') return options.header;
  if (typeof options.target === 'string') {
    if (first.includes(options.target)) return true;
    return !first.some(isNumeric);
  }
  return !first.some(isNumeric) && !first.every(isMissing);
}

function firstMissing(cells: string[], used: number[], target: number, isMissing: (s: string) => boolean): number {
  for (const i of used) if (isMissing(cells[i])) return i;
  return isMissing(cells[target]) ? target : -1;
}

function countValue(counts: Map<string, number>, key: string): void {
  const c = counts.get(key);
  if (c !== undefined) counts.set(key, c + 1);
  else if (counts.size < MAX_TRACKED_VALUES) counts.set(key, 1);
}

/** Labels sorted numerically when all are numbers, else by code unit (as sklearn's np.unique). */
function sortLabels(labels: string[]): string[] {
  return labels.every(isNumeric) ? labels.sort((a, b) => Number(a) - Number(b)) : labels.sort();
}

function mostFrequent(counts: Map<string, number>, name: string, path: string): string {
  if (counts.size === 0) throw new Error(`Column '${name}' of ${path} has no values to impute from (every cell is missing).`);
  let best: string | null = null;
  let bestCount = -1;
  // Ties go to the smallest label, as sklearn's SimpleImputer.
  for (const label of sortLabels([...counts.keys()])) {
    const c = counts.get(label)!;
    if (c > bestCount) {
      best = label;
      bestCount = c;
    }
  }
  return best!;
}

function numericFill(s: ColumnStats, strategy: MissingStrategy, name: string, path: string): number {
  if (s.numeric === 0) throw new Error(`Column '${name}' of ${path} has no values to impute from (every cell is missing).`);
  if (strategy === 'mean') return s.sum / s.numeric;
  if (strategy === 'median') {
    const v = Float64Array.from(s.values!).sort();
    const m = v.length >> 1;
    return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
  }
  return Number(mostFrequent(s.counts, name, path));
}

function fitTarget(s: ColumnStats, name: string, options: CsvOptions, path: string): TargetEncoder {
  const allNumeric = s.nonNumeric === 0;
  const labels = [...s.counts.keys()];
  const distinct = labels.length;
  let task = options.task;
  if (task === undefined) {
    if (!allNumeric) task = distinct === 2 ? 'binary' : 'multiclass';
    else if (distinct === 2) task = 'binary';
    else if (distinct <= MAX_CLASSES_INFERRED && labels.every((l) => Number.isInteger(Number(l)))) task = 'multiclass';
    else task = 'regression';
  }
  if (task === 'regression') {
    if (!allNumeric) {
      const at = s.firstNonNumeric!;
      throw new RowError(at.rec, `target column '${name}': non-numeric value '${at.value}' but the task is regression.`);
    }
    return { name, task };
  }
  if (distinct >= MAX_TRACKED_VALUES) throw new Error(`Target column '${name}' of ${path} has more than ${MAX_TRACKED_VALUES} distinct values; too many classes (is it a regression target? pass task: 'regression').`);
  if (distinct < 2) throw new Error(`Target column '${name}' of ${path} has a single value ('${labels[0]}'); a classifier needs at least two classes.`);
  if (task === 'binary' && distinct > 2) throw new Error(`Target column '${name}' of ${path} has ${distinct} classes, but the task is binary.`);
  const enc: TargetEncoder = { name, task, classes: sortLabels(labels) };
  if (task === 'multiclass' && options.oneHot) enc.oneHot = true;
  return enc;
}

// ---------------------------------------------------------------- pass 2: encode

/** Encodes one record into a feature row and a target; null when the row is dropped. */
export interface RowEncoder {
  width: number;
  hasTarget: boolean;
  /** Per-example target shape: [] (class index), [1] or [k] (one-hot). */
  targetShape: number[];
  encode(cells: string[], rec: number, xOut: Float32Array, xOffset: number, yOut: Float32Array | null, yOffset: number): boolean;
}

/** Build the row encoder for a file whose first record is `first` (a header or a data row). */
export function rowEncoder(path: string, encoders: CsvEncoders, first: string[]): { encoder: RowEncoder; skipFirst: boolean } {
  const { columns, header, target, features, missingValues } = encoders;
  const isMissing = (s: string): boolean => missingValues.includes(s);
  let index: (name: string) => number;
  let hasTarget: boolean;
  let fieldCount: number;
  if (header) {
    const names = first;
    index = (name) => names.indexOf(name);
    hasTarget = names.includes(target.name);
    fieldCount = names.length;
    for (const f of features) {
      if (!names.includes(f.name)) throw new Error(`${path} has no column '${f.name}' (the model was trained with it). Columns: ${names.map((c) => `'${c}'`).join(', ')}.`);
    }
  } else {
    // Without a header, columns are positions; the target column may be left out of prediction files.
    const t = columns.indexOf(target.name);
    hasTarget = first.length === columns.length;
    if (!hasTarget && first.length !== columns.length - 1) {
      throw new Error(`${path}:1: ${first.length} fields, expected ${columns.length} (or ${columns.length - 1} without the target column), as in the training data.`);
    }
    index = (name) => {
      const i = columns.indexOf(name);
      return hasTarget || i < t ? i : i - 1;
    };
    fieldCount = hasTarget ? columns.length : columns.length - 1;
  }
  const cols = features.map((f) => index(f.name));
  const catIndex = features.map((f) => (f.kind === 'categorical' ? new Map(f.categories.map((c, k) => [c, k])) : null));
  const widths = features.map((f) => (f.kind === 'numeric' ? 1 : f.categories.length));
  const width = widths.reduce((a, b) => a + b, 0);
  const t = hasTarget ? index(target.name) : -1;
  const classIndex = target.classes ? new Map(target.classes.map((c, k) => [c, k])) : null;
  const k = target.classes?.length ?? 1;
  const targetShape = target.task === 'multiclass' ? (target.oneHot ? [k] : []) : [1];
  const fail = (rec: number, col: string, msg: string): never => {
    throw new RowError(rec, `column '${col}': ${msg}`);
  };

  const encoder: RowEncoder = {
    width,
    hasTarget,
    targetShape,
    encode(cells, rec, xOut, xOffset, yOut, yOffset) {
      if (cells.length !== fieldCount) {
        throw new RowError(rec, `ragged row: ${cells.length} fields, expected ${fieldCount}.`);
      }
      if (encoders.missing === 'drop') {
        for (const c of cols) if (isMissing(cells[c])) return false;
        if (t >= 0 && isMissing(cells[t])) return false;
      }
      let o = xOffset;
      for (let j = 0; j < features.length; j++) {
        const f = features[j];
        let cell = cells[cols[j]];
        if (isMissing(cell)) {
          if (f.fill === undefined) fail(rec, f.name, `missing value ('${cell}'); use missing: 'mean' | 'median' | 'most_frequent' | 'drop'.`);
          cell = String(f.fill);
        }
        if (f.kind === 'numeric') {
          if (!isNumeric(cell)) fail(rec, f.name, `non-numeric value '${cell}' in a numeric column.`);
          xOut[o++] = Number(cell);
        } else {
          const key = f.raw ? cell : canonical(cell);
          const c = catIndex[j]!.get(key);
          if (c === undefined) fail(rec, f.name, `unknown category '${cell}' (known: ${f.categories.map((v) => `'${v}'`).join(', ')}).`);
          xOut.fill(0, o, o + widths[j]);
          xOut[o + c!] = 1;
          o += widths[j];
        }
      }
      if (yOut !== null && t >= 0) {
        const cell = cells[t];
        if (isMissing(cell)) fail(rec, target.name, `missing target value ('${cell}').`);
        if (classIndex === null) {
          if (!isNumeric(cell)) fail(rec, target.name, `non-numeric target value '${cell}' for regression.`);
          yOut[yOffset] = Number(cell);
        } else {
          const key = canonical(cell);
          const c = classIndex.get(key);
          if (c === undefined) fail(rec, target.name, `unknown class '${cell}' (known: ${target.classes!.map((v) => `'${v}'`).join(', ')}).`);
          if (target.oneHot) {
            yOut.fill(0, yOffset, yOffset + k);
            yOut[yOffset + c!] = 1;
          } else yOut[yOffset] = c!;
        }
      }
      return true;
    },
  };
  return { encoder, skipFirst: header };
}

/** Stream encoded rows of a file: one { x, y } per kept row (fresh arrays each time). */
export async function* csvExamples(path: string, encoders: CsvEncoders): AsyncGenerator<{ x: Float32Array; y: Float32Array | undefined }> {
  await checkFile(path);
  let enc: RowEncoder | null = null;
  try {
    for await (const { cells, rec } of readRecords(path, encoders.delimiter)) {
      if (enc === null) {
        const built = rowEncoder(path, encoders, cells);
        enc = built.encoder;
        if (built.skipFirst) continue;
      }
      const x = new Float32Array(enc.width);
      const y = enc.hasTarget ? new Float32Array(Math.max(1, enc.targetShape[0] ?? 1)) : null;
      if (enc.encode(cells, rec, x, 0, y, 0)) yield { x, y: y ?? undefined };
    }
  } catch (err) {
    if (err instanceof RowError) throw new Error(`${path}:${await lineOf(path, encoders.delimiter, err.rec)}: ${err.detail}`);
    throw err;
  }
}

/** `dropped`: 0-based data-row indices skipped under missing: 'drop' (so predictions can be matched to input rows). */
async function encodeCsv(path: string, encoders: CsvEncoders, knownRows: number | undefined, requireTarget: boolean): Promise<{ x: Tensor; y?: Tensor; dropped: number[] }> {
  await checkFile(path);
  return withLines(path, encoders.delimiter, () => encodePass(path, encoders, knownRows, requireTarget));
}

async function encodePass(path: string, encoders: CsvEncoders, knownRows: number | undefined, requireTarget: boolean): Promise<{ x: Tensor; y?: Tensor; dropped: number[] }> {
  const dropped: number[] = [];
  let dataRow = 0;
  let enc: RowEncoder | null = null;
  let cap = knownRows ?? 1024;
  let x = new Float32Array(0);
  let y: Float32Array | null = null;
  let yWidth = 1;
  let n = 0;
  for await (const { cells, rec } of readRecords(path, encoders.delimiter)) {
    if (enc === null) {
      const built = rowEncoder(path, encoders, cells);
      enc = built.encoder;
      if (requireTarget && !enc.hasTarget) throw new Error(`${path} has no target column '${encoders.target.name}'.`);
      yWidth = enc.targetShape[0] ?? 1;
      x = new Float32Array(cap * enc.width);
      y = enc.hasTarget ? new Float32Array(cap * yWidth) : null;
      if (built.skipFirst) continue;
    }
    if (n === cap) {
      // Unknown row count (transformCsv): grow geometrically.
      cap *= 2;
      const nx = new Float32Array(cap * enc.width);
      nx.set(x);
      x = nx;
      if (y) {
        const ny = new Float32Array(cap * yWidth);
        ny.set(y);
        y = ny;
      }
    }
    if (enc.encode(cells, rec, x, n * enc.width, y, n * yWidth)) n++;
    else dropped.push(dataRow);
    dataRow++;
  }
  if (enc === null) throw new Error(`CSV file ${path} is empty.`);
  if (n === 0) throw new Error(`CSV file ${path} has no data rows.`);
  const xt = new Tensor(x.slice(0, n * enc.width), [n, enc.width]);
  const yt = y ? new Tensor(y.slice(0, n * yWidth), [n, ...enc.targetShape]) : undefined;
  return { x: xt, y: yt, dropped };
}
