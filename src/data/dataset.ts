// Batch sources for fit: data that arrives batch by batch (a generator, a CSV file streamed from disk)
// instead of one tensor in memory. One epoch = one full pass of batches(); `steps` (batches per epoch)
// is known for in-memory data and for CSV files after the first pass, unknown for plain generators.

import { Tensor, tensor, type TensorLike } from '../tensor/tensor.js';
import { formatShape } from '../tensor/shape.js';
import { Rng, getRng } from '../tensor/random.js';
import type { CsvEncoders, CsvOptions } from './csv.js';
import { platform } from '../platform/node.js';

/** One mini-batch: features and targets with the same first dimension (X = readonly string[]: texts, for a model that starts with TextVectorization). */
export interface Batch<X = Tensor> {
  x: X;
  y: Tensor;
}

/** What fit accepts instead of (x, y): a re-iterable stream of batches; one iteration is one epoch. */
export interface BatchSource<X = Tensor> {
  batches(): AsyncIterable<Batch<X>>;
  /** Batches per epoch when known (Keras's steps_per_epoch); undefined until known. */
  readonly steps?: number;
}

export function isBatchSource(value: unknown): value is BatchSource {
  return typeof value === 'object' && value !== null && typeof (value as BatchSource).batches === 'function';
}

/** One example: a feature row (or a text, for a model that starts with TextVectorization) and its target (a number or a vector). */
export interface Example<X extends ArrayLike<number> | string = ArrayLike<number>> {
  x: X;
  y: ArrayLike<number> | number;
}

type ExampleStream<X extends ArrayLike<number> | string> = () => AsyncIterable<Example<X>> | Iterable<Example<X>>;
/** A batch's x for examples whose x is X: texts stay strings, numbers become one tensor. */
type BatchX<X> = X extends string ? readonly string[] : Tensor;

/**
 * A re-iterable stream of examples. Build one with Dataset.fromTensors, Dataset.fromExamples or
 * Dataset.fromCsv, optionally .shuffle(bufferSize), then .batch(n) to get a BatchSource for fit.
 */
export class Dataset<X extends ArrayLike<number> | string = ArrayLike<number>> {
  /**
   * @param stream called once per epoch, yields examples in order
   * @param sizeHint number of examples when known (a getter so lazily-counted sources can report it later)
   */
  constructor(
    private readonly stream: ExampleStream<X>,
    private readonly sizeHint: () => number | undefined = () => undefined,
  ) {}

  /** Number of examples per epoch, when known. */
  get size(): number | undefined {
    return this.sizeHint();
  }

  /** Examples from in-memory tensors (row i of x with row i of y); x may be texts (one string per example). */
  static fromTensors(x: readonly string[], y: TensorLike): Dataset<string>;
  static fromTensors(x: TensorLike, y: TensorLike): Dataset;
  static fromTensors(x: TensorLike | readonly string[], y: TensorLike): Dataset<string> | Dataset {
    const yt = tensor(y);
    if (Array.isArray(x) && typeof x[0] === 'string') {
        const texts = x as unknown as readonly string[];
      const bad = texts.findIndex((t) => typeof t !== 'string');
      if (bad >= 0) throw new Error(`Dataset.fromTensors: x[${bad}] is ${JSON.stringify(texts[bad])}; x must be all texts or all numbers.`);
      if (yt.rank === 0 || yt.shape[0] !== texts.length) throw new Error(`Dataset.fromTensors: x has ${texts.length} texts but y has ${yt.rank === 0 ? 'no sample dimension' : `${yt.shape[0]} samples (shape ${formatShape(yt.shape)})`}.`);
      const dy = yt.size / Math.max(texts.length, 1);
      return new Dataset<string>(function* () {
        for (let i = 0; i < texts.length; i++) yield { x: texts[i], y: yt.data.subarray(i * dy, (i + 1) * dy) };
      }, () => texts.length).withShapes([], yt.shape.slice(1));
    }
    const xt = tensor(x as TensorLike);
    if (xt.rank === 0 || yt.rank === 0) throw new Error('Dataset.fromTensors needs x and y with a first (sample) dimension.');
    const n = xt.shape[0];
    if (yt.shape[0] !== n) {
      throw new Error(`Dataset.fromTensors: x has ${n} samples (shape ${formatShape(xt.shape)}) but y has ${yt.shape[0]} (shape ${formatShape(yt.shape)}).`);
    }
    const dx = xt.size / Math.max(n, 1);
    const dy = yt.size / Math.max(n, 1);
    return new Dataset(function* () {
      for (let i = 0; i < n; i++) {
        yield { x: xt.data.subarray(i * dx, (i + 1) * dx), y: yt.data.subarray(i * dy, (i + 1) * dy) };
      }
    }, () => n).withShapes(xt.shape.slice(1), yt.shape.slice(1));
  }

