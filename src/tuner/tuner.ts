// The tuner runner: claims a trial from the study's storage (the oracle proposes inside the claim), evaluates it,
// records the outcome. Two ways to define a trial:
//   Optuna style      tuner.optimize((hp, trial) => number)       and ask()/tell() for evaluations run elsewhere;
//   Keras Tuner style new RandomSearch({ hypermodel: (hp) => compiledModel, objective: 'val_accuracy' })
//                     tuner.search(x, y, { epochs, validationSplit })   (calls model.fit, reads the objective).
// A trial's objective in search() is the best epoch value of the objective metric (as Keras Tuner), averaged over
// executionsPerTrial runs or crossValidation folds. Thrown errors and NaN/infinite values fail the trial and the
// search goes on; bad search-space definitions and a missing objective metric stop the search.

import { Callback, type Logs } from '../callbacks/callback.js';
import { Rng } from '../tensor/random.js';
import type { Direction, HyperparameterValue, HyperparameterValues, StudyStorage, TrialOutcome, TrialRecord } from './trial.js';
import { HyperParameters } from './hyperparameters.js';
import { type ParamSpec, type SpaceDescription, SearchSpaceError, gridValues, paramValues, sampleValue, validateSpec, valuesKey } from './space.js';
import { type Oracle, type TrialBudget, RETRY_KEY, completedByScore, resumePlan, score } from './oracle.js';
import type { Pruner } from './pruner.js';
import { formatSummary, meanStd } from './results.js';
import { type Rows, kFolds } from './folds.js';
import { BestEpoch, type WeightsCheckpoint, decodeCheckpoint, encodeCheckpoint, restoreWeights } from './checkpoint.js';
import { HEARTBEAT_INTERVAL_MS, STALE_AFTER_MS, type StorageOptions } from './storage/common.js';
import { platform } from '../platform/node.js';
import { keepAlive, runConcurrent } from './workers/concurrent.js';
import type { ThreadTarget } from './workers/index.js';

/** What search() needs of a model (structural, so any Keras-like model works; descent's Sequential does). */
export interface TunableModel {
  fit(x: unknown, y: unknown, options: Record<string, unknown>): Promise<{ history: Record<string, number[]> }>;
  stopTraining: boolean;
  getWeights?(): unknown[];
  setWeights?(weights: never): void;
}

export type HyperModel<M extends TunableModel = TunableModel> = (hp: HyperParameters) => M | Promise<M>;
export type Objective = (hp: HyperParameters, trial: Trial) => number | Promise<number>;

export interface TunerOptions<M extends TunableModel = TunableModel> {
  /** Keras Tuner style: builds and compiles a model from hp (used by search()). */
  hypermodel?: HyperModel<M>;
  /** Metric to optimise in search(), e.g. 'val_accuracy'; direction inferred from the name unless given. Default 'val_loss'. */
  objective?: string | { name: string; direction: Direction };
  /** Direction of optimize()/ask() values. Default 'minimize' (or the objective's direction). */
  direction?: Direction;
  /** Trials in the study (all statuses; a resumed study counts its old trials). Default 10; GridSearch: the whole grid; Hyperband: its schedule. */
  maxTrials?: number | null;
  /** Runs per trial, averaged (noisy objectives). Default 1. */
  executionsPerTrial?: number;
  /** search(): k-fold cross-validation of each trial on (x, y); the value is the mean over folds (executionsPerTrial is then not used). */
  crossValidation?: number;
  /** Same seed, same sequence of trials. Default random. */
  seed?: number;
  /** Parameters declared up front (Keras Tuner's `hyperparameters`); others are declared as the trial runs. */
  hyperparameters?: HyperParameters;
  /** Stops hopeless trials from their per-epoch values (e.g. new MedianPruner()). Default none. */
  pruner?: Pruner | null;
  /** Name of the stored study; re-running with the same name resumes it. Default: derived from the tuner, objective, code, seed and script. */
  studyName?: string;
  /** 'memory', a directory path, a postgresql:// URL or a StudyStorage. Default: a directory store (see storage/index.ts). */
  storage?: string | StudyStorage;
  /**
   * Options of the storage opened from a string `storage`: `staleAfterMs` (a running trial whose worker cannot be
   * checked directly is abandoned after this long without a heartbeat; default 60000) and, for PostgreSQL,
   * `retryForMs` (how long transient connection failures are retried; default 60000).
   */
  storageOptions?: StorageOptions;
  /**
   * Trials evaluated at the same time. Default 1. With `threads`, each runs in its own worker thread (CPU-bound
   * objectives use that many cores); without, they are interleaved async calls in this thread (for objectives that
   * await I/O, remote evaluations or child processes).
   */
  concurrency?: number;
  /**
   * Where worker threads find the trial's code when concurrency > 1: an ES module (path or file:// URL) and the
   * names of its exports, `objective` (hp, trial) => number for optimize() (default 'objective'), or `hypermodel`
   * (hp) => model plus `data` () => { x, y, ...searchOptions } for search(). Other options must be JSON (a
   * MedianPruner is rebuilt). Each thread imports the module, so keep the tuning script's own top level out of it.
   */
  threads?: ThreadTarget;
  /** Recorded with each trial this tuner claims (TrialRecord.worker). Default host:pid:random. */
  workerName?: string;
  /** 0 silent, 1 one line per trial (default). */
  verbose?: number;
  /** search(): trained models kept in memory for getBestModels() (the best so far). Default 3. */
  keepModels?: number;
}

