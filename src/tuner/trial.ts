// Trials are immutable records of one evaluation of a point in the search space.

export type HyperparameterValue = number | string | boolean;
export type HyperparameterValues = Record<string, HyperparameterValue>;
export type TrialStatus = 'running' | 'complete' | 'pruned' | 'failed';
export type Direction = 'minimize' | 'maximize';

export interface TrialRecord {
  readonly id: number; // unique and increasing within a study
  readonly study: string;
  readonly hyperparameters: HyperparameterValues;
  readonly status: TrialStatus;
  /** The objective (mean over executions / folds); null unless complete (pruned trials keep their last value). */
  readonly value: number | null;
  /** Per execution or per fold objective values, when more than one. */
  readonly values?: readonly number[];
  /** Per-epoch (step) objective values reported while running, read by pruners. */
  readonly intermediate: readonly { step: number; value: number }[];
  /** Per-epoch training history (Keras History.history) of the trial, when it trained a model. */
  readonly history?: Readonly<Record<string, readonly number[]>>;
  readonly error?: string;
  readonly worker?: string;
  readonly startedAt: number; // ms since epoch
  readonly finishedAt?: number;
  /** Last sign of life from a running trial's worker (ms since epoch), to detect killed workers. */
  readonly heartbeatAt?: number;
  /**
   * Added by the storage side (additive): the definitions of the parameters this trial declared (JSON, as given in
   * TrialOutcome.space), so that a resumed tuner or a worker elsewhere learns a define-by-run space from the trials.
   */
  readonly space?: unknown;
}

export interface StudyInfo {
  readonly name: string;
  readonly direction: Direction;
  /** A JSON-serialisable description of the search space; a study re-opened with a different space is an error. */
  readonly space: unknown;
  readonly createdAt: number;
}

export interface TrialOutcome {
  status: Exclude<TrialStatus, 'running'>;
  value?: number | null;
  values?: number[];
  history?: Record<string, number[]>;
  error?: string;
  /**
   * Added by the search side (additive): the trial's full hyperparameter values when the objective declared
   * parameters while running (define-by-run, Optuna style) that the claimed proposal did not contain.
   * When given, storage replaces the record's hyperparameters with these.
   */
  hyperparameters?: HyperparameterValues;
  /** Added by the storage side (additive): parameter definitions the trial declared; stored as TrialRecord.space. */
  space?: unknown;
}

/**
 * Where studies and trials live: memory, a local directory (default), or PostgreSQL.
 * Every implementation passes the same contract test suite.
 */
export interface StudyStorage {
  /** Create the study, or open it if it exists with the same space and direction (else throw, naming the difference). */
  openStudy(name: string, direction: Direction, space: unknown): Promise<StudyInfo>;
  /**
   * Atomically (across processes and machines) read the study's trials, let propose() choose the next point,
   * and record it as a running trial. propose returns null when the search space is exhausted or the budget used;
   * then no trial is created and null is returned.
   */
  claimTrial(study: string, worker: string, propose: (trials: readonly TrialRecord[]) => HyperparameterValues | null): Promise<TrialRecord | null>;
  reportIntermediate(study: string, trialId: number, step: number, value: number): Promise<void>;
  heartbeat(study: string, trialId: number): Promise<void>;
  finishTrial(study: string, trialId: number, outcome: TrialOutcome): Promise<TrialRecord>;
  getTrials(study: string): Promise<TrialRecord[]>;
  /**
   * Optional: keep a trial's checkpoint (its best epoch's weights, see checkpoint.ts), replacing an earlier one,
   * atomically: a reader sees the old bytes or the new ones. Storages without it keep checkpoints in the tuner's memory.
   */
  saveCheckpoint?(study: string, trialId: number, data: Uint8Array): Promise<void>;
  /** Optional: the checkpoint saved for a trial, or null when there is none. */
  loadCheckpoint?(study: string, trialId: number): Promise<Uint8Array | null>;
  listStudies(): Promise<StudyInfo[]>;
  close(): Promise<void>;
}
