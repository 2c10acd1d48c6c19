// The playground page: controls, drawing and animation. All computation is in the worker (worker.ts).

import { SURFACES, RACERS, DATASETS, DEFAULT_NET, surfaceById, surfaceValue, unitPoint, type NetConfig, type OptimizerSettings, type Trajectory, type TrialPoint, type TuneConfig, type Points, type EpochResult, type ScheduleKind } from './defs.js';
import { GRID_RES, type FromWorker, type ToWorker, type LayerWeights } from './protocol.js';

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const inputOf = (id: string) => $<HTMLInputElement>(id);
const numberOf = (id: string, fallback: number) => {
  const v = Number(inputOf(id).value);
  return Number.isFinite(v) ? v : fallback;
};

const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
const send = (m: ToWorker) => worker.postMessage(m);

// ------------------------------------------------------------------ drawing helpers

const BLUE = [37, 99, 235], ORANGE = [234, 118, 12];
const fmt = (v: number) => (!Number.isFinite(v) ? String(v) : Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(2) : v.toPrecision(4));

function ctx2d(canvas: HTMLCanvasElement): CanvasRenderingContext2D {
  return canvas.getContext('2d')!;
}

/** Viridis-like ramp, t in [0, 1]. */
function ramp(t: number): [number, number, number] {
  const stops = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
  const u = Math.max(0, Math.min(1, t)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(u)), f = u - i;
  return [0, 1, 2].map((k) => Math.round(stops[i][k] + f * (stops[i + 1][k] - stops[i][k]))) as [number, number, number];
}

interface Series { values: ArrayLike<number>; color: string; width?: number; dash?: number[]; alpha?: number; xs?: ArrayLike<number>; dots?: boolean }

/** A line chart with axes; logY plots log10 of positive values. */
function lineChart(canvas: HTMLCanvasElement, series: Series[], o: { logY?: boolean; xMax?: number; xLabel: string; yLabel: string; points?: boolean }): void {
  const g = ctx2d(canvas);
  const W = canvas.width, H = canvas.height, L = 66, R = 14, T = 12, B = 36;
  g.clearRect(0, 0, W, H);
  const tf = (v: number) => (o.logY ? Math.log10(Math.max(v, 1e-12)) : v);
  let lo = Infinity, hi = -Infinity, n = o.xMax ?? 0;
  for (const s of series) {
    for (let i = 0; i < s.values.length; i++) {
      const v = s.values[i];
      if (!Number.isFinite(v)) continue;
      const t = tf(v);
      lo = Math.min(lo, t); hi = Math.max(hi, t);
    }
    n = Math.max(n, s.xs ? (s.xs[s.xs.length - 1] ?? 0) : s.values.length - 1);
  }
  g.font = '11px system-ui, sans-serif';
  g.fillStyle = '#64748b';
  g.strokeStyle = '#e2e8f0';
  if (!Number.isFinite(lo)) {
    g.fillText('no data yet', W / 2 - 30, H / 2);
    return;
  }
  if (hi - lo < 1e-9) { hi += 0.5; lo -= 0.5; }
  const pad = (hi - lo) * 0.06;
  lo -= pad; hi += pad;
  n = Math.max(n, 1);
  const X = (i: number) => L + ((W - L - R) * i) / n;
  const Y = (t: number) => T + ((H - T - B) * (hi - t)) / (hi - lo);
  // grid and labels
  g.lineWidth = 1;
  const ticks = 5;
  for (let k = 0; k <= ticks; k++) {
    const t = lo + ((hi - lo) * k) / ticks;
    const y = Y(t);
    g.beginPath(); g.moveTo(L, y); g.lineTo(W - R, y); g.stroke();
    g.textAlign = 'right';
    g.fillText(o.logY ? fmt(10 ** t) : fmt(t), L - 6, y + 4);
    g.textAlign = 'left';
  }
  for (let k = 0; k <= 4; k++) {
    const i = (n * k) / 4;
    g.textAlign = k === 0 ? 'left' : k === 4 ? 'right' : 'center';
    g.fillText(String(Math.round(i)), X(i), H - B + 16);
  }
  g.textAlign = 'left';
  g.fillText(o.xLabel, W / 2 - 16, H - 4);
  g.strokeStyle = '#94a3b8';
  g.beginPath(); g.moveTo(L, T); g.lineTo(L, H - B); g.lineTo(W - R, H - B); g.stroke();
  // series
  g.save();
  g.beginPath(); g.rect(L, T - 2, W - L - R, H - T - B + 2); g.clip();
  for (const s of series) {
    g.strokeStyle = s.color;
    g.globalAlpha = s.alpha ?? 1;
    if (s.dots) { // a cloud of points: cheap to draw however noisy (a long self-crossing path is not)
      g.fillStyle = s.color;
      for (let i = 0; i < s.values.length; i++) if (Number.isFinite(s.values[i])) g.fillRect(X(s.xs ? s.xs[i] : i) - 1, Y(tf(s.values[i])) - 1, 2, 2);
      continue;
    }
    g.lineWidth = s.width ?? 2;
    g.setLineDash(s.dash ?? []);
    g.beginPath();
    let pen = false;
    for (let i = 0; i < s.values.length; i++) {
      const v = s.values[i];
      const x = X(s.xs ? s.xs[i] : i);
      if (!Number.isFinite(v)) { // divergence: the line leaves through the top
        if (pen) g.lineTo(x, T - 20);
        pen = false;
        continue;
      }
      const y = Math.max(T - 20, Math.min(H, Y(tf(v))));
      if (pen) g.lineTo(x, y); else g.moveTo(x, y);
      pen = true;
    }
    g.stroke();
    if (o.points) {
      g.fillStyle = s.color;
      for (let i = 0; i < s.values.length; i++) if (Number.isFinite(s.values[i])) { g.beginPath(); g.arc(X(s.xs ? s.xs[i] : i), Y(tf(s.values[i])), 3, 0, 7); g.fill(); }
    }
  }
  g.restore();
  g.setLineDash([]);
  g.globalAlpha = 1;
  g.fillStyle = '#64748b';
  g.save(); g.translate(11, T + (H - T - B) / 2); g.rotate(-Math.PI / 2); g.textAlign = 'center'; g.fillText(o.yLabel, 0, 0); g.restore();
}

