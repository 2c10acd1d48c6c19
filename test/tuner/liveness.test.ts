// Liveness of a running trial's worker (issue 11, fault 4): a pid is judged only inside its own machine and PID
// namespace and only together with its process start time; every other worker holds a lease renewed by heartbeats.
// Two failures this prevents: workers in separate PID namespaces on one hostname marking each other's live trials
// abandoned, and a dead worker's pid reused by another process leaving its trial running forever.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROCESS, abandonedReason } from '../../src/tuner/storage/common.js';
import { DirectoryStorage } from '../../src/tuner/storage/directory.js';
import { RandomSearch } from '../../src/tuner/tuners.js';
import type { TrialRecord } from '../../src/tuner/trial.js';
import { GRID } from './crash-objective.js';

const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const OBJECTIVE = fileURLToPath(new URL('./crash-objective.js', import.meta.url));
const noProc = PROCESS ? false : 'no /proc process identity on this system (liveness is by heartbeats only)';
const running = (at: number): TrialRecord => ({ id: 0, study: 's', hyperparameters: {}, status: 'running', value: null, intermediate: [], worker: 'w', startedAt: at, heartbeatAt: at });
const startOf = (pid: number) => { const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8'); return s.slice(s.lastIndexOf(')') + 2).split(' ')[19]; };

function sleeper(): Promise<ChildProcess> {
  const child = spawn('sleep', ['60'], { stdio: 'ignore' });
  return new Promise((resolve, reject) => child.once('spawn', () => resolve(child)).once('error', reject));
}

test('a pid is judged with its start time and only in its own PID namespace; other workers by heartbeat', { skip: noProc }, async () => {
  const [boot, ns] = PROCESS!.split('/');
  const now = Date.now();
  const child = await sleeper();
  try {
    const pid = child.pid!;
    const owner = (process: string) => ({ host: os.hostname(), pid, process });
    // The live process itself: alive, however old its last heartbeat.
    assert.equal(abandonedReason(running(now - 3_600_000), owner(`${boot}/${ns}/${pid}/${startOf(pid)}`), now, 60_000), null);
    // The pid now belongs to a process that started at another time: the worker is gone (pid reuse).
    assert.match(abandonedReason(running(now), owner(`${boot}/${ns}/${pid}/1`), now, 60_000)!,
      new RegExp(`^abandoned: worker w \\(pid ${pid} on .*\\) is no longer running \\(pid ${pid} now belongs to another process\\)$`));
    // Another PID namespace with the same hostname (containers with host networking): its pids mean nothing here,
    // so a pid that does not exist here is no evidence; the lease decides.
    const elsewhere = owner(`${boot}/pid:[1]/999999/5`);
    assert.equal(abandonedReason(running(now - 5_000), elsewhere, now, 60_000), null);
    assert.match(abandonedReason(running(now - 61_000), elsewhere, now, 60_000)!, /^abandoned: worker w gave no heartbeat for 61 s$/);
    // Another machine (another boot id) and a worker without an identity: the lease too.
    assert.equal(abandonedReason(running(now - 5_000), owner(`other-boot/${ns}/${pid}/1`), now, 60_000), null);
    assert.equal(abandonedReason(running(now - 5_000), { host: os.hostname(), pid: 999999 }, now, 60_000), null);
  } finally {
    child.kill('SIGKILL');
  }
});

test('a dead worker whose pid was reused: its trial is abandoned and re-run, not left running', { skip: noProc }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-liveness-'));
  const child = await sleeper();
  try {
    const storage = new DirectoryStorage(dir);
    const tuner = new RandomSearch({ storage, studyName: 'reused', maxTrials: 4, seed: 1, verbose: 0 });
    await tuner.ask().then((t) => tuner.tell(t, 1)); // creates the study
    // A claim as the dead worker wrote it: its pid is now the sleeper's, which started at another time.
    const [boot, ns] = PROCESS!.split('/');
    const claim = { e: 'claim', id: 1, worker: 'dead', host: os.hostname(), pid: child.pid, process: `${boot}/${ns}/${child.pid}/1`, hp: { x: 0.5 }, at: Date.now(), nonce: 'n' };
    fs.appendFileSync(path.join(dir, 'reused', 'journal.jsonl'), `\n${JSON.stringify(claim)}\n`);
    await tuner.optimize((hp) => hp.float('x', 0, 1));
    const trials = await storage.getTrials('reused');
    assert.equal(trials[1].status, 'failed');
    assert.match(trials[1].error!, /now belongs to another process/);
    assert.equal(trials[2].hyperparameters['tuner/retry_of'], 1);
    assert.deepEqual(trials.map((t) => t.status), ['complete', 'failed', 'complete', 'complete', 'complete']);
  } finally {
    child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

function canUnshare(): string | false {
  if (process.getuid?.() !== 0) return 'creating a PID namespace needs root (unshare --pid --fork)';
  try {
    execFileSync('unshare', ['--pid', '--fork', '--mount-proc', 'true'], { stdio: 'ignore' });
    return false;
  } catch {
    return 'unshare --pid --fork --mount-proc is not available here';
  }
}

function worker(spec: string, prefix: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const [cmd, ...args] = [...prefix, process.execPath, CLI, 'tune-worker', spec, '--json'];
    const child = spawn(cmd, args, { env: { ...process.env, CRASH_SLEEP_MS: '60' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

test('two workers in separate PID namespaces on one hostname share a study without dropping each other\'s trials', { skip: canUnshare() }, async () => {
  const dir = fs.mkdtempSync(path.join('/tmp', 'descent-pidns-'));
  try {
    const spec = path.join(dir, 'spec.json');
    fs.writeFileSync(spec, JSON.stringify({
      module: OBJECTIVE, objective: 'objective', tuner: 'RandomSearch', studyName: 'pidns', storage: path.join(dir, 'studies'),
      options: { maxTrials: 20, seed: 4, verbose: 0, hyperparameters: { format: 'descent.space/1', params: [{ type: 'int', name: 'x', min: 0, max: GRID - 1, step: null, sampling: 'linear', default: 0, conditions: [] }] } },
    }));
    const [a, b] = await Promise.all([worker(spec, []), worker(spec, ['unshare', '--pid', '--fork', '--mount-proc'])]);
    assert.equal(a.code, 0, a.err);
    assert.equal(b.code, 0, b.err);
    const trials = await new DirectoryStorage(path.join(dir, 'studies')).getTrials('pidns');
    assert.deepEqual(trials.filter((t) => t.status !== 'complete').map((t) => t.error), [], 'no trial taken for abandoned');
    assert.equal(trials.length, 20);
    const reported = (o: string) => o.split('\n').filter((l) => l.startsWith('{')).length;
    assert.equal(reported(a.out) + reported(b.out), 20, 'every computed result was stored');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
