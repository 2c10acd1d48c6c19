// One contract suite run against every StudyStorage: memory, directory, and a real PostgreSQL server (skipped
// with an install hint when the binaries are missing). Adding a storage adds one entry to STORAGES.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStorage, MemoryStorage, DirectoryStorage, defaultStudyDir } from '../../src/tuner/storage/index.js';
import type { StorageOptions } from '../../src/tuner/storage/index.js';
import type { StudyStorage, TrialRecord } from '../../src/tuner/trial.js';
import { postgresSkip, startPostgres, type PostgresServer } from '../support/postgres.js';

const CHILD = fileURLToPath(new URL('./storage-child.js', import.meta.url));

interface Kind {
  name: string;
  skip: string | false;
  /** Processes can share it (so the multi-process claim test runs). */
  shared: boolean;
  setup(): Promise<void>;
  teardown(): Promise<void>;
  /** A storage spec string (for child processes) or null for in-process only. */
  spec(): string | null;
  open(options?: StorageOptions): Promise<StudyStorage>;
}

let tmp = '';
let pgServer: PostgresServer | null = null;
const pgSkip = postgresSkip();

const STORAGES: Kind[] = [
  {
    name: 'memory', skip: false, shared: false,
    async setup() {}, async teardown() {},
    spec: () => null,
    open: async (o) => new MemoryStorage(o),
  },
  {
    name: 'directory', skip: false, shared: true,
    async setup() { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-storage-')); },
    async teardown() { fs.rmSync(tmp, { recursive: true, force: true }); },
    spec: () => path.join(tmp, 'studies'),
    open: async (o) => new DirectoryStorage(path.join(tmp, 'studies'), o),
  },
  {
    name: 'postgres', skip: pgSkip, shared: true,
    async setup() { pgServer = await startPostgres(); },
    async teardown() { await pgServer?.stop(); },
    spec: () => pgServer!.url,
    open: async (o) => openStorage(pgServer!.url, o),
  },
];

let studyCounter = 0;
const fresh = (label: string) => `${label}-${process.pid}-${++studyCounter}`;
const SPACE = { x: { type: 'float', min: 0, max: 1, sampling: 'linear' }, n: { type: 'int', min: 1, max: 4 } };

function runChild(spec: string, study: string, worker: string, size: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [CHILD, spec, study, worker, String(size)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('error', reject);
    p.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`child ${worker} exited ${code}: ${err}`))));
  });
}

