// Reading a user's JSON file (model spec, search space, tune spec, history) with errors that name the file.

import { readFileSync } from 'node:fs';

/** Parse a JSON file; `what` names it in errors ("Model spec", "Search space", ...). */
export function readJsonFile(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(code === 'ENOENT' ? `${what} file not found: ${path}` : `cannot read ${what.toLowerCase()} ${path}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${what} ${path} is not valid JSON: ${(e as Error).message}`);
  }
}
