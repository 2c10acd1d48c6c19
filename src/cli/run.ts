// The descent command: dispatch to a subcommand, turn errors into one line on stderr and an exit code
// (0 ok, 1 runtime error, 2 usage error; see errors.ts). Stack traces only with --verbose.

// The package entry registers the backend, layers, losses and optimizers by name.
import '../index.js';
import { UsageError, EXIT_OK, EXIT_RUNTIME, EXIT_USAGE } from './errors.js';
import { processContext, type CliContext } from './context.js';
import { train, TRAIN_USAGE } from './commands/train.js';
import { predict, PREDICT_USAGE } from './commands/predict.js';
import { evaluate, EVALUATE_USAGE } from './commands/evaluate.js';
import { summary, SUMMARY_USAGE } from './commands/summary.js';
import { report, REPORT_USAGE } from './commands/report.js';
import { tune, TUNE_USAGE } from './commands/tune.js';
import { info, INFO_USAGE } from './commands/info.js';
import { runTuneWorker, TUNE_WORKER_USAGE } from './tune-worker.js';
import { playground, PLAYGROUND_USAGE } from './commands/playground.js';

type Command = (argv: string[], ctx: CliContext) => Promise<number>;

interface CommandEntry {
  run: Command;
  usage: () => Promise<string> | string;
  about: string;
}

const COMMANDS: Record<string, CommandEntry> = {
  train: { run: train, usage: () => TRAIN_USAGE, about: 'train a model on a CSV file, save it, print test metrics' },
  predict: { run: predict, usage: () => PREDICT_USAGE, about: 'predict a CSV file with a saved model' },
  evaluate: { run: evaluate, usage: () => EVALUATE_USAGE, about: 'loss and metrics of a saved model on a labelled CSV file' },
  summary: { run: summary, usage: () => SUMMARY_USAGE, about: 'layers, parameters and training data of a saved model' },
  report: { run: report, usage: () => REPORT_USAGE, about: 'HTML report of a model, a history.json or a tuning study' },
  tune: { run: tune, usage: () => TUNE_USAGE, about: 'hyperparameter search over a space.json; prints the leaderboard' },
  info: { run: info, usage: () => INFO_USAGE, about: 'backend in use (native, wasm, js), CPU features, threads, BLAS' },
  'tune-worker': { run: runTuneWorker, usage: () => TUNE_WORKER_USAGE, about: 'run one worker of a stored tuning study (many machines can join)' },
  playground: { run: playground, usage: () => PLAYGROUND_USAGE, about: 'serve the interactive playground page on localhost (or --out: static files)' },
};

export const USAGE = `Usage: descent <command> [options]

Commands:
${Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(12)} ${c.about}`).join('\n')}

Run 'descent <command> --help' for a command's options.
Exit codes: 0 success, 1 runtime error (bad data, missing file, ...), 2 usage error.`;

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').trim();
}

export async function run(argv: string[], ctx: CliContext = processContext): Promise<number> {
  const verbose = argv.includes('--verbose');
  const [name, ...rest] = argv;
  if (name === undefined) {
    ctx.err(USAGE);
    return EXIT_USAGE;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    if (name === 'help' && rest[0]) {
      const c = COMMANDS[rest[0]];
      if (!c) return ctx.err(`descent: unknown command '${rest[0]}'. Commands: ${Object.keys(COMMANDS).join(', ')}`), EXIT_USAGE;
      ctx.out(await c.usage());
    } else ctx.out(USAGE);
    return EXIT_OK;
  }
  if (name === '--version' || name === '-v') {
    const { createRequire } = await import('node:module');
    ctx.out(String((createRequire(import.meta.url)('../../../package.json') as { version: string }).version));
    return EXIT_OK;
  }
  const command = COMMANDS[name];
  if (!command) {
    ctx.err(`descent: unknown command '${name}'. Commands: ${Object.keys(COMMANDS).join(', ')} (descent --help)`);
    return EXIT_USAGE;
  }
  try {
    return await command.run(rest, ctx);
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    if (err instanceof UsageError) {
      ctx.err(`descent ${name}: ${oneLine(err.message)} (see: descent ${name} --help)`);
      if (verbose && err.stack) ctx.err(err.stack);
      return EXIT_USAGE;
    }
    ctx.err(`descent ${name}: error: ${oneLine(err.message)}`);
    if (verbose && err.stack) ctx.err(err.stack);
    return EXIT_RUNTIME;
  }
}
