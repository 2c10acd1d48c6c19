// Tuner benchmark: best value found within the same budget of trials by BayesianOptimization, TPESearch and
// RandomSearch on Branin (2-D, budget 30) and Hartmann-6 (6-D, budget 60), over 10 seeds; median (and quartiles)
// of the best value per seed. Run: npm run build && npm run bench:tuner  (writes bench/results/tuner.json).
// Options: --seeds N (default 10).

import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BayesianOptimization, RandomSearch, TPESearch, type Tuner, type TunerOptions, type HyperParameters } from '../src/index.js';
import { branin, hartmann6, BRANIN_MIN, HARTMANN6_MIN } from '../test/tuner/helpers.js';

interface Problem {
  name: string;
  budget: number;
  optimum: number;
  objective: (hp: HyperParameters) => number;
}

const problems: Problem[] = [
  { name: 'Branin', budget: 30, optimum: BRANIN_MIN, objective: (hp) => branin(hp.float('x1', -5, 10), hp.float('x2', 0, 15)) },
  { name: 'Hartmann-6', budget: 60, optimum: HARTMANN6_MIN, objective: (hp) => hartmann6([0, 1, 2, 3, 4, 5].map((i) => hp.float(`x${i}`, 0, 1))) },
];

const tuners: [string, (o: TunerOptions) => Tuner][] = [
  ['BayesianOptimization', (o) => new BayesianOptimization(o)],
  ['TPESearch', (o) => new TPESearch(o)],
  ['RandomSearch', (o) => new RandomSearch(o)],
];

function quantile(sorted: number[], q: number): number {
  const i = (sorted.length - 1) * q;
  const lo = Math.floor(i);
  return sorted[lo] + (sorted[Math.ceil(i)] - sorted[lo]) * (i - lo);
}

async function main(): Promise<void> {
  const arg = process.argv.indexOf('--seeds');
  const nSeeds = arg > 0 ? Number(process.argv[arg + 1]) : 10;
  const seeds = Array.from({ length: nSeeds }, (_, i) => i + 1);
  const results: Record<string, unknown>[] = [];
  const rows: string[][] = [];
  for (const p of problems) {
    for (const [name, make] of tuners) {
      const bests: number[] = [];
      const t0 = performance.now();
      for (const seed of seeds) {
        const tuner = make({ storage: 'memory', verbose: 0, maxTrials: p.budget, seed });
        bests.push((await tuner.optimize(p.objective)).value);
      }
      const seconds = (performance.now() - t0) / 1000;
      const sorted = [...bests].sort((a, b) => a - b);
      const median = quantile(sorted, 0.5);
      results.push({ problem: p.name, tuner: name, budget: p.budget, seeds: nSeeds, optimum: p.optimum, median, q25: quantile(sorted, 0.25), q75: quantile(sorted, 0.75), bests, seconds });
      rows.push([p.name, String(p.budget), name, median.toFixed(4), `${quantile(sorted, 0.25).toFixed(4)} .. ${quantile(sorted, 0.75).toFixed(4)}`, (median - p.optimum).toFixed(4), seconds.toFixed(1)]);
      console.error(`${p.name} ${name}: median ${median.toFixed(4)} (${seconds.toFixed(1)} s)`);
    }
  }
  const header = ['problem', 'budget', 'tuner', 'median best', 'quartiles', 'median regret', 'time (s)'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => '| ' + r.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |';
  console.log(line(header));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const r of rows) console.log(line(r));
  const out = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench', 'results', 'tuner.json');
  mkdirSync(dirname(out), { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  writeSync(fd, JSON.stringify({ node: process.version, date: new Date().toISOString(), seeds, results }, null, 2) + '\n');
  fsyncSync(fd);
  closeSync(fd);
  renameSync(tmp, out);
  console.log(`\nwritten ${out}`);
}

await main();
