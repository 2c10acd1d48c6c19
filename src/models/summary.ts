// Keras's model summary table (tf.keras 2.x text layout): layer (type), output shape, parameter count, and for
// functional models the "Connected to" column (layer[node][tensor] of each input); then the totals.

import { formatSymbolicShape, type Layer, type SymbolicShape } from '../layers/layer.js';

export { formatSymbolicShape };

export interface SummaryRow {
  layer: Layer;
  outputShape: SymbolicShape | null;
  /** Inputs of the layer's calls as 'layer[node][tensor]' (functional models). */
  connectedTo?: string[];
}

export function summaryTable(name: string, rows: SummaryRow[], lineLength?: number, connected = false, total?: number, trainable?: number): string {
  const width = lineLength ?? (connected ? 98 : 65);
  // Column edges as Keras's print_summary: [.45, .85, 1] of the line (Sequential), [.33, .55, .67, 1] (functional).
  const edges = connected ? [0.33, 0.55, 0.67, 1].map((f) => Math.floor(width * f)) : [29, 55, width];
  const cols = edges.map((e, i) => e - (i ? edges[i - 1] : 0));
  const cell = (s: string, w: number) => (s.length >= w ? s.slice(0, w - 1) + ' ' : s.padEnd(w));
  const line = (...cells: string[]) => ' ' + cells.map((c, i) => cell(c, cols[i] - (i === 0 ? 1 : 0))).join('');
  const header = connected ? line('Layer (type)', 'Output Shape', 'Param #', 'Connected to') : line('Layer (type)', 'Output Shape', 'Param #');
  const out: string[] = [`Model: "${name}"`, '_'.repeat(width), header, '='.repeat(width)];
  // As tf.keras 2.x's print_summary: each layer row is followed by a blank row of spaces, then the '=' rule.
  for (const r of rows) {
    const first = [`${r.layer.name} (${r.layer.className})`, formatSymbolicShape(r.outputShape), String(r.layer.countParams())];
    if (connected) {
      const refs = r.connectedTo ?? [];
      const parts = refs.map((c, i) => `${i === 0 ? '[' : ' '}'${c}'${i === refs.length - 1 ? ']' : ','}`);
      out.push(line(...first, parts[0] ?? '[]'));
      for (const p of parts.slice(1)) out.push(line('', '', '', p));
    } else out.push(line(...first));
    out.push(' '.repeat(width));
  }
  out.push('='.repeat(width));
  const all = total ?? rows.reduce((n, r) => n + r.layer.countParams(), 0);
  const train = trainable ?? rows.reduce((n, r) => n + r.layer.trainableWeights.reduce((m, w) => m + w.size, 0), 0);
  out.push(`Total params: ${all.toLocaleString('en-US')}`);
  out.push(`Trainable params: ${train.toLocaleString('en-US')}`);
  out.push(`Non-trainable params: ${(all - train).toLocaleString('en-US')}`);
  out.push('_'.repeat(width));
  return out.join('\n');
}
