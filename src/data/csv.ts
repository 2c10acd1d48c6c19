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
//   index column    an unnamed first header cell (pandas' to_csv index) or 'Unnamed: 0' is the row index: left out
//   refused         auto-categorical columns with more than maxCategories (100) values: one-hot columns of names or
//                   dates do not carry over to new rows (drop them, or raise the limit); fewer dates get a note
//   numbers         must fit float32 (|x| <= 3.4028235e38); 1e39 is an error, not Infinity

import { Tensor } from '../tensor/tensor.js';
import { RowError, checkFile, lineOf, readRecords, sniffDelimiter, withLines, showCell, showList } from './csv-reader.js';

export type Task = 'binary' | 'multiclass' | 'regression';
export type MissingStrategy = 'error' | 'mean' | 'median' | 'most_frequent' | 'drop';

export interface CsvOptions {
  /** Target column: a header name, or a 0-based column index. */
  target: string | number;
  /** Feature columns (names or indices); default every column but the target (and an unnamed index column). */
  features?: (string | number)[];
  /** Columns to leave out (names or indices), e.g. an id or a date column; applied after `features`. */
  drop?: (string | number)[];
  /**
   * Most distinct values an automatically detected text column may have (default 100). Above it loadCsv refuses
   * (naming columns of dates as such) rather than one-hot encode hundreds of values that new rows will not share.
   * Columns listed in `categorical` are encoded whatever their count; Infinity turns the check off.
   */
  maxCategories?: number;
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
  /** Called while the file is read: pass 1 (fit) and 2 (encode), bytes read of the file's size. */
  onProgress?: (progress: { pass: 1 | 2; bytes: number; totalBytes: number }) => void;
  /** How error messages name options: as code (`missing: 'mean'`, the default) or as the descent command's flags ('cli'). */
  optionNames?: OptionNames;
}

/** How error messages name the options that fix a problem: loadCsv's (`missing: 'mean'`) or the CLI's (`--missing mean`). */
export type OptionNames = 'api' | 'cli';

/** Fixes named in error messages, in code or in the descent command's words. */
const HINT = {
  missing: { api: "missing: 'mean' | 'median' | 'most_frequent' | 'drop'", cli: '--missing mean|median|most_frequent|drop' },
  dropTarget: { api: "missing: 'drop' (or an imputing strategy, which drops rows whose target is missing)", cli: '--missing drop (or --missing mean|median|most_frequent, which drop rows whose target is missing)' },
  categorical: { api: (cols: string[]) => `categorical: [${cols.map((c) => `'${c}'`).join(', ')}]`, cli: (cols: string[]) => `--categorical ${cols.join(',')}` },
  drop: { api: (cols: string[]) => `drop: [${cols.map((c) => `'${c}'`).join(', ')}]`, cli: (cols: string[]) => `--drop ${cols.join(',')}` },
  maxCategories: { api: (n: number) => `maxCategories: ${n}`, cli: (n: number) => `--max-categories ${n}` },
  regression: { api: "task: 'regression'", cli: '--task regression' },
  features: { api: 'features', cli: '--features' },
  noHeader: { api: 'pass header: true or a column index', cli: 'give the target as a 0-based column index' },
} as const;

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
  /** 0-based indices of the data rows dropped: missing cells under missing: 'drop', or a missing target. */
  dropped: number[];
  /** Rows dropped because the target was missing (also counted in `dropped`). */
  missingTargetRows: number;
  /** The unnamed first column left out as pandas' row index, if any. */
  indexColumn?: string;
  /** What loadCsv did that the caller may want to tell the user (the index column, rows without a target). */
  notes: string[];
}

