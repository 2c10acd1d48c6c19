// DirectoryStorage: the default store. No server; several processes on one machine share it; kill -9 of any of
// them loses no completed trial.
//
//   <root>/<study>/study.json     name, direction, space, createdAt; created once, atomically (temp file, fsync, link)
//   <root>/<study>/trials/<id>/checkpoint.weights   the trial's best-epoch weights (temp file, fsync, rename)
//   <root>/<study>/journal.jsonl  append-only events, one JSON object per line:
//        claim {id, worker, host, pid, process, hp, at, nonce} | int {id, step, value, at} | hb {id, at} | end {id, outcome, at}
//
// Each event is one write() of "\n" + json + "\n" to a file opened with O_APPEND, then fsync. On a local file system
// the kernel places each such write at the end without interleaving it with others, so every reader sees the same
// order. The leading newline ends any line torn by a crash, and a reader skips lines that do not parse, so a torn
// line costs only itself.
//
// Claims need no lock (a dead lock holder would block everyone): a claimer reads the journal, asks propose() for a
// point and appends `claim {id: n}` where n is the number of trials it saw. A claim is valid only if its id equals
// the number of valid claims before it in the file, so of two racing claims for the same id the first wins; the
// loser sees that on re-reading and proposes again from the fresh trials (at least one claimer wins each round).
// Later events for a finished trial are ignored, so if two processes finish the same trial the first one counts.
//
// Abandoned trials: before proposing, a claimer marks as failed (error "abandoned: ...") every running trial whose
// worker process is gone (claims record the process identity: boot id, PID namespace, pid and start time, so a pid
// is checked only in its own namespace and a reused pid is told apart), or, for a worker it cannot check, that gave
// no sign of life for staleAfterMs (default 60 s). See abandonedReason in common.ts. The runner re-runs them once.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { writeFileAtomic } from '../../io/atomic-file.js';
import type { Direction, HyperparameterValues, StudyInfo, StudyStorage, TrialOutcome, TrialRecord } from '../trial.js';
import {
  HOST, Liveness, PID, PROCESS, STALE_AFTER_MS, StorageOptions, abandonedReason, checkDirection, checkHyperparameters,
  checkOutcome, checkSameStudy, checkStep, checkStudyName, finishedRecord, freezeTrial, fromJson, frozen, notFound,
  notRunning, toJson, trialNotFound, withIntermediate,
} from './common.js';

type Event =
  | { e: 'claim'; id: number; worker: string; host: string; pid: number; process?: string; hp: HyperparameterValues; at: number; nonce: string }
  | { e: 'int'; id: number; step: number; value: number; at: number }
  | { e: 'hb'; id: number; at: number }
  | { e: 'end'; id: number; outcome: TrialOutcome; at: number };

interface Study {
  info: StudyInfo;
  dir: string;
  journal: string;
  offset: number; // bytes of the journal consumed
  remainder: string; // text after the last newline read (a write in progress, or a torn line)
  trials: TrialRecord[];
  owners: (Liveness & { nonce: string })[];
}

const MAX_CLAIM_ROUNDS = 10_000;

export class DirectoryStorage implements StudyStorage {
  readonly root: string;
  private readonly staleAfterMs: number;
  private readonly studies = new Map<string, Study>();

  constructor(root: string, options: StorageOptions = {}) {
    if (typeof root !== 'string' || root.length === 0) throw new Error(`DirectoryStorage: root must be a directory path, got ${JSON.stringify(root)}`);
    this.root = path.resolve(root);
    this.staleAfterMs = options.staleAfterMs ?? STALE_AFTER_MS;
    if (fs.existsSync(this.root) && !fs.statSync(this.root).isDirectory()) {
      throw new Error(`DirectoryStorage: ${this.root} exists and is not a directory`);
    }
  }

