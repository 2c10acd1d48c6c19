// Worker threads on one machine: `threads` copies of a study worker (thread-entry.ts) each run the tuner with
// concurrency 1, claiming trials from the main thread's storage through a RemoteStorage. The oracles are
// stateless (trials in, point out), so the threads need no other coordination than atomic claims.

import { MessageChannel, Worker } from 'node:worker_threads';
import * as os from 'node:os';
import type { StudyStorage } from '../trial.js';
import { serveStorage } from './remote-storage.js';
import type { TuneWorkerSpec } from './spec.js';

export interface ThreadsOptions {
  threads: number;
  /** The spec each thread runs (its `storage` and `threads` are ignored: the threads use `storage` below). */
  spec: TuneWorkerSpec;
  storage: StudyStorage;
  /** Prefix of the worker names recorded with trials; default host:pid. */
  workerName?: string;
  /** Heartbeat interval for the threads' running trials (ms). */
  heartbeatMs?: number;
}

/** Run the threads to completion; rejects with the first thread's error after every thread has stopped. */
export async function runWorkerThreads(options: ThreadsOptions): Promise<void> {
  const { threads, spec, storage } = options;
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`runWorkerThreads: threads must be a positive integer, got ${threads}`);
  const prefix = options.workerName ?? `${os.hostname()}:${process.pid}`;
  const entry = new URL('./thread-entry.js', import.meta.url);
  const errors: unknown[] = [];
  await Promise.all(Array.from({ length: threads }, (_, i) => new Promise<void>((resolve) => {
    const { port1, port2 } = new MessageChannel();
    const server = serveStorage(storage, port1, options.heartbeatMs);
    const workerName = `${prefix}/thread-${i}`;
    const worker = new Worker(entry, {
      workerData: { spec: { ...spec, threads: 1 }, port: port2, workerName },
      transferList: [port2],
    });
    let failed: unknown = null;
    worker.on('error', (e) => (failed = e));
    worker.on('exit', (code) => {
      if (!failed && code !== 0) failed = new Error(`tuner worker thread ${workerName} exited with code ${code}`);
      if (failed) errors.push(failed);
      const reason = `worker thread ${workerName} stopped${failed ? `: ${(failed as Error).message ?? failed}` : ''}`;
      server.abandon(reason).finally(() => {
        server.stop();
        resolve();
      });
    });
  })));
  if (errors.length > 0) throw errors[0];
}
