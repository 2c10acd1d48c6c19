// Atomic directory writes: every file goes to a temp directory next to the target, each file and the directory
// are fsynced, then the temp directory is renamed into place. An existing target is first renamed aside and
// removed only after the new one is in place, so a crash leaves either the old or the new directory complete
// (in the window between the two renames the old one survives as '.<name>.old-*' next to it).
// Leftovers of a killed writer ('.<name>.tmp-<pid>-*', '.<name>.old-<pid>-*' whose process is gone) are removed
// after the next successful save, and by loadModel when the target is in place; when the target is missing they
// are kept, and the error names the newest backup.

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
  await removeLeftovers(target);
}

/** Temp and backup directories of `dir` left by writers that are no longer running, newest first. */
async function leftovers(dir: string): Promise<{ path: string; kind: 'tmp' | 'old'; pid: number; mtimeMs: number }[]> {
  const target = resolve(dir);
  const parent = dirname(target);
  const prefix = `.${basename(target)}.`;
  const entries = await readdir(parent).catch(() => [] as string[]);
  const found = [];
  for (const e of entries) {
    if (!e.startsWith(prefix)) continue;
    const m = /^(tmp|old)-(\d+)-[0-9a-f]+$/.exec(e.slice(prefix.length));
    if (!m) continue;
    const info = await stat(join(parent, e)).catch(() => null);
    if (info) found.push({ path: join(parent, e), kind: m[1] as 'tmp' | 'old', pid: Number(m[2]), mtimeMs: info.mtimeMs });
  }
  return found.sort((a, b) => b.mtimeMs - a.mtimeMs);
}

/** Whether process `pid` is running (a save in progress keeps its temp directory). */
function running(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Remove what killed writers left beside `dir` (only while `dir` itself is in place). */
export async function removeLeftovers(dir: string): Promise<void> {
  if (!(await stat(dir).catch(() => null))) return;
  for (const l of await leftovers(dir)) if (!running(l.pid)) await rm(l.path, { recursive: true, force: true }).catch(() => {});
}

/** Backups left by an interrupted replace of `dir`, newest first (for the error message when dir is missing). */
export async function interruptedBackups(dir: string): Promise<string[]> {
  return (await leftovers(dir)).filter((l) => l.kind === 'old').map((l) => l.path);
}
