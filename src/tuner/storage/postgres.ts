// PostgresStorage: studies shared by workers on many machines through one PostgreSQL database.
//
// Tables (created if missing, under an advisory lock so that workers starting together do not race):
//   descent_studies(id, name UNIQUE, direction, space, created_at)
//   descent_trials(study_id, number, worker, host, pid, process, hyperparameters, status, value, "values", history, error,
//                  started_at, finished_at, heartbeat_at, space)              PRIMARY KEY (study_id, number)
//   descent_trial_intermediate(study_id, number, step, value)                PRIMARY KEY (study_id, number, step)
//   descent_trial_checkpoints(study_id, number, data BYTEA)                  the trial's best-epoch weights
// JSON columns are TEXT holding descent's JSON (non-finite numbers tagged); times are the server's clock in ms, so
// that heartbeats from machines with skewed clocks compare fairly.
//
// claimTrial runs in one transaction that first locks the study row (SELECT ... FOR UPDATE), as Optuna's RDB
// storage does: claimers of one study queue on that lock, each sees every trial committed before it, so no two
// workers claim the same point and trial numbers are dense. Abandoned running trials (the worker is a process of
// this machine and PID namespace that is gone, or gave no heartbeat for staleAfterMs) are marked failed in the same
// transaction.
//
// Trouble with the server: a client checked out of the pool always has an 'error' listener (a connection lost
// mid-transaction is an error of that call, not an unhandled event). Transient failures (connection refused or
// reset, server shutting down or starting: 57P01-57P03, class 08, too many connections) are retried with backoff
// (0.1 s doubling to 2 s) for up to retryForMs (default 60 s); a claim carries a nonce and a finish checks what is
// stored, so a retry after a commit whose reply was lost does not claim or finish twice. Giving up, the error names
// the study storage, the study, and what was not stored.

import pg from 'pg';
import { randomBytes } from 'node:crypto';
import type { Direction, HyperparameterValues, StudyInfo, StudyStorage, TrialOutcome, TrialRecord } from '../trial.js';
import {
  HOST, PID, PROCESS, STALE_AFTER_MS, StorageOptions, abandonedReason, checkDirection, checkHyperparameters, checkOutcome,
  checkSameStudy, checkStep, checkStudyName, finishedRecord, freezeTrial, fromJson, frozen, notFound, notRunning,
  toJson, trialNotFound,
} from './common.js';

/** How long transient failures are retried by default. */
export const RETRY_FOR_MS = 60_000;

const TRANSIENT_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND',
  '57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', '53300', '40001', '40P01',
]);

/** A failure worth retrying: the connection, not the request, went wrong. */
export function isTransient(e: unknown): boolean {
  const err = e as { code?: string; message?: string; errors?: unknown[] } | null;
  if (!err) return false;
  if (err.code && TRANSIENT_CODES.has(err.code)) return true;
  if (Array.isArray(err.errors) && err.errors.some(isTransient)) return true; // AggregateError of a dual-stack connect
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended|not queryable|the database system is (starting up|shutting down)/i.test(err.message ?? '');
}

export interface PostgresStorageOptions extends StorageOptions {
  /** Give up connecting after this many ms. Default 5000. */
  connectTimeoutMs?: number;
  /** Connections kept by this process. Default 4. */
  poolSize?: number;
}

