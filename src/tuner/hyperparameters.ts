// HyperParameters: declare a parameter and get its value for the current trial, in one call (define-by-run, as
// Keras Tuner's hp.Int and Optuna's trial.suggest_int). The first declaration of a name registers its definition;
// a later declaration with a different definition is an error.
//
// Conditional parameters exist only when a parent has given values, written either as an option
//   hp.int('units3', 8, 64, { parent: 'numLayers', parentValues: [3, 4] })
// or as a scope (Keras Tuner's conditional_scope), which may nest:
//   hp.conditionalScope('model', ['mlp'], () => hp.int('units', 8, 64));
// An inactive parameter returns its default and is left out of hp.values.

import type { HyperparameterValue, HyperparameterValues } from './trial.js';
import { type Condition, type ParamSpec, type Sampling, type SpaceDescription, SearchSpaceError, isActive, specKey, validateSpec } from './space.js';

/** Options shared by every declaration. */
export interface ConditionOptions {
  /** The parameter exists only when `parent` takes one of `parentValues`. */
  parent?: string;
  parentValues?: HyperparameterValue | HyperparameterValue[];
}
export interface NumberOptions<T = number> extends ConditionOptions {
  /** Distance between values (linear), or factor between values (log). Default: 1 for int, continuous for float. */
  step?: number;
  /** 'linear' (default), 'log' (uniform in log space, min > 0) or 'reverse_log' (dense near max). */
  sampling?: Sampling;
  /** Value used when the tuner does not choose one (default min). */
  default?: T;
}
export interface ChoiceOptions<T> extends ConditionOptions {
  default?: T;
}

/** Chooses the value of a parameter a trial has not been given (define-by-run); returns the default when absent. */
export type ValueResolver = (spec: ParamSpec, values: HyperparameterValues) => HyperparameterValue;

export class HyperParameters {
  private readonly specs = new Map<string, ParamSpec>();
  private readonly current: HyperparameterValues;
  private readonly scopes: Condition[] = [];

  /**
   * @param options.space definitions already known (a SpaceDescription or specs), e.g. from a stored study
   * @param options.values values to return for those names (a trial's proposal)
   * @param options.resolver picks values for parameters without one (the tuner's sampler); default: the default value
   */
  constructor(options: { space?: SpaceDescription | readonly ParamSpec[]; values?: HyperparameterValues; resolver?: ValueResolver } = {}) {
    const specs = options.space ? (Array.isArray(options.space) ? options.space : (options.space as SpaceDescription).params) : [];
    for (const s of specs) this.specs.set(s.name, s);
    this.current = { ...(options.values ?? {}) };
    this.resolver = options.resolver ?? null;
  }
  private readonly resolver: ValueResolver | null;

  /** An integer in [min, max]. */
  int(name: string, min: number, max: number, options: NumberOptions = {}): number {
    return this.declare({ type: 'int', name, min, max, step: options.step ?? null, sampling: options.sampling ?? 'linear', default: options.default ?? min, conditions: this.conditionsOf('int', name, options) }) as number;
  }

  /** A float in [min, max]; continuous unless a step is given. */
  float(name: string, min: number, max: number, options: NumberOptions = {}): number {
    return this.declare({ type: 'float', name, min, max, step: options.step ?? null, sampling: options.sampling ?? 'linear', default: options.default ?? min, conditions: this.conditionsOf('float', name, options) }) as number;
  }

  /** One of the given values (numbers, strings or booleans). */
  choice<T extends HyperparameterValue>(name: string, values: readonly T[], options: ChoiceOptions<T> = {}): T {
    if (!Array.isArray(values) || values.length === 0) throw new SearchSpaceError(`hp.choice('${name}'): values must be a non-empty array.`);
    return this.declare({ type: 'choice', name, values: [...values], default: options.default ?? values[0], conditions: this.conditionsOf('choice', name, options) }) as T;
  }

  boolean(name: string, options: ChoiceOptions<boolean> = {}): boolean {
    return this.declare({ type: 'boolean', name, default: options.default ?? false, conditions: this.conditionsOf('boolean', name, options) }) as boolean;
  }