for (const kind of STORAGES) {
  describe(`StudyStorage contract: ${kind.name}`, { skip: kind.skip }, () => {
    let s: StudyStorage;
    before(async () => {
      await kind.setup();
      s = await kind.open();
    });
    after(async () => {
      await s?.close();
      await kind.teardown();
    });

    it('reopens a study with the same space (any key order); a different space or direction is an error naming the study', async () => {
      const name = fresh('reopen');
      const info = await s.openStudy(name, 'minimize', SPACE);
      assert.equal(info.name, name);
      assert.deepEqual(info.space, SPACE);
      const reordered = { n: { max: 4, min: 1, type: 'int' }, x: { sampling: 'linear', max: 1, min: 0, type: 'float' } };
      const again = await s.openStudy(name, 'minimize', reordered);
      assert.equal(again.createdAt, info.createdAt);
      await assert.rejects(
        s.openStudy(name, 'minimize', { ...SPACE, n: { type: 'int', min: 1, max: 8 } }),
        (e: Error) => e.message.includes(`"${name}"`) && e.message.includes('n.max: stored 4, requested 8'),
      );
      await assert.rejects(s.openStudy(name, 'maximize', SPACE), (e: Error) => e.message.includes(`"${name}"`) && /direction/.test(e.message));
      await assert.rejects(s.openStudy('', 'minimize', SPACE), /study name/);
      await assert.rejects(s.openStudy(fresh('dir'), 'up' as never, SPACE), /direction must be/);
      await assert.rejects(s.getTrials(fresh('missing')), /no study named/);
    });

    it('claims get dense increasing ids, and propose sees every earlier trial including running ones', async () => {
      const name = fresh('claims');
      await s.openStudy(name, 'minimize', SPACE);
      const seen: number[] = [];
      const claims = await Promise.all(Array.from({ length: 12 }, (_, i) => s.claimTrial(name, `w${i % 3}`, (trials) => {
        seen.push(trials.length);
        const used = new Set(trials.map((t) => t.hyperparameters.n));
        for (let n = 0; ; n++) if (!used.has(n)) return { n, x: n / 10, tag: `p${n}`, flag: n % 2 === 0 };
      })));
      const ids = claims.map((t) => t!.id).sort((a, b) => a - b);
      assert.deepEqual(ids, Array.from({ length: 12 }, (_, i) => i));
      assert.deepEqual(new Set(claims.map((t) => t!.hyperparameters.n)).size, 12);
      for (const t of claims) {
        assert.equal(t!.status, 'running');
        assert.equal(t!.value, null);
        assert.equal(t!.hyperparameters.x, (t!.hyperparameters.n as number) / 10);
        assert.equal(t!.hyperparameters.tag, `p${t!.hyperparameters.n}`);
      }
      assert.equal(Math.max(...seen), 11);
      // propose returning null: no trial created
      assert.equal(await s.claimTrial(name, 'w', () => null), null);
      assert.equal((await s.getTrials(name)).length, 12);
      // propose throwing: the error surfaces and no trial is created
      await assert.rejects(s.claimTrial(name, 'w', () => { throw new Error('oracle broke'); }), /oracle broke/);
      await assert.rejects(s.claimTrial(name, 'w', () => ({ bad: [1] as never })), /hyperparameter "bad"/);
      assert.equal((await s.getTrials(name)).length, 12);
    });

    it('keeps intermediate values sorted by step (a repeated step replaces) and finishes trials once', async () => {
      const name = fresh('finish');
      await s.openStudy(name, 'maximize', SPACE);
      const a = (await s.claimTrial(name, 'w', () => ({ n: 1 })))!;
      const b = (await s.claimTrial(name, 'w', () => ({ n: 2 })))!;
      const c = (await s.claimTrial(name, 'w', () => ({ n: 3 })))!;
      await s.reportIntermediate(name, a.id, 2, 0.5);
      await s.reportIntermediate(name, a.id, 0, 0.1);
      await s.reportIntermediate(name, a.id, 1, 0.3);
      await s.reportIntermediate(name, a.id, 2, 0.6);
      await s.heartbeat(name, a.id);
      const pruned = await s.finishTrial(name, a.id, { status: 'pruned' });
      assert.deepEqual(pruned.intermediate, [{ step: 0, value: 0.1 }, { step: 1, value: 0.3 }, { step: 2, value: 0.6 }]);
      assert.equal(pruned.status, 'pruned');
      assert.equal(pruned.value, 0.6); // a pruned trial keeps its last reported value

      const history = { loss: [1.5, NaN, Infinity], val_accuracy: [0.5, 0.75, 0.875] };
      const declared = [{ type: 'choice', name: 'extra', values: ['relu', 'tanh'], default: 'relu', conditions: [] }];
      const done = await s.finishTrial(name, b.id, { status: 'complete', value: 0.8125, values: [0.75, 0.875], history, hyperparameters: { n: 2, extra: 'relu' }, space: declared });
      assert.deepEqual(done.space, declared);
      assert.equal(done.value, 0.8125);
      assert.deepEqual(done.values, [0.75, 0.875]);
      assert.deepEqual(done.hyperparameters, { n: 2, extra: 'relu' });
      const failed = await s.finishTrial(name, c.id, { status: 'failed', error: 'Error: objective returned NaN' });
      assert.equal(failed.value, null);
      assert.equal(failed.error, 'Error: objective returned NaN');

      const trials = await s.getTrials(name);
      assert.deepEqual(trials.map((t) => t.id), [a.id, b.id, c.id]);
      assert.deepEqual(trials.map((t) => t.status), ['pruned', 'complete', 'failed']);
      assert.ok(Number.isNaN(trials[1].history!.loss[1]) && trials[1].history!.loss[2] === Infinity);
      assert.deepEqual(trials[1].history!.val_accuracy, [0.5, 0.75, 0.875]);
      assert.deepEqual(trials[1].space, declared);
      assert.equal(trials[0].space, undefined);
      for (const t of trials) assert.ok(t.finishedAt! >= t.startedAt);
      assert.ok(Object.isFrozen(trials[0]) && Object.isFrozen(trials[0].intermediate));

      await assert.rejects(s.finishTrial(name, b.id, { status: 'complete', value: 1 }), (e: Error) => /already complete/.test(e.message) && e.message.includes(name));
      await assert.rejects(s.reportIntermediate(name, c.id, 3, 1), /already failed/);
      await assert.rejects(s.heartbeat(name, a.id), /already pruned/);
      await assert.rejects(s.finishTrial(name, 99, { status: 'complete', value: 1 }), /has no trial 99/);
      await assert.rejects(s.finishTrial(name, a.id, { status: 'done' as never }), /outcome.status/);
      await assert.rejects(s.reportIntermediate(name, a.id, -1, 1), /step must be/);
    });

    it('marks running trials without a heartbeat for staleAfterMs as failed (abandoned) at the next claim', async () => {
      const quick = await kind.open({ staleAfterMs: 30 });
      try {
        const name = fresh('stale');
        await quick.openStudy(name, 'minimize', SPACE);
        const t = (await quick.claimTrial(name, 'w-lost', () => ({ n: 1 })))!;
        await new Promise((r) => setTimeout(r, 120)); // longer than staleAfterMs, so stale whatever the timing
        const seen: TrialRecord[][] = [];
        await quick.claimTrial(name, 'w2', (trials) => (seen.push(trials.slice()), { n: 2 }));
        assert.equal(seen[0][0].status, 'failed');
        assert.match(seen[0][0].error!, /^abandoned: worker w-lost/);
        const [first] = await quick.getTrials(name);
        assert.equal(first.id, t.id);
        assert.equal(first.status, 'failed');
      } finally {
        await quick.close();
      }
    });

    it('keeps one checkpoint per trial (replaced by a later save; null when none; an unknown trial is an error)', async () => {
      const name = fresh('checkpoint');
      await s.openStudy(name, 'minimize', SPACE);
      const t = (await s.claimTrial(name, 'w', () => ({ n: 1 })))!;
      assert.equal(await s.loadCheckpoint!(name, t.id), null);
      await s.saveCheckpoint!(name, t.id, Uint8Array.from([1, 2, 3]));
      await s.saveCheckpoint!(name, t.id, Uint8Array.from([4, 5, 6, 7]));
      assert.deepEqual(Array.from((await s.loadCheckpoint!(name, t.id))!), [4, 5, 6, 7]);
      await assert.rejects(s.saveCheckpoint!(name, 99, Uint8Array.from([1])), /has no trial 99/);
      if (!kind.shared) return;
      const other = await kind.open();
      try {
        assert.deepEqual(Array.from((await other.loadCheckpoint!(name, t.id))!), [4, 5, 6, 7], 'another process reads it');
      } finally {
        await other.close();
      }
    });

    it('lists studies', async () => {
      const names = [fresh('list'), fresh('list')];
      for (const n of names) await s.openStudy(n, 'minimize', { n });
      const listed = await s.listStudies();
      for (const n of names) {
        const info = listed.find((i) => i.name === n);
        assert.ok(info, `${n} listed`);
        assert.deepEqual(info!.space, { n });
        assert.equal(info!.direction, 'minimize');
      }
    });

    it('a second storage object on the same place sees the same study and trials', async () => {
      const name = fresh('reopen-store');
      await s.openStudy(name, 'minimize', SPACE);
      const t = (await s.claimTrial(name, 'w', () => ({ n: 3 })))!;
      await s.finishTrial(name, t.id, { status: 'complete', value: 9 });
      if (!kind.shared) return;
      const other = await kind.open();
      try {
        await other.openStudy(name, 'minimize', SPACE);
        const trials = await other.getTrials(name);
        assert.equal(trials.length, 1);
        assert.equal(trials[0].value, 9);
        const u = (await other.claimTrial(name, 'w', (ts) => ({ n: ts.length + 10 })))!;
        assert.equal(u.id, 1);
        assert.equal(u.hyperparameters.n, 11);
      } finally {
        await other.close();
      }
    });

    it('never gives one grid point to two of several processes claiming at once', { skip: !kind.shared && 'storage is per process' }, async () => {
      const name = fresh('procs');
      const size = 24;
      const outs = await Promise.all([0, 1, 2].map((w) => runChild(kind.spec()!, name, `proc${w}`, size)));
      const trials = await s.getTrials(name);
      assert.equal(trials.length, size);
      assert.deepEqual(trials.map((t) => t.id), Array.from({ length: size }, (_, i) => i));
      assert.deepEqual(trials.map((t) => t.hyperparameters.x as number).sort((a, b) => a - b), Array.from({ length: size }, (_, i) => i));
      for (const t of trials) {
        assert.equal(t.status, 'complete');
        assert.equal(t.value, (t.hyperparameters.x as number) ** 2);
        assert.deepEqual(t.intermediate, [{ step: 0, value: t.hyperparameters.x }]);
      }
      const reported = outs.flatMap((o) => o.trim().split('\n').filter(Boolean));
      assert.equal(reported.length, size); // each point done by exactly one process
    });

    if (kind.name === 'directory') {
      it('tolerates a torn journal line (a write cut by a crash) and keeps appending after it', async () => {
        const name = fresh('torn');
        const dir = kind.open();
        const d = (await dir) as DirectoryStorage;
        await d.openStudy(name, 'minimize', SPACE);
        const a = (await d.claimTrial(name, 'w', () => ({ n: 1 })))!;
        await d.finishTrial(name, a.id, { status: 'complete', value: 1 });
        const journal = path.join(d.studyDir(name), 'journal.jsonl');
        fs.appendFileSync(journal, '\n{"e":"end","id":1,"outcome":{"status":"compl'); // no newline: torn
        const reader = new DirectoryStorage(path.dirname(d.studyDir(name)));
        assert.equal((await reader.getTrials(name)).length, 1);
        const b = (await d.claimTrial(name, 'w', () => ({ n: 2 })))!;
        assert.equal(b.id, 1);
        await d.finishTrial(name, b.id, { status: 'complete', value: 4 });
        for (const st of [d, new DirectoryStorage(path.dirname(d.studyDir(name)))]) {
          const trials = await st.getTrials(name);
          assert.deepEqual(trials.map((t) => [t.id, t.status, t.value]), [[0, 'complete', 1], [1, 'complete', 4]]);
        }
        // garbage in the middle of the journal is skipped too
        fs.appendFileSync(journal, '\nnot json at all\n');
        assert.equal((await new DirectoryStorage(path.dirname(d.studyDir(name))).getTrials(name)).length, 2);
      });
    }
  });
}

