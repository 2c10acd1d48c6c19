// Geometry of a sliding window over 1, 2 or 3 spatial dimensions (convolution and pooling), channels last.
// Every kernel works in three dimensions: a 1-D or 2-D window is the 3-D one with leading sizes of 1.
// Output sizes and padding follow TensorFlow (and so Keras and TF.js):
//   valid:  out = floor((in − k_eff) / s) + 1,                     k_eff = (k − 1)·d + 1
//   same:   out = ceil(in / s),  pad_total = max((out − 1)·s + k_eff − in, 0),  pad_before = floor(pad_total / 2)
//   causal: out = ceil(in / s),  pad_before = k_eff − 1 (1-D only: the output at t sees inputs up to t)

export type Padding = 'valid' | 'same' | 'causal';
export type Triple = [number, number, number];

export interface ConvGeometry {
  batch: number;
  /** Spatial rank of the op (1, 2 or 3); the triples below are padded to 3 with leading 1s. */
  rank: number;
  inSize: Triple;
  outSize: Triple;
  kernel: Triple;
  strides: Triple;
  dilations: Triple;
  padBefore: Triple;
  inChannels: number;
  outChannels: number;
  groups: number;
}

export interface ConvGeometryArgs {
  batch: number;
  /** Spatial input sizes (1 to 3 numbers). */
  inSize: readonly number[];
  inChannels: number;
  kernel: readonly number[];
  outChannels: number;
  strides?: number | readonly number[];
  dilations?: number | readonly number[];
  padding?: Padding;
  groups?: number;
  /** Names the op in error messages ('conv2d', 'maxPool2d', ...). */
  what?: string;
}

/** One integer per spatial dimension from a number or a list, each ≥ 1. */
export function expandTuple(value: number | readonly number[] | undefined, rank: number, fallback: number, name: string, what: string): number[] {
  const list = value === undefined ? new Array<number>(rank).fill(fallback) : typeof value === 'number' ? new Array<number>(rank).fill(value) : [...value];
  if (list.length !== rank || !list.every((v) => Number.isInteger(v) && v >= 1)) {
    throw new Error(`${what}: ${name} must be a positive integer or a list of ${rank} positive integers, got ${JSON.stringify(value)}.`);
  }
  return list;
}

const pad3 = (v: readonly number[], fill: number): Triple => [...new Array<number>(3 - v.length).fill(fill), ...v] as Triple;

/** Window geometry with TensorFlow's output sizes; throws when the window does not fit a 'valid' input. */
export function convGeometry(a: ConvGeometryArgs): ConvGeometry {
  const what = a.what ?? 'conv';
  const rank = a.inSize.length;
  if (rank < 1 || rank > 3) throw new Error(`${what}: 1 to 3 spatial dimensions are supported, got ${rank}.`);
  const padding = a.padding ?? 'valid';
  if (padding !== 'valid' && padding !== 'same' && padding !== 'causal') throw new Error(`${what}: padding must be 'valid' or 'same'${rank === 1 ? " or 'causal'" : ''}, got ${JSON.stringify(padding)}.`);
  if (padding === 'causal' && rank !== 1) throw new Error(`${what}: padding 'causal' is for 1-D convolutions only.`);
  const kernel = expandTuple(a.kernel, rank, 1, 'kernel size', what);
  const strides = expandTuple(a.strides, rank, 1, 'strides', what);
  const dilations = expandTuple(a.dilations, rank, 1, 'dilation rate', what);
  const groups = a.groups ?? 1;
  if (!Number.isInteger(groups) || groups < 1 || a.inChannels % groups !== 0 || a.outChannels % groups !== 0) {
    throw new Error(`${what}: groups (${groups}) must divide both the input channels (${a.inChannels}) and the output channels (${a.outChannels}).`);
  }
  const outSize: number[] = [];
  const padBefore: number[] = [];
  for (let d = 0; d < rank; d++) {
    const n = a.inSize[d], k = (kernel[d] - 1) * dilations[d] + 1, s = strides[d];
    if (padding === 'valid') {
      if (k > n) {
        const dil = dilations[d] > 1 ? ` (${k} with dilation ${dilations[d]})` : '';
        throw new Error(`${what}: the window of size ${formatSizes(kernel)}${dil} is larger than the input ${formatSizes(a.inSize)} in dimension ${d + 1} with padding 'valid'; use padding 'same' or a smaller window.`);
      }
      outSize.push(Math.floor((n - k) / s) + 1);
      padBefore.push(0);
    } else {
      const out = Math.ceil(n / s);
      outSize.push(out);
      padBefore.push(padding === 'causal' ? k - 1 : Math.floor(Math.max((out - 1) * s + k - n, 0) / 2));
    }
  }
  return {
    batch: a.batch, rank,
    inSize: pad3(a.inSize, 1), outSize: pad3(outSize, 1), kernel: pad3(kernel, 1), strides: pad3(strides, 1), dilations: pad3(dilations, 1),
    padBefore: pad3(padBefore, 0), inChannels: a.inChannels, outChannels: a.outChannels, groups,
  };
}

/**
 * Geometry of a transposed convolution producing `outSize` from `inSize`: the forward convolution it transposes
 * maps outSize to inSize. Output sizes (Keras's deconv_output_length, no output padding):
 *   valid: in·s + max(k_eff − s, 0);  same: in·s.
 */
export function transposedOutputSize(inSize: readonly number[], kernel: readonly number[], strides: readonly number[], dilations: readonly number[], padding: Padding): number[] {
  return inSize.map((n, d) => {
    const k = (kernel[d] - 1) * dilations[d] + 1;
    return padding === 'same' ? n * strides[d] : n * strides[d] + Math.max(k - strides[d], 0);
  });
}

/** Output length of one spatial dimension (null stays null), as convGeometry computes it; 0 or less when the window does not fit. */
export function windowOutputLength(n: number | null, kernel: number, stride: number, dilation: number, padding: Padding): number | null {
  if (n === null) return null;
  const k = (kernel - 1) * dilation + 1;
  return padding === 'valid' ? Math.floor((n - k) / stride) + 1 : Math.ceil(n / stride);
}

function formatSizes(v: readonly number[]): string {
  return v.join('×');
}
