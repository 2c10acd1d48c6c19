// Test metrics for the CLI: Keras's evaluate for classifiers; for regression, errors in the target's own units
// (the model trains on a standardized target), computed in float64:
//   mse = mean (y - p)^2, rmse = sqrt(mse), mae = mean |y - p|, r2 = 1 - sum (y - p)^2 / sum (y - mean y)^2

import type { Sequential } from '../models/sequential.js';
import type { Tensor } from '../tensor/tensor.js';

export async function classificationMetrics(model: Sequential, x: Tensor, y: Tensor): Promise<Record<string, number>> {
  return (await model.evaluate(x, y, { verbose: 0, returnDict: true })) as Record<string, number>;
}

export function regressionMetrics(pred: Tensor, y: Tensor): Record<string, number> {
  const n = y.size;
  if (pred.size !== n) throw new Error(`Predictions have ${pred.size} values but the targets ${n}.`);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += y.data[i];
  mean /= n;
  let se = 0, ae = 0, st = 0;
  for (let i = 0; i < n; i++) {
    const d = y.data[i] - pred.data[i];
    se += d * d;
    ae += Math.abs(d);
    st += (y.data[i] - mean) ** 2;
  }
  const out: Record<string, number> = { mse: se / n, rmse: Math.sqrt(se / n), mae: ae / n };
  if (st > 0) out.r2 = 1 - se / st;
  return out;
}

export function formatMetrics(m: Record<string, number>): string {
  return Object.entries(m).map(([k, v]) => `${k}: ${Number.isFinite(v) ? (Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(4) : v.toFixed(4)) : String(v)}`).join(' - ');
}
