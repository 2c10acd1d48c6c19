// The browser platform (see platform.ts): replaces node.ts in browser builds through package.json "browser".
// No files, processes or threads: studies live in memory, models save to IndexedDB or downloads.

import type { Platform, TextOut } from './platform.js';
import { isStudyStorage } from '../tuner/storage/is-storage.js';

/** console.log line by line (a progress bar that is not a TTY writes whole lines). */
function consoleOut(): TextOut {
  let pending = '';
  return {
    isTTY: false,
    write(text: string) {
      pending += text;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) console.log(line);
      return true;
    },
  };
}

const nodeOnly = (what: string, instead: string): never => {
  throw new Error(`${what} needs Node.js (files, processes or threads); in the browser ${instead}.`);
};

export const platform: Platform = {
  name: 'browser',
  env: () => undefined,
  warn: (message) => console.warn(message),
  breathe: () => new Promise((resolve) => setTimeout(resolve, 0)),
  stderr: (line) => console.warn(line),
  stdout: consoleOut,
  hostname: () => 'browser',
  pid: () => 0,
  readText: (path) => nodeOnly(`Reading ${path}`, 'there are no files'),
  readLink: (path) => nodeOnly(`Reading ${path}`, 'there are no files'),
  scriptPath: () => (typeof location === 'object' ? location.pathname : ''),
  cores: () => 1,
  readWasm: () => null,
  startKernelWorker: () => null,
  async openStorage(spec, options) {
    // Loaded on use: storage modules import this one (through the core), so a static import would be a cycle.
    if (spec === 'memory' || spec === ':memory:') return new (await import('../tuner/storage/memory.js')).MemoryStorage(options);
    if (typeof spec === 'object' && spec !== null && isStudyStorage(spec)) return spec;
    return nodeOnly(`Tuner storage ${spec === undefined ? '(default: a directory)' : JSON.stringify(spec)}`, "pass storage: 'memory' or a StudyStorage object");
  },
  tunerThreads: () => nodeOnly('Tuner threads', 'run trials in the page or in a Web Worker (omit threads)'),
  async saveModel(model, target, options) {
    const { saveToUrl } = await import('../io/browser.js');
    return saveToUrl(model, target, options);
  },
  csv: () => nodeOnly('Reading CSV from a path', 'parse the text yourself and use Dataset.fromTensorSlices or fit(x, y)'),
};
