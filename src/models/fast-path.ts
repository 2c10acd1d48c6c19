// A planned training step for the common case: a stack of Dense layers (with Activation, Dropout, Flatten,
// InputLayer) and a standard loss. Forward and backward run over buffers allocated once per batch size, with
// the same formulas (and the same random stream for Dropout) as the autograd path, so results agree to float
// rounding; the generic autograd path handles everything else (regularizers, custom losses, other layers).

import { Tensor } from '../tensor/tensor.js';
import { getBackend } from '../backend/backend.js';
import { Dense } from '../layers/dense.js';
import { Activation, Dropout, Flatten, InputLayer } from '../layers/core.js';
import type { Layer } from '../layers/layer.js';
import { EPSILON, type Loss } from '../losses/loss.js';
import type { Sequential } from './sequential.js';

type ActName = 'linear' | 'relu' | 'sigmoid' | 'tanh' | 'softmax' | 'leaky_relu' | 'elu' | 'softplus' | 'swish';
const SUPPORTED_ACTIVATIONS = new Set<string>(['linear', 'relu', 'sigmoid', 'tanh', 'softmax', 'leaky_relu', 'elu', 'softplus', 'swish']);
type LossKind = 'bce' | 'bce_logits' | 'cce' | 'cce_logits' | 'scce' | 'scce_logits' | 'mse' | 'mae';

/** One step of the plan: a Dense (matmul + bias), an activation, or a dropout mask. */
type Stage =
  | { kind: 'dense'; layer: Dense }
  | { kind: 'act'; name: ActName }
  | { kind: 'dropout'; layer: Dropout };

interface Buffers {
  /** Output of each stage (index s+1), input is index 0. */
  values: Float32Array[];
  grads: Float32Array[];
  masks: (Float32Array | null)[];
  weightGrads: Map<Dense, { kernel: Float32Array; bias: Float32Array | null }>;
  predTensor: Tensor;
}

function lossKind(loss: Loss): LossKind | null {
  const c = loss.config as { fromLogits?: boolean; labelSmoothing?: number; axis?: unknown; ignoreClass?: unknown };
  if (c.labelSmoothing || loss.reduction !== 'sum_over_batch_size' || (c.axis ?? -1) !== -1 || (c.ignoreClass ?? null) !== null) return null;
  switch (loss.className) {
    case 'BinaryCrossentropy':
      return c.fromLogits ? 'bce_logits' : 'bce';
    case 'CategoricalCrossentropy':
      return c.fromLogits ? 'cce_logits' : 'cce';
    case 'SparseCategoricalCrossentropy':
      return c.fromLogits ? 'scce_logits' : 'scce';
    case 'MeanSquaredError':
      return 'mse';
    case 'MeanAbsoluteError':
      return 'mae';
    default:
      return null;
  }
}

export class DenseStackPlan {
  private readonly stages: Stage[];
  private readonly widths: number[];
  private readonly buffers = new Map<number, Buffers>();

  private constructor(
    stages: Stage[],
    widths: number[],
    private readonly loss: LossKind,
  ) {
    this.stages = stages;
    this.widths = widths;
  }

  /** A plan for the model, or null when some part needs the general autograd path. */
  static create(model: Sequential): DenseStackPlan | null {
    const kind = model.loss ? lossKind(model.loss) : null;
    if (!kind || !model.isBuilt) return null;
    const input = model.inputShape;
    if (!input || input.length < 2 || input.slice(1).some((d) => d === null)) return null;
    // Samples of rank > 1 (e.g. 28×28 images) are planned when a Flatten comes before any other layer: row-major
    // data is already flat, so Flatten is free.
    let flat = input.length === 2;
    const stages: Stage[] = [];
    const widths: number[] = [input.slice(1).reduce<number>((p, d) => p * (d as number), 1)];
    for (const layer of model.layers as Layer[]) {
      if (layer instanceof InputLayer) continue;
      if (layer instanceof Flatten) {
        flat = true;
        continue;
      }
      if (!flat) return null;
      if (layer instanceof Dense) {
        if (layer.kernelRegularizer || layer.biasRegularizer || layer.activityRegularizer || !SUPPORTED_ACTIVATIONS.has(layer.activationName) || !layer.kernel) return null;
        stages.push({ kind: 'dense', layer });
        widths.push(layer.units);
        stages.push({ kind: 'act', name: layer.activationName as ActName });
        widths.push(layer.units);
      } else if (layer instanceof Activation) {
        if (!SUPPORTED_ACTIVATIONS.has(layer.activationName)) return null;
        stages.push({ kind: 'act', name: layer.activationName as ActName });
        widths.push(widths[widths.length - 1]);
      } else if (layer instanceof Dropout) {
        stages.push({ kind: 'dropout', layer });
        widths.push(widths[widths.length - 1]);
      } else return null;
    }
    // Softmax is only planned as the output activation (its backward is per row).
    if (stages.some((s, i) => s.kind === 'act' && s.name === 'softmax' && stages.slice(i + 1).some((t) => t.kind === 'dense'))) return null;
    return new DenseStackPlan(stages, widths, kind);
  }

