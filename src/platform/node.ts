// The Node.js platform (see platform.ts). Browser builds swap this file for browser.ts.

import { hostname } from 'node:os';
import { availableParallelism } from 'node:os';
import { readFileSync, readlinkSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { Platform } from './platform.js';

export const platform: Platform = {
  name: 'node',
  env: (name) => process.env[name],
  warn: (message) => process.emitWarning(message),
  breathe: () => new Promise((resolve) => setImmediate(resolve)),
  stderr: (line) => void process.stderr.write(line + '\n'),
  stdout: () => process.stdout,
  hostname: () => hostname(),
  pid: () => process.pid,
  readText: (path) => readFileSync(path, 'utf8'),
  readLink: (path) => readlinkSync(path),
  scriptPath: () => process.argv[1] ?? '',
  cores: () => availableParallelism(),
  readWasm: (path) => readFileSync(path),
  startKernelWorker(data, onError) {
    const worker = new Worker(new URL('../backend/wasm-worker.js', import.meta.url), { workerData: data });
    worker.unref();
    worker.on('error', onError);
    return worker;
  },
  openStorage: async (spec, options) => (await import('../tuner/storage/index.js')).openStorage(spec, options),
  tunerThreads: () => import('../tuner/workers/index.js'),
  async saveModel(model, target, options) {
    if (/^(indexeddb|downloads):\/\//i.test(target)) {
      throw new Error(`model.save('${target}'): IndexedDB and downloads are browser storage; on Node save to a directory, e.g. model.save('./my-model').`);
    }
    return (await import('../io/save.js')).saveModel(model, target, options);
  },
  csv: () => import('../data/csv.js'),
};
