// The playground's Web Worker: every computation runs here on descent (the page only draws), so the page stays
// responsive while a network trains or a study runs. Messages are described in protocol.ts.

import { ready, getBackend } from '../../src/browser.js';
import { NetSession, race, seededRun, tune, gpMean, surfaceById, type NetConfig } from './engine.js';
import { GRID_RES, type FromWorker, type ToWorker } from './protocol.js';

const scope = self as unknown as { postMessage(m: FromWorker): void; onmessage: ((e: MessageEvent<ToWorker>) => void) | null };
const post = (m: FromWorker) => scope.postMessage(m);
const tick = () => new Promise((r) => setTimeout(r, 0));

let session: NetSession | null = null;
let training = false;
let runId = 0;
let tuning = false;
let speed = 2;
let stopTuning = false;

const booted = ready({ wasmUrl: new URL('./descent.wasm', import.meta.url) }).then((backend) => post({ type: 'ready', backend: getBackend().name ?? backend }));

function snapshot(s: NetSession) {
  return { grid: s.grid(GRID_RES), weights: s.weights() };
}

async function trainLoop(id: number): Promise<void> {
  while (training && id === runId && session) {
    const s = session;
    const t0 = performance.now();
    const epochs = [];
    // `speed` epochs per frame (about 30 frames a second), fewer when epochs are slow.
    do epochs.push(await s.trainEpoch());
    while (epochs.length < speed && performance.now() - t0 < 30 && training && id === runId);
    if (id !== runId || s !== session) return;
    post({ type: 'epochs', epochs, ...snapshot(s) });
    await new Promise((r) => setTimeout(r, Math.max(0, 33 - (performance.now() - t0))));
  }
}

function reset(config: NetConfig): void {
  runId++;
  session = new NetSession(config);
  post({ type: 'reset', train: session.split.train, test: session.split.test, task: session.split.task, ...snapshot(session) });
}

scope.onmessage = async (e) => {
  const m = e.data;
  await booted;
  try {
    switch (m.type) {
      case 'race': {
        const surface = surfaceById(m.surface);
        const trajectories = m.racers.map((id) => race(surface, id, m.settings, m.steps, m.start));
        post({ type: 'race', trajectories, token: m.token });
        break;
      }
      case 'reset':
        training = false;
        reset(m.config);
        break;
      case 'train':
        speed = m.speed;
        if (!session) reset(m.config);
        if (!training) {
          training = true;
          void trainLoop(runId);
        }
        break;
      case 'step':
        if (!session) reset(m.config);
        training = false;
        {
          const s = session!;
          const epoch = await s.trainEpoch();
          post({ type: 'epochs', epochs: [epoch], ...snapshot(s) });
        }
        break;
      case 'speed':
        speed = m.speed;
        break;
      case 'pause':
        training = false;
        break;
      case 'tune':
        if (tuning) break;
        tuning = true;
        stopTuning = false;
        try {
          const done: Parameters<typeof gpMean>[0][number][] = [];
          await tune(m.net, m.tune, (point) => {
            done.push(point);
            post({ type: 'trial', point, gp: m.tune.kind === 'bayesian' ? gpMean(done, m.tune, 24) : null });
          }, () => stopTuning);
        } catch (err) {
          if ((err as Error).message !== 'stopped') throw err;
        } finally {
          tuning = false;
          post({ type: 'tune-done' });
        }
        break;
      case 'tune-stop':
        stopTuning = true;
        break;
      case 'seeded':
        post({ type: 'seeded', epochs: await seededRun(m.config, m.epochs) });
        break;
    }
  } catch (err) {
    post({ type: 'error', message: (err as Error).message });
  }
};
