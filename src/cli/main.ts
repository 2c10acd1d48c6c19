#!/usr/bin/env node
// Entry of the `descent` command (package.json "bin"). All logic is in run.ts, which tests can call in-process.

import { run } from './run.js';

// `descent predict ... | head` closes stdout early: that is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

process.exitCode = await run(process.argv.slice(2));
