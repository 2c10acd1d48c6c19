// padSequences: a list of variable-length integer sequences to one [n, maxlen] tensor, as keras.utils.pad_sequences.
// A sequence shorter than maxlen is filled with `value` before ('pre', default) or after ('post') it; a longer one
// loses its first ('pre', default) or last ('post') entries.

import { Tensor } from '../tensor/tensor.js';

export interface PadSequencesOptions {
  /** Length of every output row (default: the longest sequence's length). */
  maxlen?: number;
  /** Where the fill goes: 'pre' (default, as Keras) or 'post'. */
  padding?: 'pre' | 'post';
  /** Which end of a too-long sequence is cut: 'pre' (default, keeps the last maxlen values) or 'post'. */
  truncating?: 'pre' | 'post';
  /** The fill value (default 0, the padding index of Embedding({ maskZero: true }) and TextVectorization). */
  value?: number;
}

type Step = number | ArrayLike<number>;

/**
 * Pad (and truncate) sequences to one length: n sequences of numbers -> a tensor of shape [n, maxlen]; n sequences
 * of equal-length vectors (time steps with features) -> [n, maxlen, features]. Follows keras.utils.pad_sequences
 * (padding and truncating default to 'pre'). Throws, naming the sequence and position, on a step that is not a
 * finite number (or a vector of the wrong length), and on an invalid maxlen, padding or truncating.
 */
export function padSequences(sequences: readonly ArrayLike<Step>[], options: PadSequencesOptions = {}): Tensor {
  const { padding = 'pre', truncating = 'pre', value = 0 } = options;
  if (!Array.isArray(sequences)) throw new Error(`padSequences: expected an array of sequences, got ${typeof sequences}.`);
  for (const [name, v] of [['padding', padding], ['truncating', truncating]] as const) {
    if (v !== 'pre' && v !== 'post') throw new Error(`padSequences: ${name} must be 'pre' or 'post', got ${JSON.stringify(v)}.`);
  }
  if (!Number.isFinite(value)) throw new Error(`padSequences: value must be a finite number, got ${value}.`);
  // The step shape comes from the first step of the first non-empty sequence (Keras's sample_shape).
  const first = sequences.find((s) => s && s.length > 0)?.[0];
  const features = first !== undefined && typeof first === 'object' ? first.length : null;
  sequences.forEach((s, i) => {
    if (s === null || typeof s !== 'object' || typeof s.length !== 'number') throw new Error(`padSequences: sequence ${i} is not an array (got ${s === null ? 'null' : typeof s}).`);
    for (let j = 0; j < s.length; j++) {
      const step = s[j];
      const values = features === null ? [step] : typeof step === 'object' && step !== null && step.length === features ? Array.from(step) : null;
      if (!values || values.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
        const want = features === null ? 'a finite number' : `a vector of ${features} finite numbers (the shape of sequence steps, from the first step)`;
        throw new Error(`padSequences: sequence ${i} has ${JSON.stringify(step)} at position ${j}; expected ${want}.`);
      }
    }
  });
  const maxlen = options.maxlen ?? sequences.reduce((m, s) => Math.max(m, s.length), 0);
  if (!Number.isInteger(maxlen) || maxlen < 0) throw new Error(`padSequences: maxlen must be a non-negative integer, got ${options.maxlen}.`);
  const f = features ?? 1;
  const out = new Float32Array(sequences.length * maxlen * f).fill(value);
  sequences.forEach((s, i) => {
    const n = Math.min(s.length, maxlen);
    const from = truncating === 'pre' ? s.length - n : 0;
    const to = i * maxlen + (padding === 'pre' ? maxlen - n : 0);
    for (let j = 0; j < n; j++) {
      const step = s[from + j];
      if (typeof step === 'number') out[to + j] = step;
      else for (let k = 0; k < f; k++) out[(to + j) * f + k] = step[k];
    }
  });
  return new Tensor(out, features === null ? [sequences.length, maxlen] : [sequences.length, maxlen, features]);
}
