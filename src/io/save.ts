// saveModel(model, dir): a Sequential model as a TensorFlow.js layers-model directory (model.json + .bin shards,
// built by modelArtifacts in artifacts.ts), written atomically (see atomic.ts). Node only.

import { resolve, sep } from 'node:path';
import { readdir } from 'node:fs/promises';
import type { Sequential } from '../models/sequential.js';
import { writeDirAtomic } from './atomic.js';
import { MODEL_JSON } from './format.js';
import { modelArtifacts, type SaveOptions } from './artifacts.js';

export { VERSION, modelArtifacts, type SaveOptions } from './artifacts.js';

/** Save a model to directory `dir` (created, or replaced atomically). */
export async function saveModel(model: Sequential, dir: string, options: SaveOptions = {}): Promise<void> {
  if (typeof dir !== 'string' || dir === '') throw new Error('saveModel needs a directory path, e.g. model.save("./my-model").');
  await refuseForeignDirectory(dir);
  const { modelJSON, shards } = modelArtifacts(model, options);
  const files = new Map<string, Uint8Array | string>([[MODEL_JSON, JSON.stringify(modelJSON, null, 2) + '\n']]);
  for (const s of shards) files.set(s.path, s.data);
  for (const [name, data] of Object.entries(options.files ?? {})) {
    if (files.has(name) || !/^[\w.-]+$/.test(name) || name.startsWith('.')) throw new Error(`saveModel: cannot add a file named '${name}' to the model directory.`);
    files.set(name, data);
  }
  await writeDirAtomic(dir, files);
}

/** Files a saved-model directory may hold besides the model itself (written by the CLI next to it). */
const MODEL_DIR_FILES = /^(model\.json|.*\.bin|history\.json|report\.html|\..*)$/;

/**
 * Saving replaces the whole directory, so refuse a directory that holds anything else (or the working directory
 * and its parents): a mistyped path must never delete a user's files.
 */
async function refuseForeignDirectory(dir: string): Promise<void> {
  const target = resolve(dir);
  const cwd = process.cwd();
  if (cwd === target || cwd.startsWith(target.endsWith(sep) ? target : target + sep)) {
    throw new Error(`Refusing to save a model to ${dir}: it is the working directory or one of its parents, and saving replaces the whole directory. Choose a new directory, e.g. ./my-model.`);
  }
  const entries = await readdir(target).catch(() => null);
  if (!entries) return;
  const foreign = entries.filter((e) => !MODEL_DIR_FILES.test(e));
  if (foreign.length) {
    throw new Error(`Refusing to save a model to ${dir}: it contains files that are not part of a saved model (${foreign.slice(0, 5).join(', ')}${foreign.length > 5 ? ', ...' : ''}), and saving replaces the whole directory. Choose a new or empty directory.`);
  }
}

