// TextVectorization: texts -> token indices or bag-of-words rows, as keras.layers.TextVectorization.
//   standardize (lowercase, strip punctuation) -> split (whitespace) -> look up each token in a vocabulary.
// Vocabulary ('int' mode): index 0 is padding (''), 1 is out-of-vocabulary ('[UNK]'), then the learned tokens, most
// frequent first, ties broken by the larger token (Keras sorts (count, token) and reverses). Other modes have no
// padding index: 0 is '[UNK]'. tf_idf weights a token's count by idf = log(1 + documents / (1 + documents with the
// token)); '[UNK]' gets the mean idf of the vocabulary (Keras cannot count it in one pass either).
// As a model's first layer (Sequential, or after Input({ dtype: 'string' })) it runs on the data at the model's input
// boundary, before the captured numeric step, as Keras runs it as CPU preprocessing: strings never enter the graph.

import { Tensor } from '../tensor/tensor.js';
import { Layer, SymbolicTensor, registerLayer, checkLayerOptions, formatSymbolicShape, type LayerArgs, type SymbolicShape } from './layer.js';

export type Standardize = 'lower_and_strip_punctuation' | 'lower' | 'strip_punctuation' | null | ((text: string) => string);
export type Split = 'whitespace' | 'character' | null | ((text: string) => string[]);
export type TextOutputMode = 'int' | 'multi_hot' | 'count' | 'tf_idf';

export interface TextVectorizationOptions extends LayerArgs {
  /** Largest vocabulary, padding and OOV indices included (default: no limit). Must be at least the number of special indices + 1. */
  maxTokens?: number | null;
  /** Text clean-up before splitting (default 'lower_and_strip_punctuation': lowercase, then remove !"#$%&()*+,-./:;<=>?@[\]^_`{|}~'). */
  standardize?: Standardize;
  /** How a text becomes tokens (default 'whitespace': runs of ASCII whitespace separate tokens). */
  split?: Split;
  /** 'int' (default): one index per token; 'multi_hot': 1 where a token occurs; 'count': occurrences; 'tf_idf': count · idf. */
  outputMode?: TextOutputMode;
  /** 'int' mode only: every row is cut or padded (with 0, at the end) to this length (default: the longest text of the batch). */
  outputSequenceLength?: number | null;
  /** Non-int modes: make rows maxTokens wide even when the vocabulary is smaller (default false). */
  padToMaxTokens?: boolean;
  /** A fixed vocabulary (tokens, optionally preceded by the special tokens); adapt() is then refused, as in Keras. */
  vocabulary?: readonly string[] | null;
  /** 'tf_idf' mode with a fixed vocabulary: one idf weight per vocabulary entry. */
  idfWeights?: readonly number[] | null;
  /** Saved configs only: whether the vocabulary was given to the constructor (adapt is then refused), Keras's has_input_vocabulary. */
  hasInputVocabulary?: boolean;
}

const STRIP_PUNCTUATION = /[!"#$%&()*+,\-./:;<=>?@[\\\]^_`{|}~']/g;
const WHITESPACE = /[ \t\n\v\f\r]+/;
const MASK = '';
const OOV = '[UNK]';
const MODES: readonly TextOutputMode[] = ['int', 'multi_hot', 'count', 'tf_idf'];
const OPTIONS = ['maxTokens', 'standardize', 'split', 'outputMode', 'outputSequenceLength', 'padToMaxTokens', 'vocabulary', 'idfWeights', 'hasInputVocabulary'];

/** A saved config's string values come back camelCased (tfIdf, lowerAndStripPunctuation): map them to Keras's names. */
function keyword<T extends string>(value: unknown, valid: readonly T[]): unknown {
  if (typeof value !== 'string') return value;
  const flat = (w: string) => w.replace(/_/g, '').toLowerCase();
  return valid.find((v) => flat(v) === flat(value)) ?? value;
}

/** Code-point (= UTF-8 byte) order, the order numpy sorts Keras's byte-string tokens in. */
function compareTokens(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i), y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (astral code points) sort after U+E000..U+FFFF by code point, though before them by UTF-16 unit.
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}