export interface SearchOptions {
  epochs?: number;
  batchSize?: number;
  validationSplit?: number;
  validationData?: [unknown, unknown];
  callbacks?: Callback[];
  /** fit's verbosity. Default 0 (the tuner prints one line per trial). */
  verbose?: number;
  /** Any other fit option (shuffle, classWeight, ...) is passed through. */
  [option: string]: unknown;
}

export interface BestResult {
  value: number;
  hyperparameters: HyperparameterValues;
  trial: TrialRecord;
}

/** Throw from an objective (or let trial.report decide) to mark the trial pruned. */
export class TrialPruned extends Error {
  override name = 'TrialPruned';
}

/** A configuration error found while running a trial: it stops the search. */
class TunerConfigError extends Error {
  override name = 'TunerConfigError';
}

/** A running trial: its hyperparameters, its budget (Hyperband), and pruning hooks. */
export class Trial {
  readonly intermediate: { step: number; value: number }[] = [];
  /** Epochs to train to (Hyperband), else undefined. */
  readonly epochs?: number;
  /** Epoch to start from when continuing a trial (Hyperband), else 0. */
  readonly initialEpoch: number = 0;
  /** Set by ask(): stops the heartbeat that tell() ends. */
  stopHeartbeat?: () => void;

  constructor(
    private readonly tuner: Tuner<TunableModel>,
    readonly record: TrialRecord,
    readonly hyperparameters: HyperParameters,
  ) {
    const budget = tuner.oracle.budget?.(record.hyperparameters);
    if (budget) {
      this.epochs = budget.epochs;
      this.initialEpoch = budget.initialEpoch;
    }
  }

  get id(): number {
    return this.record.id;
  }

  /** Record the objective at a step (epoch); read by pruners. */
  async report(step: number, value: number): Promise<void> {
    const i = this.intermediate.findIndex((p) => p.step === step);
    if (i >= 0) this.intermediate.splice(i, 1);
    this.intermediate.push({ step, value });
    await this.tuner.reportIntermediate(this, step, value);
  }

  /** Whether the pruner would stop this trial now. */
  async shouldPrune(): Promise<boolean> {
    return this.tuner.shouldPrune(this);
  }
}

export class Tuner<M extends TunableModel = TunableModel> {
  readonly options: TunerOptions<M>;
  readonly seed: number;
  readonly executionsPerTrial: number;
  private readonly known = new Map<string, ParamSpec>();
  private storagePromise: Promise<StudyStorage> | null = null;
  private study: string | null = null;
  private readonly worker: string;
  private cache: TrialRecord[] = [];
  private models = new Map<number, M>();
  /** Checkpoints kept here when the storage cannot keep them (no saveCheckpoint, or weights that are not tensors). */
  private checkpoints = new Map<number, WeightsCheckpoint>();
  /** Why the last claim found nothing to run: the maxTrials budget or the oracle (space exhausted, schedule done). */
  private ended: 'maxTrials' | 'exhausted' | null = null;
  private lastSearch: { x: unknown; y: unknown; options: SearchOptions } | null = null;
  private explored = false;

