// Worker threads for CPU-bound trials: wall time of 16 trials of a busy-loop objective (~4e6 square roots each) with
// concurrency 1, concurrency 2 in one thread (async loops) and concurrency 2 in worker threads.
// Run: npm run build && node dist/bench/tuner-threads.js [--rounds 5]   (median and min over interleaved rounds).
// Worker threads import this module: the benchmark itself runs only in the main thread.

import { Worker, isMainThread } from 'node:worker_threads';
import * as os from 'node:os';
import { RandomSearch, type HyperParameters } from '../src/index.js';

export function busy(hp: HyperParameters): number {
  const x = hp.float('x', -5, 5);
  let s = 0;
  for (let i = 0; i < 4e6; i++) s += Math.sqrt(i + (s % 7));
  return x * x + (s < 0 ? 1 : 0);
}

async function run(concurrency: number, threads: boolean): Promise<number> {
  const t0 = performance.now();
  const tuner = new RandomSearch({
    storage: 'memory', verbose: 0, maxTrials: 16, seed: 1, concurrency,
    ...(threads ? { threads: { module: import.meta.url, objective: 'busy' } } : {}),
  });
  await tuner.optimize(busy);
  return (performance.now() - t0) / 1000;
}

/** What two plain worker threads gain over one right now (2 = two free cores; about 1 when other jobs hold a core). */
async function parallelEfficiency(): Promise<number> {
  const work = `let s = 0; for (let i = 0; i < 5e7; i++) s += Math.sqrt(i + (s % 7)); require('node:worker_threads').parentPort.postMessage(s);`;
  const one = () => new Promise((r) => new Worker(work, { eval: true }).once('message', r));
  let t0 = performance.now();
  await one();
  const single = performance.now() - t0;
  t0 = performance.now();
  await Promise.all([one(), one()]);
  return (2 * single) / (performance.now() - t0);
}

if (isMainThread) {
  const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 5;
  const configs: [string, number, boolean][] = [
    ['concurrency 1', 1, false],
    ['concurrency 2, one thread (async)', 2, false],
    ['concurrency 2, worker threads', 2, true],
  ];
  const times: number[][] = configs.map(() => []);
  const load0 = os.loadavg()[0];
  for (let r = 0; r < rounds; r++) {
    // interleaved, so that a burst of load from other processes hits every configuration alike
    for (const [i, [, c, t]] of configs.entries()) times[i].push(await run(c, t));
  }
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];
  const efficiency = await parallelEfficiency();
  console.log(`node ${process.version}, ${os.cpus().length} cores, load average ${load0.toFixed(1)} before, ${os.loadavg()[0].toFixed(1)} after; ${rounds} rounds; two plain threads do ${efficiency.toFixed(2)}x the work of one right now`);
  console.log(`| ${'16 CPU-bound trials'.padEnd(34)} | median s | min s |\n|${'-'.repeat(36)}|----------|-------|`);
  configs.forEach(([label], i) => console.log(`| ${label.padEnd(34)} | ${median(times[i]).toFixed(2).padStart(8)} | ${Math.min(...times[i]).toFixed(2).padStart(5)} |`));
  console.log(`speed-up of threads over concurrency 1: ${(median(times[0]) / median(times[2])).toFixed(2)}x (median), ${(Math.min(...times[0]) / Math.min(...times[2])).toFixed(2)}x (min)`);
}
