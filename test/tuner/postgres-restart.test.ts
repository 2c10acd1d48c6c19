// PostgreSQL trouble (issue 11, fault 5): the test stops and restarts its own throwaway server in the middle of a
// study. Workers carry on once it is back (transient failures are retried with backoff), nothing they computed is
// lost, no worker dies of an unhandled 'error' event, and a storage that gives up says what was not stored.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PostgresStorage } from '../../src/tuner/storage/postgres.js';
import { postgresSkip, startPostgres, type PostgresServer } from '../support/postgres.js';
import { GRID } from './crash-objective.js';

const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const OBJECTIVE = fileURLToPath(new URL('./crash-objective.js', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('PostgreSQL restarted mid-study', { skip: postgresSkip() }, () => {
  let pg: PostgresServer;
  let tmp = '';
  before(async () => {
    pg = await startPostgres();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-pg-restart-'));
  });
  after(async () => {
    await pg?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('two workers carry on after the server comes back; every computed result is stored', async () => {
    const spec = path.join(tmp, 'spec.json');
    fs.writeFileSync(spec, JSON.stringify({
      module: OBJECTIVE, objective: 'objective', tuner: 'RandomSearch', studyName: 'restart', storage: pg.url,
      options: { maxTrials: 24, seed: 6, verbose: 0, storageOptions: { retryForMs: 60_000 }, hyperparameters: { format: 'descent.space/1', params: [{ type: 'int', name: 'x', min: 0, max: GRID - 1, step: null, sampling: 'linear', default: 0, conditions: [] }] } },
    }));
    let reported = 0;
    let restarted: Promise<void> | null = null;
    const run = () => new Promise<{ code: number | null; out: string; err: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, 'tune-worker', spec, '--json'], { env: { ...process.env, CRASH_SLEEP_MS: '80' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '', err = '';
      child.stdout.on('data', (d) => {
        out += d;
        reported = (out.match(/^\{/gm) ?? []).length;
        // Once a few trials are stored, take the server down for 2 s, with both workers mid-study.
        if (reported >= 3 && !restarted) restarted = (async () => { await pg.down(); await sleep(2000); await pg.up(); })();
      });
      child.stderr.on('data', (d) => (err += d));
      child.on('error', reject);
      child.on('exit', (code) => resolve({ code, out, err }));
    });
    const workers = await Promise.all([run(), run()]);
    await restarted;
    assert.ok(restarted, 'the server was restarted during the study');
    for (const w of workers) {
      assert.equal(w.code, 0, w.err);
      assert.doesNotMatch(w.err, /Unhandled 'error' event/);
    }
    const storage = await PostgresStorage.connect(pg.url);
    try {
      const trials = await storage.getTrials('restart');
      assert.deepEqual(trials.filter((t) => t.status !== 'complete').map((t) => `${t.id} ${t.status} ${t.error}`), []);
      assert.equal(trials.length, 24);
      const lines = workers.flatMap((w) => w.out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { trial: number; value: number }));
      assert.equal(lines.length, 24, 'each worker printed every trial it stored');
      for (const l of lines) assert.equal(trials[l.trial].value, l.value);
    } finally {
      await storage.close();
    }
  });

  it('a storage that gives up names the study storage, the study and what was not stored; nothing half-stored', async () => {
    const storage = await PostgresStorage.connect(pg.url, { retryForMs: 400 });
    try {
      await storage.openStudy('giveup', 'minimize', null);
      const t = await storage.claimTrial('giveup', 'w', () => ({ x: 1 }));
      await pg.down();
      try {
        await assert.rejects(storage.finishTrial('giveup', t!.id, { status: 'complete', value: 0.25 }),
          /^Error: study storage \(PostgreSQL at 127\.0\.0\.1:\d+ \(database postgres\)\) could not store the result of trial 0 of study "giveup" \(complete, value 0\.25\): the server was unreachable for 0\.\d s \(retryForMs 400\); last error: /);
      } finally {
        await pg.up();
      }
      assert.equal((await storage.getTrials('giveup'))[0].status, 'running');
      assert.equal((await storage.finishTrial('giveup', t!.id, { status: 'complete', value: 0.25 })).value, 0.25);
    } finally {
      await storage.close();
    }
  });
});