describe('openStorage', () => {
  it('resolves undefined to the default directory, memory, paths and URLs', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-open-'));
    const saved = process.env.DESCENT_STUDY_DIR;
    try {
      process.env.DESCENT_STUDY_DIR = path.join(dir, 'env-studies');
      assert.equal(defaultStudyDir(), path.join(dir, 'env-studies'));
      const d = await openStorage();
      assert.ok(d instanceof DirectoryStorage);
      assert.equal((d as DirectoryStorage).root, path.join(dir, 'env-studies'));
      delete process.env.DESCENT_STUDY_DIR;
      assert.equal(defaultStudyDir(), path.resolve('descent-studies'));
      assert.ok((await openStorage('memory')) instanceof MemoryStorage);
      const p = await openStorage(path.join(dir, 'p'));
      assert.equal((p as DirectoryStorage).root, path.join(dir, 'p'));
      const f = await openStorage('file://' + path.join(dir, 'f'));
      assert.equal((f as DirectoryStorage).root, path.join(dir, 'f'));
      const m = new MemoryStorage();
      assert.equal(await openStorage(m), m);
      await assert.rejects(openStorage('redis://host/0'), /unsupported storage URL scheme/);
      await assert.rejects(openStorage({} as never), /lacks StudyStorage methods/);
      fs.writeFileSync(path.join(dir, 'file'), 'x');
      await assert.rejects(openStorage(path.join(dir, 'file')), /is not a directory/);
    } finally {
      if (saved === undefined) delete process.env.DESCENT_STUDY_DIR; else process.env.DESCENT_STUDY_DIR = saved;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names host and port when PostgreSQL is unreachable', async () => {
    const { freePort } = await import('../support/postgres.js');
    const port = await freePort(); // nothing listens there now
    await assert.rejects(
      openStorage(`postgresql://someone@127.0.0.1:${port}/studies`),
      (e: Error) => e.message.includes(`127.0.0.1:${port}`) && e.message.includes('cannot connect to PostgreSQL') && e.message.includes('studies'),
    );
  });
});
