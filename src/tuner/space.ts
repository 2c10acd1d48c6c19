// The search space: one JSON-serialisable spec per hyperparameter, and the maps between values and the unit cube.
//
// Unit mapping of one parameter (u in [0, 1]):
//   continuous float, linear:  v = min + u (max - min)
//   continuous float, log:     v = exp(ln min + u (ln max - ln min))
//   reverse_log:               v = max + min - exp(ln min + (1 - u)(ln max - ln min))   (dense near max)
//   finite grid of K values (choice, boolean, fixed, int or stepped float with linear sampling, log sampling with a
//   multiplicative step): value k <-> u = (k + 1/2) / K, so a uniform u picks every value with probability 1/K.
//   int without step under log / reverse_log: the continuous map, rounded to the nearest integer.
// A parameter is active when every condition (parent, values) holds: the parent is active and its value is one of values.

import type { HyperparameterValue, HyperparameterValues } from './trial.js';
import type { Rng } from '../tensor/random.js';

export type Sampling = 'linear' | 'log' | 'reverse_log';

/** "name exists only when parent's value is one of values" (Keras Tuner's conditional_scope). */
export interface Condition {
  parent: string;
  values: HyperparameterValue[];
}

interface SpecBase {
  name: string;
  conditions: Condition[];
}
export interface IntSpec extends SpecBase {
  type: 'int';
  min: number;
  max: number;
  /** Additive for linear sampling, a multiplicative factor (> 1) for log sampling; null = every integer. */
  step: number | null;
  sampling: Sampling;
  default: number;
}
export interface FloatSpec extends SpecBase {
  type: 'float';
  min: number;
  max: number;
  /** null = continuous (grid search then refuses the parameter). Multiplicative under log sampling. */
  step: number | null;
  sampling: Sampling;
  default: number;
}
export interface ChoiceSpec extends SpecBase {
  type: 'choice';
  values: HyperparameterValue[];
  default: HyperparameterValue;
}
export interface BooleanSpec extends SpecBase {
  type: 'boolean';
  default: boolean;
}
export interface FixedSpec extends SpecBase {
  type: 'fixed';
  default: HyperparameterValue;
}
export type ParamSpec = IntSpec | FloatSpec | ChoiceSpec | BooleanSpec | FixedSpec;

/** The serialisable description of a space, stored as StudyInfo.space. */
export interface SpaceDescription {
  format: 'descent.space/1';
  params: ParamSpec[];
  /** The objective's name (a metric such as 'val_accuracy' for search(), 'value' for optimize()); absent in studies stored before it was. */
  objective?: string;
}

/** The objective name stored with a study (StudyInfo.space.objective), or null when it has none. */
export function storedObjective(info: { space: unknown }): string | null {
  const s = info.space as Partial<SpaceDescription> | null;
  return s && s.format === 'descent.space/1' && typeof s.objective === 'string' ? s.objective : null;
}

const EPS = 1e-9;

/** A bad search-space definition (bad input): it stops the search instead of failing one trial. */
export class SearchSpaceError extends Error {
  override name = 'SearchSpaceError';
}

function fail(spec: { type: string; name: string }, msg: string): never {
  throw new SearchSpaceError(`hp.${spec.type}('${spec.name}'): ${msg}`);
}

/** Throws a clear error for an invalid definition. */
export function validateSpec(spec: ParamSpec): void {
  if (typeof spec.name !== 'string' || spec.name.length === 0) throw new SearchSpaceError(`hp.${spec.type}: the name must be a non-empty string.`);
  if (spec.type === 'int' || spec.type === 'float') {
    const { min, max, step, sampling } = spec;
    if (!Number.isFinite(min) || !Number.isFinite(max)) fail(spec, `min and max must be finite numbers, got min = ${min}, max = ${max}.`);
    if (min > max) fail(spec, `min (${min}) > max (${max}).`);
    if (!['linear', 'log', 'reverse_log'].includes(sampling)) fail(spec, `sampling must be 'linear', 'log' or 'reverse_log', got '${sampling}'.`);
    if (sampling !== 'linear' && min <= 0) fail(spec, `${sampling} sampling needs min > 0, got min = ${min}.`);
    if (spec.type === 'int' && (!Number.isInteger(min) || !Number.isInteger(max))) fail(spec, `min and max must be integers, got ${min} and ${max}.`);
    if (step !== null) {
      if (!(Number.isFinite(step) && step > 0)) fail(spec, `step must be a positive number, got ${step}.`);
      if (sampling === 'log' && step <= 1) fail(spec, `with log sampling the step is a multiplicative factor and must be > 1, got ${step}.`);
      if (spec.type === 'int' && sampling !== 'log' && !Number.isInteger(step)) fail(spec, `step must be an integer, got ${step}.`);
    }
    if (!(spec.default >= min - EPS && spec.default <= max + EPS)) fail(spec, `default ${spec.default} is outside [${min}, ${max}].`);
  } else if (spec.type === 'choice') {
    if (!Array.isArray(spec.values) || spec.values.length === 0) fail(spec, 'values must be a non-empty array.');
    for (const v of spec.values) {
      if (!['number', 'string', 'boolean'].includes(typeof v)) fail(spec, `values must be numbers, strings or booleans, got ${JSON.stringify(v)}.`);
    }
    if (new Set(spec.values).size !== spec.values.length) fail(spec, `values must be distinct, got ${JSON.stringify(spec.values)}.`);
    if (!spec.values.includes(spec.default)) fail(spec, `default ${JSON.stringify(spec.default)} is not one of ${JSON.stringify(spec.values)}.`);
  } else if (spec.type === 'fixed') {
    if (!['number', 'string', 'boolean'].includes(typeof spec.default)) fail(spec, `value must be a number, string or boolean, got ${JSON.stringify(spec.default)}.`);
  }
}

