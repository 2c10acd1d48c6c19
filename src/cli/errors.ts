// Exit codes scripts can rely on, and the error type for a wrong command line.
//   0  success
//   1  runtime error (bad data, missing file, failed training, ...)
//   2  usage error (unknown command or option, missing or malformed argument)

export const EXIT_OK = 0;
export const EXIT_RUNTIME = 1;
export const EXIT_USAGE = 2;

/** A mistake on the command line: printed with a pointer to --help, exit code 2. */
export class UsageError extends Error {
  constructor(message: string, readonly command?: string) {
    super(message);
    this.name = 'UsageError';
  }
}
