// Crash safety: a worker process (`descent tune-worker`) runs a grid study, is killed with SIGKILL after some trials
// completed, and then: every trial it reported complete is still stored with its value, and re-running the same
// worker resumes the study (more trials, every grid point covered, no completed grid point run twice).
// Run on the directory store and on a real PostgreSQL server (skipped with an install hint without one).

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStorage } from '../../src/tuner/storage/index.js';
import type { TrialRecord } from '../../src/tuner/trial.js';
import { postgresSkip, startPostgres, type PostgresServer } from '../support/postgres.js';
import { GRID } from './crash-objective.js';

const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const OBJECTIVE = fileURLToPath(new URL('./crash-objective.js', import.meta.url));
const SPACE = { format: 'descent.space/1', params: [{ type: 'int', name: 'x', min: 0, max: GRID - 1, step: null, sampling: 'linear', default: 0, conditions: [] }] };
const expected = (x: number) => (x - 7) ** 2; // the objective, computed here independently

let tmp = '';
let pg: PostgresServer | null = null;

function writeSpec(storage: string, studyName: string): string {
  const file = path.join(tmp, `${studyName}.json`);
  fs.writeFileSync(file, JSON.stringify({
    module: OBJECTIVE, objective: 'objective', tuner: 'GridSearch',
    options: { verbose: 0, hyperparameters: SPACE }, studyName, storage,
  }));
  return file;
}

interface Reported { id: number; x: number; value: number }

/** Run a worker; with killAfter, SIGKILL it once it has reported that many complete trials. */
function runWorker(spec: string, sleepMs: number, killAfter?: number): Promise<{ code: number | null; signal: string | null; reported: Reported[]; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'tune-worker', spec, '--json'], {
      env: { ...process.env, CRASH_SLEEP_MS: String(sleepMs) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const reported: Reported[] = [];
    let buf = '', stderr = '';
    child.stdout.on('data', (d) => {
      buf += d;
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        // --json: {"trial":3,"status":"complete","value":16,"hyperparameters":{"x":3}}, printed once stored
        if (line.startsWith('{')) {
          const t = JSON.parse(line) as { trial: number; status: string; value: number; hyperparameters: { x: number } };
          if (t.status === 'complete') reported.push({ id: t.trial, value: t.value, x: t.hyperparameters.x });
        }
        if (killAfter !== undefined && reported.length >= killAfter && !child.killed) child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ code, signal, reported, stderr }));
  });
}

async function trialsOf(storage: string, study: string): Promise<TrialRecord[]> {
  const s = await openStorage(storage);
  try {
    return await s.getTrials(study);
  } finally {
    await s.close();
  }
}

async function crashAndResume(storage: string, study: string): Promise<void> {
  const spec = writeSpec(storage, study);
  const killed = await runWorker(spec, 40, 5);
  assert.equal(killed.signal, 'SIGKILL', `worker should have been killed (exit code ${killed.code}, ${killed.reported.length} reported); stderr: ${killed.stderr}`);
  assert.ok(killed.reported.length >= 5);

  const afterKill = await trialsOf(storage, study);
  assert.ok(afterKill.length < GRID, 'killed before the grid was done');
  for (const r of killed.reported) {
    const t = afterKill[r.id];
    assert.ok(t, `trial ${r.id} reported complete is stored`);
    assert.equal(t.status, 'complete');
    assert.equal(t.hyperparameters.x, r.x);
    assert.equal(t.value, expected(r.x));
  }
  assert.ok(afterKill.filter((t) => t.status === 'running').length <= 1, 'at most the trial in flight is left running');

  const resumed = await runWorker(spec, 2);
  assert.equal(resumed.code, 0, resumed.stderr);
  const final = await trialsOf(storage, study);
  assert.ok(final.length > afterKill.length, 'the re-run added trials');
  for (const before of afterKill.filter((t) => t.status === 'complete')) {
    assert.deepEqual(final[before.id], before, `completed trial ${before.id} unchanged`);
  }
  const complete = final.filter((t) => t.status === 'complete');
  const xs = complete.map((t) => t.hyperparameters.x as number);
  assert.equal(new Set(xs).size, xs.length, 'no grid point completed twice');
  assert.deepEqual([...xs].sort((a, b) => a - b), Array.from({ length: GRID }, (_, i) => i), 'the killed trial\'s point was re-run: no hole in the grid');
  for (const t of complete) assert.equal(t.value, expected(t.hyperparameters.x as number));
  assert.deepEqual([...new Set(final.map((t) => t.hyperparameters.x))].sort((a, b) => (a as number) - (b as number)),
    Array.from({ length: GRID }, (_, i) => i), 'every grid point was tried');
  for (const t of final.filter((t) => t.status !== 'complete')) {
    assert.equal(t.status, 'failed');
    assert.match(t.error ?? '', /^abandoned: worker .* is no longer running/, 'only the killed trial failed, as abandoned');
  }
  assert.ok(final.length - complete.length <= 1);
}

describe('crash safety (kill -9 of a tune worker)', () => {
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-crash-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('directory store: completed trials survive SIGKILL and the study resumes', async () => {
    await crashAndResume(path.join(tmp, 'studies'), 'crash-dir');
  });

  describe('postgres', { skip: postgresSkip() }, () => {
    before(async () => {
      pg = await startPostgres();
    });
    after(async () => {
      await pg?.stop();
    });
    it('postgres store: completed trials survive SIGKILL and the study resumes', async () => {
      await crashAndResume(pg!.url, 'crash-pg');
    });
  });
});
