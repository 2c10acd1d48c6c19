// Entry of one tuner worker thread (started by threads.ts): run the spec against the main thread's storage.

import { workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { RemoteStorage } from './remote-storage.js';
import { runStudyWorker } from './run.js';
import type { TuneWorkerSpec } from './spec.js';

const { spec, port, workerName } = workerData as { spec: TuneWorkerSpec; port: MessagePort; workerName: string };
const storage = new RemoteStorage(port);
try {
  await runStudyWorker(spec, { storage, workerName });
} finally {
  await storage.close();
}
