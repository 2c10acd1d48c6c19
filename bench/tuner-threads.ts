// Worker threads for CPU-bound trials: wall time of 16 trials of a busy-loop objective (~4e6 square roots each) with
// concurrency 1, concurrency 2 in one thread (async loops) and concurrency 2 in worker threads.
// Run: npm run build && node dist/bench/tuner-threads.js   (prints the table and the load average).
// Worker threads import this module: the benchmark itself runs only in the main thread.

import { isMainThread } from 'node:worker_threads';
import * as os from 'node:os';
import { RandomSearch, type HyperParameters } from '../src/index.js';

export function busy(hp: HyperParameters): number {
  const x = hp.float('x', -5, 5);
  let s = 0;
  for (let i = 0; i < 4e6; i++) s += Math.sqrt(i + (s % 7));
  return x * x + (s < 0 ? 1 : 0);
}

async function run(label: string, concurrency: number, threads: boolean): Promise<number> {
  const t0 = performance.now();
  const tuner = new RandomSearch({
    storage: 'memory', verbose: 0, maxTrials: 16, seed: 1, concurrency,
    ...(threads ? { threads: { module: import.meta.url, objective: 'busy' } } : {}),
  });
  await tuner.optimize(busy);
  const s = (performance.now() - t0) / 1000;
  console.log(`| ${label.padEnd(34)} | ${s.toFixed(2).padStart(6)} |`);
  return s;
}

if (isMainThread) {
  console.log(`node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log(`| ${'16 CPU-bound trials'.padEnd(34)} | wall s |\n|${'-'.repeat(36)}|--------|`);
  const one = await run('concurrency 1', 1, false);
  await run('concurrency 2, one thread (async)', 2, false);
  const two = await run('concurrency 2, worker threads', 2, true);
  console.log(`speed-up with threads: ${(one / two).toFixed(2)}x`);
}
