// descent summary <model dir>: Keras's model table, the data it expects and how it was trained.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse, type OptionSpec } from '../args.js';
import { loadModelDir, readHistory, HISTORY_FILE } from '../model-dir.js';
import { getModelMetadata } from '../../io/metadata.js';
import { formatMetrics } from '../metrics-text.js';
import type { CliContext } from '../context.js';

export const SUMMARY_USAGE = `Usage: descent summary <model dir>

Print the model's layers, output shapes and parameter counts (Keras's summary), the input columns and
target it was trained with, and the last epoch's metrics.

Options:
  --verbose     stack traces on errors
  -h, --help    this help`;

export async function summary(argv: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parse('summary', argv, {} as OptionSpec, { min: 1, max: 1, names: '<model-dir>' });
  if (values.help) return ctx.out(SUMMARY_USAGE), 0;
  const [dir] = positionals;
  const model = await loadModelDir(dir);
  model.summary({ printFn: (line) => ctx.out(line) });
  const md = getModelMetadata(model);
  if (md?.encoders) {
    const t = md.encoders.target;
    const task = t.task === 'regression' ? 'regression' : `${t.task} (classes: ${t.classes!.join(', ')})`;
    ctx.out(`Target: '${t.name}', ${task}`);
    const cols = md.encoders.features.map((f) => (f.kind === 'numeric' ? f.name : `${f.name} (one-hot: ${f.categories.length} categories)`));
    ctx.out(`Input columns (${cols.length}): ${cols.join(', ')}`);
    const scaled = Object.entries(md.scalers).map(([k, v]) => `${k}: ${v.className}`);
    if (scaled.length) ctx.out(`Scalers: ${scaled.join(', ')}`);
  }
  for (const w of md?.warnings ?? []) ctx.out(`Warning: ${w}`);
  if (existsSync(join(dir, HISTORY_FILE))) {
    const h = readHistory(join(dir, HISTORY_FILE));
    const n = Math.max(0, ...Object.values(h.history).map((v) => v.length));
    if (n > 0) {
      const last: Record<string, number> = {};
      for (const [k, v] of Object.entries(h.history)) last[k] = v[n - 1];
      ctx.out(`Trained ${n} epochs; last epoch: ${formatMetrics(last)}`);
      if (h.units) ctx.out(`Units: ${Object.entries(h.units).map(([k, u]) => `${k} in ${u}`).join(', ')}`);
    }
    if (h.testMetrics) ctx.out(`Test: ${formatMetrics(h.testMetrics)}`);
  }
  return 0;
}