// ------------------------------------------------------------------ tabs

const tabs = ['race', 'train', 'tune'];
function selectTab(id: string, focus = false): void {
  for (const t of tabs) {
    const tab = $(`tab-${t}`), on = t === id;
    tab.setAttribute('aria-selected', String(on));
    tab.tabIndex = on ? 0 : -1;
    $(t).hidden = !on;
    if (on && focus) tab.focus();
  }
  if (id === 'train') drawNet();
  if (id === 'tune') drawTune();
}
for (const t of tabs) {
  const tab = $(`tab-${t}`);
  tab.addEventListener('click', () => selectTab(t));
  tab.addEventListener('keydown', (e) => {
    const i = tabs.indexOf(t);
    if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      e.preventDefault();
      selectTab(tabs[(i + (e.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length], true);
    }
  });
}

const seed = () => Math.max(0, Math.floor(numberOf('seed', 1)));

// ------------------------------------------------------------------ optimizer race

const race = {
  trajectories: [] as Trajectory[],
  step: 0,
  playing: true,
  token: 0,
  background: null as ImageData | null,
  backgroundFor: '',
  start: [0, 0] as [number, number],
};

for (const s of SURFACES) $('surface').append(new Option(s.label, s.id));
for (const r of RACERS) {
  const id = `racer-${r.id}`;
  const wrap = document.createElement('div');
  wrap.className = 'check';
  wrap.innerHTML = `<input type="checkbox" id="${id}" value="${r.id}" ${['sgd', 'momentum', 'nesterov', 'rmsprop', 'adam', 'adagrad'].includes(r.id) ? 'checked' : ''}><label for="${id}"><span class="swatch" style="background:${r.color}"></span>${r.label}</label>`;
  $('racers').append(wrap);
}

function surfaceDefaults(): void {
  const s = surfaceById(inputOf('surface').value);
  inputOf('race-lr').value = String(s.lr);
  inputOf('race-steps').value = String(s.steps);
  inputOf('start-x').value = String(s.start[0]);
  inputOf('start-y').value = String(s.start[1]);
  $('surface-title').textContent = s.label;
  $('surface-note').textContent = s.note;
}

function raceSettings(): OptimizerSettings {
  return {
    learningRate: numberOf('race-lr', 0.01), momentum: numberOf('momentum', 0.9), beta1: numberOf('beta1', 0.9), beta2: numberOf('beta2', 0.999),
    epsilon: numberOf('epsilon', 1e-7), schedule: inputOf('race-schedule').value as ScheduleKind, decaySteps: Math.max(1, numberOf('race-decay-steps', 100)), decayRate: numberOf('race-decay-rate', 0.5),
  };
}

function runRace(): void {
  const s = surfaceById(inputOf('surface').value);
  const racers = RACERS.filter((r) => inputOf(`racer-${r.id}`).checked).map((r) => r.id);
  race.start = [numberOf('start-x', s.start[0]), numberOf('start-y', s.start[1])];
  race.token++;
  send({ type: 'race', surface: s.id, racers, settings: raceSettings(), steps: Math.max(1, Math.min(5000, Math.round(numberOf('race-steps', s.steps)))), start: race.start, token: race.token });
}

/** Contour map: log-scaled loss in bands, with darker lines where the band changes. */
function surfaceImage(canvas: HTMLCanvasElement): ImageData {
  const s = surfaceById(inputOf('surface').value);
  const W = canvas.width, H = canvas.height;
  const [x0, x1, y0, y1] = s.box;
  const vals = new Float64Array(W * H);
  let lo = Infinity, hi = -Infinity;
  for (let r = 0; r < H; r++) for (let c = 0; c < W; c++) {
    const v = surfaceValue(s, x0 + ((x1 - x0) * (c + 0.5)) / W, y1 - ((y1 - y0) * (r + 0.5)) / H);
    vals[r * W + c] = v;
    lo = Math.min(lo, v); hi = Math.max(hi, v);
  }
  const shift = lo - 1e-3 * (hi - lo + 1e-9);
  const lmin = Math.log(Math.max(lo - shift, 1e-12)), lmax = Math.log(hi - shift);
  const bands = 22;
  const level = new Int16Array(W * H);
  const img = new ImageData(W, H);
  for (let i = 0; i < W * H; i++) {
    const t = (Math.log(vals[i] - shift) - lmin) / (lmax - lmin);
    level[i] = Math.floor(t * bands);
  }
  for (let r = 0; r < H; r++) for (let c = 0; c < W; c++) {
    const i = r * W + c;
    const t = level[i] / bands;
    let [R, G, B] = ramp(0.15 + 0.85 * t);
    // lighten for a calm background
    R = Math.round(R * 0.55 + 255 * 0.45); G = Math.round(G * 0.55 + 255 * 0.45); B = Math.round(B * 0.55 + 255 * 0.45);
    const edge = (c + 1 < W && level[i + 1] !== level[i]) || (r + 1 < H && level[i + W] !== level[i]);
    if (edge) { R = Math.round(R * 0.72); G = Math.round(G * 0.72); B = Math.round(B * 0.72); }
    img.data.set([R, G, B, 255], 4 * i);
  }
  return img;
}

function drawRace(): void {
  const canvas = $<HTMLCanvasElement>('race-surface');
  const g = ctx2d(canvas);
  const s = surfaceById(inputOf('surface').value);
  if (race.backgroundFor !== s.id) {
    race.background = surfaceImage(canvas);
    race.backgroundFor = s.id;
  }
  g.putImageData(race.background!, 0, 0);
  const [x0, x1, y0, y1] = s.box;
  const X = (x: number) => ((x - x0) / (x1 - x0)) * canvas.width;
  const Y = (y: number) => ((y1 - y) / (y1 - y0)) * canvas.height;
  // minima
  for (const [mx, my] of s.minima) {
    g.strokeStyle = '#0f172a'; g.lineWidth = 2;
    g.beginPath(); g.moveTo(X(mx) - 7, Y(my)); g.lineTo(X(mx) + 7, Y(my)); g.moveTo(X(mx), Y(my) - 7); g.lineTo(X(mx), Y(my) + 7); g.stroke();
  }
  // start
  g.fillStyle = '#0f172a';
  g.beginPath(); g.arc(X(race.start[0]), Y(race.start[1]), 5, 0, 7); g.fill();
  for (const t of race.trajectories) {
    const color = RACERS.find((r) => r.id === t.id)!.color;
    const last = Math.min(race.step, t.xs.length - 1);
    g.strokeStyle = color; g.lineWidth = 2.2; g.lineJoin = 'round';
    g.beginPath();
    for (let i = 0; i <= last; i++) {
      const px = X(t.xs[i]), py = Y(t.ys[i]);
      if (i === 0) g.moveTo(px, py); else g.lineTo(px, py);
    }
    g.stroke();
    const px = X(t.xs[last]), py = Y(t.ys[last]);
    const diverged = t.divergedAt !== null && race.step >= t.divergedAt;
    if (diverged) {
      g.strokeStyle = color; g.lineWidth = 3;
      const cx = Math.max(8, Math.min(canvas.width - 8, px)), cy = Math.max(8, Math.min(canvas.height - 8, py));
      g.beginPath(); g.moveTo(cx - 7, cy - 7); g.lineTo(cx + 7, cy + 7); g.moveTo(cx + 7, cy - 7); g.lineTo(cx - 7, cy + 7); g.stroke();
    } else {
      g.fillStyle = color; g.strokeStyle = '#fff'; g.lineWidth = 2;
      g.beginPath(); g.arc(px, py, 6, 0, 7); g.fill(); g.stroke();
    }
  }
  const maxSteps = Math.max(1, ...race.trajectories.map((t) => t.losses.length - 1), numberOf('race-steps', 100));
  lineChart($<HTMLCanvasElement>('race-loss'), race.trajectories.map((t) => {
    const upto = Math.min(race.step, t.losses.length - 1);
    const values = Array.from(t.losses.slice(0, upto + 1));
    if (t.divergedAt !== null && race.step >= t.divergedAt) values[values.length - 1] = Infinity;
    const shift = Math.min(0, ...s.minima.map(([mx, my]) => surfaceValue(s, mx, my)));
    return { values: values.map((v) => v - shift + 1e-8), color: RACERS.find((r) => r.id === t.id)!.color };
  }), { logY: true, xMax: maxSteps, xLabel: 'step', yLabel: 'loss − min' });
  $('race-step').textContent = String(race.step);
  // legend
  const items = race.trajectories.map((t) => {
    const r = RACERS.find((v) => v.id === t.id)!;
    const i = Math.min(race.step, t.xs.length - 1);
    const diverged = t.divergedAt !== null && race.step >= t.divergedAt;
    const status = diverged ? `<strong class="bad">diverged at step ${t.divergedAt}</strong>` : `loss ${fmt(t.losses[Math.min(i, t.losses.length - 1)])} at (${fmt(t.xs[i])}, ${fmt(t.ys[i])})`;
    return `<li data-racer="${t.id}" data-x="${t.xs[t.xs.length - 1]}" data-y="${t.ys[t.ys.length - 1]}" data-diverged="${t.divergedAt ?? ''}"><span class="swatch" style="background:${r.color}"></span><b>${r.label}</b> ${status}</li>`;
  });
  $('race-legend').innerHTML = items.join('');
}

let lastFrame = 0;
let trainDirty = false;
function animate(now: number): void {
  if (trainDirty && !$('train').hidden) {
    trainDirty = false;
    drawTrain();
  }
  const maxStep = Math.max(0, ...race.trajectories.map((t) => t.xs.length - 1), ...race.trajectories.map((t) => t.divergedAt ?? 0));
  if (race.playing && race.step < maxStep && now - lastFrame > 16) {
    const perFrame = Math.max(1, Math.round(maxStep / 240)); // a race takes about 4 s
    race.step = Math.min(maxStep, race.step + perFrame);
    lastFrame = now;
    if (!$('race').hidden) drawRace();
    if (race.step >= maxStep) $('race').dataset.done = 'true';
  }
  requestAnimationFrame(animate);
}

$('surface').addEventListener('change', () => { surfaceDefaults(); runRace(); });
for (const id of ['race-lr', 'race-steps', 'momentum', 'epsilon', 'beta1', 'beta2', 'race-schedule', 'race-decay-steps', 'race-decay-rate', 'start-x', 'start-y']) $(id).addEventListener('change', runRace);
$('racers').addEventListener('change', runRace);
$('race-run').addEventListener('click', runRace);
$('race-play').addEventListener('click', () => {
  race.playing = !race.playing;
  $('race-play').textContent = race.playing ? 'Pause' : 'Play';
  $('race-play').setAttribute('aria-pressed', String(!race.playing));
});
$('race-surface').addEventListener('click', (e) => {
  const canvas = $<HTMLCanvasElement>('race-surface');
  const rect = canvas.getBoundingClientRect();
  const s = surfaceById(inputOf('surface').value);
  const [x0, x1, y0, y1] = s.box;
  const x = x0 + ((e.clientX - rect.left) / rect.width) * (x1 - x0);
  const y = y1 - ((e.clientY - rect.top) / rect.height) * (y1 - y0);
  inputOf('start-x').value = x.toFixed(2);
  inputOf('start-y').value = y.toFixed(2);
  runRace();
});

// ------------------------------------------------------------------ train a network

for (const d of DATASETS) $('dataset').append(new Option(d.label, d.id));
for (const r of RACERS) $('net-optimizer').append(new Option(r.label, r.id, r.id === 'adam', r.id === 'adam'));

const net = {
  train: null as Points | null,
  test: null as Points | null,
  task: 'classification' as 'classification' | 'regression',
  grid: null as Float32Array | null,
  weights: [] as LayerWeights[],
  history: [] as EpochResult[],
  batchLosses: [] as number[],
  batchX: [] as number[],
  training: false,
};

function netConfig(): NetConfig {
  const mode = inputOf('batch-mode').value;
  const layers = Math.max(0, Math.min(4, Math.round(numberOf('layers', 2))));
  const units = Math.max(1, Math.min(16, Math.round(numberOf('units', 8))));
  return {
    ...DEFAULT_NET,
    dataset: inputOf('dataset').value as NetConfig['dataset'],
    noise: numberOf('noise', 0.1),
    trainFraction: numberOf('train-fraction', 0.5),
    hidden: Array(layers).fill(units),
    activation: inputOf('activation').value as NetConfig['activation'],
    batchSize: mode === 'full' ? 'full' : mode === '1' ? 1 : Math.max(2, Math.round(numberOf('batch-size', 16))),
    optimizer: inputOf('net-optimizer').value,
    settings: { ...raceSettings(), learningRate: numberOf('net-lr', 0.03), schedule: inputOf('net-schedule').value as ScheduleKind, decaySteps: inputOf('net-schedule').value === 'cosine' ? 5000 : 1000, decayRate: 0.5 },
    l2: Math.max(0, numberOf('l2', 0)),
    dropout: Math.max(0, Math.min(0.9, numberOf('dropout', 0))),
    seed: seed(),
  };
}

function setTraining(on: boolean): void {
  net.training = on;
  $('train-toggle').textContent = on ? 'Pause' : 'Train';
  $('train-toggle').setAttribute('aria-pressed', String(on));
}

function resetNet(): void {
  setTraining(false);
  net.history = []; net.batchLosses = []; net.batchX = [];
  send({ type: 'reset', config: netConfig() });
}

function classColor(p: number, strength = 1): [number, number, number] {
  // p in [0, 1]: orange (0) to white (0.5) to blue (1)
  const t = Math.max(-1, Math.min(1, 2 * p - 1)) * strength;
  const base = t >= 0 ? BLUE : ORANGE, a = Math.abs(t) * 0.75;
  return [0, 1, 2].map((k) => Math.round(255 * (1 - a) + base[k] * a)) as [number, number, number];
}

function drawBoundary(): void {
  const canvas = $<HTMLCanvasElement>('boundary');
  const g = ctx2d(canvas);
  const W = canvas.width;
  g.clearRect(0, 0, W, W);
  if (net.grid) {
    const img = new ImageData(GRID_RES, GRID_RES);
    for (let i = 0; i < GRID_RES * GRID_RES; i++) {
      const v = net.grid[i];
      const p = net.task === 'classification' ? v : (v + 1) / 2;
      img.data.set([...classColor(p), 255], 4 * i);
    }
    const off = new OffscreenCanvas(GRID_RES, GRID_RES);
    off.getContext('2d')!.putImageData(img, 0, 0);
    g.imageSmoothingEnabled = true;
    g.drawImage(off, 0, 0, W, W);
  }
  const P = (v: number) => ((v + 1) / 2) * W;
  const dots = (pts: Points | null, ring: boolean) => {
    if (!pts) return;
    for (let i = 0; i < pts.n; i++) {
      const v = pts.y[i];
      const p = net.task === 'classification' ? v : (v + 1) / 2;
      const [r, gg, b] = classColor(p, 1.6);
      g.beginPath(); g.arc(P(pts.x[2 * i]), W - P(pts.x[2 * i + 1]), 3.6, 0, 7);
      if (ring) { g.strokeStyle = `rgb(${r},${gg},${b})`; g.lineWidth = 2; g.fillStyle = '#fff'; g.fill(); g.stroke(); }
      else { g.fillStyle = `rgb(${r},${gg},${b})`; g.strokeStyle = '#fff'; g.lineWidth = 1; g.fill(); g.stroke(); }
    }
  };
  dots(net.train, false);
  dots(net.test, true);
}

function drawCurves(): void {
  const h = net.history;
  const xs = h.map((e) => e.epoch);
  lineChart($<HTMLCanvasElement>('curves'), [
    { values: net.batchLosses, xs: net.batchX, color: '#2563eb', alpha: 0.3, dots: true },
    { values: h.map((e) => e.loss), xs, color: '#2563eb', width: 2.2 },
    { values: h.map((e) => e.valLoss), xs, color: '#dc2626', width: 2.2, dash: [6, 4] },
  ], { logY: true, xMax: Math.max(10, h.length), xLabel: 'epoch', yLabel: 'loss' });
}

function drawNet(): void {
  const canvas = $<HTMLCanvasElement>('network');
  const g = ctx2d(canvas);
  const W = canvas.width, H = canvas.height;
  g.clearRect(0, 0, W, H);
  if (!net.weights.length) return;
  const sizes = [net.weights[0].inputs, ...net.weights.map((l) => l.units)];
  const colX = (c: number) => 40 + ((W - 80) * c) / (sizes.length - 1);
  const rowY = (c: number, i: number) => H / 2 + (i - (sizes[c] - 1) / 2) * Math.min(40, (H - 40) / Math.max(...sizes));
  let maxW = 1e-6;
  for (const l of net.weights) for (const v of l.kernel) maxW = Math.max(maxW, Math.abs(v));
  net.weights.forEach((l, c) => {
    for (let i = 0; i < l.inputs; i++) for (let j = 0; j < l.units; j++) {
      const w = l.kernel[i * l.units + j];
      const [r, gg, b] = w >= 0 ? BLUE : ORANGE;
      g.strokeStyle = `rgba(${r},${gg},${b},${0.25 + 0.75 * Math.abs(w) / maxW})`;
      g.lineWidth = 0.5 + 4.5 * Math.abs(w) / maxW;
      g.beginPath(); g.moveTo(colX(c), rowY(c, i)); g.lineTo(colX(c + 1), rowY(c + 1, j)); g.stroke();
    }
  });
  g.font = '11px system-ui, sans-serif';
  sizes.forEach((n, c) => {
    for (let i = 0; i < n; i++) {
      const bias = c === 0 ? 0 : net.weights[c - 1].bias[i];
      const [r, gg, b] = classColor(1 / (1 + Math.exp(-2 * bias)));
      g.fillStyle = `rgb(${r},${gg},${b})`; g.strokeStyle = '#334155'; g.lineWidth = 1.5;
      g.beginPath(); g.arc(colX(c), rowY(c, i), 8, 0, 7); g.fill(); g.stroke();
    }
    g.fillStyle = '#475569';
    g.fillText(c === 0 ? 'x₁, x₂' : c === sizes.length - 1 ? 'output' : `${n} units`, colX(c) - 18, H - 8);
  });
}

function readouts(): void {
  const last = net.history[net.history.length - 1];
  $('epoch').textContent = String(last?.epoch ?? 0);
  $('train-loss').textContent = last ? fmt(last.loss) : '–';
  $('val-loss').textContent = last ? fmt(last.valLoss) : '–';
  $('train').dataset.losses = JSON.stringify(net.history.map((e) => [e.loss, e.valLoss]));
  $('acc-label').textContent = net.task === 'classification' ? 'Validation accuracy' : 'Validation RMSE';
  if (net.grid && net.test) {
    $('val-acc').textContent = net.task === 'classification' ? `${(100 * accuracy(net.test)).toFixed(1)}%` : last ? fmt(Math.sqrt(last.valLoss)) : '–';
  }
}

/** Validation accuracy read off the prediction grid (nearest cell): cheap and good enough for a readout. */
function accuracy(p: Points): number {
  let ok = 0;
  for (let i = 0; i < p.n; i++) {
    const c = Math.min(GRID_RES - 1, Math.floor(((p.x[2 * i] + 1) / 2) * GRID_RES));
    const r = Math.min(GRID_RES - 1, Math.floor(((1 - p.x[2 * i + 1]) / 2) * GRID_RES));
    ok += (net.grid![r * GRID_RES + c] >= 0.5 ? 1 : 0) === p.y[i] ? 1 : 0;
  }
  return ok / p.n;
}

function drawTrain(): void {
  drawBoundary(); drawCurves(); drawNet(); readouts();
}

for (const id of ['dataset', 'noise', 'train-fraction', 'layers', 'units', 'activation', 'l2', 'dropout', 'batch-mode', 'batch-size', 'net-lr', 'net-optimizer', 'net-schedule']) {
  $(id).addEventListener('change', resetNet);
}
$('noise').addEventListener('input', () => ($('noise-out').textContent = `${Math.round(numberOf('noise', 0) * 100)}%`));
$('train-fraction').addEventListener('input', () => ($('train-fraction-out').textContent = `${Math.round(numberOf('train-fraction', 0.5) * 100)}%`));
$('train-toggle').addEventListener('click', () => {
  if (net.training) { setTraining(false); send({ type: 'pause' }); }
  else { setTraining(true); send({ type: 'train', config: netConfig(), speed: trainSpeed() }); }
});
const trainSpeed = () => Number(inputOf('speed').value) || 2;
$('speed').addEventListener('change', () => send({ type: 'speed', speed: trainSpeed() }));
$('train-step').addEventListener('click', () => { setTraining(false); send({ type: 'step', config: netConfig() }); });
$('train-reset').addEventListener('click', resetNet);
$('seed').addEventListener('change', () => { resetNet(); runRace(); });

// ------------------------------------------------------------------ tune

const tune = { trials: [] as TrialPoint[], gp: null as Float32Array | null, config: null as TuneConfig | null, running: false };

function tuneConfig(): TuneConfig {
  const lrMin = Math.max(1e-6, numberOf('lr-min', 0.001)), lrMax = Math.max(lrMin * 1.01, numberOf('lr-max', 1));
  const unitsMin = Math.max(1, Math.round(numberOf('units-min', 1))), unitsMax = Math.max(unitsMin + 1, Math.round(numberOf('units-max', 16)));
  return { kind: inputOf('tuner').value as TuneConfig['kind'], trials: Math.max(2, Math.round(numberOf('tune-trials', 12))), epochs: Math.max(1, Math.round(numberOf('tune-epochs', 40))), lrMin, lrMax, unitsMin, unitsMax };
}

function drawTune(): void {
  const c = tune.config ?? tuneConfig();
  // best so far
  let best = Infinity;
  const bestSoFar = tune.trials.map((t) => (best = Math.min(best, t.value)));
  lineChart($<HTMLCanvasElement>('tune-best'), [
    { values: tune.trials.map((t) => t.value), xs: tune.trials.map((_, i) => i + 1), color: '#94a3b8', width: 0, points: true } as Series,
    { values: bestSoFar, xs: tune.trials.map((_, i) => i + 1), color: '#059669', width: 2.5 },
  ], { logY: true, xMax: Math.max(c.trials, 2), xLabel: 'trial', yLabel: 'validation loss', points: true });
  // space
  const canvas = $<HTMLCanvasElement>('tune-space');
  const g = ctx2d(canvas);
  const W = canvas.width, H = canvas.height, L = 58, B = 36, T = 10, R = 12;
  const PW = W - L - R, PH = H - T - B;
  g.clearRect(0, 0, W, H);
  const values = tune.trials.map((t) => Math.log(t.value));
  const lo = Math.min(...values, Infinity), hi = Math.max(...values, -Infinity);
  const shade = (v: number) => ramp(1 - (hi > lo ? (Math.log(v) - lo) / (hi - lo) : 0.5));
  if (tune.gp && c.kind === 'bayesian') {
    const res = Math.round(Math.sqrt(tune.gp.length));
    const img = new ImageData(res, res);
    for (let i = 0; i < res * res; i++) {
      const [r, gg, b] = shade(tune.gp[i]);
      img.data.set([Math.round(r * 0.5 + 127), Math.round(gg * 0.5 + 127), Math.round(b * 0.5 + 127), 255], 4 * i);
    }
    const off = new OffscreenCanvas(res, res);
    off.getContext('2d')!.putImageData(img, 0, 0);
    g.imageSmoothingEnabled = true;
    g.drawImage(off, L, T, PW, PH);
    $('space-note').textContent = 'background: the GP’s posterior mean of validation loss; dots: trials';
  } else {
    g.fillStyle = '#f8fafc'; g.fillRect(L, T, PW, PH);
    $('space-note').textContent = 'each dot a trial, brighter = lower validation loss';
  }
  g.strokeStyle = '#94a3b8'; g.strokeRect(L, T, PW, PH);
  g.font = '11px system-ui, sans-serif'; g.fillStyle = '#64748b';
  for (let k = 0; k <= 4; k++) {
    const lr = c.lrMin * (c.lrMax / c.lrMin) ** (k / 4);
    g.fillText(fmt(lr), L + (PW * k) / 4 - 14, H - B + 16);
    const u = c.unitsMin + ((c.unitsMax - c.unitsMin) * k) / 4;
    g.fillText(String(Math.round(u)), L - 26, T + PH - (PH * k) / 4 + 4);
  }
  g.fillText('learning rate (log)', L + PW / 2 - 40, H - 4);
  g.save(); g.translate(14, T + PH / 2 + 16); g.rotate(-Math.PI / 2); g.fillText('units', 0, 0); g.restore();
  tune.trials.forEach((t, i) => {
    const [ux, uy] = unitPoint(t, c);
    const [r, gg, b] = shade(t.value);
    g.fillStyle = `rgb(${r},${gg},${b})`; g.strokeStyle = '#0f172a'; g.lineWidth = 1.5;
    g.beginPath(); g.arc(L + ux * PW, T + (1 - uy) * PH, 7, 0, 7); g.fill(); g.stroke();
    g.fillStyle = '#0f172a'; g.fillText(String(i + 1), L + ux * PW + 9, T + (1 - uy) * PH - 6);
  });
}

function setTuning(on: boolean): void {
  tune.running = on;
  inputOf('tune-run').disabled = on;
  inputOf('tune-stop').disabled = !on;
  $('tune-status').textContent = on ? `— running (${tune.trials.length}/${tune.config?.trials ?? '?'})` : tune.trials.length ? `— done (${tune.trials.length})` : '';
}

$('tune-run').addEventListener('click', () => {
  setTraining(false);
  send({ type: 'pause' });
  tune.trials = []; tune.gp = null; tune.config = tuneConfig();
  $('trials').querySelector('tbody')!.innerHTML = '';
  setTuning(true);
  drawTune();
  send({ type: 'tune', net: netConfig(), tune: tune.config });
});
$('tune-stop').addEventListener('click', () => send({ type: 'tune-stop' }));
$('tuner').addEventListener('change', () => { tune.config = tuneConfig(); drawTune(); });

// ------------------------------------------------------------------ worker messages

const seededWaiters: ((e: EpochResult[]) => void)[] = [];

worker.onmessage = (e: MessageEvent<FromWorker>) => {
  const m = e.data;
  switch (m.type) {
    case 'ready':
      $('backend').textContent = `engine: descent · ${m.backend === 'wasm' ? 'WebAssembly kernels' : 'TypeScript kernels'}`;
      document.body.dataset.ready = 'true';
      break;
    case 'race':
      if (m.token !== race.token) return;
      race.trajectories = m.trajectories;
      race.step = 0;
      delete $('race').dataset.done;
      drawRace();
      break;
    case 'reset':
      net.train = m.train; net.test = m.test; net.task = m.task; net.grid = m.grid; net.weights = m.weights;
      drawTrain();
      break;
    case 'epochs':
      for (const ep of m.epochs) {
        ep.batchLosses.forEach((v, i) => { net.batchLosses.push(v); net.batchX.push(ep.epoch - 1 + (i + 1) / ep.batchLosses.length); });
        net.history.push(ep);
      }
      if (net.batchLosses.length > 4000) { // keep the chart light: every other batch of the oldest half
        const keep = (_: number, i: number) => i >= 2000 || i % 2 === 0;
        net.batchLosses = net.batchLosses.filter(keep); net.batchX = net.batchX.filter(keep);
      }
      net.grid = m.grid; net.weights = m.weights;
      trainDirty = true; // drawn at the next animation frame: messages never queue behind drawing
      break;
    case 'trial': {
      tune.trials.push(m.point);
      tune.gp = m.gp;
      const row = document.createElement('tr');
      row.innerHTML = `<td>${tune.trials.length}</td><td>${fmt(m.point.learningRate)}</td><td>${m.point.units}</td><td>${fmt(m.point.value)}</td>`;
      $('trials').querySelector('tbody')!.append(row);
      setTuning(true);
      drawTune();
      break;
    }
    case 'tune-done':
      setTuning(false);
      break;
    case 'seeded':
      seededWaiters.shift()?.(m.epochs);
      break;
    case 'error':
      setTraining(false);
      setTuning(false);
      $('backend').textContent = `error: ${m.message}`;
      $('backend').classList.add('bad');
      break;
  }
};

// For tests and the curious: the current configuration, and a seeded run in the worker.
(window as unknown as { playground: object }).playground = {
  netConfig,
  seededRun: (epochs: number, config: NetConfig = netConfig()) => new Promise<EpochResult[]>((resolve) => { seededWaiters.push(resolve); send({ type: 'seeded', config, epochs }); }),
};

surfaceDefaults();
runRace();
resetNet();
drawTune();
requestAnimationFrame(animate);
