// What the core needs from its host, behind one interface so that no core module imports a Node built-in.
// node.ts implements it on Node (the default); browser.ts replaces node.ts in browser builds through the
// package.json "browser" field (the file swap every bundler applies: esbuild, webpack, Rollup, Vite).
// The Node-only services (files, processes, threads, PostgreSQL) are loaded lazily by node.ts, and browser.ts
// answers them with an error that says what to use instead.

import type { StudyStorage } from '../tuner/trial.js';
import type { StorageOptions } from '../tuner/storage/common.js';
import type { SaveOptions } from '../io/artifacts.js';
import type { Sequential } from '../models/sequential.js';

/** A text sink with the parts of a Node stream the progress bar uses. */
export interface TextOut {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface Platform {
  readonly name: 'node' | 'browser';
  /** An environment variable (undefined in the browser). */
  env(name: string): string | undefined;
  /** A one-line warning (process.emitWarning on Node, console.warn in the browser). */
  warn(message: string): void;
  /** Resolve after pending events ran (setImmediate on Node, a 0 ms timeout in the browser). */
  breathe(): Promise<void>;
  /** One line on standard error (console.warn in the browser). */
  stderr(line: string): void;
  /** Where progress bars and verbose output go (process.stdout; console.log by lines in the browser). */
  stdout(): TextOut;
  /** This machine's name and this process's id (trial owners, worker names). */
  hostname(): string;
  pid(): number;
  /** A text file read synchronously (Linux /proc, for trial liveness); throws where there are no files. */
  readText(path: string): string;
  /** A symbolic link's target (Linux /proc); throws where there are no files. */
  readLink(path: string): string;
  /** The running script (part of a study's fingerprint). */
  scriptPath(): string;
  /** Hardware threads available for kernels (1 in the browser: wasm threads are skipped there). */
  cores(): number;
  /** The wasm kernels' bytes, read synchronously at import; null where only async loading works (browser). */
  readWasm(path: string | URL): Uint8Array | null;
  /** Start a kernel worker thread sharing the wasm memory; null where threads are skipped. */
  startKernelWorker(data: object, onError: (e: Error) => void): { terminate(): unknown } | null;
  /** A tuner's `storage` option as a StudyStorage ('memory' and StudyStorage objects work everywhere). */
  openStorage(spec: string | StudyStorage | undefined, options?: StorageOptions): Promise<StudyStorage>;
  /** The worker-threads runner of the tuner (Node only). */
  tunerThreads(): Promise<typeof import('../tuner/workers/index.js')>;
  /** model.save(target): a directory on Node; 'indexeddb://name' or 'downloads://name' in the browser. */
  saveModel(model: Sequential, target: string, options?: SaveOptions): Promise<void>;
  /** CSV files read from a path (Node only). */
  csv(): Promise<typeof import('../data/csv.js')>;
}