  private buffersFor(n: number): Buffers {
    let b = this.buffers.get(n);
    if (b) return b;
    const values = this.widths.map((w) => new Float32Array(n * w));
    const grads = this.widths.map((w) => new Float32Array(n * w));
    const masks = this.stages.map((s, i) => (s.kind === 'dropout' ? new Float32Array(n * this.widths[i + 1]) : null));
    const weightGrads = new Map<Dense, { kernel: Float32Array; bias: Float32Array | null }>();
    for (const s of this.stages) {
      if (s.kind === 'dense') weightGrads.set(s.layer, { kernel: new Float32Array(s.layer.kernel!.size), bias: s.layer.bias ? new Float32Array(s.layer.bias.size) : null });
    }
    const out = this.widths[this.widths.length - 1];
    b = { values, grads, masks, weightGrads, predTensor: new Tensor(values[values.length - 1], [n, out]) };
    if (this.buffers.size > 4) this.buffers.clear();
    this.buffers.set(n, b);
    return b;
  }

  /** Forward pass into the plan's buffers; returns the output tensor (a view, valid until the next call). */
  forward(x: Float32Array, n: number, training: boolean): Tensor {
    const b = this.buffersFor(n);
    b.values[0].set(x);
    const backend = getBackend();
    this.stages.forEach((s, i) => {
      const input = b.values[i];
      const out = b.values[i + 1];
      const width = this.widths[i + 1];
      if (s.kind === 'dense') {
        const k = s.layer.kernel!;
        backend.matmul(input, k.data, out, n, this.widths[i], width, false, false);
        const bias = s.layer.bias?.data;
        if (bias) for (let r = 0; r < n; r++) for (let j = 0, o = r * width; j < width; j++) out[o + j] += bias[j];
      } else if (s.kind === 'act') {
        activate(s.name, input, out, n, width);
      } else if (training && s.layer.rate > 0) {
        // Same random stream and order as Dropout.call, so both paths drop the same units.
        const mask = b.masks[i]!;
        s.layer.fillMask(mask);
        for (let j = 0; j < out.length; j++) out[j] = input[j] * mask[j];
      } else {
        out.set(input);
        b.masks[i]?.fill(1);
      }
    });
    return b.predTensor;
  }

  /**
   * Forward, loss and backward for one batch. Returns the loss (Σ w_i·loss_i / n, as Keras) and the
   * gradient of every trainable weight, in the order of model.trainableWeights.
   */
  trainStep(x: Float32Array, y: Float32Array, w: Float32Array | null, n: number): { loss: number; pred: Tensor; grads: Map<Dense, { kernel: Float32Array; bias: Float32Array | null }> } {
    const pred = this.forward(x, n, true);
    const b = this.buffersFor(n);
    const last = this.stages.length;
    const cols = this.widths[last];
    const loss = lossAndGrad(this.loss, y, pred.data, w, n, cols, b.grads[last]);
    // Softmax/sigmoid + cross-entropy are not fused: the chain rule runs through each stage as autograd does.
    const backend = getBackend();
    for (let i = last - 1; i >= 0; i--) {
      const s = this.stages[i];
      const gOut = b.grads[i + 1];
      const gIn = b.grads[i];
      const width = this.widths[i + 1];
      if (s.kind === 'act') activationBackward(s.name, b.values[i], b.values[i + 1], gOut, gIn, n, width);
      else if (s.kind === 'dropout') {
        const mask = b.masks[i]!;
        for (let j = 0; j < gIn.length; j++) gIn[j] = gOut[j] * mask[j];
      } else {
        const wg = b.weightGrads.get(s.layer)!;
        const inWidth = this.widths[i];
        // dW = Xᵀ·G, db = Σ_rows G, dX = G·Wᵀ
        backend.matmul(b.values[i], gOut, wg.kernel, inWidth, n, width, true, false);
        if (wg.bias) {
          wg.bias.fill(0);
          for (let r = 0; r < n; r++) for (let j = 0, o = r * width; j < width; j++) wg.bias[j] += gOut[o + j];
        }
        if (i > 0) backend.matmul(gOut, s.layer.kernel!.data, gIn, n, width, inWidth, false, true);
      }
    }
    return { loss, pred, grads: b.weightGrads };
  }
}