/** Canonical JSON of a definition, to compare two declarations of one name. */
export function specKey(spec: ParamSpec): string {
  const { name, type, conditions, ...rest } = spec as ParamSpec & Record<string, unknown>;
  const sorted = Object.keys(rest).sort().map((k) => [k, (rest as Record<string, unknown>)[k]]);
  return JSON.stringify([name, type, sorted, conditions]);
}

/** The finite list of values of a parameter, or null for a continuous float. Int ranges are listed in full. */
export function gridValues(spec: ParamSpec): HyperparameterValue[] | null {
  switch (spec.type) {
    case 'choice':
      return spec.values;
    case 'boolean':
      return [false, true];
    case 'fixed':
      return [spec.default];
    case 'int':
    case 'float': {
      if (spec.type === 'float' && spec.step === null) return null;
      const g = numericGrid(spec);
      return Array.from({ length: g.count }, (_, k) => g.at(k));
    }
  }
}

/** Round away float noise such as 0.30000000000000004. */
function clean(v: number): number {
  return Number(v.toPrecision(12));
}

/** Whether the parameter is sampled by grid index (see the header) rather than by the continuous map. */
function byIndex(spec: ParamSpec): boolean {
  if (spec.type === 'float') return spec.step !== null && spec.sampling !== 'reverse_log';
  if (spec.type === 'int') return spec.sampling === 'linear' || (spec.sampling === 'log' && spec.step !== null);
  return true;
}

function continuousFromUnit(min: number, max: number, sampling: Sampling, u: number): number {
  if (sampling === 'linear') return min + u * (max - min);
  const a = Math.log(min);
  const b = Math.log(max);
  if (sampling === 'log') return Math.exp(a + u * (b - a));
  return max + min - Math.exp(a + (1 - u) * (b - a));
}

function continuousToUnit(min: number, max: number, sampling: Sampling, v: number): number {
  if (max === min) return 0.5;
  if (sampling === 'linear') return (v - min) / (max - min);
  const a = Math.log(min);
  const b = Math.log(max);
  if (sampling === 'log') return (Math.log(v) - a) / (b - a);
  return 1 - (Math.log(max + min - v) - a) / (b - a);
}

const clamp01 = (u: number): number => (u < 0 ? 0 : u > 1 ? 1 : u);

/** A stepped numeric grid without listing it: count, k-th value, nearest index (ranges may be huge). */
function numericGrid(spec: IntSpec | FloatSpec): { count: number; at(k: number): number; index(v: number): number } {
  const round = (v: number): number => (spec.type === 'int' ? Math.round(v) : clean(v));
  if (spec.sampling === 'log' && spec.step !== null) {
    const ls = Math.log(spec.step);
    const count = Math.floor(Math.log(spec.max / spec.min) / ls + EPS) + 1;
    return { count, at: (k) => round(spec.min * spec.step! ** k), index: (v) => Math.round(Math.log(v / spec.min) / ls) };
  }
  const step = spec.step ?? 1;
  const count = Math.floor((spec.max - spec.min) / step + EPS) + 1;
  return { count, at: (k) => round(spec.min + k * step), index: (v) => Math.round((v - spec.min) / step) };
}

function clampIndex(k: number, n: number): number {
  return Math.min(n - 1, Math.max(0, k));
}

/** Value -> unit interval (see the header). */
export function toUnit(spec: ParamSpec, value: HyperparameterValue): number {
  if (spec.type === 'int' || spec.type === 'float') {
    if (byIndex(spec)) {
      const g = numericGrid(spec);
      return (clampIndex(g.index(value as number), g.count) + 0.5) / g.count;
    }
    return clamp01(continuousToUnit(spec.min, spec.max, spec.sampling, value as number));
  }
  const grid = gridValues(spec)!;
  const k = grid.indexOf(value);
  if (k < 0) throw new Error(`Value ${JSON.stringify(value)} is not one of ${spec.type} '${spec.name}''s values ${JSON.stringify(grid)}.`);
  return (k + 0.5) / grid.length;
}

