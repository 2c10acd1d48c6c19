// MemoryStorage: studies and trials in this process's memory; gone when it exits. claimTrial is atomic because
// it runs to completion without awaiting (propose is synchronous). Worker threads reach it through
// workers/remote-storage.ts.

import type { Direction, HyperparameterValues, StudyInfo, StudyStorage, TrialOutcome, TrialRecord } from '../trial.js';
import {
  STALE_AFTER_MS, StorageOptions, abandonedReason, checkDirection, checkHyperparameters, checkOutcome, checkSameStudy,
  checkStep, checkStudyName, finishedRecord, freezeTrial, frozen, notFound, notRunning, trialNotFound, withIntermediate,
} from './common.js';

interface Study {
  info: StudyInfo;
  trials: TrialRecord[]; // frozen records, index = id
  checkpoints: Map<number, Uint8Array>;
}

export class MemoryStorage implements StudyStorage {
  private readonly studies = new Map<string, Study>();
  private readonly staleAfterMs: number;

  constructor(options: StorageOptions = {}) {
    this.staleAfterMs = options.staleAfterMs ?? STALE_AFTER_MS;
  }

  async openStudy(name: string, direction: Direction, space: unknown): Promise<StudyInfo> {
    checkStudyName(name, 'MemoryStorage.openStudy');
    checkDirection(direction, 'MemoryStorage.openStudy');
    const existing = this.studies.get(name);
    if (existing) {
      checkSameStudy(existing.info, direction, space);
      return existing.info;
    }
    const info = frozen({ name, direction, space: structuredClone(space ?? null), createdAt: Date.now() });
    this.studies.set(name, { info, trials: [], checkpoints: new Map() });
    return info;
  }

  async claimTrial(
    study: string, worker: string, propose: (trials: readonly TrialRecord[]) => HyperparameterValues | null,
  ): Promise<TrialRecord | null> {
    const s = this.get(study, 'MemoryStorage.claimTrial');
    const now = Date.now();
    s.trials.forEach((t, i) => {
      const why = abandonedReason(t, {}, now, this.staleAfterMs);
      if (why) s.trials[i] = finishedRecord(t, { status: 'failed', error: why }, now);
    });
    const hp = propose(s.trials.slice());
    if (hp === null) return null;
    checkHyperparameters(hp, `MemoryStorage.claimTrial(study "${study}")`);
    const t = freezeTrial({
      id: s.trials.length, study, hyperparameters: { ...hp }, status: 'running', value: null, intermediate: [], worker,
      startedAt: now, heartbeatAt: now,
    });
    s.trials.push(t);
    return t;
  }

  async reportIntermediate(study: string, trialId: number, step: number, value: number): Promise<void> {
    checkStep(step, value, 'MemoryStorage.reportIntermediate');
    const s = this.get(study, 'MemoryStorage.reportIntermediate');
    const t = this.running(s, trialId, 'MemoryStorage.reportIntermediate');
    s.trials[trialId] = freezeTrial({ ...t, intermediate: withIntermediate(t.intermediate, step, value), heartbeatAt: Date.now() });
  }

  async heartbeat(study: string, trialId: number): Promise<void> {
    const s = this.get(study, 'MemoryStorage.heartbeat');
    const t = this.running(s, trialId, 'MemoryStorage.heartbeat');
    s.trials[trialId] = freezeTrial({ ...t, heartbeatAt: Date.now() });
  }

  async finishTrial(study: string, trialId: number, outcome: TrialOutcome): Promise<TrialRecord> {
    checkOutcome(outcome, 'MemoryStorage.finishTrial');
    const s = this.get(study, 'MemoryStorage.finishTrial');
    const t = this.running(s, trialId, 'MemoryStorage.finishTrial');
    return (s.trials[trialId] = finishedRecord(t, outcome, Date.now()));
  }

  async getTrials(study: string): Promise<TrialRecord[]> {
    return this.get(study, 'MemoryStorage.getTrials').trials.slice();
  }

  async saveCheckpoint(study: string, trialId: number, data: Uint8Array): Promise<void> {
    const s = this.get(study, 'MemoryStorage.saveCheckpoint');
    if (!s.trials[trialId]) throw trialNotFound(study, trialId, 'MemoryStorage.saveCheckpoint');
    s.checkpoints.set(trialId, Uint8Array.from(data));
  }

  async loadCheckpoint(study: string, trialId: number): Promise<Uint8Array | null> {
    const data = this.get(study, 'MemoryStorage.loadCheckpoint').checkpoints.get(trialId);
    return data ? Uint8Array.from(data) : null;
  }

  async listStudies(): Promise<StudyInfo[]> {
    return [...this.studies.values()].map((s) => s.info);
  }

  async close(): Promise<void> {}

  private get(study: string, where: string): Study {
    const s = this.studies.get(study);
    if (!s) throw notFound(study, where);
    return s;
  }

  private running(s: Study, id: number, where: string): TrialRecord {
    const t = s.trials[id];
    if (!t) throw trialNotFound(s.info.name, id, where);
    if (t.status !== 'running') throw notRunning(s.info.name, t, where);
    return t;
  }
}
