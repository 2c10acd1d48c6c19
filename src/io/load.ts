// loadModel(dir): a Sequential model from a TensorFlow.js layers-model directory (saved by descent or by TF.js),
// read from the file system (Node). The checks and the building are modelFromJSON's (from-json.ts); a model is
// returned only when every weight was read exactly as saved.

import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Sequential } from '../models/sequential.js';
import { interruptedBackups, removeLeftovers } from './atomic.js';
import { MODEL_JSON } from './format.js';
import { modelFromJSON, oneLine, type LoadOptions } from './from-json.js';

export { modelFromJSON, type LoadOptions } from './from-json.js';

/** Load a model saved by saveModel (or by TensorFlow.js) from directory `dir`. */
export async function loadModel(dir: string, options: LoadOptions = {}): Promise<Sequential> {
  if (typeof dir !== 'string' || dir === '') throw new Error('loadModel needs a directory path.');
  const info = await stat(dir).catch(() => null);
  if (!info) {
    const backups = await interruptedBackups(dir);
    const hint = backups.length ? ` A save into it was interrupted; the previous model is in ${backups[0]}${backups.length > 1 ? ` (the newest of ${backups.length} backups)` : ''}: rename it to ${dir} to use it.` : '';
    throw new Error(`Model directory not found: ${dir}.${hint}`);
  }
  await removeLeftovers(dir);
  if (!info.isDirectory()) throw new Error(`${dir} is not a directory; loadModel expects the directory that holds model.json.`);
  const file = join(dir, MODEL_JSON);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new Error(`${file} not found: ${dir} is not a saved model (it has no model.json).`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file} is not valid JSON (${oneLine((e as Error).message)}); the file is truncated or corrupt.`);
  }
  return modelFromJSON(json, file, async (path) => {
    const shard = join(dir, path);
    try {
      return new Uint8Array(await readFile(shard));
    } catch {
      throw new Error(`${shard} not found: model.json lists it in weightsManifest but the file is missing.`);
    }
  }, options);
}

