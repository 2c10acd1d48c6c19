// Sequential: a linear stack of layers, as a thin Model over the same graph (Keras 3 does this). The graph is
// wired as soon as the input shape is known (from the first layer's inputShape, an Input, build(), or the data).

import type { Tensor } from '../tensor/tensor.js';
import { Layer, SymbolicTensor, registerLayer, layerFromConfig, type SymbolicShape } from '../layers/layer.js';
import { InputLayer } from '../layers/core.js';
import { Model } from './model.js';
import type { SummaryRow } from './summary.js';

export type { CompileOptions } from './compile.js';
export type { CompiledMetric } from './compile.js';

export class Sequential extends Model<SymbolicTensor> {
  override readonly className: string = 'Sequential';
  /** The declared input (Input() / InputLayer), kept apart from `layers` as in Keras 3 and TF.js; null when implicit. */
  inputLayer: InputLayer | null = null;
  private batchInputShape_: SymbolicShape | null = null;

  constructor(args: { layers?: (Layer | SymbolicTensor)[]; name?: string } | (Layer | SymbolicTensor)[] = {}) {
    super();
    const options = Array.isArray(args) ? { layers: args } : args;
    if (options.name !== undefined) this.name = options.name;
    this.ensureName();
    for (const layer of options.layers ?? []) this.add(layer);
  }

  /** Append a layer (or, first, an Input); the model is wired as soon as the input shape is known. */
  add(layer: Layer | SymbolicTensor): void {
    if (layer instanceof SymbolicTensor) {
      if (!(layer.sourceLayer instanceof InputLayer)) throw new Error(`Sequential.add takes layers (or an Input() first), got the output of layer '${layer.sourceLayer.name}'.`);
      layer = layer.sourceLayer;
    }
    if (!(layer instanceof Layer)) throw new Error(`Sequential.add expects a Layer (e.g. new Dense(8)), got ${layer === null ? 'null' : typeof layer}.`);
    if (layer instanceof InputLayer) {
      // As Keras 3 and TF.js: the input declares the shape but is not one of model.layers.
      if (this.layers.length || this.inputLayer) throw new Error('An InputLayer/Input can only be the first layer of a Sequential model.');
      this.inputLayer = layer;
      this.batchInputShape_ = layer.batchInputShape;
      return;
    }
    // A first layer fed with texts (TextVectorization) takes one string per sample: its input shape is known, [batch].
    if (this.layers.length === 0 && !this.inputLayer) this.batchInputShape_ = layer.batchInputShape ?? (layer.encodeStrings ? [null] : this.batchInputShape_);
    (layer as unknown as { ensureName(): void }).ensureName();
    if (this.layers.some((l) => l.name === layer.name)) throw new Error(`Layer name '${layer.name}' is already used in model '${this.name}'; layer names must be unique.`);
    if (this.outputs.length) {
      // Wired already: extend the chain (checks the layer against the previous output's shape first).
      const out = layer.apply(this.outputs[0]);
      if (Array.isArray(out)) throw new Error(`Layer '${layer.name}' has several outputs; a Sequential model needs layers with one output (use a functional Model).`);
      this.layers.push(layer);
      this.setGraph(this.inputs[0], out);
      return;
    }
    this.layers.push(layer);
    if (this.batchInputShape_) this.build(this.batchInputShape_);
  }

  /** Remove the last layer. */
  pop(): void {
    if (!this.layers.length) throw new Error('Sequential.pop: the model has no layers.');
    this.layers.pop();
    if (this.outputs.length) this.build(this.inputs[0].shape);
  }

  /** Wire (and build) every layer for an input shape (batch dimension first, may be null). */
  override build(batchInputShape: SymbolicShape | SymbolicShape[]): void {
    const shape = batchInputShape as SymbolicShape;
    this.batchInputShape_ = shape;
    if (!this.layers.length) return;
    const dtype = this.layers[0].encodeStrings ? 'string' : 'float32';
    const input = this.inputLayer ?? new InputLayer({ batchInputShape: shape, name: `${this.name}_input`, dtype });
    let x = input.output;
    for (const layer of this.layers) {
      const out = layer.apply(x);
      if (Array.isArray(out)) throw new Error(`Layer '${layer.name}' has several outputs; a Sequential model needs layers with one output (use a functional Model).`);
      x = out;
    }
    this.setGraph(input.output, x);
  }