  constructor(
    readonly oracle: Oracle,
    options: TunerOptions<M> = {},
    private readonly defaultMaxTrials: number | null = 10,
  ) {
    this.options = { ...options };
    const { maxTrials, executionsPerTrial, crossValidation, concurrency, seed, direction, keepModels } = options;
    if (maxTrials !== undefined && maxTrials !== null && !(Number.isInteger(maxTrials) && maxTrials >= 1)) throw new Error(`${this.constructor.name}: maxTrials must be an integer >= 1, got ${maxTrials}.`);
    if (executionsPerTrial !== undefined && !(Number.isInteger(executionsPerTrial) && executionsPerTrial >= 1)) throw new Error(`${this.constructor.name}: executionsPerTrial must be an integer >= 1, got ${executionsPerTrial}.`);
    if (crossValidation !== undefined && !(Number.isInteger(crossValidation) && crossValidation >= 2)) throw new Error(`${this.constructor.name}: crossValidation must be an integer >= 2 (folds), got ${crossValidation}.`);
    if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 1)) throw new Error(`${this.constructor.name}: concurrency must be an integer >= 1, got ${concurrency}.`);
    if (seed !== undefined && !Number.isFinite(seed)) throw new Error(`${this.constructor.name}: seed must be a number, got ${seed}.`);
    if (direction !== undefined && direction !== 'minimize' && direction !== 'maximize') throw new Error(`${this.constructor.name}: direction must be 'minimize' or 'maximize', got '${direction}'.`);
    if (keepModels !== undefined && !(Number.isInteger(keepModels) && keepModels >= 0)) throw new Error(`${this.constructor.name}: keepModels must be an integer >= 0, got ${keepModels}.`);
    checkThreads(this.constructor.name, options.threads);
    if (options.hypermodel !== undefined && typeof options.hypermodel !== 'function') throw new Error(`${this.constructor.name}: hypermodel must be a function (hp) => compiled model.`);
    this.seed = seed ?? (Math.random() * 2 ** 32) >>> 0;
    if (options.workerName !== undefined && (typeof options.workerName !== 'string' || options.workerName.length === 0)) throw new Error(`${this.constructor.name}: workerName must be a non-empty string, got ${JSON.stringify(options.workerName)}.`);
    this.worker = options.workerName ?? `${platform.hostname()}:${platform.pid()}:${Math.random().toString(36).slice(2, 8)}`;
    this.executionsPerTrial = executionsPerTrial ?? 1;
    this.objectiveName(); // validates the objective and its direction early
    void this.direction;
    for (const p of options.hyperparameters?.space ?? []) this.known.set(p.name, p);
  }

  /** The objective metric's name (search) and the study direction. */
  get direction(): Direction {
    const o = this.options.objective;
    if (typeof o === 'object' && o !== null) return o.direction;
    if (typeof o === 'string') return this.options.direction ?? inferDirection(o);
    return this.options.direction ?? 'minimize';
  }

  private objectiveName(): string {
    const o = this.options.objective;
    if (o === undefined) return 'val_loss';
    if (typeof o === 'string' && o.length > 0) return o;
    if (typeof o === 'object' && o !== null && typeof o.name === 'string' && (o.direction === 'minimize' || o.direction === 'maximize')) return o.name;
    throw new Error(`${this.constructor.name}: objective must be a metric name or { name, direction: 'minimize' | 'maximize' }, got ${JSON.stringify(o)}.`);
  }

  /** The objective's name as stored with the study and shown in results: the metric (search), else 'value'. */
  objectiveLabel(): string {
    return this.options.hypermodel || this.options.objective !== undefined ? this.objectiveName() : 'value';
  }

  get maxTrials(): number | null {
    return this.options.maxTrials === undefined ? this.defaultMaxTrials : this.options.maxTrials;
  }

  /** The parameters known so far (declared, explored, or met while running). */
  get space(): ParamSpec[] {
    return [...this.known.values()];
  }

  /** The trials as last read from storage (refresh with getTrials()). */
  get trials(): readonly TrialRecord[] {
    return this.cache;
  }

  get studyName(): string | null {
    return this.study;
  }

  async getTrials(): Promise<TrialRecord[]> {
    if (!this.study && this.options.studyName !== undefined) {
      // Reading a stored study (e.g. to get its best models in another process): no openStudy, which would create it.
      this.cache = await (await this.storage()).getTrials(this.options.studyName);
      this.study = this.options.studyName;
      this.learn(this.cache);
      return this.cache;
    }
    if (!this.study) return [];
    this.cache = await (await this.storage()).getTrials(this.study);
    return this.cache;
  }

  // ---------------------------------------------------------------- Optuna style

  /** Run trials of objective(hp, trial) until maxTrials (or the grid) is used up; returns the best trial. */
  async optimize(objective: Objective, options: { maxTrials?: number } = {}): Promise<BestResult> {
    if (typeof objective !== 'function') throw new Error(`${this.constructor.name}.optimize: objective must be a function (hp, trial) => number.`);
    if (options.maxTrials !== undefined) {
      if (!(Number.isInteger(options.maxTrials) && options.maxTrials >= 1)) throw new Error(`${this.constructor.name}.optimize: maxTrials must be an integer >= 1, got ${options.maxTrials}.`);
      this.options.maxTrials = options.maxTrials;
    }
    try {
      await this.openStudy(objective.toString());
      await this.runLoops((trial) => this.evaluateObjective(trial, objective), 'optimize');
    } finally {
      await this.close(); // a database pool must not keep the process alive
    }
    return this.best();
  }

  /** Start a trial whose evaluation happens elsewhere; finish it with tell(). Throws when the study is finished. */
  async ask(): Promise<Trial> {
    await this.openStudy('ask');
    for (let delay = 50; ; delay = Math.min(delay * 2, 2000)) {
      const claimed = await this.claim();
      if (claimed === null) throw new Error(`${this.constructor.name}.ask: study '${this.study}' is finished (${this.endReason()}).`);
      if (claimed !== 'wait') {
        // The evaluation happens elsewhere: keep the trial alive until tell(), so it is not taken for abandoned.
        claimed.stopHeartbeat = keepAlive(await this.storage(), this.study!, claimed.id, this.heartbeatMs());
        return claimed;
      }
      await sleep(delay);
    }
  }

  /** Finish an asked trial with its value (NaN fails it), an Error (failed) or 'pruned'. */
  async tell(trial: Trial, result: number | Error | 'pruned'): Promise<TrialRecord> {
    if (!(trial instanceof Trial)) throw new Error(`${this.constructor.name}.tell: expected a Trial from ask(), got ${typeof trial}.`);
    trial.stopHeartbeat?.();
    let outcome: TrialOutcome;
    if (result === 'pruned') outcome = { status: 'pruned', value: trial.intermediate.at(-1)?.value ?? null };
    else if (result instanceof Error) outcome = { status: 'failed', error: result.message };
    else if (typeof result === 'number' && Number.isFinite(result)) outcome = { status: 'complete', value: result };
    else outcome = { status: 'failed', error: `objective returned ${String(result)}` };
    return this.finish(trial, outcome);
  }

  // ---------------------------------------------------------------- Keras Tuner style

  /** Build, fit and score models for the trials of the study (Keras Tuner's tuner.search). */
  async search(x: unknown, y: unknown, options: SearchOptions = {}): Promise<this> {
    const hypermodel = this.options.hypermodel;
    if (!hypermodel) throw new Error(`${this.constructor.name}.search: no hypermodel; pass { hypermodel: (hp) => compiledModel } (or use optimize(objective)).`);
    const cv = this.options.crossValidation;
    if (cv !== undefined && (options.validationSplit !== undefined || options.validationData !== undefined)) {
      throw new Error(`${this.constructor.name}.search: crossValidation makes its own validation folds; drop validationSplit/validationData.`);
    }
    if (options.epochs !== undefined && !(Number.isInteger(options.epochs) && options.epochs >= 1)) throw new Error(`${this.constructor.name}.search: epochs must be an integer >= 1, got ${options.epochs}.`);
    const folds = cv !== undefined ? kFolds(x as Rows, y as Rows, cv) : null;
    this.lastSearch = { x, y, options };
    await this.explore(hypermodel);
    try {
      await this.openStudy(hypermodel.toString());
      await this.runLoops((trial) => this.evaluateModel(trial, hypermodel, x, y, options, folds), 'search');
    } finally {
      await this.close();
    }
    return this;
  }

  /** The best n trials' hyperparameters, best first (get(name), values). */
  getBestHyperparameters(n = 1): HyperParameters[] {
    return completedByScore(this.cache, this.direction).slice(0, n).map((t) => new HyperParameters({ space: this.space, values: paramValues(t.hyperparameters) }));
  }

  /** The best n trials, best first. */
  getBestTrials(n = 1): TrialRecord[] {
    return completedByScore(this.cache, this.direction).slice(0, n);
  }

  /**
   * The best n models, best first, each with the weights of its trial's best epoch (the epoch that gave the trial
   * its value, as Keras Tuner): kept from the search when still in memory, else built by the hypermodel and loaded
   * from the trial's checkpoint in the study, else retrained as in the last search() and restored to its best epoch.
   */
  async getBestModels(n = 1): Promise<M[]> {
    const out: M[] = [];
    for (const t of this.getBestTrials(n)) {
      const kept = this.models.get(t.id);
      if (kept) {
        out.push(kept);
        continue;
      }
      const name = this.constructor.name;
      if (!this.options.hypermodel) throw new Error(`${name}.getBestModels: trial ${t.id}'s model is not in memory and there is no hypermodel to rebuild it with.`);
      const hp = new HyperParameters({ space: this.space, values: paramValues(t.hyperparameters) });
      const model = await this.options.hypermodel(hp);
      const saved = await this.loadCheckpoint(t.id);
      if (saved) {
        restoreWeights(model, saved);
        out.push(model);
        continue;
      }
      if (!this.lastSearch) throw new Error(`${name}.getBestModels: trial ${t.id} has no checkpoint and its model is not in memory; run search() to retrain it.`);
      const { x, y, options } = this.lastSearch;
      const { callbacks = [], epochs, verbose, ...rest } = options;
      const best = new BestEpoch(this.objectiveName(), this.direction, model);
      await model.fit(x, y, { ...rest, epochs: this.oracle.budget?.(t.hyperparameters)?.epochs ?? epochs ?? 1, verbose: verbose ?? 0, callbacks: [...callbacks, best] });
      best.restore();
      out.push(model);
    }
    return out;
  }

  /** Print (and return) a table of the best `limit` trials with status, value (± std over folds/executions), time and values. */
  resultsSummary(limit = 10, print = true): string {
    const text = formatSummary(this.study ?? '(not started)', this.objectiveLabel(), this.direction, this.cache, limit);
    if (print) console.log(text);
    return text;
  }

  /** Print (and return) the known parameters, one line each (Keras Tuner's search_space_summary). */
  searchSpaceSummary(print = true): string {
    const lines = [`Search space summary: ${this.known.size} parameters`];
    for (const p of this.known.values()) {
      let def: string;
      if (p.type === 'int' || p.type === 'float') def = `[${p.min}, ${p.max}]${p.step !== null ? `, step ${p.step}` : ''}${p.sampling !== 'linear' ? `, ${p.sampling}` : ''}`;
      else if (p.type === 'choice') def = JSON.stringify(p.values);
      else if (p.type === 'fixed') def = `= ${JSON.stringify(p.default)}`;
      else def = '[false, true]';
      const when = p.conditions.map((c) => ` when ${c.parent} in ${JSON.stringify(c.values)}`).join(' and');
      lines.push(`${p.name} (${p.type}): ${def}, default ${JSON.stringify(p.default)}${when}`);
    }
    const text = lines.join('\n');
    if (print) console.log(text);
    return text;
  }

  // ---------------------------------------------------------------- internals (used by Trial)

  async reportIntermediate(trial: Trial, step: number, value: number): Promise<void> {
    await (await this.storage()).reportIntermediate(this.study!, trial.id, step, value);
  }

  async shouldPrune(trial: Trial): Promise<boolean> {
    const pruner = this.options.pruner;
    if (!pruner || trial.intermediate.length === 0) return false;
    const trials = await (await this.storage()).getTrials(this.study!);
    const self = { ...trial.record, intermediate: [...trial.intermediate].sort((a, b) => a.step - b.step) };
    return pruner.shouldPrune(self, trials, this.direction);
  }

  // ---------------------------------------------------------------- study and trial plumbing

  /** Close the storage this tuner opened from a string spec (a StudyStorage you passed stays open). */
  async close(): Promise<void> {
    const spec = this.options.storage;
    if (!this.storagePromise || (typeof spec === 'object' && spec !== null) || spec === 'memory' || spec === ':memory:') return;
    const storage = await this.storagePromise;
    this.storagePromise = null; // reopened on next use
    await storage.close();
  }

  /** Heartbeats renew a running trial's lease several times within staleAfterMs. */
  private heartbeatMs(): number {
    return Math.min(HEARTBEAT_INTERVAL_MS, (this.options.storageOptions?.staleAfterMs ?? STALE_AFTER_MS) / 4);
  }

  private storage(): Promise<StudyStorage> {
    this.storagePromise ??= platform.openStorage(this.options.storage, this.options.storageOptions);
    return this.storagePromise;
  }

  /** Open (or resume) the study once; the stored space is the one known now. */
  private async openStudy(code: string): Promise<void> {
    if (this.study) return;
    const storage = await this.storage();
    const name = this.options.studyName ?? this.defaultStudyName(code);
    const objective = this.objectiveLabel();
    const desc: SpaceDescription = { format: 'descent.space/1', params: this.space, objective };
    const existing = (await storage.listStudies()).find((s) => s.name === name);
    const stored = existing?.space as SpaceDescription | null | undefined;
    const ours = stored && stored.format === 'descent.space/1' && Array.isArray(stored.params);
    if (ours && stored.objective !== undefined && stored.objective !== objective) {
      throw new Error(`${this.constructor.name}: study '${name}' already exists with objective '${stored.objective}', requested '${objective}'; use another studyName or the same objective.`);
    }
    if (ours && stored.objective === undefined) delete desc.objective; // a study stored before objectives were
    if (this.known.size === 0) {
      // Nothing declared yet (define-by-run): adopt the stored study's definitions so that trials see them.
      if (ours) {
        await storage.openStudy(name, this.direction, stored);
        for (const p of stored.params) this.known.set(p.name, p);
        this.study = name;
        this.learn(await this.getTrials());
        return;
      }
    }
    await storage.openStudy(name, this.direction, desc);
    this.study = name;
    this.learn(await this.getTrials());
  }

  private defaultStudyName(code: string): string {
    // The script (argv[1]) too, so that two ask/tell scripts sharing the default store do not share a study.
    const parts = [this.oracle.name, this.direction, this.options.hypermodel ? this.objectiveName() : '', code, JSON.stringify(this.options.hyperparameters?.toJSON() ?? null), this.options.seed ?? '', platform.scriptPath()];
    return `${this.oracle.name}-${fnv1a(parts.join('\u0000')).toString(16).padStart(8, '0')}`;
  }

  /** Claim the next trial: the oracle proposes inside the storage's atomic claim. */
  private async claim(): Promise<Trial | 'wait' | null> {
    let waiting = false;
    const storage = await this.storage();
    const record = await storage.claimTrial(this.study!, this.worker, (trials) => {
      this.learn(trials); // definitions other trials declared while running (define-by-run, other workers, a past run)
      // An abandoned trial is re-run once, first; the oracle and maxTrials see the trials without the superseded ones.
      const { retry, live } = resumePlan(trials);
      if (retry) return { ...retry.hyperparameters, [RETRY_KEY]: retry.id };
      const max = this.maxTrials;
      if (max !== null && live.length >= max) {
        this.ended = 'maxTrials';
        return null;
      }
      const proposal = this.oracle.propose({ space: this.space, trials: live, direction: this.direction, rng: new Rng(mix(this.seed, live.length)) });
      if (proposal === 'wait') {
        waiting = true;
        return null;
      }
      if (proposal === null) this.ended = 'exhausted';
      return proposal;
    });
    if (!record) return waiting ? 'wait' : null;
    const rng = new Rng(mix(this.seed ^ 0x5bd1e995, record.id));
    const resolver = (spec: ParamSpec): HyperparameterValue => (this.oracle.sampleNew ? this.oracle.sampleNew(spec, rng) : sampleValue(spec, rng));
    const hp = new HyperParameters({ space: this.space, values: record.hyperparameters, resolver });
    return new Trial(this as unknown as Tuner<TunableModel>, record, hp);
  }

  /** Which of the two ended the study: its maxTrials budget, or the oracle (space exhausted, schedule complete). */
  endReason(): string {
    const done = resumePlan(this.cache).live.length;
    const ended = this.ended ?? (this.maxTrials !== null && done >= this.maxTrials ? 'maxTrials' : 'exhausted'); // (threads claimed)
    if (ended === 'maxTrials') return `maxTrials ${this.maxTrials} reached`;
    const space = this.oracle.budget ? 'the schedule is complete' : 'the search space is exhausted';
    return `${space} after ${done} trials${this.maxTrials !== null ? ` (maxTrials ${this.maxTrials} not reached)` : ''}`;
  }

  /** Record the outcome, learn parameters the trial declared, and print a line. */
  private async finish(trial: Trial, outcome: TrialOutcome): Promise<TrialRecord> {
    for (const p of trial.hyperparameters.space) if (!this.known.has(p.name)) this.known.set(p.name, p);
    const declared = trial.hyperparameters.space;
    if (declared.length > 0) outcome = { ...outcome, space: declared };
    const used = trial.hyperparameters.values;
    if (valuesKey(used) !== valuesKey(trial.record.hyperparameters) || Object.keys(used).length !== Object.keys(trial.record.hyperparameters).length) {
      outcome = { ...outcome, hyperparameters: used };
    }
    const storage = await this.storage();
    let record: TrialRecord;
    try {
      record = await storage.finishTrial(this.study!, trial.id, outcome);
    } catch (e) {
      // Another worker may have declared this trial abandoned (e.g. its heartbeat stalled behind a long synchronous
      // evaluation): keep the stored verdict and go on with the search.
      const stored = (await storage.getTrials(this.study!).catch(() => [] as TrialRecord[])).find((t) => t.id === trial.id);
      if (!stored || stored.status === 'running') throw e; // e.g. the storage gave up: its error says what was not stored
      if ((this.options.verbose ?? 1) > 0) console.warn(`trial ${trial.id} was already ${stored.status} (${stored.error ?? 'no error'}); its result is dropped`);
      record = stored;
    }
    this.cache = await storage.getTrials(this.study!);
    if ((this.options.verbose ?? 1) > 0) console.log(trialLine(record, resumePlan(this.cache).live.filter((t) => t.status !== 'running').length, this.maxTrials));
    return record;
  }

  /** Add the parameter definitions stored with trials (TrialRecord.space) that this tuner does not know yet. */
  private learn(trials: readonly TrialRecord[]): void {
    for (const t of trials) {
      if (!Array.isArray(t.space)) continue;
      for (const p of t.space as ParamSpec[]) {
        if (!p || typeof p.name !== 'string' || this.known.has(p.name)) continue;
        try {
          validateSpec(p);
        } catch {
          continue; // a definition this version cannot read: the trial that meets it declares it again
        }
        this.known.set(p.name, p);
      }
    }
  }

  /** Run `concurrency` claim-evaluate-finish loops until the study is finished (in worker threads when given `threads`). */
  private async runLoops(evaluate: (trial: Trial) => Promise<TrialOutcome>, kind: 'optimize' | 'search'): Promise<void> {
    const storage = await this.storage();
    const n = this.options.concurrency ?? 1;
    if (n > 1 && this.options.threads) {
      await this.runThreads(n, this.options.threads, kind, storage);
      return;
    }
    const delays = new Map<number, number>();
    await runConcurrent(this.options.concurrency ?? 1, async (slot) => {
      const trial = await this.claim();
      if (trial === null) return false;
      if (trial === 'wait') {
        const d = Math.min((delays.get(slot) ?? 25) * 2, 1000);
        delays.set(slot, d);
        await sleep(d);
        return true;
      }
      delays.delete(slot);
      const stop = keepAlive(storage, this.study!, trial.id, this.heartbeatMs());
      const studyParams = new Set(trial.hyperparameters.space.map((p) => p.name)); // known before the trial ran
      let outcome: TrialOutcome;
      let abort: unknown = null;
      try {
        outcome = await evaluate(trial);
      } catch (err) {
        let e = err;
        const redeclared = e instanceof SearchSpaceError ? /^hp\.\w+\('([^']*)'\): '[^']*' is already declared/.exec(e.message) : null;
        if (redeclared && studyParams.has(redeclared[1])) {
          e = new SearchSpaceError(`${(e as Error).message} The first definition is study '${this.study}''s (declared up front or stored with its trials); use another studyName to search a different space.`);
        }
        if (e instanceof TrialPruned) outcome = { status: 'pruned', value: trial.intermediate.at(-1)?.value ?? null };
        else {
          outcome = { status: 'failed', error: e instanceof Error ? e.message : String(e) };
          if (e instanceof SearchSpaceError || e instanceof TunerConfigError) abort = e;
        }
      } finally {
        stop();
      }
      await this.finish(trial, outcome);
      if (abort) throw abort;
      return true;
    });
    await this.getTrials();
    if ((this.options.verbose ?? 1) > 0 && this.ended) console.log(`study '${this.study}' finished: ${this.endReason()}`);
  }

  /** `n` worker threads run the same study (same tuner class, options and seed) against this tuner's storage. */
  private async runThreads(n: number, target: ThreadTarget, kind: 'optimize' | 'search', storage: StudyStorage): Promise<void> {
    const name = this.constructor.name;
    if (kind === 'search' && !(target.hypermodel && target.data)) {
      throw new Error(`${name}.search: threads needs the module's hypermodel and data exports ({ module, hypermodel: 'buildModel', data: 'loadData' }) to run search() in worker threads.`);
    }
    if (kind === 'optimize' && target.hypermodel) throw new Error(`${name}.optimize: threads names a hypermodel; name the objective export instead ({ module, objective: 'objective' }).`);
    // Loaded here: workers/ imports the tuner classes, which extend this one.
    const { runWorkerThreads, specForThreads, TUNER_CLASSES } = await platform.tunerThreads();
    if (TUNER_CLASSES[name] !== this.constructor) throw new Error(`${name}: worker threads rebuild the tuner by class name and know only ${Object.keys(TUNER_CLASSES).join(', ')}.`);
    const { hypermodel: _h, ...options } = this.options;
    const spec = specForThreads(name, { ...options, seed: this.seed, maxTrials: this.maxTrials }, this.study!, target);
    try {
      await runWorkerThreads({ threads: n, spec, storage, workerName: this.worker });
    } finally {
      this.learn(await this.getTrials());
    }
  }

  private async evaluateObjective(trial: Trial, objective: Objective): Promise<TrialOutcome> {
    const values: number[] = [];
    for (let e = 0; e < this.executionsPerTrial; e++) {
      const v = await objective(trial.hyperparameters, trial);
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`objective returned ${typeof v === 'number' ? String(v) : typeof v}, expected a finite number`);
      values.push(v);
    }
    return { status: 'complete', value: meanStd(values).mean, ...(values.length > 1 ? { values } : {}) };
  }

  private async evaluateModel(trial: Trial, hypermodel: HyperModel<M>, x: unknown, y: unknown, options: SearchOptions, folds: ReturnType<typeof kFolds> | null): Promise<TrialOutcome> {
    const name = this.objectiveName();
    const budget = this.oracle.budget?.(trial.record.hyperparameters) ?? null;
    const runs = folds ?? Array.from({ length: this.executionsPerTrial }, () => null);
    const values: number[] = [];
    let history: Record<string, number[]> | undefined;
    const { callbacks = [], epochs, verbose, ...rest } = options;
    // A continued trial (Hyperband) starts from its parent's best epoch, read from the parent's checkpoint.
    const parent = budget?.parent !== null && budget?.parent !== undefined ? await this.loadCheckpoint(budget.parent) : null;
    for (let i = 0; i < runs.length; i++) {
      const fold = runs[i];
      const model = await hypermodel(trial.hyperparameters);
      if (!model || typeof model.fit !== 'function') throw new TunerConfigError(`hypermodel must return a compiled model with fit(), got ${typeof model}.`);
      let initialEpoch = 0;
      if (parent && model.setWeights) {
        restoreWeights(model, parent);
        initialEpoch = budget!.initialEpoch;
      }
      const reporter = i === 0 ? new ObjectiveReporter(trial, name, model) : null;
      const best = new BestEpoch(name, this.direction, model);
      const fitOptions: Record<string, unknown> = {
        ...rest,
        epochs: budget?.epochs ?? epochs ?? 1,
        initialEpoch,
        verbose: verbose ?? 0,
        callbacks: [...callbacks, ...(reporter ? [reporter] : []), best],
        ...(fold ? { validationData: [fold.xVal, fold.yVal] } : {}),
      };
      const h = await model.fit(fold ? fold.xTrain : x, fold ? fold.yTrain : y, fitOptions);
      const series = h?.history?.[name];
      if (!Array.isArray(series)) {
        throw new TunerConfigError(`objective '${name}' is not in the training history (keys: ${Object.keys(h?.history ?? {}).join(', ') || 'none'})${name.startsWith('val_') ? '; pass validationSplit or validationData' : ''}.`);
      }
      history ??= h.history;
      if (reporter?.pruned) throw new TrialPruned(`pruned at epoch ${trial.intermediate.at(-1)?.step}`);
      const finite = series.filter((v) => Number.isFinite(v));
      if (finite.length === 0) throw new Error(`objective '${name}' was ${series.join(', ')} in every epoch`);
      values.push(finite.reduce((b, v) => (score(v, this.direction) < score(b, this.direction) ? v : b)));
      // The model handed back is the one that was scored: its best epoch's weights (Keras Tuner's SaveBestEpoch).
      const checkpoint = best.restore();
      if (i === runs.length - 1) {
        if (checkpoint) await this.saveCheckpoint(trial.id, checkpoint);
        this.keep(trial.id, model, meanStd(values).mean);
      }
    }
    return { status: 'complete', value: meanStd(values).mean, ...(values.length > 1 ? { values } : {}), ...(history ? { history } : {}) };
  }

  /** Store a trial's checkpoint with the study (or here, when the storage cannot keep one and a later trial may need it). */
  private async saveCheckpoint(id: number, checkpoint: WeightsCheckpoint): Promise<void> {
    const storage = await this.storage();
    const bytes = storage.saveCheckpoint ? encodeCheckpoint(checkpoint) : null;
    if (bytes) await storage.saveCheckpoint!(this.study!, id, bytes);
    else if (this.oracle.budget) this.checkpoints.set(id, checkpoint);
  }

  private async loadCheckpoint(id: number): Promise<WeightsCheckpoint | null> {
    const storage = await this.storage();
    const bytes = storage.loadCheckpoint ? await storage.loadCheckpoint(this.study!, id) : null;
    if (bytes) return decodeCheckpoint(bytes, `checkpoint of trial ${id} of study '${this.study}'`);
    return this.checkpoints.get(id) ?? null;
  }

  /** Keep the model if it is among the best keepModels so far. */
  private keep(id: number, model: M, value: number): void {
    const limit = this.options.keepModels ?? 3;
    if (limit === 0) return;
    this.models.set(id, model);
    const values = new Map(this.cache.filter((t) => t.status === 'complete' && t.value !== null).map((t) => [t.id, t.value as number]));
    values.set(id, value);
    const ranked = [...this.models.keys()].sort((a, b) => score(values.get(a) ?? Infinity, this.direction) - score(values.get(b) ?? Infinity, this.direction));
    for (const drop of ranked.slice(limit)) this.models.delete(drop);
  }

  /** Run the hypermodel with default values, then with each value of each parent, to discover conditional parameters. */
  private async explore(hypermodel: HyperModel<M>): Promise<void> {
    if (this.explored) return;
    this.explored = true;
    const tried = new Set<string>();
    const queue: HyperparameterValues[] = [{}];
    for (let builds = 0; queue.length > 0 && builds < 64; builds++) {
      const forced = queue.shift()!;
      const hp = new HyperParameters({ space: this.space, values: forced });
      try {
        await hypermodel(hp);
      } catch (e) {
        // A bad definition is the user's to fix now; any other build error shows up in the trial that meets it.
        if (e instanceof SearchSpaceError) throw e;
      }
      for (const p of hp.space) if (!this.known.has(p.name)) this.known.set(p.name, p);
      const parents = new Set(this.space.flatMap((p) => p.conditions.map((c) => c.parent)));
      for (const parent of parents) {
        const spec = this.known.get(parent);
        const values = spec ? gridValues(spec) : null;
        if (!values || values.length > 32) continue;
        for (const v of values) {
          const next = { ...forced, [parent]: v };
          const key = valuesKey(next);
          if (!tried.has(key)) {
            tried.add(key);
            queue.push(next);
          }
        }
      }
    }
  }

  private best(): BestResult {
    const [t] = completedByScore(this.cache, this.direction);
    if (!t) {
      const failed = this.cache.filter((r) => r.status === 'failed');
      throw new Error(`${this.constructor.name}: no trial of study '${this.study}' completed (${this.cache.length} trials, ${failed.length} failed${failed[0]?.error ? `; first error: ${failed[0].error}` : ''}).`);
    }
    return { value: t.value!, hyperparameters: paramValues(t.hyperparameters), trial: t };
  }
}

