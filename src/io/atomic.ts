// Atomic directory writes: every file goes to a temp directory next to the target, each file and the directory
// are fsynced, then the temp directory is renamed into place. An existing target is first renamed aside and
// removed only after the new one is in place, so a crash leaves either the old or the new directory complete
// (in the window between the two renames the old one survives as '.<name>.old-*' next to it).

import { mkdir, open, rename, rm, stat, readdir } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';

async function fsyncPath(path: string): Promise<void> {
  const fh = await open(path, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function writeSynced(path: string, data: Uint8Array | string): Promise<void> {
  const fh = await open(path, 'wx');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Write `files` (name -> content) as directory `dir`, replacing it atomically if it exists. */
export async function writeDirAtomic(dir: string, files: ReadonlyMap<string, Uint8Array | string>): Promise<void> {
  const target = resolve(dir);
  const parent = dirname(target);
  const name = basename(target);
  await mkdir(parent, { recursive: true });
  const existing = await stat(target).catch(() => null);
  if (existing && !existing.isDirectory()) throw new Error(`Cannot save a model to ${dir}: it exists and is not a directory.`);
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const tmp = join(parent, `.${name}.tmp-${tag}`);
  await mkdir(tmp);
  try {
    for (const [file, data] of files) await writeSynced(join(tmp, file), data);
    await fsyncPath(tmp);
    if (existing) {
      const old = join(parent, `.${name}.old-${tag}`);
      await rename(target, old);
      await rename(tmp, target);
      await fsyncPath(parent);
      await rm(old, { recursive: true, force: true });
    } else {
      await rename(tmp, target);
      await fsyncPath(parent);
    }
  } catch (err) {
    await rm(tmp, { recursive: true, force: true }).catch(() => {});
    throw err;
  }
}

/** Backups left by an interrupted replace of `dir` (for the error message when dir is missing). */
export async function interruptedBackups(dir: string): Promise<string[]> {
  const target = resolve(dir);
  const prefix = `.${basename(target)}.old-`;
  const entries = await readdir(dirname(target)).catch(() => [] as string[]);
  return entries.filter((e) => e.startsWith(prefix)).map((e) => join(dirname(target), e));
}
