// Command-line parsing on node's util.parseArgs, with numbers checked and errors turned into UsageErrors.

import { parseArgs } from 'node:util';
import { UsageError } from './errors.js';

export type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;

/** Options every command accepts. */
export const COMMON_OPTIONS: OptionSpec = {
  help: { type: 'boolean', short: 'h' },
  verbose: { type: 'boolean' },
};

export interface Parsed {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

export function parse(command: string, argv: string[], options: OptionSpec, positionals: { min: number; max: number; names: string }): Parsed {
  let result;
  try {
    result = parseArgs({ args: argv, options: { ...COMMON_OPTIONS, ...options }, allowPositionals: true, strict: true });
  } catch (e) {
    // parseArgs messages are good ("Unknown option '--foo'"); drop its own hint about '--' and point at --help.
    const msg = (e as Error).message.replace(/\. To specify a positional argument.*$/s, '').replace(/\s+$/, '');
    throw new UsageError(msg, command);
  }
  const values = result.values as Parsed['values'];
  if (values.help) return { values, positionals: result.positionals };
  const n = result.positionals.length;
  if (n < positionals.min) throw new UsageError(`missing ${positionals.names.split(' ').slice(n, positionals.min).join(' ')}`, command);
  if (n > positionals.max) throw new UsageError(`unexpected argument '${result.positionals[positionals.max]}'`, command);
  return { values, positionals: result.positionals };
}

function numberOption(command: string, values: Parsed['values'], name: string, check: (v: number) => boolean, what: string): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(v) || !check(v)) {
    throw new UsageError(`--${name} must be ${what}, got '${raw}'`, command);
  }
  return v;
}

export const intOption = (command: string, values: Parsed['values'], name: string, min = 1) =>
  numberOption(command, values, name, (v) => Number.isInteger(v) && v >= min, `an integer >= ${min}`);

export const positiveOption = (command: string, values: Parsed['values'], name: string) =>
  numberOption(command, values, name, (v) => v > 0, 'a positive number');

export const fractionOption = (command: string, values: Parsed['values'], name: string, allowZero = false) =>
  numberOption(command, values, name, (v) => (allowZero ? v >= 0 : v > 0) && v < 1, allowZero ? 'a number in [0, 1)' : 'a number in (0, 1)');

export function stringOption(values: Parsed['values'], name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

export function choiceOption<T extends string>(command: string, values: Parsed['values'], name: string, choices: readonly T[]): T | undefined {
  const v = stringOption(values, name);
  if (v === undefined) return undefined;
  if (!choices.includes(v as T)) throw new UsageError(`--${name} must be one of ${choices.join(', ')}, got '${v}'`, command);
  return v as T;
}

/** --name a,b,c -> ['a', 'b', 'c'] (undefined when the flag is absent). */
export function listOption(values: Parsed['values'], name: string): string[] | undefined {
  const v = stringOption(values, name);
  return v === undefined ? undefined : v.split(',').map((c) => c.trim()).filter((c) => c.length > 0);
}

/** --categorical a,b,c -> ['a', 'b', 'c'] (undefined: loadCsv's 'auto'). */
export const categoricalOption = (values: Parsed['values']): string[] | undefined => listOption(values, 'categorical');