/** Reports the objective metric after each epoch and stops training when the pruner says so. */
class ObjectiveReporter extends Callback {
  pruned = false;
  constructor(private readonly trial: Trial, private readonly key: string, private readonly target: TunableModel) {
    super();
  }
  override async onEpochEnd(epoch: number, logs?: Logs): Promise<void> {
    const v = logs?.[this.key];
    if (typeof v !== 'number') return;
    await this.trial.report(epoch, v);
    if (await this.trial.shouldPrune()) {
      this.pruned = true;
      this.target.stopTraining = true;
      if (this.model) this.model.stopTraining = true;
    }
  }
}

/** Direction from a metric name: losses and errors are minimised; accuracy, AUC, precision, recall, F1 maximised. */
export function inferDirection(name: string): Direction {
  const n = name.toLowerCase().replace(/^val_/, '');
  if (/loss|error|crossentropy|hinge|divergence|logcosh|^mse$|^mae$|^mape$|^msle$|^rmse$|poisson/.test(n)) return 'minimize';
  if (/acc|auc|precision|recall|f1|r2|iou|similarity/.test(n)) return 'maximize';
  throw new Error(`Cannot infer whether to minimise or maximise objective '${name}'; pass objective: { name: '${name}', direction: 'minimize' | 'maximize' }.`);
}