  async openStudy(name: string, direction: Direction, space: unknown): Promise<StudyInfo> {
    checkStudyName(name, 'DirectoryStorage.openStudy');
    checkDirection(direction, 'DirectoryStorage.openStudy');
    const dir = this.studyDir(name);
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'study.json');
    if (!fs.existsSync(file)) {
      const info: StudyInfo = { name, direction, space: space ?? null, createdAt: Date.now() };
      const tmp = path.join(dir, `.study.json.${PID}.${randomBytes(4).toString('hex')}.tmp`);
      writeSynced(tmp, JSON.stringify(info, null, 2) + '\n');
      try {
        fs.linkSync(tmp, file); // fails if another process created it first: then theirs is checked below
        fsyncDir(dir);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      } finally {
        fs.rmSync(tmp, { force: true });
      }
    }
    const s = this.load(name, 'DirectoryStorage.openStudy');
    checkSameStudy(s.info, direction, JSON.parse(JSON.stringify(space ?? null)));
    return s.info;
  }

  async claimTrial(
    study: string, worker: string, propose: (trials: readonly TrialRecord[]) => HyperparameterValues | null,
  ): Promise<TrialRecord | null> {
    const s = this.load(study, 'DirectoryStorage.claimTrial');
    this.read(s);
    this.reapAbandoned(s);
    for (let round = 0; round < MAX_CLAIM_ROUNDS; round++) {
      const id = s.trials.length;
      const hp = propose(s.trials.slice());
      if (hp === null) return null;
      checkHyperparameters(hp, `DirectoryStorage.claimTrial(study "${study}")`);
      const nonce = `${PID}-${randomBytes(6).toString('hex')}`;
      append(s, { e: 'claim', id, worker, host: HOST, pid: PID, ...(PROCESS ? { process: PROCESS } : {}), hp: { ...hp }, at: Date.now(), nonce });
      this.read(s);
      if (s.owners[id]?.nonce === nonce) return s.trials[id];
      // another process claimed id first: propose again from the trials as they are now
    }
    throw new Error(`DirectoryStorage.claimTrial: could not claim a trial of study "${study}" after ${MAX_CLAIM_ROUNDS} rounds`);
  }

  async reportIntermediate(study: string, trialId: number, step: number, value: number): Promise<void> {
    checkStep(step, value, 'DirectoryStorage.reportIntermediate');
    const s = this.load(study, 'DirectoryStorage.reportIntermediate');
    this.running(s, trialId, 'DirectoryStorage.reportIntermediate');
    append(s, { e: 'int', id: trialId, step, value, at: Date.now() });
  }

  async heartbeat(study: string, trialId: number): Promise<void> {
    const s = this.load(study, 'DirectoryStorage.heartbeat');
    this.running(s, trialId, 'DirectoryStorage.heartbeat');
    append(s, { e: 'hb', id: trialId, at: Date.now() });
  }

  async finishTrial(study: string, trialId: number, outcome: TrialOutcome): Promise<TrialRecord> {
    checkOutcome(outcome, 'DirectoryStorage.finishTrial');
    const s = this.load(study, 'DirectoryStorage.finishTrial');
    this.running(s, trialId, 'DirectoryStorage.finishTrial');
    append(s, { e: 'end', id: trialId, outcome, at: Date.now() });
    this.read(s);
    return s.trials[trialId];
  }

  async getTrials(study: string): Promise<TrialRecord[]> {
    const s = this.load(study, 'DirectoryStorage.getTrials');
    this.read(s);
    return s.trials.slice();
  }

  async saveCheckpoint(study: string, trialId: number, data: Uint8Array): Promise<void> {
    const s = this.load(study, 'DirectoryStorage.saveCheckpoint');
    this.read(s);
    if (!s.trials[trialId]) throw trialNotFound(study, trialId, 'DirectoryStorage.saveCheckpoint');
    writeFileAtomic(this.checkpointFile(s, trialId), data);
  }

  async loadCheckpoint(study: string, trialId: number): Promise<Uint8Array | null> {
    const s = this.load(study, 'DirectoryStorage.loadCheckpoint');
    try {
      return new Uint8Array(fs.readFileSync(this.checkpointFile(s, trialId)));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  private checkpointFile(s: Study, trialId: number): string {
    return path.join(s.dir, 'trials', String(trialId), 'checkpoint.weights');
  }

  async listStudies(): Promise<StudyInfo[]> {
    if (!fs.existsSync(this.root)) return [];
    const out: StudyInfo[] = [];
    for (const entry of fs.readdirSync(this.root).sort()) {
      const file = path.join(this.root, entry, 'study.json');
      if (fs.existsSync(file)) out.push(frozen(JSON.parse(fs.readFileSync(file, 'utf8')) as StudyInfo));
    }
    return out.sort((a, b) => a.createdAt - b.createdAt || (a.name < b.name ? -1 : 1));
  }

  async close(): Promise<void> {
    this.studies.clear();
  }

  /** The directory of a study: its name made safe as one path segment. */
  studyDir(name: string): string {
    const safe = encodeURIComponent(name).replace(/[.*!'()~]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
    return path.join(this.root, safe);
  }

  private load(name: string, where: string): Study {
    checkStudyName(name, where);
    let s = this.studies.get(name);
    if (s) return s;
    const dir = this.studyDir(name);
    const file = path.join(dir, 'study.json');
    if (!fs.existsSync(file)) throw notFound(name, `${where} (in ${this.root})`);
    const info = frozen(JSON.parse(fs.readFileSync(file, 'utf8')) as StudyInfo);
    s = { info, dir, journal: path.join(dir, 'journal.jsonl'), offset: 0, remainder: '', trials: [], owners: [] };
    this.studies.set(name, s);
    return s;
  }

  /** Apply the journal's new complete lines to the in-memory trials. */
  private read(s: Study): void {
    let fd: number;
    try {
      fd = fs.openSync(s.journal, 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    try {
      const size = fs.fstatSync(fd).size;
      if (size <= s.offset) return;
      const buf = Buffer.alloc(size - s.offset);
      let got = 0;
      while (got < buf.length) {
        const n = fs.readSync(fd, buf, got, buf.length - got, s.offset + got);
        if (n === 0) break;
        got += n;
      }
      s.offset += got;
      const text = s.remainder + buf.subarray(0, got).toString('utf8');
      const end = text.lastIndexOf('\n');
      s.remainder = text.slice(end + 1);
      for (const line of text.slice(0, end + 1).split('\n')) {
        if (line.length === 0) continue;
        let ev: Event;
        try {
          ev = fromJson<Event>(line);
        } catch {
          continue; // a line torn by a crash
        }
        this.apply(s, ev);
      }
    } finally {
      fs.closeSync(fd);
    }
  }

  private apply(s: Study, ev: Event): void {
    if (ev.e === 'claim') {
      if (ev.id !== s.trials.length) return; // lost a race for this id
      s.trials.push(freezeTrial({
        id: ev.id, study: s.info.name, hyperparameters: ev.hp, status: 'running', value: null, intermediate: [],
        worker: ev.worker, startedAt: ev.at, heartbeatAt: ev.at,
      }));
      s.owners.push({ host: ev.host, pid: ev.pid, process: ev.process, nonce: ev.nonce });
      return;
    }
    const t = s.trials[ev.id];
    if (!t || t.status !== 'running') return; // the first end of a trial wins
    if (ev.e === 'int') {
      s.trials[ev.id] = freezeTrial({ ...t, intermediate: withIntermediate(t.intermediate, ev.step, ev.value), heartbeatAt: ev.at });
    } else if (ev.e === 'hb') {
      s.trials[ev.id] = freezeTrial({ ...t, heartbeatAt: Math.max(ev.at, t.heartbeatAt ?? 0) });
    } else if (ev.e === 'end') {
      s.trials[ev.id] = finishedRecord(t, ev.outcome, ev.at);
    }
  }

  private reapAbandoned(s: Study): void {
    const now = Date.now();
    let reaped = false;
    for (const t of s.trials) {
      const why = abandonedReason(t, s.owners[t.id], now, this.staleAfterMs);
      if (why) {
        append(s, { e: 'end', id: t.id, outcome: { status: 'failed', error: why }, at: now });
        reaped = true;
      }
    }
    if (reaped) this.read(s);
  }

  private running(s: Study, id: number, where: string): TrialRecord {
    this.read(s);
    const t = s.trials[id];
    if (!t) throw trialNotFound(s.info.name, id, where);
    if (t.status !== 'running') throw notRunning(s.info.name, t, where);
    return t;
  }
}

/** One event = one write of a complete line with O_APPEND, then fsync: durable before the call returns. */
function append(s: Study, ev: Event): void {
  const buf = Buffer.from('\n' + toJson(ev) + '\n', 'utf8');
  const fd = fs.openSync(s.journal, 'a');
  try {
    const n = fs.writeSync(fd, buf);
    if (n !== buf.length) throw new Error(`DirectoryStorage: short write to ${s.journal} (${n} of ${buf.length} bytes; disk full?)`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function writeSynced(file: string, text: string): void {
  const fd = fs.openSync(file, 'wx');
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function fsyncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // some file systems cannot fsync a directory; the link is still atomic
  }
}