  /**
   * Stream a CSV file from disk, one encoded row at a time (see loadCsv for the options). The encoders are
   * fitted by one extra pass at the start of the first epoch (or given, e.g. from loadCsv on the training file);
   * `size` and the batch source's `steps` are known after that pass.
   */
  static fromCsv(path: string, options: CsvOptions | { encoders: CsvEncoders }): CsvDataset {
    return new CsvDataset(path, options);
  }

  /** Examples from a function that returns a fresh (async) iterable each epoch. */
  static fromExamples<X extends ArrayLike<number> | string = ArrayLike<number>>(stream: ExampleStream<X>, options: { size?: number } = {}): Dataset<X> {
    return new Dataset<X>(stream, () => options.size);
  }

  /** Per-example shapes used to build batch tensors (default: flat vectors / scalars); read lazily. */
  protected shapes: () => { x?: readonly number[]; y?: readonly number[] } = () => ({});

  withShapes(xShape: readonly number[], yShape: readonly number[]): this {
    this.shapes = () => ({ x: xShape, y: yShape });
    return this;
  }

  /** Shuffle with a buffer of `bufferSize` examples (as tf.data): exact uniform shuffle when the buffer holds the whole set. */
  shuffle(bufferSize: number, options: { seed?: number } = {}): Dataset<X> {
    if (!Number.isInteger(bufferSize) || bufferSize < 1) throw new Error(`shuffle bufferSize must be a positive integer, got ${bufferSize}.`);
    const source = this.stream;
    const rng: Rng = options.seed === undefined ? getRng() : new Rng(options.seed);
    const ds = new Dataset<X>(async function* () {
      const buffer: Example<X>[] = [];
      for await (const ex of source()) {
        // Copy: sources may reuse views into one buffer.
        const item = copyExample(ex);
        if (buffer.length < bufferSize) {
          buffer.push(item);
          continue;
        }
        const j = rng.int(bufferSize);
        yield buffer[j];
        buffer[j] = item;
      }
      rng.shuffle(buffer);
      yield* buffer;
    }, this.sizeHint);
    ds.shapes = () => this.shapes();
    return ds;
  }