/**
 * keras.layers.TextVectorization. Data: texts (string[], or string[][] with one text per row, Keras's shape (n, 1)).
 * Output: 'int' → [n, outputSequenceLength] ids (or as long as the batch's longest text when outputSequenceLength is
 * null); other modes → [n, vocabularySize] (maxTokens with padToMaxTokens). As a layer of a model its input is a
 * string input (a Sequential gives it one; a functional model needs Input({ shape: [1], dtype: 'string' })), and
 * fit / evaluate / predict take texts for that input. Throws on texts that are not strings, on numbers given to it,
 * and when called before adapt() or setVocabulary() gave it a vocabulary.
 */
export class TextVectorization extends Layer {
  readonly className = 'TextVectorization';
  readonly maxTokens: number | null;
  readonly standardize: Standardize;
  readonly split: Split;
  readonly outputMode: TextOutputMode;
  readonly outputSequenceLength: number | null;
  readonly padToMaxTokens: boolean;
  private readonly fixedVocabulary: boolean;
  /** Whether adapt() or setVocabulary() has run (an adapted vocabulary may still be empty). */
  private hasVocabulary = false;
  private tokens: string[] = [];
  private index = new Map<string, number>();
  /** Per output column (tf_idf only). */
  private idf: Float64Array | null = null;

  constructor(options: TextVectorizationOptions = {}) {
    checkLayerOptions('TextVectorization', options, OPTIONS);
    super(options);
    this.ensureName();
    this.outputMode = keyword(options.outputMode ?? 'int', MODES) as TextOutputMode;
    if (!MODES.includes(this.outputMode)) throw new Error(`TextVectorization: outputMode must be one of ${MODES.join(', ')}, got ${JSON.stringify(options.outputMode)}.`);
    this.maxTokens = options.maxTokens ?? null;
    if (this.maxTokens !== null && (!Number.isInteger(this.maxTokens) || this.maxTokens <= this.tokenStart)) {
      throw new Error(`TextVectorization: maxTokens must be an integer greater than ${this.tokenStart} (the special indices of '${this.outputMode}' mode), got ${options.maxTokens}.`);
    }
    const standardizers = ['lower_and_strip_punctuation', 'lower', 'strip_punctuation'] as const;
    this.standardize = options.standardize === undefined ? 'lower_and_strip_punctuation' : (keyword(options.standardize, standardizers) as Standardize);
    if (typeof this.standardize === 'string' && !(standardizers as readonly string[]).includes(this.standardize)) {
      throw new Error(`TextVectorization: standardize must be 'lower_and_strip_punctuation', 'lower', 'strip_punctuation', null or a function, got ${JSON.stringify(this.standardize)}.`);
    }
    this.split = options.split === undefined ? 'whitespace' : options.split;
    if (typeof this.split === 'string' && !['whitespace', 'character'].includes(this.split)) {
      throw new Error(`TextVectorization: split must be 'whitespace', 'character', null or a function, got ${JSON.stringify(this.split)}.`);
    }
    this.outputSequenceLength = options.outputSequenceLength ?? null;
    if (this.outputSequenceLength !== null) {
      if (this.outputMode !== 'int') throw new Error(`TextVectorization: outputSequenceLength must not be set if outputMode is not 'int' (got outputMode '${this.outputMode}').`);
      if (!Number.isInteger(this.outputSequenceLength) || this.outputSequenceLength < 1) throw new Error(`TextVectorization: outputSequenceLength must be a positive integer, got ${options.outputSequenceLength}.`);
    }
    this.padToMaxTokens = options.padToMaxTokens ?? false;
    if (this.padToMaxTokens && this.maxTokens === null) throw new Error('TextVectorization: padToMaxTokens needs maxTokens.');
    this.fixedVocabulary = options.hasInputVocabulary ?? Boolean(options.vocabulary);
    if (options.vocabulary) this.setVocabulary(options.vocabulary, options.idfWeights ?? undefined);
    else if (options.idfWeights) throw new Error('TextVectorization: idfWeights needs a vocabulary.');
  }

  /** Index of the first learned token: 2 in 'int' mode ('' and '[UNK]' before it), else 1 ('[UNK]'). */
  private get tokenStart(): number {
    return this.outputMode === 'int' ? 2 : 1;
  }

  /** The standardized tokens of one text (Keras's standardize then split). */
  tokenize(text: string): string[] {
    let t = text;
    const s = this.standardize;
    if (typeof s === 'function') t = s(t);
    else if (s === 'lower') t = t.toLowerCase();
    else if (s === 'strip_punctuation') t = t.replace(STRIP_PUNCTUATION, '');
    else if (s === 'lower_and_strip_punctuation') t = t.toLowerCase().replace(STRIP_PUNCTUATION, '');
    const sp = this.split;
    if (typeof sp === 'function') return sp(t);
    if (sp === 'character') return [...t];
    if (sp === null) return [t];
    return t.split(WHITESPACE).filter((w) => w.length > 0);
  }

