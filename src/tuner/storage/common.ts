// What every storage shares: name checks, canonical JSON of a search space, the space difference named in
// errors, non-finite number encoding for JSON, and the rule that says a running trial was abandoned (liveness).

import { platform } from '../../platform/node.js';
import type { Direction, HyperparameterValues, StudyInfo, TrialOutcome, TrialRecord, TrialStatus } from '../trial.js';

/** A running trial whose worker gave no sign of life (start, heartbeat, intermediate value) for this long is abandoned. */
export const STALE_AFTER_MS = 60_000;
/** How often a runner should call heartbeat() while a trial runs (keepAlive() does it; more often if staleAfterMs is short). */
export const HEARTBEAT_INTERVAL_MS = 10_000;

export interface StorageOptions {
  /** Milliseconds without a sign of life after which a running trial counts as abandoned. Default STALE_AFTER_MS. */
  staleAfterMs?: number;
  /** PostgreSQL: how long transient failures (connection refused or reset, server restarting) are retried. Default 60000. */
  retryForMs?: number;
}

export function checkStudyName(name: unknown, where: string): asserts name is string {
  if (typeof name !== 'string' || name.length === 0 || name.length > 200) {
    throw new Error(`${where}: study name must be a non-empty string of at most 200 characters, got ${JSON.stringify(name)}`);
  }
}

export function checkDirection(direction: unknown, where: string): asserts direction is Direction {
  if (direction !== 'minimize' && direction !== 'maximize') {
    throw new Error(`${where}: direction must be 'minimize' or 'maximize', got ${JSON.stringify(direction)}`);
  }
}

const FINISHED: readonly TrialStatus[] = ['complete', 'pruned', 'failed'];

export function checkOutcome(outcome: TrialOutcome, where: string): void {
  if (outcome === null || typeof outcome !== 'object' || !FINISHED.includes(outcome.status as TrialStatus)) {
    throw new Error(`${where}: outcome.status must be 'complete', 'pruned' or 'failed', got ${JSON.stringify(outcome?.status)}`);
  }
  if (outcome.status === 'complete' && typeof outcome.value !== 'number') {
    throw new Error(`${where}: a complete trial needs a numeric value, got ${String(outcome.value)}`);
  }
  if (outcome.hyperparameters !== undefined) checkHyperparameters(outcome.hyperparameters, where);
  if (outcome.value !== undefined && outcome.value !== null && typeof outcome.value !== 'number') {
    throw new Error(`${where}: outcome.value must be a number or null, got ${typeof outcome.value}`);
  }
}