/** `[finished/maxTrials] trial <number> ...`: trials are numbered from 0 (Optuna's trial.number); the bracket counts. */
function trialLine(t: TrialRecord, finished: number, max: number | null): string {
  const values = Object.entries(paramValues(t.hyperparameters)).map(([k, v]) => `${k}=${typeof v === 'number' ? Number(v.toPrecision(4)) : v}`).join(' ');
  const d = t.finishedAt !== undefined ? ` in ${((t.finishedAt - t.startedAt) / 1000).toFixed(1)}s` : '';
  const value = t.value === null ? '' : ` value=${Number(t.value.toPrecision(6))}`;
  const err = t.status === 'failed' ? `: ${t.error}` : '';
  return `[${finished}${max !== null ? `/${max}` : ''}] trial ${t.id} ${t.status}${value}${d} ${values}${err}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** 32-bit mix of (seed, index) for per-trial generators. */
export function mix(seed: number, index: number): number {
  let h = (seed >>> 0) ^ Math.imul(index + 1, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function checkThreads(tuner: string, t: ThreadTarget | undefined): void {
  if (t === undefined) return;
  if (t === null || typeof t !== 'object' || typeof t.module !== 'string' || t.module.length === 0) {
    throw new Error(`${tuner}: threads must be { module: path or file:// URL, objective?: export name } (or hypermodel and data export names), got ${JSON.stringify(t)}.`);
  }
  for (const k of ['objective', 'hypermodel', 'data'] as const) {
    if (t[k] !== undefined && (typeof t[k] !== 'string' || t[k].length === 0)) throw new Error(`${tuner}: threads.${k} must be the name of an export of ${t.module}, got ${JSON.stringify(t[k])}.`);
  }
  if (t.objective !== undefined && t.hypermodel !== undefined) throw new Error(`${tuner}: threads takes an objective or a hypermodel export, not both.`);
  if ((t.hypermodel === undefined) !== (t.data === undefined)) throw new Error(`${tuner}: threads.hypermodel needs threads.data (an export returning { x, y, ...searchOptions }) and the other way round.`);
}