  private texts(texts: unknown, what: string): string[] {
    const where = `TextVectorization '${this.name}'`;
    if (texts instanceof Tensor || ArrayBuffer.isView(texts)) throw new Error(`${what}: ${where} takes texts (an array of strings), got numbers (a ${texts instanceof Tensor ? `Tensor of shape [${texts.shape.join(', ')}]` : texts.constructor.name}).`);
    if (!Array.isArray(texts)) throw new Error(`${what}: ${where} takes an array of strings, got ${texts === null ? 'null' : typeof texts}.`);
    return texts.map((t, i) => {
      // [["foo bar"], ["baz"]] (Keras's shape (n, 1) string input) is accepted too.
      const s = Array.isArray(t) && t.length === 1 ? t[0] : t;
      if (typeof s !== 'string') throw new Error(`${what}: text ${i} is ${JSON.stringify(t)}, not a string (${where} takes one text per row).`);
      return s;
    });
  }

  /**
   * Learn the vocabulary (and idf weights in 'tf_idf' mode) from texts, each a document. Replaces the previous
   * vocabulary. Throws when the layer was given a fixed vocabulary, or on a text that is not a string.
   */
  adapt(texts: readonly (string | readonly string[])[]): void {
    if (this.fixedVocabulary) throw new Error(`TextVectorization '${this.name}': cannot adapt after a fixed vocabulary was given to the constructor.`);
    const docs = this.texts(texts, `TextVectorization.adapt`).map((t) => this.tokenize(t));
    const counts = new Map<string, number>();
    const docCounts = new Map<string, number>();
    for (const doc of docs) {
      for (const w of doc) counts.set(w, (counts.get(w) ?? 0) + 1);
      for (const w of new Set(doc)) docCounts.set(w, (docCounts.get(w) ?? 0) + 1);
    }
    counts.delete(MASK);
    counts.delete(OOV);
    let tokens = [...counts.keys()].sort((a, b) => counts.get(b)! - counts.get(a)! || compareTokens(b, a));
    if (this.maxTokens !== null) tokens = tokens.slice(0, this.maxTokens - this.tokenStart);
    this.useTokens(tokens);
    if (this.outputMode === 'tf_idf') {
      const n = docs.length;
      const idf = tokens.map((w) => Math.log(1 + n / (1 + docCounts.get(w)!)));
      this.useIdf(idf, idf.length ? idf.reduce((a, b) => a + b, 0) / idf.length : 0);
    }
  }

  private useTokens(tokens: string[]): void {
    this.hasVocabulary = true;
    this.tokens = tokens;
    this.index = new Map(tokens.map((w, i) => [w, i + this.tokenStart]));
  }

  /** Output columns: [OOV weight, token weights..., zeros up to maxTokens when padToMaxTokens]. */
  private useIdf(tokenIdf: readonly number[], oovIdf: number): void {
    const idf = new Float64Array(this.depth());
    idf[0] = oovIdf;
    tokenIdf.forEach((v, i) => (idf[i + 1] = v));
    this.idf = idf;
  }

