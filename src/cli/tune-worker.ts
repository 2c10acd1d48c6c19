// descent tune-worker <spec.json>: run one worker of a stored tuning study. Start it on as many machines as you
// like with the same spec and a shared storage (a postgresql:// URL; a directory for processes on one machine):
// each worker claims trials atomically until the study's budget or grid is used up.

import { parse, intOption, stringOption, type OptionSpec } from './args.js';
import { processContext, type CliContext } from './context.js';
import { UsageError } from './errors.js';
import { readSpec } from '../tuner/workers/spec.js';
import { runStudyWorker } from '../tuner/workers/run.js';
import type { TrialRecord } from '../tuner/trial.js';

export const TUNE_WORKER_USAGE = `Usage: descent tune-worker <spec.json> [options]

Run one worker of a stored tuning study until the study is finished. The spec (JSON) names the objective by
module and export, the tuner and its options, the study and its storage:

  { "module": "./objective.js", "objective": "objective",
    "tuner": "BayesianOptimization", "options": { "maxTrials": 50, "seed": 1, "direction": "minimize" },
    "studyName": "mlp-lr", "storage": "postgresql://user@host/db" }

Options:
  --storage <spec>    override the spec's storage ('memory', a directory, postgresql://...)
  --study <name>      override the spec's studyName
  --threads <n>       worker threads in this process (default: the spec's "threads", else 1)
  --json              print one JSON line per trial finished by this worker, once it is stored:
                      {"trial":3,"status":"complete","value":0.25,"hyperparameters":{...}}
  --verbose           stack traces on errors
  -h, --help          this help`;

const OPTIONS: OptionSpec = {
  storage: { type: 'string' },
  study: { type: 'string' },
  threads: { type: 'string' },
  json: { type: 'boolean' },
};

export async function runTuneWorker(argv: string[], ctx: CliContext = processContext): Promise<number> {
  const { values, positionals } = parse('tune-worker', argv, OPTIONS, { min: 1, max: 1, names: '<spec.json>' });
  if (values.help) return ctx.out(TUNE_WORKER_USAGE), 0;
  const spec = readSpec(positionals[0]);
  const storage = stringOption(values, 'storage') ?? spec.storage;
  const studyName = stringOption(values, 'study') ?? spec.studyName;
  if (studyName.length === 0) throw new UsageError('--study must not be empty', 'tune-worker');
  const threads = intOption('tune-worker', values, 'threads') ?? spec.threads ?? 1;
  const t0 = Date.now();
  const onFinished = values.json
    ? (t: TrialRecord) => ctx.out(JSON.stringify({ trial: t.id, status: t.status, value: t.value, hyperparameters: t.hyperparameters, ...(t.error ? { error: t.error } : {}) }))
    : undefined;
  const result = await runStudyWorker({ ...spec, storage, studyName, threads }, { onFinished });
  const counts: Record<string, number> = {};
  for (const t of result.trials) counts[t.status] = (counts[t.status] ?? 0) + 1;
  const summary = Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(', ') || 'no trials';
  ctx.out(`study "${studyName}": ${summary}; ${result.finished} finished during this run (${((Date.now() - t0) / 1000).toFixed(1)} s)${result.ended ? `; ${result.ended}` : ''}`);
  return 0;
}