const DEFAULT_MISSING = ['', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL', 'None', '?'];
const NUMERIC = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const MAX_CLASSES_INFERRED = 20;
const MAX_TRACKED_VALUES = 10000;
const DEFAULT_MAX_CATEGORIES = 100;
/** Dates and times as people write them: 2012-01-01, 2012-01-01T10:00:00Z, 01/31/2012, 31.01.2012 10:00, 10:30. */
const DATE = /^(\d{4}-\d{1,2}-\d{1,2}([T ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?|\d{1,4}[/.]\d{1,2}[/.]\d{1,4}(\s+\d{1,2}:\d{2}(:\d{2})?\s*([AaPp][Mm])?)?|\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)$/;

const isNumeric = (s: string): boolean => NUMERIC.test(s);
/** Numbers compare by value ('1.0' and '1' are one category); texts as written. */
const canonical = (s: string): string => (isNumeric(s) ? String(Number(s)) : s);

/** Load a CSV file into feature and target tensors (two streaming passes). */
export async function loadCsv(path: string, options: CsvOptions): Promise<CsvData> {
  const fitted = await fitWithNotes(path, options);
  const { encoders, rows } = fitted;
  const progress = options.onProgress;
  const { x, y, dropped, missingTarget } = await encodeCsv(path, encoders, rows, { requireTarget: true, optionNames: options.optionNames, onBytes: progress && ((bytes, totalBytes) => progress({ pass: 2, bytes, totalBytes })) });
  const notes = [...fitted.notes];
  if (missingTarget > 0) notes.push(`Dropped ${missingTarget.toLocaleString('en-US')} row${missingTarget === 1 ? '' : 's'} whose target '${encoders.target.name}' is missing.`);
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
    missingTargetRows: missingTarget,
    indexColumn: fitted.indexColumn,
    notes,
  };
}

export interface TransformOptions {
  /** Leave the target column unread even when the file has it (y is then undefined): for predictions. */
  ignoreTarget?: boolean;
  /** Drop rows whose target is missing (counted in `missingTargetRows`) instead of failing: for evaluation. */
  dropMissingTarget?: boolean;
  /** How error messages name options (see CsvOptions.optionNames). */
  optionNames?: OptionNames;
}

/**
 * Encode another file (test data, data to predict) with encoders fitted by loadCsv.
 * The target column may be absent (y is then undefined); unknown categories are errors.
 */
export async function transformCsv(path: string, encoders: CsvEncoders, options: TransformOptions = {}): Promise<{ x: Tensor; y?: Tensor; rows: number; dropped: number[]; missingTargetRows: number }> {
  const { x, y, dropped, missingTarget } = await encodeCsv(path, encoders, undefined, { requireTarget: false, ...options });
  return { x, y, rows: x.shape[0], dropped, missingTargetRows: missingTarget };
}

/** Names of the columns of x: numeric columns by name, one-hot columns as 'name=category'. */
export function featureNames(encoders: CsvEncoders): string[] {
  return encoders.features.flatMap((f) => (f.kind === 'numeric' ? [f.name] : f.categories.map((c) => `${f.name}=${c}`)));
}

/** Width of an encoded feature row. */
export function featureCount(encoders: CsvEncoders): number {
  return encoders.features.reduce((s, f) => s + (f.kind === 'numeric' ? 1 : f.categories.length), 0);
}

function resolveColumn(ref: string | number, columns: string[], header: boolean, path: string, role: string, names: OptionNames = 'api'): number {
  if (typeof ref === 'number') {
    if (!Number.isInteger(ref) || ref < 0 || ref >= columns.length) {
      throw new Error(`${role} column index ${ref} is out of range: ${path} has ${columns.length} columns (0..${columns.length - 1}).`);
    }
    return ref;
  }
  const i = columns.indexOf(ref);
  if (i < 0) {
    const list = header ? showList(columns, 50) : `0..${columns.length - 1} (the file has no header row; ${HINT.noHeader[names]})`;
    throw new Error(`Unknown ${role} column ${showCell(ref)} in ${path}. Columns: ${list}.`);
  }
  return i;
}

/** Whether |v| fits float32 (1e39 would be stored as Infinity). */
const fitsFloat32 = (v: number): boolean => Number.isFinite(Math.fround(v));
const FLOAT32_RANGE = 'outside the float32 range (largest magnitude 3.4028235e38)';

// ---------------------------------------------------------------- pass 1: fit

interface ColumnStats {
  numeric: number;
  nonNumeric: number;
  /** Non-numeric cells that look like dates or times. */
  dates: number;
  /** First number too large for float32. */
  overflow?: { rec: number; value: string };
  firstNonNumeric?: { rec: number; value: string };
  firstNumeric?: { rec: number; value: string };
  sum: number;
  values: number[] | null; // kept for the median
  counts: Map<string, number>; // distinct cell texts (numbers canonicalised), capped
}

const newStats = (keepValues: boolean): ColumnStats => ({ numeric: 0, nonNumeric: 0, dates: 0, sum: 0, values: keepValues ? [] : null, counts: new Map() });

/** First pass: column kinds, categories, target classes and imputation values. */
export async function fitCsvEncoders(path: string, options: CsvOptions): Promise<{ encoders: CsvEncoders; rows: number }> {
  const { encoders, rows } = await fitWithNotes(path, options);
  return { encoders, rows };
}

interface Fitted {
  encoders: CsvEncoders;
  rows: number;
  notes: string[];
  indexColumn?: string;
}

async function fitWithNotes(path: string, options: CsvOptions): Promise<Fitted> {
  if (options === undefined || options.target === undefined) throw new Error('loadCsv needs a target column: loadCsv(path, { target: "name" }).');
  const missing = options.missing ?? 'error';
  if (!['error', 'mean', 'median', 'most_frequent', 'drop'].includes(missing)) {
    throw new Error(`Unknown missing strategy '${missing}'. Use one of 'error', 'mean', 'median', 'most_frequent', 'drop'.`);
  }
  if (options.task !== undefined && !['binary', 'multiclass', 'regression'].includes(options.task)) {
    throw new Error(`Unknown task '${options.task}'. Use 'binary', 'multiclass' or 'regression'.`);
  }
  const maxCategories = options.maxCategories ?? DEFAULT_MAX_CATEGORIES;
  if (!(maxCategories >= 1)) throw new Error(`maxCategories must be a number >= 1 (or Infinity), got ${options.maxCategories}.`);
  await checkFile(path);
  const delimiter = options.delimiter ?? (await sniffDelimiter(path));
  return withLines(path, delimiter, () => fitPass(path, options, delimiter, missing, maxCategories));
}

async function fitPass(path: string, options: CsvOptions, delimiter: string, missing: MissingStrategy, maxCategories: number): Promise<Fitted> {
  const missingValues = options.missingValues ?? DEFAULT_MISSING;
  const isMissing = (s: string): boolean => missingValues.includes(s);
  const names = options.optionNames ?? 'api';
  const progress = options.onProgress;
  const notes: string[] = [];
  let indexColumn: string | undefined;
  let missingTargetRows = 0;
  let firstMissingCell: { rec: number; column: number; value: string } | undefined;
  const missingError = (m: { rec: number; column: number; value: string }) => {
    const hint = m.column === targetIdx ? `the target is missing; use ${HINT.dropTarget[names]}` : `use ${HINT.missing[names]}`;
    return new RowError(m.rec, `column '${columns![m.column]}': missing value (${showCell(m.value)}); ${hint}.`);
  };

  let columns: string[] | null = null;
  let header = false;
  let targetIdx = -1;
  let used: number[] = [];
  let explicitCategorical = new Set<number>();
  let stats: ColumnStats[] = [];
  let rows = 0;

  const onBytes = progress && ((bytes: number, totalBytes: number) => progress({ pass: 1, bytes, totalBytes }));
  for await (const { cells, rec } of readRecords(path, delimiter, onBytes)) {
    if (columns === null) {
      header = decideHeader(cells, options, isMissing);
      columns = header ? columnNames(cells) : cells.map((_, i) => `column_${i}`);
      if (header && new Set(columns).size !== columns.length) {
        const dup = columns.find((c, i) => columns!.indexOf(c) !== i);
        throw new RowError(rec, `the header names column '${dup}' twice.`);
      }
      const resolve = (ref: string | number, role: string) => resolveColumn(ref, columns!, header, path, role, names);
      targetIdx = resolve(options.target, 'target');
      const dropped = new Set((options.drop ?? []).map((c) => resolve(c, 'drop')));
      if (dropped.has(targetIdx)) throw new Error(`The target column '${columns[targetIdx]}' is also listed in ${names === 'cli' ? '--drop' : 'drop'}.`);
      // pandas' to_csv() writes its row index as a first column with an empty name: an index, not a feature.
      const index = header && (cells[0] === '' || cells[0] === 'Unnamed: 0') && targetIdx !== 0 && !(options.features ?? []).some((f) => resolve(f, 'feature') === 0) ? 0 : -1;
      if (index === 0 && !dropped.has(0)) {
        indexColumn = columns[0];
        notes.push(`Left out the first column (unnamed in the header: a row index, as pandas writes it); to use it as a feature, list '${columns[0]}' in ${HINT.features[names]}.`);
      }
      used = options.features
        ? options.features.map((f) => resolve(f, 'feature'))
        : columns.map((_, i) => i).filter((i) => i !== targetIdx && i !== index);
      used = used.filter((i) => !dropped.has(i));
      if (used.includes(targetIdx)) throw new Error(`The target column '${columns[targetIdx]}' is also listed as a feature (${HINT.features[names]}).`);
      if (used.length === 0) throw new Error(`${path} has no feature columns besides the target '${columns[targetIdx]}'.`);
      if (Array.isArray(options.categorical)) {
        explicitCategorical = new Set(options.categorical.map((c) => resolve(c, 'categorical')));
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
      if (missing === 'error') {
        // Reported after the pass, so that problems with whole columns (which --drop may solve) come first.
        firstMissingCell ??= { rec, column: rowMissing, value: cells[rowMissing] };
      } else if (isMissing(cells[targetIdx])) {
        // Features are imputed, but a row without its answer cannot be learned from: dropped (and counted).
        missingTargetRows++;
        continue;
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
        if (!fitsFloat32(v)) s.overflow ??= { rec, value: cell };
        s.numeric++;
        s.sum += v;
        s.values?.push(v);
        s.firstNumeric ??= { rec, value: cell };
        countValue(s.counts, String(v));
      } else {
        s.nonNumeric++;
        if (DATE.test(cell)) s.dates++;
        s.firstNonNumeric ??= { rec, value: cell };
        countValue(s.counts, raw ? cell : canonical(cell));
      }
    }
  }
  if (columns === null) throw new Error(`CSV file ${path} is empty.`);
  if (rows === 0 && firstMissingCell) throw missingError(firstMissingCell);
  if (rows === 0) {
    const why = missing === 'drop' ? ' left after dropping rows with missing values' : missingTargetRows > 0 ? ' with a target value' : '';
    throw new Error(header ? `CSV file ${path} has a header row but no data rows${why}.` : `CSV file ${path} has no data rows${why || ' left after dropping rows with missing values'}.`);
  }

  const auto = options.categorical === undefined || options.categorical === 'auto';
  const isCategorical = (i: number) => explicitCategorical.has(i) || (auto && stats[i].nonNumeric > stats[i].numeric);
  const textColumns = used.filter(isCategorical).map((i) => columns![i]);
  // Whole columns first: text columns that would explode into inputs (named as dates when they are dates).
  const refused: { name: string; why: string; count: number }[] = [];
  for (const i of used) {
    const s = stats[i];
    if (!isCategorical(i) || explicitCategorical.has(i)) continue;
    const name = columns[i];
    const dates = s.dates > 0 && s.dates === s.nonNumeric;
    const distinct = s.counts.size >= MAX_TRACKED_VALUES ? `more than ${MAX_TRACKED_VALUES.toLocaleString('en-US')}` : s.counts.size.toLocaleString('en-US');
    const example = showCell(s.firstNonNumeric?.value ?? '');
    if (s.counts.size > maxCategories) {
      refused.push({ name, count: s.counts.size, why: `'${name}' ${dates ? 'holds dates or times' : 'is text'} with ${distinct} distinct values (${example}, ...)` });
    } else if (dates) {
      notes.push(`Column '${name}' holds dates or times (${distinct} distinct values, such as ${example}): one-hot encoded, so rows with other dates cannot be predicted; leave it out with ${HINT.drop[names]([name])} if that matters.`);
    }
  }
  if (refused.length > 0) {
    const most = Math.max(...refused.map((r) => r.count));
    throw new Error(
      `${path}: ${refused.length === 1 ? 'a text column has' : `${refused.length} text columns have`} more distinct values than ${HINT.maxCategories[names](maxCategories)} allows, too many to one-hot encode (new rows would not share them): ` +
        `${refused.map((r) => r.why).join('; ')}. Leave ${refused.length === 1 ? 'it' : 'them'} out with ${HINT.drop[names](refused.map((r) => r.name))} ` +
        `(or choose the inputs with ${HINT.features[names]}), or encode anyway with ${HINT.maxCategories[names](most)}.`,
    );
  }
  const features: ColumnEncoder[] = used.map((i) => {
    const s = stats[i];
    const name = columns![i];
    if (!isCategorical(i)) {
      if (s.nonNumeric > 0) {
        const at = s.firstNonNumeric!;
        throw new RowError(at.rec, `column '${name}': non-numeric value ${showCell(at.value)} in a numeric column (to one-hot encode the column, pass ${HINT.categorical[names]([...textColumns, name])}).`);
      }
      if (s.overflow) throw new RowError(s.overflow.rec, `column '${name}': value ${showCell(s.overflow.value)} is ${FLOAT32_RANGE}.`);
      const enc: ColumnEncoder = { name, kind: 'numeric' };
      if (missing !== 'error' && missing !== 'drop') enc.fill = numericFill(s, missing, name, path);
      return enc;
    }
    if (s.counts.size >= MAX_TRACKED_VALUES) throw new Error(`Column '${name}' of ${path} has more than ${MAX_TRACKED_VALUES} distinct values; too many to one-hot encode (leave it out with ${HINT.drop[names]([name])}).`);
    const enc: ColumnEncoder = { name, kind: 'categorical', categories: sortLabels([...s.counts.keys()]) };
    if (explicitCategorical.has(i)) enc.raw = true;
    if (missing !== 'error' && missing !== 'drop') enc.fill = mostFrequent(s.counts, name, path);
    return enc;
  });
  if (firstMissingCell) throw missingError(firstMissingCell);

  const target = fitTarget(stats[targetIdx], columns[targetIdx], options, path);
  if (target.task === 'regression' && stats[targetIdx].overflow) {
    throw new RowError(stats[targetIdx].overflow!.rec, `column '${columns[targetIdx]}': target value ${showCell(stats[targetIdx].overflow!.value)} is ${FLOAT32_RANGE}.`);
  }
  return { encoders: { header, delimiter, columns, features, target, missing, missingValues }, rows, notes, indexColumn };
}

/** Header cells as column names: an empty cell i is 'column_i'. */
function columnNames(cells: string[]): string[] {
  return cells.map((c, i) => c || `column_${i}`);
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
      throw new RowError(at.rec, `target column '${name}': non-numeric value ${showCell(at.value)} but the task is regression.`);
    }
    return { name, task };
  }
  if (distinct >= MAX_TRACKED_VALUES) throw new Error(`Target column '${name}' of ${path} has more than ${MAX_TRACKED_VALUES} distinct values; too many classes (is it a regression target? pass ${HINT.regression[options.optionNames ?? 'api']}).`);
  if (distinct < 2) throw new Error(`Target column '${name}' of ${path} has a single value (${showCell(labels[0])}); a classifier needs at least two classes.`);
  if (task === 'binary' && distinct > 2) throw new Error(`Target column '${name}' of ${path} has ${distinct} classes, but the task is binary.`);
  const enc: TargetEncoder = { name, task, classes: sortLabels(labels) };
  if (task === 'multiclass' && options.oneHot) enc.oneHot = true;
  return enc;
}

// ---------------------------------------------------------------- pass 2: encode

/** Encodes one record into a feature row and a target; false when the row is dropped. */
export interface RowEncoder {
  width: number;
  /** Whether targets are read (the file has the target column and it is not ignored). */
  hasTarget: boolean;
  /** Per-example target shape: [] (class index), [1] or [k] (one-hot). */
  targetShape: number[];
  /** Rows dropped so far because their target was missing. */
  missingTarget: number;
  encode(cells: string[], rec: number, xOut: Float32Array, xOffset: number, yOut: Float32Array | null, yOffset: number): boolean;
}

export interface RowEncoderOptions {
  ignoreTarget?: boolean;
  dropMissingTarget?: boolean;
  optionNames?: OptionNames;
}

/** Build the row encoder for a file whose first record is `first` (a header or a data row). */
export function rowEncoder(path: string, encoders: CsvEncoders, first: string[], options: RowEncoderOptions = {}): { encoder: RowEncoder; skipFirst: boolean } {
  const { columns, header, target, features, missingValues } = encoders;
  const names = options.optionNames ?? 'api';
  const isMissing = (s: string): boolean => missingValues.includes(s);
  let index: (name: string) => number;
  let fileHasTarget: boolean;
  let fieldCount: number;
  if (header) {
    const cols = columnNames(first);
    index = (name) => cols.indexOf(name);
    fileHasTarget = cols.includes(target.name);
    fieldCount = cols.length;
    for (const f of features) {
      if (!cols.includes(f.name)) throw new Error(`${path} has no column '${f.name}' (the model was trained with it). Columns: ${showList(cols, 50)}.`);
    }
  } else {
    // Without a header, columns are positions; the target column may be left out of prediction files.
    const t = columns.indexOf(target.name);
    fileHasTarget = first.length === columns.length;
    if (!fileHasTarget && first.length !== columns.length - 1) {
      throw new Error(`${path}:1: ${first.length} fields, expected ${columns.length} (or ${columns.length - 1} without the target column), as in the training data.`);
    }
    index = (name) => {
      const i = columns.indexOf(name);
      return fileHasTarget || i < t ? i : i - 1;
    };
    fieldCount = fileHasTarget ? columns.length : columns.length - 1;
  }
  const hasTarget = fileHasTarget && !options.ignoreTarget;
  // Rows without a target are dropped whenever missing cells are not errors (and always when evaluating).
  const dropMissingTarget = options.dropMissingTarget || encoders.missing !== 'error';
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
  const noFill = names === 'cli'
    ? `the model was trained with --missing error, so it has no value to fill in (train with ${HINT.missing.cli}, or fill the cell)`
    : `the encoders were fitted with missing: '${encoders.missing}', so there is no value to impute (fit them with ${HINT.missing.api}, or fill the cell)`;

  const encoder: RowEncoder = {
    width,
    hasTarget,
    targetShape,
    missingTarget: 0,
    encode(cells, rec, xOut, xOffset, yOut, yOffset) {
      if (cells.length !== fieldCount) {
        throw new RowError(rec, `ragged row: ${cells.length} fields, expected ${fieldCount}.`);
      }
      if (encoders.missing === 'drop') {
        for (const c of cols) if (isMissing(cells[c])) return false;
      }
      if (t >= 0 && isMissing(cells[t]) && yOut !== null) {
        if (!dropMissingTarget) fail(rec, target.name, `missing target value (${showCell(cells[t])}).`);
        encoder.missingTarget++;
        return false;
      }
      let o = xOffset;
      for (let j = 0; j < features.length; j++) {
        const f = features[j];
        let cell = cells[cols[j]];
        if (isMissing(cell)) {
          if (f.fill === undefined) fail(rec, f.name, `missing value (${showCell(cell)}); ${noFill}.`);
          cell = String(f.fill);
        }
        if (f.kind === 'numeric') {
          if (!isNumeric(cell)) fail(rec, f.name, `non-numeric value ${showCell(cell)} in a numeric column.`);
          const v = Number(cell);
          if (!fitsFloat32(v)) fail(rec, f.name, `value ${showCell(cell)} is ${FLOAT32_RANGE}.`);
          xOut[o++] = v;
        } else {
          const key = f.raw ? cell : canonical(cell);
          const c = catIndex[j]!.get(key);
          if (c === undefined) fail(rec, f.name, `unknown category ${showCell(cell)} (known: ${showList(f.categories)}).`);
          xOut.fill(0, o, o + widths[j]);
          xOut[o + c!] = 1;
          o += widths[j];
        }
      }
      if (yOut !== null && t >= 0) {
        const cell = cells[t];
        if (classIndex === null) {
          if (!isNumeric(cell)) fail(rec, target.name, `non-numeric target value ${showCell(cell)} for regression.`);
          const v = Number(cell);
          if (!fitsFloat32(v)) fail(rec, target.name, `target value ${showCell(cell)} is ${FLOAT32_RANGE}.`);
          yOut[yOffset] = v;
        } else {
          const key = canonical(cell);
          const c = classIndex.get(key);
          if (c === undefined) fail(rec, target.name, `unknown class ${showCell(cell)} (known: ${showList(target.classes!)}).`);
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

interface EncodeOptions extends RowEncoderOptions {
  requireTarget: boolean;
  onBytes?: (bytes: number, totalBytes: number) => void;
}

interface Encoded {
  x: Tensor;
  y?: Tensor;
  /** 0-based data-row indices skipped (missing cells under missing: 'drop', or a missing target). */
  dropped: number[];
  missingTarget: number;
}

async function encodeCsv(path: string, encoders: CsvEncoders, knownRows: number | undefined, options: EncodeOptions): Promise<Encoded> {
  await checkFile(path);
  return withLines(path, encoders.delimiter, () => encodePass(path, encoders, knownRows, options));
}

async function encodePass(path: string, encoders: CsvEncoders, knownRows: number | undefined, options: EncodeOptions): Promise<Encoded> {
  const dropped: number[] = [];
  let dataRow = 0;
  let enc: RowEncoder | null = null;
  let cap = Math.max(1, knownRows ?? 1024);
  let x = new Float32Array(0);
  let y: Float32Array | null = null;
  let yWidth = 1;
  let n = 0;
  for await (const { cells, rec } of readRecords(path, encoders.delimiter, options.onBytes)) {
    if (enc === null) {
      const built = rowEncoder(path, encoders, cells, options);
      enc = built.encoder;
      if (options.requireTarget && !enc.hasTarget) throw new Error(`${path} has no target column '${encoders.target.name}'.`);
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
  if (n === 0) throw new Error(`CSV file ${path} has no data rows${dataRow > 0 ? ` left after dropping ${dataRow} with missing values` : ''}.`);
  const xt = new Tensor(x.slice(0, n * enc.width), [n, enc.width]);
  const yt = y ? new Tensor(y.slice(0, n * yWidth), [n, ...enc.targetShape]) : undefined;
  return { x: xt, y: yt, dropped, missingTarget: enc.missingTarget };
}
