// Where a command writes: stdout for results, stderr for diagnostics (so `descent predict ... > out.csv` works).

export interface CliContext {
  out(line: string): void;
  err(line: string): void;
}

export const processContext: CliContext = {
  out: (line) => void process.stdout.write(line + '\n'),
  err: (line) => void process.stderr.write(line + '\n'),
};