function activate(name: ActName, x: Float32Array, y: Float32Array, n: number, width: number): void {
  const len = n * width;
  switch (name) {
    case 'linear':
      y.set(x);
      return;
    case 'relu':
      for (let i = 0; i < len; i++) y[i] = x[i] > 0 ? x[i] : 0;
      return;
    case 'sigmoid':
      for (let i = 0; i < len; i++) {
        const v = x[i];
        y[i] = v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
      }
      return;
    case 'tanh':
      for (let i = 0; i < len; i++) y[i] = Math.tanh(x[i]);
      return;
    case 'leaky_relu':
      for (let i = 0; i < len; i++) y[i] = x[i] > 0 ? x[i] : 0.2 * x[i];
      return;
    case 'elu':
      for (let i = 0; i < len; i++) y[i] = x[i] > 0 ? x[i] : Math.expm1(x[i]);
      return;
    case 'softplus':
      for (let i = 0; i < len; i++) y[i] = Math.max(x[i], 0) + Math.log1p(Math.exp(-Math.abs(x[i])));
      return;
    case 'swish':
      for (let i = 0; i < len; i++) y[i] = x[i] / (1 + Math.exp(-x[i]));
      return;
    case 'softmax':
      for (let r = 0; r < n; r++) {
        const o = r * width;
        let m = -Infinity;
        for (let j = 0; j < width; j++) m = Math.max(m, x[o + j]);
        let s = 0;
        for (let j = 0; j < width; j++) {
          const e = Math.exp(x[o + j] - m);
          y[o + j] = e;
          s += e;
        }
        for (let j = 0; j < width; j++) y[o + j] /= s;
      }
  }
}

function activationBackward(name: ActName, x: Float32Array, y: Float32Array, g: Float32Array, gx: Float32Array, n: number, width: number): void {
  const len = n * width;
  switch (name) {
    case 'linear':
      gx.set(g);
      return;
    case 'relu':
      for (let i = 0; i < len; i++) gx[i] = x[i] > 0 ? g[i] : 0;
      return;
    case 'sigmoid':
      for (let i = 0; i < len; i++) gx[i] = g[i] * (y[i] * (1 - y[i]));
      return;
    case 'tanh':
      for (let i = 0; i < len; i++) gx[i] = g[i] * (1 - y[i] * y[i]);
      return;
    case 'leaky_relu':
      for (let i = 0; i < len; i++) gx[i] = g[i] * (x[i] > 0 ? 1 : 0.2);
      return;
    case 'elu':
      for (let i = 0; i < len; i++) gx[i] = g[i] * (x[i] > 0 ? 1 : y[i] + 1);
      return;
    case 'softplus':
      for (let i = 0; i < len; i++) gx[i] = g[i] * (1 / (1 + Math.exp(-x[i])));
      return;
    case 'swish':
      for (let i = 0; i < len; i++) {
        const s = 1 / (1 + Math.exp(-x[i]));
        gx[i] = g[i] * (s * (1 + x[i] * (1 - s)));
      }
      return;
    case 'softmax':
      for (let r = 0; r < n; r++) {
        const o = r * width;
        let dot = 0;
        for (let j = 0; j < width; j++) dot += g[o + j] * y[o + j];
        for (let j = 0; j < width; j++) gx[o + j] = y[o + j] * (g[o + j] - dot);
      }
  }
}