  /** A constant, recorded with the trial but never tuned. */
  fixed<T extends HyperparameterValue>(name: string, value: T, options: ConditionOptions = {}): T {
    return this.declare({ type: 'fixed', name, default: value, conditions: this.conditionsOf('fixed', name, options) }) as T;
  }

  /** Declarations made inside fn exist only when parent takes one of parentValues (scopes nest). */
  conditionalScope<R>(parent: string, parentValues: HyperparameterValue | HyperparameterValue[], fn: () => R): R {
    if (!this.specs.has(parent)) throw new SearchSpaceError(`hp.conditionalScope('${parent}'): the parent '${parent}' is not declared; declare it before its scope.`);
    this.scopes.push({ parent, values: Array.isArray(parentValues) ? [...parentValues] : [parentValues] });
    try {
      return fn();
    } finally {
      this.scopes.pop();
    }
  }

  /** The value of a declared parameter (its default when inactive). */
  get(name: string): HyperparameterValue {
    if (name in this.current && (!this.specs.has(name) || isActive(this.specs.get(name)!, this.current))) return this.current[name];
    const spec = this.specs.get(name);
    if (!spec) throw new Error(`HyperParameters.get('${name}'): no parameter '${name}'; known: ${[...this.specs.keys()].join(', ') || '(none)'}.`);
    return spec.default;
  }

  /** Whether a declared parameter is active given its parents' values. */
  isActive(name: string): boolean {
    const spec = this.specs.get(name);
    return spec !== undefined && isActive(spec, this.current);
  }

  /** The values of the active parameters (plus 'tuner/...' bookkeeping values such as Hyperband's epochs). */
  get values(): HyperparameterValues {
    const out: HyperparameterValues = {};
    for (const [k, v] of Object.entries(this.current)) {
      const spec = this.specs.get(k);
      if (!spec || isActive(spec, this.current)) out[k] = v;
    }
    return out;
  }

  /** The definitions declared so far, in declaration order. */
  get space(): ParamSpec[] {
    return [...this.specs.values()];
  }

  /** The serialisable description of the space (StudyInfo.space). */
  toJSON(): SpaceDescription {
    return { format: 'descent.space/1', params: this.space };
  }

  static fromJSON(desc: SpaceDescription, values?: HyperparameterValues): HyperParameters {
    if (!desc || desc.format !== 'descent.space/1' || !Array.isArray(desc.params)) throw new Error('HyperParameters.fromJSON: not a descent.space/1 description.');
    return new HyperParameters({ space: desc, values });
  }

  private conditionsOf(type: string, name: string, options: ConditionOptions): Condition[] {
    const conditions = [...this.scopes];
    if (options.parent !== undefined) {
      if (options.parentValues === undefined) throw new SearchSpaceError(`hp.${type}('${name}'): parent '${options.parent}' needs parentValues.`);
      const values = Array.isArray(options.parentValues) ? [...options.parentValues] : [options.parentValues];
      if (values.length === 0) throw new SearchSpaceError(`hp.${type}('${name}'): parentValues must not be empty.`);
      conditions.push({ parent: options.parent, values });
    }
    for (const c of conditions) {
      if (c.parent === name) throw new SearchSpaceError(`hp.${type}('${name}'): a parameter cannot be its own parent.`);
      if (!this.specs.has(c.parent)) throw new SearchSpaceError(`hp.${type}('${name}'): the parent '${c.parent}' is not declared; declare it before '${name}'.`);
    }
    return conditions;
  }

  private declare(spec: ParamSpec): HyperparameterValue {
    validateSpec(spec);
    const known = this.specs.get(spec.name);
    if (known && specKey(known) !== specKey(spec)) {
      throw new SearchSpaceError(`hp.${spec.type}('${spec.name}'): '${spec.name}' is already declared with a different definition: ${describe(known)}; now ${describe(spec)}.`);
    }
    if (!known) this.specs.set(spec.name, spec);
    if (!isActive(spec, this.current)) return spec.default;
    if (!(spec.name in this.current)) this.current[spec.name] = this.resolver ? this.resolver(spec, this.current) : spec.default;
    return this.current[spec.name];
  }
}

function describe(spec: ParamSpec): string {
  const { name: _n, ...rest } = spec;
  return JSON.stringify(rest);
}
