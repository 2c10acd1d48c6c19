// A StudyStorage for worker threads that forwards every call over a MessagePort to the storage held by the main
// thread, so threads share any storage, 'memory' included, through one connection.
//
// claimTrial cannot send the propose() closure across threads, so the client reads the trials, proposes locally,
// and asks the server to claim exactly that point provided the study still has the trials it saw (same ids and
// statuses); otherwise it proposes again from the fresh trials (optimistic concurrency; the server's claimTrial is
// atomic against every other claimer of the storage). The server also heartbeats the trials its threads run, so a
// thread blocked in a synchronous objective is not taken for dead, and marks them failed if the thread exits.

import type { MessagePort } from 'node:worker_threads';
import type { Direction, HyperparameterValues, StudyInfo, StudyStorage, TrialOutcome, TrialRecord } from '../trial.js';
import { HEARTBEAT_INTERVAL_MS, frozen } from '../storage/common.js';

interface Request { id: number; method: string; args: unknown[] }
interface Response { id: number; result?: unknown; error?: { message: string; stack?: string }; conflict?: boolean }

const fingerprint = (trials: readonly TrialRecord[]) => trials.map((t) => `${t.id}:${t.status}`).join(',');
const CONFLICT = Symbol('conflict');

export interface StorageServer {
  /** Mark every trial claimed through this port and still running as failed with `reason`, and stop heartbeats. */
  abandon(reason: string): Promise<void>;
  stop(): void;
}

/** Answer RemoteStorage calls arriving on `port` with `storage`. */
export function serveStorage(storage: StudyStorage, port: MessagePort, heartbeatMs = HEARTBEAT_INTERVAL_MS): StorageServer {
  const running = new Map<string, { study: string; id: number }>();
  const key = (study: string, id: number) => `${id}\u0000${study}`;
  const timer = setInterval(() => {
    for (const t of running.values()) storage.heartbeat(t.study, t.id).catch(() => running.delete(key(t.study, t.id)));
  }, heartbeatMs);
  timer.unref();

  const handle = async (method: string, args: unknown[]): Promise<unknown> => {
    switch (method) {
      case 'openStudy': return storage.openStudy(args[0] as string, args[1] as Direction, args[2]);
      case 'claimExact': {
        const [study, worker, hp, seen] = args as [string, string, HyperparameterValues, string];
        const t = await storage.claimTrial(study, worker, (trials) => {
          if (fingerprint(trials) !== seen) throw CONFLICT;
          return hp;
        });
        if (t) running.set(key(study, t.id), { study, id: t.id });
        return t;
      }
      case 'reportIntermediate': return storage.reportIntermediate(args[0] as string, args[1] as number, args[2] as number, args[3] as number);
      case 'heartbeat': return storage.heartbeat(args[0] as string, args[1] as number);
      case 'finishTrial': {
        const [study, id, outcome] = args as [string, number, TrialOutcome];
        running.delete(key(study, id));
        return storage.finishTrial(study, id, outcome);
      }
      case 'getTrials': return storage.getTrials(args[0] as string);
      case 'saveCheckpoint': return storage.saveCheckpoint?.(args[0] as string, args[1] as number, args[2] as Uint8Array);
      case 'loadCheckpoint': return storage.loadCheckpoint ? storage.loadCheckpoint(args[0] as string, args[1] as number) : null;
      case 'listStudies': return storage.listStudies();
      case 'close': return undefined; // the main thread owns the storage
      default: throw new Error(`RemoteStorage: unknown method ${method}`);
    }
  };

  port.on('message', (req: Request) => {
    handle(req.method, req.args).then(
      (result) => port.postMessage({ id: req.id, result } satisfies Response),
      (e) => port.postMessage(e === CONFLICT
        ? { id: req.id, conflict: true }
        : { id: req.id, error: { message: (e as Error)?.message ?? String(e), stack: (e as Error)?.stack } } satisfies Response),
    );
  });

  return {
    async abandon(reason: string) {
      clearInterval(timer);
      const left = [...running.values()];
      running.clear();
      for (const t of left) await storage.finishTrial(t.study, t.id, { status: 'failed', error: `abandoned: ${reason}` }).catch(() => {});
    },
    stop() {
      clearInterval(timer);
      port.close();
    },
  };
}

/** The thread side: a StudyStorage whose calls run on the main thread's storage. */
export class RemoteStorage implements StudyStorage {
  private next = 0;
  private readonly pending = new Map<number, { resolve: (r: Response) => void }>();

  constructor(private readonly port: MessagePort) {
    port.on('message', (res: Response) => {
      const p = this.pending.get(res.id);
      this.pending.delete(res.id);
      if (this.pending.size === 0) port.unref(); // let the thread exit once nothing is awaited
      p?.resolve(res);
    });
    port.unref();
  }

  private async raw(method: string, ...args: unknown[]): Promise<Response> {
    const id = this.next++;
    const done = new Promise<Response>((resolve) => this.pending.set(id, { resolve }));
    this.port.ref();
    this.port.postMessage({ id, method, args } satisfies Request);
    return done;
  }

  private async call<T>(method: string, ...args: unknown[]): Promise<T> {
    const res = await this.raw(method, ...args);
    if (res.error) {
      const e = new Error(res.error.message);
      if (res.error.stack) e.stack = res.error.stack;
      throw e;
    }
    return (res.result === undefined || res.result === null ? res.result : frozen(res.result)) as T;
  }

  openStudy(name: string, direction: Direction, space: unknown): Promise<StudyInfo> {
    return this.call('openStudy', name, direction, space);
  }

  async claimTrial(study: string, worker: string, propose: (trials: readonly TrialRecord[]) => HyperparameterValues | null): Promise<TrialRecord | null> {
    for (;;) {
      const trials = await this.getTrials(study);
      const hp = propose(trials);
      if (hp === null) return null;
      const res = await this.raw('claimExact', study, worker, hp, fingerprint(trials));
      if (res.conflict) continue; // another claimer got there first: propose again
      if (res.error) throw new Error(res.error.message);
      return frozen(res.result as TrialRecord | null);
    }
  }

  reportIntermediate(study: string, trialId: number, step: number, value: number): Promise<void> {
    return this.call('reportIntermediate', study, trialId, step, value);
  }

  heartbeat(study: string, trialId: number): Promise<void> {
    return this.call('heartbeat', study, trialId);
  }

  finishTrial(study: string, trialId: number, outcome: TrialOutcome): Promise<TrialRecord> {
    return this.call('finishTrial', study, trialId, outcome);
  }

  getTrials(study: string): Promise<TrialRecord[]> {
    return this.call<TrialRecord[]>('getTrials', study).then((t) => t.slice());
  }

  async saveCheckpoint(study: string, trialId: number, data: Uint8Array): Promise<void> {
    await this.call('saveCheckpoint', study, trialId, data);
  }

  async loadCheckpoint(study: string, trialId: number): Promise<Uint8Array | null> {
    const res = await this.raw('loadCheckpoint', study, trialId); // bytes, not frozen (a typed array cannot be)
    if (res.error) throw new Error(res.error.message);
    return (res.result as Uint8Array | null) ?? null;
  }

  listStudies(): Promise<StudyInfo[]> {
    return this.call<StudyInfo[]>('listStudies').then((s) => s.slice());
  }

  async close(): Promise<void> {
    this.port.close();
  }
}