/** JSON with object keys sorted, so equal spaces give equal strings whatever their key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value as object).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/** The first path at which two JSON values differ, e.g. `units.max: stored 64, requested 128`; null when equal. */
export function firstDifference(stored: unknown, requested: unknown, path = ''): string | null {
  const a = sortKeys(stored), b = sortKeys(requested);
  const show = (v: unknown) => (v === undefined ? 'absent' : truncate(JSON.stringify(v)));
  const at = path === '' ? '(root)' : path;
  if (a === b) return null;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const d = firstDifference(a[i], b[i], `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) {
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path ? `${path}.${k}` : k);
      if (d) return d;
    }
    return null;
  }
  return JSON.stringify(a) === JSON.stringify(b) ? null : `${at}: stored ${show(a)}, requested ${show(b)}`;
}

function truncate(s: string): string {
  return s.length > 80 ? s.slice(0, 77) + '...' : s;
}

/** Throw if a stored study differs from the requested direction or space; the message names the study and the difference. */
export function checkSameStudy(info: StudyInfo, direction: Direction, space: unknown): void {
  if (info.direction !== direction) {
    throw new Error(`study "${info.name}" already exists with direction '${info.direction}', requested '${direction}'; use another studyName`);
  }
  const diff = firstDifference(info.space, space);
  if (diff !== null) {
    throw new Error(`study "${info.name}" already exists with a different search space (${diff}); use another studyName or the same space`);
  }
}

// JSON has no NaN or Infinity; a diverged loss is still worth keeping, so they travel as tagged strings.
const NON_FINITE: Record<string, number> = { __NaN__: NaN, __Infinity__: Infinity, '__-Infinity__': -Infinity };

export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? `__${v}__` : v));
}

export function fromJson<T = unknown>(text: string): T {
  return JSON.parse(text, (_k, v) => (typeof v === 'string' && v in NON_FINITE ? NON_FINITE[v] : v)) as T;
}

/** The host and pid of this process, stored with each claim (shown in messages). */
export const HOST = platform.hostname();
export const PID = platform.pid();

/**
 * Who runs a trial, as stored with its claim: host and pid for messages, and `process`, the identity that makes a
 * pid checkable: "<boot id>/<pid namespace>/<pid>/<start time>" (Linux /proc), or absent where it cannot be known.
 */
export interface Liveness {
  host?: string;
  pid?: number;
  process?: string;
}

/** Start time (clock ticks since boot) of a pid in this namespace's /proc, or null if no live process has it. */
function processStart(pid: number): string | null {
  try {
    const stat = platform.readText(`/proc/${pid}/stat`);
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from the 3rd (state) on
    if (fields[0] === 'Z' || fields[0] === 'X') return null; // exited, not yet reaped
    return fields[19]; // field 22: starttime
  } catch {
    return null;
  }
}

function selfIdentity(): string | null {
  try {
    const boot = platform.readText('/proc/sys/kernel/random/boot_id').trim();
    const ns = platform.readLink('/proc/self/ns/pid'); // e.g. pid:[4026531836]
    // /proc must be this PID namespace's (not so after `unshare --pid` without --mount-proc): its pids are ours.
    const stat = platform.readText('/proc/self/stat');
    if (Number(stat.slice(0, stat.indexOf(' '))) !== PID) return null;
    const start = processStart(PID);
    return start === null ? null : `${boot}/${ns}/${PID}/${start}`;
  } catch {
    return null; // not Linux, or /proc hidden: liveness by heartbeats only
  }
}

/** This process's identity (see Liveness.process), or undefined where pids cannot be checked. */
export const PROCESS = selfIdentity() ?? undefined;

/**
 * Why a running trial counts as abandoned, or null if it may still be alive.
 * - Its worker is another process of this machine and PID namespace (same boot id and namespace in its identity):
 *   judged at once by its pid, qualified by start time: no such process, or the pid now belongs to a process that
 *   started at another time (pid reuse), is abandoned; the same process is alive however long it blocks its timers.
 * - Any other worker (another machine, another PID namespace on a host of the same name, a worker without an
 *   identity, or this process, whose threads' trials the main thread keeps alive): a lease renewed by heartbeats,
 *   abandoned after staleAfterMs without a sign of life (start, heartbeat, intermediate value).
 */
export function abandonedReason(t: TrialRecord, owner: Liveness | undefined, now: number, staleAfterMs: number, self: string | undefined = PROCESS): string | null {
  if (t.status !== 'running') return null;
  const theirs = owner?.process?.split('/');
  const ours = self?.split('/');
  if (theirs?.length === 4 && ours && owner!.process !== self && theirs[0] === ours[0] && theirs[1] === ours[1]) {
    const pid = Number(theirs[2]);
    const start = processStart(pid);
    if (start === theirs[3]) return null;
    const who = `worker ${t.worker ?? '?'} (pid ${pid} on ${owner!.host ?? '?'})`;
    return start === null ? `abandoned: ${who} is no longer running` : `abandoned: ${who} is no longer running (pid ${pid} now belongs to another process)`;
  }
  const last = Math.max(t.startedAt, t.heartbeatAt ?? 0);
  if (now - last > staleAfterMs) {
    return `abandoned: worker ${t.worker ?? '?'} gave no heartbeat for ${Math.round((now - last) / 1000)} s`;
  }
  return null;
}

/** The record a finished trial becomes. */
export function finishedRecord(t: TrialRecord, outcome: TrialOutcome, finishedAt: number): TrialRecord {
  const value = outcome.value ?? (outcome.status === 'pruned' ? lastIntermediate(t) : null);
  return freezeTrial({
    ...t,
    ...(outcome.hyperparameters ? { hyperparameters: { ...outcome.hyperparameters } } : {}),
    status: outcome.status,
    value: outcome.status === 'failed' ? outcome.value ?? null : value,
    ...(outcome.values ? { values: [...outcome.values] } : {}),
    ...(outcome.history ? { history: outcome.history } : {}),
    ...(outcome.error !== undefined ? { error: String(outcome.error) } : {}),
    ...(outcome.space !== undefined ? { space: structuredClone(outcome.space) } : {}),
    finishedAt,
  });
}

function lastIntermediate(t: TrialRecord): number | null {
  return t.intermediate.length ? t.intermediate[t.intermediate.length - 1].value : null;
}

/** Insert or replace the value at a step, keeping steps in increasing order. */
export function withIntermediate(list: readonly { step: number; value: number }[], step: number, value: number) {
  const out = list.filter((p) => p.step !== step);
  out.push({ step, value });
  out.sort((a, b) => a.step - b.step);
  return out;
}

export function checkStep(step: number, value: number, where: string): void {
  if (!Number.isInteger(step) || step < 0) throw new Error(`${where}: step must be a non-negative integer, got ${step}`);
  if (typeof value !== 'number') throw new Error(`${where}: value must be a number, got ${typeof value}`);
}

export function checkHyperparameters(hp: HyperparameterValues, where: string): void {
  if (hp === null || typeof hp !== 'object' || Array.isArray(hp)) {
    throw new Error(`${where}: hyperparameters must be an object of values, got ${JSON.stringify(hp)}`);
  }
  for (const [k, v] of Object.entries(hp)) {
    if (typeof v !== 'number' && typeof v !== 'string' && typeof v !== 'boolean') {
      throw new Error(`${where}: hyperparameter "${k}" must be a number, string or boolean, got ${JSON.stringify(v)}`);
    }
  }
}

/** A deep-frozen copy, so callers cannot mutate what the storage holds. */
export function frozen<T>(t: T): T {
  const deep = (v: unknown): unknown => {
    if (v && typeof v === 'object' && !Object.isFrozen(v)) {
      for (const x of Object.values(v)) deep(x);
      Object.freeze(v);
    }
    return v;
  };
  return deep(structuredClone(t)) as T;
}

export const freezeTrial: (t: TrialRecord) => TrialRecord = frozen;

export function notFound(study: string, where: string): Error {
  return new Error(`${where}: no study named "${study}" (openStudy() it first)`);
}

export function trialNotFound(study: string, id: number, where: string): Error {
  return new Error(`${where}: study "${study}" has no trial ${id}`);
}

export function notRunning(study: string, t: TrialRecord, where: string): Error {
  return new Error(`${where}: trial ${t.id} of study "${study}" is already ${t.status}${t.error ? ` (${t.error})` : ''}`);
}