  /** Group examples into batches of `batchSize` (the last partial batch is kept, as Keras does). */
  batch(batchSize: number): BatchSource<BatchX<X>> {
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batch size must be a positive integer, got ${batchSize}.`);
    const source = this.stream;
    const sizeHint = this.sizeHint;
    const shapes = () => this.shapes();
    return {
      get steps(): number | undefined {
        const n = sizeHint();
        return n === undefined ? undefined : Math.ceil(n / batchSize);
      },
      async *batches(): AsyncIterable<Batch<BatchX<X>>> {
        let xs: X[] = [];
        let ys: Example['y'][] = [];
        for await (const ex of source()) {
          xs.push(ex.x);
          ys.push(ex.y);
          if (xs.length === batchSize) {
            yield stackBatch(xs, ys, shapes()) as Batch<BatchX<X>>;
            xs = [];
            ys = [];
          }
        }
        if (xs.length > 0) yield stackBatch(xs, ys, shapes()) as Batch<BatchX<X>>;
      },
    };
  }

  /** Iterate over the examples of one epoch. */
  async *[Symbol.asyncIterator](): AsyncIterator<Example<X>> {
    for await (const ex of this.stream()) yield ex;
  }
}

type Batches<X> = () => AsyncIterable<{ x: X; y: TensorLike }> | Iterable<{ x: X; y: TensorLike }>;

/**
 * A BatchSource from a function returning batches (tensors or nested arrays; x may be texts, string[], for a model
 * that starts with TextVectorization); `steps` when the length is known.
 */
export function batchesFromGenerator(generator: Batches<readonly string[]>, options?: { steps?: number }): BatchSource<readonly string[]>;
export function batchesFromGenerator(generator: Batches<TensorLike>, options?: { steps?: number }): BatchSource;
export function batchesFromGenerator(generator: Batches<TensorLike | readonly string[]>, options: { steps?: number } = {}): BatchSource<Tensor | readonly string[]> {
  return {
    steps: options.steps,
    async *batches(): AsyncIterable<Batch<Tensor | readonly string[]>> {
      let i = 0;
      for await (const b of generator()) {
        // Texts stay strings: the model's TextVectorization encodes them.
        const texts = Array.isArray(b.x) && typeof b.x[0] === 'string' ? (b.x as unknown as readonly string[]) : null;
        const x = texts ?? tensor(b.x as TensorLike);
        const y = tensor(b.y);
        const n = texts ? texts.length : (x as Tensor).shape[0];
        if (n !== y.shape[0]) {
          throw new Error(`Batch ${i}: x has ${n} samples (${texts ? 'texts' : `shape ${formatShape((x as Tensor).shape)}`}) but y has ${y.shape[0]} (shape ${formatShape(y.shape)}).`);
        }
        i++;
        yield { x, y };
      }
    },
  };
}

function copyExample<X extends ArrayLike<number> | string>(ex: Example<X>): Example<X> {
  return { x: (typeof ex.x === 'string' ? ex.x : Float32Array.from(ex.x)) as X, y: typeof ex.y === 'number' ? ex.y : Float32Array.from(ex.y) };
}

function stackBatch(
  xs: (ArrayLike<number> | string)[],
  ys: Example['y'][],
  shapes: { x?: readonly number[]; y?: readonly number[] },
): Batch<Tensor | readonly string[]> {
  const n = xs.length;
  const texts = typeof xs[0] === 'string';
  const mixed = xs.findIndex((v) => (typeof v === 'string') !== texts);
  if (mixed >= 0) throw new Error(`Example ${mixed} of a batch has ${texts ? 'numbers' : 'a text'} as x, but the first example ${texts ? 'a text' : 'numbers'}.`);
  const dx = xs[0].length;
  const x = new Float32Array(texts ? 0 : n * dx);
  for (let i = 0; i < n && !texts; i++) {
    if (xs[i].length !== dx) throw new Error(`Example ${i} of a batch has ${xs[i].length} features, expected ${dx} (as the first example).`);
    x.set(xs[i] as ArrayLike<number>, i * dx);
  }
  const y0 = ys[0];
  const dy = typeof y0 === 'number' ? 1 : y0.length;
  const y = new Float32Array(n * dy);
  for (let i = 0; i < n; i++) {
    const v = ys[i];
    if (typeof v === 'number') y[i] = v;
    else {
      if (v.length !== dy) throw new Error(`Example ${i} of a batch has a target of length ${v.length}, expected ${dy}.`);
      y.set(v, i * dy);
    }
  }
  const yShape = shapes.y ?? (typeof y0 === 'number' ? [] : [dy]);
  return { x: texts ? (xs as string[]) : new Tensor(x, [n, ...(shapes.x ?? [dx])]), y: new Tensor(y, [n, ...yShape]) };
}

/** A Dataset over a CSV file on disk; fits its encoders lazily (or call prepare()). */
export class CsvDataset extends Dataset {
  private fitted: CsvEncoders | undefined;
  private rows: number | undefined;

  constructor(
    readonly path: string,
    private readonly options: CsvOptions | { encoders: CsvEncoders },
  ) {
    super(
      () => this.examples(),
      () => this.rows,
    );
    if ('encoders' in options) this.fitted = options.encoders;
  }

  /** The encoders (fitted on first use); save them with the model to encode prediction files the same way. */
  get encoders(): CsvEncoders | undefined {
    return this.fitted;
  }

  /** Fit the encoders now (one pass over the file) so that size and steps are known before training. */
  async prepare(): Promise<CsvEncoders> {
    if (this.fitted === undefined || this.rows === undefined) {
      if ('encoders' in this.options) {
        let n = 0;
        for await (const _ of (await platform.csv()).csvExamples(this.path, this.options.encoders)) n++;
        this.rows = n;
      } else {
        const { encoders, rows } = await (await platform.csv()).fitCsvEncoders(this.path, this.options);
        this.fitted = encoders;
        this.rows = rows;
      }
    }
    return this.fitted!;
  }

  private async *examples(): AsyncIterable<Example> {
    if (this.fitted === undefined) await this.prepare();
    const encoders = this.fitted!;
    const width = encoders.features.reduce((s, f) => s + (f.kind === 'numeric' ? 1 : f.categories.length), 0);
    const t = encoders.target;
    this.withShapes([width], t.task === 'multiclass' ? (t.oneHot ? [t.classes!.length] : []) : [1]);
    let n = 0;
    for await (const ex of (await platform.csv()).csvExamples(this.path, encoders)) {
      if (ex.y === undefined) throw new Error(`${this.path} has no target column '${t.name}'; a training dataset needs it.`);
      n++;
      yield { x: ex.x, y: ex.y };
    }
    this.rows = n;
  }
}
