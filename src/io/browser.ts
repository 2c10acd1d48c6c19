// Saving and loading models in the browser, as TensorFlow.js users know it:
//   model.save('indexeddb://name')   -> IndexedDB database 'descent-models', one record per name
//   model.save('downloads://name')   -> the browser downloads name.json (model.json) and its weight shard(s)
//   loadModel('indexeddb://name')    <- the stored record
//   loadModel(browserFiles([jsonFile, ...shardFiles]))  <- files from an <input type="file" multiple>
// The artifacts are modelArtifacts's (the same model.json and shards as a saved directory on Node), so a
// downloaded pair copied into a directory loads on Node, and a directory's files upload here.

import type { Sequential } from '../models/sequential.js';
import { modelArtifacts, type SaveOptions } from './artifacts.js';
import { modelFromJSON, type LoadOptions } from './from-json.js';

const DB = 'descent-models';
const STORE = 'models';
/** One shard per model: downloads stay two files, as TF.js's browserDownloads. */
const ONE_SHARD = 2 ** 31 - 1;

/** Model files chosen by the user, to load with loadModel (TF.js's tf.io.browserFiles). */
export interface ModelFiles {
  readonly kind: 'files';
  readonly json: Blob & { name?: string };
  readonly shards: readonly (Blob & { name: string })[];
}

/** model.json first, then its weight shards (matched by file name against the manifest's paths). */
export function browserFiles(files: ArrayLike<Blob & { name: string }>): ModelFiles {
  const list = Array.from(files);
  if (list.length < 1) throw new Error('browserFiles needs model.json first, then its weight files (.bin); got no files.');
  const [json, ...shards] = list;
  if (!/\.json$/i.test(json.name)) throw new Error(`browserFiles: the first file must be the model's JSON file, got '${json.name}'.`);
  return { kind: 'files', json, shards };
}

const SCHEMES = /^(indexeddb|downloads):\/\/(.+)$/i;

function parseUrl(url: string): { scheme: 'indexeddb' | 'downloads'; name: string } {
  const m = SCHEMES.exec(url);
  if (!m) throw new Error(`In the browser a model is saved to 'indexeddb://name' or 'downloads://name'; got '${url}'.`);
  return { scheme: m[1].toLowerCase() as 'indexeddb' | 'downloads', name: m[2] };
}

function openDb(): Promise<IDBDatabase> {
  if (typeof indexedDB === 'undefined') return Promise.reject(new Error('IndexedDB is not available in this environment.'));
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(new Error(`IndexedDB: cannot open database '${DB}' (${req.error?.message ?? 'unknown error'}).`));
  });
}

async function withStore<T>(mode: IDBTransactionMode, f: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await openDb();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const req = f(tx.objectStore(STORE));
      let result: T;
      req.onsuccess = () => (result = req.result);
      tx.oncomplete = () => resolve(result);
      tx.onerror = tx.onabort = () => reject(new Error(`IndexedDB: ${tx.error?.message ?? req.error?.message ?? 'transaction failed'}.`));
    });
  } finally {
    db.close();
  }
}

interface StoredModel {
  modelJSON: unknown;
  shards: { path: string; data: Uint8Array }[];
  savedAt: string;
}

/** model.save(url) in the browser: 'indexeddb://name' or 'downloads://name'. */
export async function saveToUrl(model: Sequential, url: string, options: SaveOptions = {}): Promise<void> {
  const { scheme, name } = parseUrl(url);
  const { modelJSON, shards } = modelArtifacts(model, { shardBytes: ONE_SHARD, ...options });
  if (scheme === 'indexeddb') {
    const record: StoredModel = { modelJSON, shards: shards.map((s) => ({ path: s.path, data: s.data.slice() })), savedAt: new Date().toISOString() };
    await withStore('readwrite', (store) => store.put(record, name));
    return;
  }
  download(`${name}.json`, new Blob([JSON.stringify(modelJSON, null, 2) + '\n'], { type: 'application/json' }));
  for (const s of shards) download(s.path, new Blob([s.data.slice()], { type: 'application/octet-stream' }));
}

function download(filename: string, blob: Blob): void {
  if (typeof document === 'undefined') throw new Error("'downloads://' needs a page (document); in a Web Worker save to 'indexeddb://' instead.");
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 0);
}

/** Load a model saved to IndexedDB ('indexeddb://name') or chosen as files (browserFiles). */
export async function loadModel(source: string | ModelFiles, options: LoadOptions = {}): Promise<Sequential> {
  if (typeof source === 'object' && source?.kind === 'files') {
    const json = parseJson(await source.json.text(), source.json.name ?? 'model.json');
    const byName = new Map(source.shards.map((f) => [f.name, f]));
    return modelFromJSON(json, source.json.name ?? 'model.json', async (path) => {
      const base = path.split('/').pop() ?? path;
      const f = byName.get(base);
      if (!f) throw new Error(`${path} was not among the chosen files (${[...byName.keys()].join(', ') || 'none'}): choose model.json together with its weight files.`);
      return new Uint8Array(await f.arrayBuffer());
    }, options);
  }
  if (typeof source !== 'string') throw new Error("loadModel in the browser takes 'indexeddb://name' or browserFiles([...]).");
  const { scheme, name } = parseUrl(source);
  if (scheme !== 'indexeddb') throw new Error(`'${source}': downloads are write-only; load the files back with browserFiles([jsonFile, ...weightFiles]).`);
  const record = await withStore<StoredModel | undefined>('readonly', (store) => store.get(name));
  if (!record) throw new Error(`No model named '${name}' in IndexedDB (saved ones: ${(await listModels()).join(', ') || 'none'}).`);
  const shards = new Map(record.shards.map((s) => [s.path, s.data]));
  return modelFromJSON(record.modelJSON, source, async (path) => {
    const data = shards.get(path);
    if (!data) throw new Error(`${source}: shard ${path} is missing from the stored record.`);
    return data;
  }, options);
}

/** Names of the models saved in IndexedDB (as 'indexeddb://name' URLs). */
export async function listModels(): Promise<string[]> {
  const keys = await withStore<IDBValidKey[]>('readonly', (store) => store.getAllKeys());
  return keys.map((k) => `indexeddb://${String(k)}`);
}

/** Delete 'indexeddb://name' (no error when it does not exist). */
export async function removeModel(url: string): Promise<void> {
  const { scheme, name } = parseUrl(url);
  if (scheme !== 'indexeddb') throw new Error(`removeModel: only 'indexeddb://' models can be removed, got '${url}'.`);
  await withStore('readwrite', (store) => store.delete(name));
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${file} is not valid JSON (${(e as Error).message}); choose the model's .json file first.`);
  }
}
