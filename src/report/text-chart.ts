// Terminal charts of a curve (the loss per epoch), printed at the end of fit on a TTY.
// Line drawing as asciichart does: a value v maps to row round((max - v) / (max - min) * (height - 1)),
// consecutive points are joined with corner and vertical glyphs in the column between them.

export interface TextChartOptions {
  /** Plot columns (the curve is resampled by linear interpolation when it has more points); default 60. */
  width?: number;
  /** Plot rows; default 10. */
  height?: number;
  /** Title line, e.g. 'loss'. */
  label?: string;
  /** 'unicode' box-drawing glyphs (default) or plain 'ascii'. */
  charset?: 'unicode' | 'ascii';
  /** What the x axis counts; default 'epoch'. */
  xLabel?: string;
}

const GLYPHS = {
  unicode: { flat: '─', up: '╯', upTop: '╭', down: '╮', downBottom: '╰', vert: '│', axis: '┤', corner: '└', hline: '─', dot: '●' },
  ascii: { flat: '-', up: '/', upTop: '/', down: '\\', downBottom: '\\', vert: '|', axis: '|', corner: '+', hline: '-', dot: '*' },
};

function formatTick(v: number): string {
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(2);
  return v.toFixed(a >= 100 ? 1 : 4);
}

/** Resample to m points by linear interpolation (keeps the first and last values exactly). */
function resample(values: readonly number[], m: number): number[] {
  const n = values.length;
  if (n === m || n < 2) return [...values];
  const out: number[] = [];
  for (let j = 0; j < m; j++) {
    const p = (j * (n - 1)) / (m - 1);
    const i = Math.floor(p), f = p - i;
    out.push(i + 1 < n ? values[i] * (1 - f) + values[i + 1] * f : values[i]);
  }
  return out;
}

/** A small line chart of `values` (one per epoch) as a multi-line string. */
export function textChart(values: readonly number[], opts: TextChartOptions = {}): string {
  const width = Math.max(1, Math.floor(opts.width ?? 60));
  const height = Math.max(2, Math.floor(opts.height ?? 10));
  const g = GLYPHS[opts.charset ?? 'unicode'];
  const xLabel = opts.xLabel ?? 'epoch';
  const finite = values.filter((v) => Number.isFinite(v));
  const title = opts.label ?? '';
  if (finite.length === 0) return `${title}${title ? ': ' : ''}(no finite values to plot)`;
  // Columns: one per transition between points; a short curve is stretched by a whole number of columns per
  // epoch (so its points stay on columns), a long one resampled to the width.
  const n0 = finite.length;
  const pts = n0 - 1 >= width ? resample(finite, width + 1) : resample(finite, (n0 - 1) * Math.max(1, Math.floor(width / Math.max(1, n0 - 1))) + 1);
  const min = Math.min(...pts), max = Math.max(...pts);
  const span = max - min;
  const row = (v: number) => (span === 0 ? Math.floor((height - 1) / 2) : Math.round(((max - v) / span) * (height - 1)));
  const cols = Math.max(1, pts.length - 1);
  const grid: string[][] = Array.from({ length: height }, () => new Array(cols).fill(' '));
  if (pts.length === 1) grid[row(pts[0])][0] = g.dot;
  for (let x = 0; x + 1 < pts.length; x++) {
    const y0 = row(pts[x]), y1 = row(pts[x + 1]);
    if (y0 === y1) { grid[y0][x] = g.flat; continue; }
    if (y1 < y0) { // rising: enter at y0 from the left, leave at y1 to the right
      grid[y0][x] = g.up; grid[y1][x] = g.upTop;
    } else {
      grid[y0][x] = g.down; grid[y1][x] = g.downBottom;
    }
    for (let y = Math.min(y0, y1) + 1; y < Math.max(y0, y1); y++) grid[y][x] = g.vert;
  }
  const ticks = grid.map((_, r) => formatTick(span === 0 ? min : max - (r / (height - 1)) * span));
  const tw = Math.max(...ticks.map((t) => t.length));
  const lines: string[] = [];
  const n = values.length;
  const bi = finite.indexOf(Math.min(...finite));
  if (title) lines.push(`${title}  (min ${formatTick(finite[bi])} at ${xLabel} ${values.indexOf(finite[bi]) + 1}, last ${formatTick(finite[finite.length - 1])})`);
  grid.forEach((cells, r) => lines.push(`${ticks[r].padStart(tw)} ${g.axis}${cells.join('')}`));
  lines.push(`${' '.repeat(tw)} ${g.corner}${g.hline.repeat(cols)}`);
  const left = `${xLabel} 1`, right = `${n}`;
  lines.push(`${' '.repeat(tw + 2)}${cols > left.length + right.length ? left + right.padStart(cols - left.length) : `${xLabel}s 1-${n}`}`);
  return lines.join('\n');
}

/** One-line sparkline with eighth-block glyphs: '▁▂▃▄▅▆▇█'. Non-finite values print as a space. */
export function sparkline(values: readonly number[]): string {
  const bars = '▁▂▃▄▅▆▇█';
  const finite = values.filter((v) => Number.isFinite(v));
  const min = Math.min(...finite), max = Math.max(...finite);
  return values
    .map((v) => (!Number.isFinite(v) ? ' ' : max === min ? bars[3] : bars[Math.round(((v - min) / (max - min)) * 7)]))
    .join('');
}
