// Keras's model summary table: layer (type), output shape, parameter count, totals.

import type { Layer, SymbolicShape } from '../layers/layer.js';

export function formatSymbolicShape(shape: SymbolicShape | null): string {
  if (!shape) return '?';
  const parts = shape.map((d) => (d === null ? 'None' : String(d)));
  return `(${parts.join(', ')}${parts.length === 1 ? ',' : ''})`;
}

export function summaryTable(name: string, rows: { layer: Layer; outputShape: SymbolicShape | null }[], lineLength = 65): string {
  const cols = [29, 26, lineLength - 55];
  const cell = (s: string, w: number) => (s.length >= w ? s.slice(0, w - 1) + ' ' : s.padEnd(w));
  const line = (a: string, b: string, c: string) => ' ' + cell(a, cols[0] - 1) + cell(b, cols[1]) + cell(c, cols[2]);
  const out: string[] = [`Model: "${name}"`, '_'.repeat(lineLength), line('Layer (type)', 'Output Shape', 'Param #'), '='.repeat(lineLength)];
  // As tf.keras 2.x's print_summary: each layer row is followed by a blank row of spaces, then the '=' rule.
  for (const r of rows) {
    out.push(line(`${r.layer.name} (${r.layer.className})`, formatSymbolicShape(r.outputShape), String(r.layer.countParams())));
    out.push(' '.repeat(lineLength));
  }
  out.push('='.repeat(lineLength));
  const total = rows.reduce((n, r) => n + r.layer.countParams(), 0);
  const trainable = rows.reduce((n, r) => n + r.layer.trainableWeights.reduce((m, w) => m + w.size, 0), 0);
  out.push(`Total params: ${total.toLocaleString('en-US')}`);
  out.push(`Trainable params: ${trainable.toLocaleString('en-US')}`);
  out.push(`Non-trainable params: ${(total - trainable).toLocaleString('en-US')}`);
  out.push('_'.repeat(lineLength));
  return out.join('\n');
}