  /**
   * Set the vocabulary directly: tokens, optionally preceded by the special tokens ('' and '[UNK]' in 'int' mode,
   * '[UNK]' otherwise). 'tf_idf' mode needs idfWeights, one per entry of `vocabulary` (without special tokens the
   * OOV weight is their mean). Throws on repeated tokens, a misplaced special token, a vocabulary larger than
   * maxTokens, or idfWeights outside 'tf_idf' mode or of the wrong length; nothing changes when it throws.
   */
  setVocabulary(vocabulary: readonly string[], idfWeights?: readonly number[]): void {
    if (!Array.isArray(vocabulary) || vocabulary.length === 0) throw new Error(`TextVectorization '${this.name}': setVocabulary needs a non-empty array of strings.`);
    const bad = vocabulary.findIndex((w) => typeof w !== 'string');
    if (bad >= 0) throw new Error(`TextVectorization '${this.name}': vocabulary entry ${bad} is ${JSON.stringify(vocabulary[bad])}, not a string.`);
    const special = this.outputMode === 'int' ? [MASK, OOV] : [OOV];
    const hasSpecial = special.every((w, i) => vocabulary[i] === w);
    const tokens = hasSpecial ? vocabulary.slice(special.length) : [...vocabulary];
    const seen = new Set<string>();
    const repeated = [...new Set(tokens.filter((w) => seen.size === seen.add(w).size))];
    if (repeated.length) throw new Error(`TextVectorization '${this.name}': the vocabulary repeats ${repeated.map((w) => JSON.stringify(w)).join(', ')}.`);
    for (const w of special) {
      if (tokens.includes(w)) throw new Error(`TextVectorization '${this.name}': the special token ${JSON.stringify(w)} is at index ${vocabulary.lastIndexOf(w)}; special tokens may only come first, in the order ${JSON.stringify(special)}.`);
    }
    const size = tokens.length + this.tokenStart;
    if (this.maxTokens !== null && size > this.maxTokens) throw new Error(`TextVectorization '${this.name}': a vocabulary of ${size} entries (special indices included) exceeds maxTokens ${this.maxTokens}.`);
    if (this.outputMode === 'tf_idf') {
      if (!idfWeights) throw new Error(`TextVectorization '${this.name}': idfWeights must be set when outputMode is 'tf_idf'.`);
      if (idfWeights.length !== vocabulary.length) throw new Error(`TextVectorization '${this.name}': idfWeights has ${idfWeights.length} entries, the vocabulary ${vocabulary.length}.`);
      if (idfWeights.some((v) => !Number.isFinite(v))) throw new Error(`TextVectorization '${this.name}': idfWeights must be finite numbers.`);
    } else if (idfWeights) {
      throw new Error(`TextVectorization '${this.name}': idfWeights should only be set when outputMode is 'tf_idf' (it is '${this.outputMode}').`);
    }
    this.useTokens(tokens);
    if (idfWeights) {
      const w = [...idfWeights];
      if (hasSpecial) this.useIdf(w.slice(1), w[0]);
      else this.useIdf(w, w.reduce((a, b) => a + b, 0) / w.length);
    }
  }

  /** The vocabulary, index order: special tokens first unless includeSpecialTokens is false. */
  getVocabulary(includeSpecialTokens = true): string[] {
    const special = includeSpecialTokens ? (this.outputMode === 'int' ? [MASK, OOV] : [OOV]) : [];
    return [...special, ...this.tokens];
  }

  /** Number of indices: learned tokens plus the special ones. */
  vocabularySize(): number {
    return this.tokens.length + this.tokenStart;
  }

  /** Width of a non-int output row. */
  private depth(): number {
    return this.padToMaxTokens ? this.maxTokens! : this.vocabularySize();
  }

  /** Output shape for a string input of shape [batch] or [batch, 1] (Keras's compute_output_shape). */
  override computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape {
    const shape = inputShape as SymbolicShape;
    if (Array.isArray(shape[0]) || shape.length > 2 || (shape.length === 2 && shape[1] !== 1)) {
      throw new Error(`TextVectorization '${this.name}' takes one text per sample (input shape [batch] or [batch, 1]), got ${formatSymbolicShape(shape as SymbolicShape)}.`);
    }
    if (this.outputMode === 'int') return [shape[0], this.outputSequenceLength];
    if (!this.hasVocabulary && !this.padToMaxTokens) {
      throw new Error(`TextVectorization '${this.name}': in '${this.outputMode}' mode its output width is the vocabulary size, so it needs a vocabulary before it joins a model; call adapt(texts) or setVocabulary(...) first (or set maxTokens and padToMaxTokens).`);
    }
    return [shape[0], this.depth()];
  }

