// Fused batch-normalization kernels over x viewed as [outer, C, inner] (channel axis C; inner = 1 for channels last).
// With N = outer·inner values per channel, x̂ = (x − μ)·r and r = 1/√(σ² + ε):
//   forward:   y = γ·x̂ + β  (computed as y = x·scale + shift, scale = γ·r, shift = β − μ·scale)
//   backward:  dβ = Σ dy,  dγ = Σ dy·x̂,
//              dx = γ·r·dy                                  when μ, σ² are constants (inference, moving statistics)
//              dx = γ·r/N · (N·dy − dβ − x̂·dγ)              when μ, σ² are the batch's own (training; Ioffe & Szegedy 2015)
// Sums are accumulated in float64; σ² is the biased (1/N) variance, as Keras and TensorFlow use.

export interface ChannelLayout {
  outer: number;
  channels: number;
  inner: number;
}

/** Per-channel mean and biased variance (two passes). */
export function channelMoments(x: Float32Array, l: ChannelLayout, mean: Float32Array, variance: Float32Array): void {
  const { outer, channels: C, inner } = l, N = outer * inner;
  const s = new Float64Array(C), q = new Float64Array(C);
  if (inner === 1) {
    for (let o = 0, i = 0; o < outer; o++) for (let c = 0; c < C; c++) s[c] += x[i++];
  } else {
    for (let o = 0, i = 0; o < outer; o++) for (let c = 0; c < C; c++) for (let k = 0; k < inner; k++) s[c] += x[i++];
  }
  for (let c = 0; c < C; c++) s[c] /= N;
  if (inner === 1) {
    for (let o = 0, i = 0; o < outer; o++) for (let c = 0; c < C; c++) { const d = x[i++] - s[c]; q[c] += d * d; }
  } else {
    for (let o = 0, i = 0; o < outer; o++) for (let c = 0; c < C; c++) for (let k = 0; k < inner; k++) { const d = x[i++] - s[c]; q[c] += d * d; }
  }
  for (let c = 0; c < C; c++) {
    mean[c] = s[c];
    variance[c] = q[c] / N;
  }
}

/** y = x·scale[c] + shift[c]. */
export function channelAffine(x: Float32Array, l: ChannelLayout, scale: Float32Array, shift: Float32Array, y: Float32Array): void {
  const { outer, channels: C, inner } = l;
  if (inner === 1) {
    for (let o = 0, i = 0; o < outer; o++) for (let c = 0; c < C; c++, i++) y[i] = x[i] * scale[c] + shift[c];
  } else {
    for (let o = 0, i = 0; o < outer; o++)
      for (let c = 0; c < C; c++) {
        const a = scale[c], b = shift[c];
        for (let k = 0; k < inner; k++, i++) y[i] = x[i] * a + b;
      }
  }
}

/** Gradients of y = γ·(x − μ)·r + β. gamma null means γ = 1. batchStats: μ and σ² are x's own (training). */
export function batchNormBackward(
  dy: Float32Array, x: Float32Array, l: ChannelLayout, mean: Float32Array, invStd: Float32Array, gamma: Float32Array | null,
  batchStats: boolean, dx: Float32Array, dgamma: Float32Array, dbeta: Float32Array,
): void {
  const { outer, channels: C, inner } = l, N = outer * inner;
  const sb = new Float64Array(C), sg = new Float64Array(C);
  for (let o = 0, i = 0; o < outer; o++)
    for (let c = 0; c < C; c++) {
      const m = mean[c], r = invStd[c];
      for (let k = 0; k < inner; k++, i++) {
        sb[c] += dy[i];
        sg[c] += dy[i] * (x[i] - m) * r;
      }
    }
  for (let c = 0; c < C; c++) {
    dbeta[c] = sb[c];
    dgamma[c] = sg[c];
  }
  for (let o = 0, i = 0; o < outer; o++)
    for (let c = 0; c < C; c++) {
      const m = mean[c], r = invStd[c], gr = (gamma ? gamma[c] : 1) * r;
      if (batchStats) {
        const b = sb[c] / N, q = sg[c] / N;
        for (let k = 0; k < inner; k++, i++) dx[i] = gr * (dy[i] - b - (x[i] - m) * r * q);
      } else {
        for (let k = 0; k < inner; k++, i++) dx[i] = gr * dy[i];
      }
    }
}