const NOW_MS = `(extract(epoch from clock_timestamp()) * 1000)::bigint`;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS descent_studies (
  id SERIAL PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  direction TEXT NOT NULL,
  space TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS descent_trials (
  study_id INTEGER NOT NULL REFERENCES descent_studies(id) ON DELETE CASCADE,
  number INTEGER NOT NULL,
  worker TEXT,
  host TEXT,
  pid INTEGER,
  hyperparameters TEXT NOT NULL,
  status TEXT NOT NULL,
  value DOUBLE PRECISION,
  "values" TEXT,
  history TEXT,
  error TEXT,
  started_at BIGINT NOT NULL,
  finished_at BIGINT,
  heartbeat_at BIGINT,
  space TEXT,
  PRIMARY KEY (study_id, number)
);
ALTER TABLE descent_trials ADD COLUMN IF NOT EXISTS space TEXT;
ALTER TABLE descent_trials ADD COLUMN IF NOT EXISTS process TEXT;
ALTER TABLE descent_trials ADD COLUMN IF NOT EXISTS nonce TEXT;
CREATE TABLE IF NOT EXISTS descent_trial_intermediate (
  study_id INTEGER NOT NULL,
  number INTEGER NOT NULL,
  step INTEGER NOT NULL,
  value DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (study_id, number, step),
  FOREIGN KEY (study_id, number) REFERENCES descent_trials(study_id, number) ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS descent_trial_checkpoints (
  study_id INTEGER NOT NULL,
  number INTEGER NOT NULL,
  data BYTEA NOT NULL,
  PRIMARY KEY (study_id, number),
  FOREIGN KEY (study_id, number) REFERENCES descent_trials(study_id, number) ON DELETE CASCADE
);`;

interface TrialRow {
  study_id: number;
  number: number;
  worker: string | null;
  host: string | null;
  pid: number | null;
  hyperparameters: string;
  status: TrialRecord['status'];
  value: number | null;
  values: string | null;
  history: string | null;
  error: string | null;
  started_at: string;
  finished_at: string | null;
  heartbeat_at: string | null;
  space: string | null;
  process: string | null;
}

type Querier = pg.Pool | pg.PoolClient;

export class PostgresStorage implements StudyStorage {
  private constructor(
    private readonly pool: pg.Pool,
    /** host:port (or socket directory) and database, for messages. */
    readonly where: string,
    private readonly staleAfterMs: number,
    private readonly retryForMs: number,
  ) {}

  /** Connect (failing within connectTimeoutMs with an error naming host and port) and create the tables if missing. */
  static async connect(url: string, options: PostgresStorageOptions = {}): Promise<PostgresStorage> {
    const where = describeUrl(url);
    const pool = new pg.Pool({
      connectionString: url,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
      max: options.poolSize ?? 4,
      allowExitOnIdle: true, // idle connections do not keep a finished script alive
    });
    pool.on('error', () => {}); // an idle connection dropped by the server; the next query reconnects or reports it
    let client: pg.PoolClient;
    const lost = (): void => {}; // reported by the query that fails
    try {
      client = await pool.connect();
      client.on('error', lost);
    } catch (e) {
      await pool.end().catch(() => {});
      throw new Error(`PostgresStorage: cannot connect to PostgreSQL at ${where}: ${(e as Error).message || String(e)}`);
    }
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock(7201626)'); // one schema creator at a time
      await client.query(SCHEMA);
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {});
      client.off('error', lost);
      client.release(true);
      await pool.end().catch(() => {});
      throw new Error(`PostgresStorage: cannot create tables in ${where}: ${(e as Error).message}`);
    }
    client.off('error', lost);
    client.release();
    const retryForMs = options.retryForMs ?? RETRY_FOR_MS;
    if (!(Number.isFinite(retryForMs) && retryForMs >= 0)) throw new Error(`PostgresStorage: retryForMs must be a number of milliseconds >= 0, got ${options.retryForMs}`);
    return new PostgresStorage(pool, where, options.staleAfterMs ?? STALE_AFTER_MS, retryForMs);
  }

  async openStudy(name: string, direction: Direction, space: unknown): Promise<StudyInfo> {
    checkStudyName(name, 'PostgresStorage.openStudy');
    checkDirection(direction, 'PostgresStorage.openStudy');
    const json = toJson(space ?? null);
    const info = await this.retrying(`could not open study "${name}"`, async () => {
      await this.pool.query(
      `INSERT INTO descent_studies (name, direction, space, created_at) VALUES ($1, $2, $3, ${NOW_MS}) ON CONFLICT (name) DO NOTHING`,
        [name, direction, json],
      );
      return this.study(this.pool, name, 'PostgresStorage.openStudy');
    });
    checkSameStudy(info, direction, fromJson(json));
    return info;
  }

  async claimTrial(
    study: string, worker: string, propose: (trials: readonly TrialRecord[]) => HyperparameterValues | null,
  ): Promise<TrialRecord | null> {
    checkStudyName(study, 'PostgresStorage.claimTrial');
    const nonce = `${PID}-${randomBytes(6).toString('hex')}`;
    return this.transaction(`could not claim a trial of study "${study}"`, async (c, attempt) => {
      if (attempt > 0) {
        // The first attempt may have committed before its connection was lost: then that claim is ours.
        const mine = await c.query<TrialRow>(`SELECT t.* FROM descent_trials t JOIN descent_studies s ON s.id = t.study_id WHERE s.name = $1 AND t.nonce = $2`, [study, nonce]);
        if (mine.rowCount) return toRecord(mine.rows[0], study, []);
      }
      const locked = await c.query<{ id: number; now: string }>(
        `SELECT id, ${NOW_MS} AS now FROM descent_studies WHERE name = $1 FOR UPDATE`, [study]);
      if (locked.rowCount === 0) throw notFound(study, `PostgresStorage.claimTrial (in ${this.where})`);
      const studyId = locked.rows[0].id;
      const now = Number(locked.rows[0].now);
      const { trials, rows } = await this.trials(c, studyId, study);
      for (const r of rows) {
        const t = trials[r.number];
        const why = abandonedReason(t, { host: r.host ?? undefined, pid: r.pid ?? undefined, process: r.process ?? undefined }, now, this.staleAfterMs);
        if (why) {
          await c.query(
            `UPDATE descent_trials SET status = 'failed', error = $3, finished_at = $4 WHERE study_id = $1 AND number = $2 AND status = 'running'`,
            [studyId, r.number, why, now]);
          trials[r.number] = finishedRecord(t, { status: 'failed', error: why }, now);
        }
      }
      const hp = propose(trials.slice());
      if (hp === null) return null;
      checkHyperparameters(hp, `PostgresStorage.claimTrial(study "${study}")`);
      const inserted = await c.query<TrialRow>(
        `INSERT INTO descent_trials (study_id, number, worker, host, pid, process, nonce, hyperparameters, status, started_at, heartbeat_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'running', ${NOW_MS}, ${NOW_MS}) RETURNING *`,
        [studyId, trials.length, worker, HOST, PID, PROCESS ?? null, nonce, toJson(hp)]);
      return toRecord(inserted.rows[0], study, []);
    });
  }

  async reportIntermediate(study: string, trialId: number, step: number, value: number): Promise<void> {
    checkStep(step, value, 'PostgresStorage.reportIntermediate');
    const r = await this.retrying(`could not store the value at step ${step} of trial ${trialId} of study "${study}"`, () => this.pool.query(
      `WITH t AS (
         UPDATE descent_trials SET heartbeat_at = ${NOW_MS} FROM descent_studies s
         WHERE s.id = descent_trials.study_id AND s.name = $1 AND descent_trials.number = $2 AND descent_trials.status = 'running'
         RETURNING descent_trials.study_id)
       INSERT INTO descent_trial_intermediate (study_id, number, step, value) SELECT study_id, $2, $3, $4 FROM t
       ON CONFLICT (study_id, number, step) DO UPDATE SET value = EXCLUDED.value`,
      [study, trialId, step, value]));
    if (r.rowCount === 0) throw await this.whyNot(study, trialId, 'PostgresStorage.reportIntermediate');
  }

  async heartbeat(study: string, trialId: number): Promise<void> {
    const r = await this.retrying(`could not renew the heartbeat of trial ${trialId} of study "${study}"`, () => this.pool.query(
      `UPDATE descent_trials SET heartbeat_at = ${NOW_MS} FROM descent_studies s
       WHERE s.id = descent_trials.study_id AND s.name = $1 AND descent_trials.number = $2 AND descent_trials.status = 'running'`,
      [study, trialId]));
    if (r.rowCount === 0) throw await this.whyNot(study, trialId, 'PostgresStorage.heartbeat');
  }

  async finishTrial(study: string, trialId: number, outcome: TrialOutcome): Promise<TrialRecord> {
    checkOutcome(outcome, 'PostgresStorage.finishTrial');
    const what = `could not store the result of trial ${trialId} of study "${study}" (${outcome.status}${typeof outcome.value === 'number' ? `, value ${outcome.value}` : ''}${outcome.error ? `: ${outcome.error}` : ''})`;
    return this.transaction(what, async (c, attempt) => {
      const { id: studyId } = await this.study(c, study, 'PostgresStorage.finishTrial');
      const row = await c.query<TrialRow & { now: string }>(
        `SELECT *, ${NOW_MS} AS now FROM descent_trials WHERE study_id = $1 AND number = $2 FOR UPDATE`, [studyId, trialId]);
      if (row.rowCount === 0) throw trialNotFound(study, trialId, 'PostgresStorage.finishTrial');
      const ints = await c.query<{ step: number; value: number }>(
        `SELECT step, value FROM descent_trial_intermediate WHERE study_id = $1 AND number = $2 ORDER BY step`, [studyId, trialId]);
      const t = toRecord(row.rows[0], study, ints.rows);
      // A retry after a commit whose reply was lost finds its own result stored.
      if (attempt > 0 && t.status === outcome.status && Object.is(t.value, outcome.value ?? t.value) && t.finishedAt !== undefined) return t;
      if (t.status !== 'running') throw notRunning(study, t, 'PostgresStorage.finishTrial');
      const done = finishedRecord(t, outcome, Number(row.rows[0].now));
      await c.query(
        `UPDATE descent_trials SET status = $3, value = $4, "values" = $5, history = $6, error = $7, finished_at = $8,
         hyperparameters = $9, space = $10 WHERE study_id = $1 AND number = $2`,
        [studyId, trialId, done.status, done.value, done.values ? toJson(done.values) : null,
          done.history ? toJson(done.history) : null, done.error ?? null, done.finishedAt, toJson(done.hyperparameters),
          done.space !== undefined ? toJson(done.space) : null]);
      return done;
    });
  }

  async getTrials(study: string): Promise<TrialRecord[]> {
    checkStudyName(study, 'PostgresStorage.getTrials');
    return this.retrying(`could not read the trials of study "${study}"`, async () => {
      const { id } = await this.study(this.pool, study, 'PostgresStorage.getTrials');
      return (await this.trials(this.pool, id, study)).trials;
    });
  }

  async saveCheckpoint(study: string, trialId: number, data: Uint8Array): Promise<void> {
    const r = await this.retrying(`could not store the checkpoint of trial ${trialId} of study "${study}"`, async () => this.pool.query(
      `INSERT INTO descent_trial_checkpoints (study_id, number, data) SELECT $1, $2, $3
       WHERE EXISTS (SELECT 1 FROM descent_trials WHERE study_id = $1 AND number = $2)
       ON CONFLICT (study_id, number) DO UPDATE SET data = EXCLUDED.data`,
      [(await this.study(this.pool, study, 'PostgresStorage.saveCheckpoint')).id, trialId, Buffer.from(data)]));
    if (r.rowCount === 0) throw trialNotFound(study, trialId, 'PostgresStorage.saveCheckpoint');
  }

  async loadCheckpoint(study: string, trialId: number): Promise<Uint8Array | null> {
    const r = await this.retrying(`could not read the checkpoint of trial ${trialId} of study "${study}"`, async () => this.pool.query<{ data: Buffer }>(
      `SELECT data FROM descent_trial_checkpoints WHERE study_id = $1 AND number = $2`,
      [(await this.study(this.pool, study, 'PostgresStorage.loadCheckpoint')).id, trialId]));
    return r.rowCount === 0 ? null : new Uint8Array(r.rows[0].data);
  }

  async listStudies(): Promise<StudyInfo[]> {
    const r = await this.retrying('could not list the studies', () => this.pool.query(`SELECT * FROM descent_studies ORDER BY created_at, name`));
    return r.rows.map(toInfo);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async study(q: Querier, name: string, where: string): Promise<StudyInfo & { id: number }> {
    const r = await q.query(`SELECT * FROM descent_studies WHERE name = $1`, [name]);
    if (r.rowCount === 0) throw notFound(name, `${where} (in ${this.where})`);
    return { ...toInfo(r.rows[0]), id: r.rows[0].id };
  }

  private async trials(q: Querier, studyId: number, study: string) {
    const rows = (await q.query<TrialRow>(`SELECT * FROM descent_trials WHERE study_id = $1 ORDER BY number`, [studyId])).rows;
    const ints = (await q.query<{ number: number; step: number; value: number }>(
      `SELECT number, step, value FROM descent_trial_intermediate WHERE study_id = $1 ORDER BY number, step`, [studyId])).rows;
    const byTrial = new Map<number, { step: number; value: number }[]>();
    for (const p of ints) {
      if (!byTrial.has(p.number)) byTrial.set(p.number, []);
      byTrial.get(p.number)!.push({ step: p.step, value: p.value });
    }
    return { rows, trials: rows.map((r) => toRecord(r, study, byTrial.get(r.number) ?? [])) };
  }

  private async whyNot(study: string, trialId: number, where: string): Promise<Error> {
    const { id } = await this.study(this.pool, study, where);
    const r = await this.pool.query<TrialRow>(`SELECT * FROM descent_trials WHERE study_id = $1 AND number = $2`, [id, trialId]);
    if (r.rowCount === 0) return trialNotFound(study, trialId, where);
    return notRunning(study, toRecord(r.rows[0], study, []), where);
  }

  /** Run body in one transaction, retried as a whole on transient failures (attempt counts from 0). */
  private transaction<T>(what: string, body: (c: pg.PoolClient, attempt: number) => Promise<T>): Promise<T> {
    return this.retrying(what, async (attempt) => {
      const c = await this.pool.connect();
      let lost: Error | undefined;
      const onError = (e: Error) => void (lost = e); // the connection died while checked out; the query fails too
      c.on('error', onError);
      try {
        await c.query('BEGIN');
        const out = await body(c, attempt);
        await c.query('COMMIT');
        return out;
      } catch (e) {
        if (!lost) await c.query('ROLLBACK').catch(() => {});
        throw e;
      } finally {
        c.off('error', onError);
        c.release(lost ?? (c as unknown as { _ending?: boolean })._ending ? true : undefined);
      }
    });
  }

  /** Call body until it succeeds or fails for good; transient failures are retried with backoff for retryForMs. */
  private async retrying<T>(what: string, body: (attempt: number) => Promise<T>): Promise<T> {
    const t0 = Date.now();
    for (let attempt = 0, delay = 100; ; attempt++, delay = Math.min(2 * delay, 2000)) {
      try {
        return await body(attempt);
      } catch (e) {
        if (!isTransient(e)) throw e;
        if (Date.now() - t0 + delay > this.retryForMs) {
          throw new Error(`study storage (PostgreSQL at ${this.where}) ${what}: the server was unreachable for ${((Date.now() - t0) / 1000).toFixed(1)} s (retryForMs ${this.retryForMs}); last error: ${(e as Error).message || (e as { code?: string }).code || String(e)}`);
        }
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }
}

function toInfo(r: { name: string; direction: Direction; space: string; created_at: string }): StudyInfo {
  return frozen({ name: r.name, direction: r.direction, space: fromJson(r.space), createdAt: Number(r.created_at) });
}

function toRecord(r: TrialRow, study: string, intermediate: { step: number; value: number }[]): TrialRecord {
  return freezeTrial({
    id: r.number,
    study,
    hyperparameters: fromJson(r.hyperparameters),
    status: r.status,
    value: r.value,
    ...(r.values !== null ? { values: fromJson<number[]>(r.values) } : {}),
    intermediate: intermediate.map((p) => ({ step: p.step, value: p.value })),
    ...(r.history !== null ? { history: fromJson<Record<string, number[]>>(r.history) } : {}),
    ...(r.error !== null ? { error: r.error } : {}),
    ...(r.worker !== null ? { worker: r.worker } : {}),
    startedAt: Number(r.started_at),
    ...(r.finished_at !== null ? { finishedAt: Number(r.finished_at) } : {}),
    ...(r.heartbeat_at !== null ? { heartbeatAt: Number(r.heartbeat_at) } : {}),
    ...(r.space !== null && r.space !== undefined ? { space: fromJson(r.space) } : {}),
  });
}

/** "host:port/database" (or the socket directory) from a postgresql:// URL, without the password. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    const socket = u.searchParams.get('host');
    const host = socket ?? (u.hostname || 'localhost');
    const port = u.port || u.searchParams.get('port') || '5432';
    const db = decodeURIComponent(u.pathname.replace(/^\//, '')) || '(default database)';
    return `${host}:${port} (database ${db})`;
  } catch {
    throw new Error(`PostgresStorage: cannot parse the storage URL ${JSON.stringify(url.replace(/:[^:@/]*@/, ':***@'))}`);
  }
}