  /**
   * Vectorize texts. 'int': shape [n, length] of indices (0 pads, 1 is out-of-vocabulary), length =
   * outputSequenceLength or the most tokens in a text; other modes: shape [n, vocabularySize] (or maxTokens wide with
   * padToMaxTokens), column 0 counting out-of-vocabulary tokens. Throws before adapt() or setVocabulary().
   */
  call(texts: readonly (string | readonly string[])[] | Tensor | Tensor[], _training = false, what = `TextVectorization '${this.name}'`): Tensor {
    const strings = this.texts(texts, what);
    if (!this.hasVocabulary) throw new Error(`TextVectorization '${this.name}' needs a vocabulary before it is called; call adapt(texts) or setVocabulary(...) first.`);
    const int = this.outputMode === 'int';
    // Unknown tokens get the OOV index (1 in 'int' mode, else 0); '' is padding (0) in 'int' mode.
    const lookup = (w: string): number => this.index.get(w) ?? (int ? (w === MASK ? 0 : 1) : 0);
    const ids = strings.map((t) => this.tokenize(t).map(lookup));
    const n = ids.length;
    if (int) {
      const len = this.outputSequenceLength ?? ids.reduce((m, r) => Math.max(m, r.length), 0);
      const out = new Float32Array(n * len);
      ids.forEach((r, i) => r.slice(0, len).forEach((v, j) => (out[i * len + j] = v)));
      return new Tensor(out, [n, len]);
    }
    if (this.outputMode === 'tf_idf' && !this.idf) throw new Error(`TextVectorization '${this.name}': 'tf_idf' mode needs idf weights; call adapt() or setVocabulary(vocabulary, idfWeights) first.`);
    const depth = this.depth();
    const out = new Float32Array(n * depth);
    ids.forEach((r, i) => {
      for (const c of r) out[i * depth + c] = this.outputMode === 'multi_hot' ? 1 : out[i * depth + c] + 1;
      if (this.outputMode === 'tf_idf') for (let c = 0; c < depth; c++) out[i * depth + c] *= this.idf![c];
    });
    return new Tensor(out, [n, depth]);
  }

  /**
   * The model's input boundary (see Layer.encodeStrings): texts → the tensor its symbolic output promised. Throws when
   * the vocabulary size changed since the layer joined a model in a non-int mode (Keras raises this too).
   */
  override encodeStrings(data: unknown, what: string): Tensor {
    const out = this.call(data as string[], false, what);
    const promised = this.inboundNodes[0]?.outputs[0].shape[1];
    if (this.outputMode !== 'int' && promised !== undefined && promised !== null && promised !== out.shape[1]) {
      throw new Error(`TextVectorization '${this.name}': its output width (vocabulary size) changed from ${promised} to ${out.shape[1]} after it joined the model; a model built on it cannot take the new width (build a new model, or set maxTokens and padToMaxTokens).`);
    }
    return out;
  }

  /**
   * Keras's layer(texts) spelled as TF.js spells it: texts give a tensor; a string input from Input() (or a model's)
   * gives a symbolic tensor, adding the layer to a functional graph.
   */
  override apply(inputs: SymbolicTensor | SymbolicTensor[], training?: boolean): SymbolicTensor;
  override apply(inputs: Tensor | Tensor[] | readonly (string | readonly string[])[], training?: boolean): Tensor;
  override apply(inputs: SymbolicTensor | SymbolicTensor[] | Tensor | Tensor[] | readonly (string | readonly string[])[], training = false): SymbolicTensor | Tensor {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    if (list.some((t) => t instanceof SymbolicTensor)) return super.apply(inputs as SymbolicTensor, training);
    return this.call(inputs as string[]);
  }

  /** camelCase config with the vocabulary (and idf weights), enough to rebuild the layer with fromConfig. */
  override getConfig(): Record<string, unknown> {
    if (typeof this.standardize === 'function' || typeof this.split === 'function') {
      throw new Error(`TextVectorization '${this.name}': a custom standardize or split function cannot be serialized.`);
    }
    return {
      ...super.getConfig(),
      maxTokens: this.maxTokens,
      standardize: this.standardize,
      split: this.split,
      outputMode: this.outputMode,
      outputSequenceLength: this.outputSequenceLength,
      padToMaxTokens: this.padToMaxTokens,
      vocabulary: this.hasVocabulary ? this.getVocabulary() : null,
      idfWeights: this.idf && this.hasVocabulary ? Array.from(this.idf.subarray(0, this.vocabularySize())) : null,
      hasInputVocabulary: this.fixedVocabulary,
    };
  }

  /** raw: the config before layerFromConfig dropped its nulls; standardize: null and split: null are meaningful here. */
  static fromConfig(config: Record<string, unknown>, raw: Record<string, unknown> = config): TextVectorization {
    const nulls = Object.fromEntries(['standardize', 'split'].filter((k) => raw[k] === null).map((k) => [k, null]));
    return new TextVectorization({ ...config, ...nulls } as TextVectorizationOptions);
  }
}

registerLayer('TextVectorization', TextVectorization);