/** Unit interval -> value (see the header). */
export function fromUnit(spec: ParamSpec, u: number): HyperparameterValue {
  u = clamp01(u);
  if (spec.type === 'int' || spec.type === 'float') {
    const g = spec.type === 'int' || spec.step !== null ? numericGrid(spec) : null;
    if (g && byIndex(spec)) return g.at(clampIndex(Math.floor(u * g.count), g.count));
    const v = continuousFromUnit(spec.min, spec.max, spec.sampling, u);
    if (!g) return Math.min(spec.max, Math.max(spec.min, v));
    // Snap to the nearest grid value, checking the two neighbours of the rounded index.
    const k = clampIndex(g.index(v), g.count);
    let best = g.at(k);
    for (const j of [k - 1, k + 1]) if (j >= 0 && j < g.count && Math.abs(g.at(j) - v) < Math.abs(best - v)) best = g.at(j);
    return best;
  }
  const grid = gridValues(spec)!;
  return grid[clampIndex(Math.floor(u * grid.length), grid.length)];
}

export function sampleValue(spec: ParamSpec, rng: Rng): HyperparameterValue {
  return fromUnit(spec, rng.next());
}

/** Whether every condition of spec holds for the given values (parents are checked recursively by their own presence). */
export function isActive(spec: ParamSpec, values: HyperparameterValues): boolean {
  return spec.conditions.every((c) => c.parent in values && c.values.includes(values[c.parent]));
}

/** Number of GP input dimensions of a parameter: choice one-hot, fixed none, the others one. */
export function encodedWidth(spec: ParamSpec): number {
  if (spec.type === 'fixed') return 0;
  if (spec.type === 'choice') return spec.values.length > 1 ? spec.values.length : 0;
  return 1;
}

/** Values -> point of the unit cube (one-hot for choices). Inactive parameters sit at their default's position. */
export function encode(params: readonly ParamSpec[], values: HyperparameterValues): number[] {
  const out: number[] = [];
  for (const p of params) {
    const w = encodedWidth(p);
    if (w === 0) continue;
    const v = p.name in values ? values[p.name] : undefined;
    if (p.type === 'choice') {
      for (const c of p.values) out.push(v === c ? 1 : 0);
    } else {
      out.push(v === undefined ? toUnit(p, p.default) : toUnit(p, v));
    }
  }
  return out;
}

/** Point of the unit cube -> values of the active parameters (choices take the arg-max of their one-hot block). */
export function decode(params: readonly ParamSpec[], x: readonly number[]): HyperparameterValues {
  const values: HyperparameterValues = {};
  let i = 0;
  for (const p of params) {
    const w = encodedWidth(p);
    const active = isActive(p, values);
    if (active) {
      if (p.type === 'fixed') values[p.name] = p.default;
      else if (p.type === 'choice') {
        if (w === 0) values[p.name] = p.values[0];
        else {
          let k = 0;
          for (let j = 1; j < w; j++) if (x[i + j] > x[i + k]) k = j;
          values[p.name] = p.values[k];
        }
      } else values[p.name] = fromUnit(p, x[i]);
    }
    i += w;
  }
  return values;
}

/** Random values of the active parameters, each drawn uniformly on its unit interval. */
export function sampleSpace(params: readonly ParamSpec[], rng: Rng): HyperparameterValues {
  const values: HyperparameterValues = {};
  for (const p of params) if (isActive(p, values)) values[p.name] = sampleValue(p, rng);
  return values;
}

/** Keys of the form 'tuner/...' are the runner's bookkeeping (e.g. Hyperband's epochs), not parameters. */
export function paramValues(values: HyperparameterValues): HyperparameterValues {
  const out: HyperparameterValues = {};
  for (const [k, v] of Object.entries(values)) if (!k.startsWith('tuner/')) out[k] = v;
  return out;
}

/** Stable key of a set of values, to detect duplicates. */
export function valuesKey(values: HyperparameterValues): string {
  const v = paramValues(values);
  return JSON.stringify(Object.keys(v).sort().map((k) => [k, v[k]]));
}

/** Every point of the grid, lazily, conditional parameters included only where active. */
export function* gridPoints(space: readonly ParamSpec[]): Generator<HyperparameterValues> {
  const lists = space.map((p) => {
    const values = gridValues(p);
    if (values === null) {
      throw new Error(`GridSearch: float '${p.name}' is continuous; give it a step (hp.float('${p.name}', min, max, { step })) or list values with hp.choice.`);
    }
    return values;
  });
  function* walk(i: number, values: HyperparameterValues): Generator<HyperparameterValues> {
    if (i === space.length) {
      yield { ...values };
      return;
    }
    if (!isActive(space[i], values)) {
      yield* walk(i + 1, values);
      return;
    }
    for (const v of lists[i] as HyperparameterValue[]) {
      values[space[i].name] = v;
      yield* walk(i + 1, values);
    }
    delete values[space[i].name];
  }
  yield* walk(0, {});
}