// The clip bounds as float32, as the autograd path (and Keras, TF.js) hold them: 1 − 1e-7 is 1 − 2⁻²³ in float32,
// so a saturated prediction's loss is −log(1.19e-7) = 15.94, not −log(1e-7) = 16.12.
const CLIP_LO = Math.fround(EPSILON);
const CLIP_HI = Math.fround(1 - EPSILON);
const clipP = (p: number) => (p < CLIP_LO ? CLIP_LO : p > CLIP_HI ? CLIP_HI : p);
const inClip = (p: number) => p >= CLIP_LO && p <= CLIP_HI;

/**
 * The loss Σ_i w_i·L_i / n and its gradient with respect to the predictions, written into grad.
 * Formulas as in src/losses (Keras's): probabilities clipped to [ε, 1−ε], categorical ones renormalised.
 */
function lossAndGrad(kind: LossKind, y: Float32Array, p: Float32Array, w: Float32Array | null, n: number, cols: number, grad: Float32Array): number {
  let total = 0;
  for (let r = 0; r < n; r++) {
    const wr = w ? w[r] : 1;
    const o = r * cols;
    const scale = wr / n;
    let li = 0;
    switch (kind) {
      case 'bce':
        for (let j = 0; j < cols; j++) {
          const t = y[o + j];
          const q = clipP(p[o + j]);
          li -= t * Math.log(q) + (1 - t) * Math.log(1 - q);
          grad[o + j] = inClip(p[o + j]) ? ((scale / cols) * (q - t)) / (q * (1 - q)) : 0;
        }
        li /= cols;
        break;
      case 'bce_logits':
        for (let j = 0; j < cols; j++) {
          const z = p[o + j];
          const t = y[o + j];
          li += Math.max(z, 0) - z * t + Math.log1p(Math.exp(-Math.abs(z)));
          grad[o + j] = (scale / cols) * (1 / (1 + Math.exp(-z)) - t);
        }
        li /= cols;
        break;
      case 'mse':
        for (let j = 0; j < cols; j++) {
          const d = p[o + j] - y[o + j];
          li += d * d;
          grad[o + j] = ((2 * scale) / cols) * d;
        }
        li /= cols;
        break;
      case 'mae':
        for (let j = 0; j < cols; j++) {
          const d = p[o + j] - y[o + j];
          li += Math.abs(d);
          grad[o + j] = (scale / cols) * (d > 0 ? 1 : d < 0 ? -1 : 0);
        }
        li /= cols;
        break;
      case 'cce':
      case 'scce': {
        // q = p/Σp, c = clip(q); cce: L = −Σ y log c; scce: L = −log softmax(log c)[label] = −log(c_label / Σc).
        let s = 0;
        for (let j = 0; j < cols; j++) s += p[o + j];
        let sc = 0;
        for (let j = 0; j < cols; j++) sc += clipP(p[o + j] / s);
        const label = kind === 'scce' ? y[r] : -1;
        let dotGq = 0;
        for (let j = 0; j < cols; j++) {
          const q = p[o + j] / s;
          const c = clipP(q);
          const t = kind === 'scce' ? (j === label ? 1 : 0) : y[o + j];
          let gc: number;
          if (kind === 'cce') {
            li -= t * Math.log(c);
            gc = -t / c;
          } else {
            if (j === label) li -= Math.log(c / sc);
            gc = (c / sc - t) / c; // d/dc of −log_softmax(log c)[label]
          }
          const gq = inClip(q) ? gc * scale : 0;
          grad[o + j] = gq;
          dotGq += gq * q;
        }
        for (let j = 0; j < cols; j++) grad[o + j] = (grad[o + j] - dotGq) / s;
        break;
      }
      case 'cce_logits':
      case 'scce_logits': {
        let m = -Infinity;
        for (let j = 0; j < cols; j++) m = Math.max(m, p[o + j]);
        let se = 0;
        for (let j = 0; j < cols; j++) se += Math.exp(p[o + j] - m);
        const lse = m + Math.log(se);
        let ysum = 0;
        for (let j = 0; j < cols; j++) ysum += kind === 'scce_logits' ? (j === y[r] ? 1 : 0) : y[o + j];
        for (let j = 0; j < cols; j++) {
          const t = kind === 'scce_logits' ? (j === y[r] ? 1 : 0) : y[o + j];
          li -= t * (p[o + j] - lse);
          grad[o + j] = scale * (Math.exp(p[o + j] - lse) * ysum - t);
        }
        break;
      }
    }
    total += wr * li;
  }
  return total / n;
}
