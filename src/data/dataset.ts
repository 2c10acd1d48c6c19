// Batch sources for fit: data that arrives batch by batch (a generator, a CSV file streamed from disk)
// instead of one tensor in memory. One epoch = one full pass of batches(); `steps` (batches per epoch)
// is known for in-memory data and for CSV files after the first pass, unknown for plain generators.

import { Tensor, tensor, type TensorLike } from '../tensor/tensor.js';
import { formatShape } from '../tensor/shape.js';
import { Rng, getRng } from '../tensor/random.js';
import type { CsvEncoders, CsvOptions } from './csv.js';
import { platform } from '../platform/node.js';

/** One mini-batch: features and targets with the same first dimension. */
export interface Batch {
  x: Tensor;
  y: Tensor;
}

/** What fit accepts instead of (x, y): a re-iterable stream of batches; one iteration is one epoch. */
export interface BatchSource {
  batches(): AsyncIterable<Batch>;
  /** Batches per epoch when known (Keras's steps_per_epoch); undefined until known. */
  readonly steps?: number;
}

export function isBatchSource(value: unknown): value is BatchSource {
  return typeof value === 'object' && value !== null && typeof (value as BatchSource).batches === 'function';
}

/** One example: a feature row and its target (a number or a vector). */
export interface Example {
  x: ArrayLike<number>;
  y: ArrayLike<number> | number;
}

type ExampleStream = () => AsyncIterable<Example> | Iterable<Example>;

/**
 * A re-iterable stream of examples. Build one with Dataset.fromTensors, Dataset.fromExamples or
 * Dataset.fromCsv, optionally .shuffle(bufferSize), then .batch(n) to get a BatchSource for fit.
 */
export class Dataset {
  /**
   * @param stream called once per epoch, yields examples in order
   * @param sizeHint number of examples when known (a getter so lazily-counted sources can report it later)
   */
  constructor(
    private readonly stream: ExampleStream,
    private readonly sizeHint: () => number | undefined = () => undefined,
  ) {}

  /** Number of examples per epoch, when known. */
  get size(): number | undefined {
    return this.sizeHint();
  }

  /** Examples from in-memory tensors (row i of x with row i of y). */
  static fromTensors(x: TensorLike, y: TensorLike): Dataset {
    const xt = tensor(x);
    const yt = tensor(y);
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
  static fromExamples(stream: ExampleStream, options: { size?: number } = {}): Dataset {
    return new Dataset(stream, () => options.size);
  }

  /** Per-example shapes used to build batch tensors (default: flat vectors / scalars); read lazily. */
  protected shapes: () => { x?: readonly number[]; y?: readonly number[] } = () => ({});

  withShapes(xShape: readonly number[], yShape: readonly number[]): this {
    this.shapes = () => ({ x: xShape, y: yShape });
    return this;
  }

  /** Shuffle with a buffer of `bufferSize` examples (as tf.data): exact uniform shuffle when the buffer holds the whole set. */
  shuffle(bufferSize: number, options: { seed?: number } = {}): Dataset {
    if (!Number.isInteger(bufferSize) || bufferSize < 1) throw new Error(`shuffle bufferSize must be a positive integer, got ${bufferSize}.`);
    const source = this.stream;
    const rng: Rng = options.seed === undefined ? getRng() : new Rng(options.seed);
    const ds = new Dataset(async function* () {
      const buffer: Example[] = [];
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
  batch(batchSize: number): BatchSource {
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batch size must be a positive integer, got ${batchSize}.`);
    const source = this.stream;
    const sizeHint = this.sizeHint;
    const shapes = () => this.shapes();
    return {
      get steps(): number | undefined {
        const n = sizeHint();
        return n === undefined ? undefined : Math.ceil(n / batchSize);
      },
      async *batches(): AsyncIterable<Batch> {
        let xs: Example['x'][] = [];
        let ys: Example['y'][] = [];
        for await (const ex of source()) {
          xs.push(ex.x);
          ys.push(ex.y);
          if (xs.length === batchSize) {
            yield stackBatch(xs, ys, shapes());
            xs = [];
            ys = [];
          }
        }
        if (xs.length > 0) yield stackBatch(xs, ys, shapes());
      },
    };
  }

  /** Iterate over the examples of one epoch. */
  async *[Symbol.asyncIterator](): AsyncIterator<Example> {
    for await (const ex of this.stream()) yield ex;
  }
}

/** A BatchSource from a function returning batches (tensors or nested arrays); `steps` when the length is known. */
export function batchesFromGenerator(
  generator: () => AsyncIterable<{ x: TensorLike; y: TensorLike }> | Iterable<{ x: TensorLike; y: TensorLike }>,
  options: { steps?: number } = {},
): BatchSource {
  return {
    steps: options.steps,
    async *batches(): AsyncIterable<Batch> {
      let i = 0;
      for await (const b of generator()) {
        const x = tensor(b.x);
        const y = tensor(b.y);
        if (x.shape[0] !== y.shape[0]) {
          throw new Error(`Batch ${i}: x has ${x.shape[0]} samples (shape ${formatShape(x.shape)}) but y has ${y.shape[0]} (shape ${formatShape(y.shape)}).`);
        }
        i++;
        yield { x, y };
      }
    },
  };
}

function copyExample(ex: Example): Example {
  return { x: Float32Array.from(ex.x), y: typeof ex.y === 'number' ? ex.y : Float32Array.from(ex.y) };
}

function stackBatch(
  xs: Example['x'][],
  ys: Example['y'][],
  shapes: { x?: readonly number[]; y?: readonly number[] },
): Batch {
  const n = xs.length;
  const dx = xs[0].length;
  const x = new Float32Array(n * dx);
  for (let i = 0; i < n; i++) {
    if (xs[i].length !== dx) throw new Error(`Example ${i} of a batch has ${xs[i].length} features, expected ${dx} (as the first example).`);
    x.set(xs[i], i * dx);
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
  return { x: new Tensor(x, [n, ...(shapes.x ?? [dx])]), y: new Tensor(y, [n, ...yShape]) };
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