  /** Keras 2 / TF.js: a Sequential with a known input shape (always written to its config) has a node of its own. */
  override get ownsFirstNode(): boolean {
    return this.isBuilt;
  }

  protected override graphLayers(): Layer[] {
    return this.layers;
  }

  /** Output names before the model is wired: the last layer's name (Keras's single output). */
  protected override compileOutputNames(): string[] {
    return this.outputs.length ? this.outputNames : [this.layers[this.layers.length - 1]?.name ?? 'output'];
  }

  override get outputShapes(): SymbolicShape[] {
    return this.outputs.length ? super.outputShapes : [[null, 1]];
  }

  get inputShape(): SymbolicShape | null {
    return this.inputs[0]?.shape ?? this.batchInputShape_;
  }

  get outputShape(): SymbolicShape | null {
    return this.outputs[0]?.shape ?? null;
  }

  override get isBuilt(): boolean {
    return this.outputs.length > 0;
  }

  override get inputNames(): string[] {
    return this.inputs.length ? super.inputNames : ['input'];
  }

  /** Forward pass through every layer, wiring the model from x's shape on first use. training enables Dropout. */
  override call(x: Tensor | Tensor[], training = false): Tensor {
    const input = Array.isArray(x) ? x[0] : x;
    if (!this.isBuilt) this.build([null, ...input.shape.slice(1)]);
    return super.call(input, training) as Tensor;
  }

  /** Check x against the model's input shape (wiring it from x when unknown), with both shapes in the message. */
  override checkInputs(xs: Tensor[], what: readonly string[]): void {
    if (!this.layers.length) throw new Error(`Model '${this.name}' has no layers: add layers before training or predicting.`);
    if (!this.isBuilt) this.build([null, ...xs[0].shape.slice(1)]);
    super.checkInputs(xs, what);
  }

  /** Check one input (the Sequential form of checkInputs). */
  checkInput(x: Tensor, what = 'x'): void {
    this.checkInputs([x], [what]);
  }

  protected override summaryRows(): SummaryRow[] {
    return this.layers.map((layer, i) => ({ layer, outputShape: this.outputs.length ? (this.nodes[i]?.outputs[0].shape ?? null) : null }));
  }

  /** { name, layers: [{ className, config }] }, the declared input first (Keras's Sequential config). */
  override getConfig(): { name: string; layers: { className: string; config: Record<string, unknown> }[] } {
    const stack = this.inputLayer ? [this.inputLayer, ...this.layers] : this.layers;
    const layers = stack.map((l) => ({ className: l.className, config: l.getConfig() }));
    // A wired model's input shape goes into the first layer's config (TF.js needs it to rebuild the model).
    if (this.isBuilt && layers.length && layers[0].config.batchInputShape === undefined) layers[0].config = { ...layers[0].config, batchInputShape: this.inputs[0].shape };
    return { name: this.name, layers };
  }

  /** A Sequential model from its config ({ name, layers } or a list of layers); wired when the first layer has an input shape. */
  static override fromConfig(config: Record<string, unknown>): Sequential {
    const list = Array.isArray(config) ? config : (config.layers as unknown[]);
    if (!Array.isArray(list)) throw new Error('Sequential config needs layers.');
    const model = new Sequential({ name: Array.isArray(config) ? undefined : (config.name as string | undefined) });
    list.forEach((entry, i) => {
      const e = entry as { className?: string; config?: Record<string, unknown> };
      if (typeof e?.className !== 'string' || typeof e.config !== 'object') throw new Error(`layer ${i} needs class_name and config.`);
      model.add(layerFromConfig(e.className, e.config));
    });
    return model;
  }
}

registerLayer('Sequential', Sequential);
