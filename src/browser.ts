// descent in the browser: the core of the public entry (index.ts) without its Node-only parts (CSV from a path,
// saving to a directory, directory and PostgreSQL study storage, worker threads, HTML report files), plus
// browser saving and loading (IndexedDB, downloads, uploaded files) and ready(), which loads the wasm kernels.
// Built into one ES module by browser/build.mjs (dist/browser/descent.js, with descent.wasm beside it);
// package.json's "browser" field swaps platform/node.js for platform/browser.js.

import { registerBackend, setBackend } from './backend/backend.js';
import { createWasmBackend, type WasmBackend } from './backend/wasm-backend.js';

// tensor and autograd
export { Tensor, tensor, scalar, zeros, ones, fill, isTensor, type TensorLike, type NestedArray } from './tensor/tensor.js';
export { Variable } from './tensor/variable.js';
export { setSeed, Rng } from './tensor/random.js';
export { grad, grads, valueAndGrad, valueAndGrads, variableGrads, noGrad } from './autograd/tape.js';
export { checkGradients, type GradCheckOptions } from './autograd/gradcheck.js';
export { CapturedStep, Program, type StepBody } from './autograd/capture.js';
export * as ops from './ops/index.js';
export { setBackend, getBackend, listBackends, type Backend } from './backend/backend.js';
// The 'js' backend is always registered; ready() adds the wasm kernels (the native addon is Node-only).

// layers, activations, initializers, regularizers
export { Layer, registerLayer, layerFromConfig, SymbolicTensor, Node, type LayerArgs, type SymbolicShape, type InputSpec } from './layers/layer.js';
export { Dense, type DenseArgs } from './layers/dense.js';
export { Activation, Dropout, Flatten, InputLayer, Input, type DropoutArgs } from './layers/core.js';
export { Merge, Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot, type ConcatenateArgs, type DotArgs } from './layers/merge.js';
export { Conv1D, Conv2D, Conv3D, Conv1DTranspose, Conv2DTranspose, Conv3DTranspose, DepthwiseConv1D, DepthwiseConv2D, SeparableConv1D, SeparableConv2D, type ConvArgs } from './layers/conv.js';
export { MaxPooling1D, MaxPooling2D, MaxPooling3D, AveragePooling1D, AveragePooling2D, AveragePooling3D, GlobalMaxPooling1D, GlobalMaxPooling2D, GlobalMaxPooling3D, GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalAveragePooling3D, type PoolingArgs, type GlobalPoolingArgs } from './layers/pooling.js';
export { BatchNormalization, LayerNormalization, GroupNormalization, type NormalizationArgs, type BatchNormalizationArgs, type GroupNormalizationArgs } from './layers/normalization.js';
export { Reshape, Permute, RepeatVector, ZeroPadding1D, ZeroPadding2D, ZeroPadding3D, Cropping1D, Cropping2D, Cropping3D, UpSampling1D, UpSampling2D, UpSampling3D } from './layers/reshaping.js';
export { SpatialDropout1D, SpatialDropout2D, SpatialDropout3D, GaussianNoise, GaussianDropout } from './layers/noise.js';
export { Embedding, Masking, type EmbeddingArgs } from './layers/embedding.js';
export { RNN, type RNNArgs, type GatedArgs } from './layers/rnn.js';
export { SimpleRNN } from './layers/simple-rnn.js';
export { LSTM, type LSTMArgs } from './layers/lstm.js';
export { GRU, type GRUArgs } from './layers/gru.js';
export { Bidirectional, TimeDistributed, type BidirectionalArgs, type TimeDistributedArgs, type MergeMode } from './layers/wrappers.js';
export { withMask, getMask } from './layers/mask.js';
export { activations, getActivation } from './activations/index.js';
export * as initializers from './initializers/index.js';
export { getInitializer } from './initializers/index.js';
export { L1, L2, L1L2, l1, l2, l1l2, getRegularizer } from './regularizers/index.js';

// losses and metrics
export * as losses from './losses/index.js';
export { Loss, getLoss } from './losses/index.js';
export * as metrics from './metrics/index.js';
export { Metric, getMetric, Precision, Recall, AUC } from './metrics/index.js';

// models and the training loop
export { Model, type ModelArgs, type Predictions, type InputData, type TextData, type ModelFitOptions } from './models/model.js';
export { Sequential } from './models/sequential.js';
export type { CompileOptions, Compiled, CompiledOutput } from './models/compile.js';
export type { FitOptions, EvaluateOptions, ModelData, TrainableModel } from './models/training.js';
export { Callback, CallbackList, type Logs, type TrainParams } from './callbacks/callback.js';
export { History } from './callbacks/history.js';
export { ProgbarLogger } from './callbacks/progbar.js';

// optimizers, schedules, callbacks (all but CSVLogger, which writes a file)
export * from './optimizers/index.js';
export * from './schedules/index.js';
export { EarlyStopping, type EarlyStoppingOptions } from './callbacks/early-stopping.js';
export { ModelCheckpoint, formatFilepath, type ModelCheckpointOptions } from './callbacks/model-checkpoint.js';
export { LearningRateScheduler } from './callbacks/learning-rate-scheduler.js';
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from './callbacks/reduce-lr-on-plateau.js';
export { TerminateOnNaN } from './callbacks/terminate-on-nan.js';
export { LambdaCallback, type LambdaCallbackOptions } from './callbacks/lambda-callback.js';
export type { MonitorMode } from './callbacks/monitor.js';
export { textChart, sparkline, type TextChartOptions } from './report/text-chart.js';

// data (in memory) and saving (IndexedDB, downloads, uploaded files)
export { Dataset, batchesFromGenerator, isBatchSource, type BatchSource, type Batch, type Example } from './data/dataset.js';
export { trainTestSplit, type SplitOptions, type SplitResult } from './data/split.js';
export { Scaler, StandardScaler, MinMaxScaler, scalerFromJSON, type ScalerJSON, type StandardScalerOptions, type MinMaxScalerOptions } from './data/scalers.js';
export { toCategorical } from './data/categorical.js';
export { padSequences, type PadSequencesOptions } from './data/sequences.js';
export { TextVectorization, type TextVectorizationOptions, type TextOutputMode, type Standardize, type Split } from './layers/text-vectorization.js';
export { modelArtifacts, type SaveOptions } from './io/artifacts.js';
export { modelFromJSON, type LoadOptions } from './io/from-json.js';
export { saveToUrl as saveModel, loadModel, browserFiles, listModels, removeModel, type ModelFiles } from './io/browser.js';
export { getModelMetadata, type ModelMetadata } from './io/metadata.js';

// tuner (studies in memory or in a StudyStorage of your own)
export { RandomSearch, GridSearch, BayesianOptimization, Hyperband, TPESearch, type BayesianOptimizationOptions, type HyperbandTunerOptions, type TPESearchOptions } from './tuner/tuners.js';
export { Tuner, Trial, TrialPruned, inferDirection, type TunerOptions, type SearchOptions, type TunableModel, type HyperModel, type Objective, type BestResult } from './tuner/tuner.js';
export { HyperParameters, type NumberOptions, type ChoiceOptions, type ConditionOptions } from './tuner/hyperparameters.js';
export { SearchSpaceError, type ParamSpec, type SpaceDescription, type Sampling, type Condition } from './tuner/space.js';
export { MedianPruner, type Pruner, type MedianPrunerOptions } from './tuner/pruner.js';
export { GaussianProcess } from './tuner/gp/gp.js';
export type { Oracle, ProposeContext, Proposal } from './tuner/oracle.js';
export type { TrialRecord, TrialStatus, StudyStorage, StudyInfo, TrialOutcome, Direction, HyperparameterValues } from './tuner/trial.js';
export { MemoryStorage } from './tuner/storage/memory.js';
export { STALE_AFTER_MS, HEARTBEAT_INTERVAL_MS, type StorageOptions } from './tuner/storage/common.js';
export { runConcurrent, keepAlive } from './tuner/workers/concurrent.js';

export interface ReadyOptions {
  /** Where descent.wasm is; default next to this module (dist/browser/descent.wasm). */
  wasmUrl?: string | URL;
  /** 'js' keeps the TypeScript kernels (no fetch). Default 'wasm'. */
  backend?: 'wasm' | 'js';
}

let readyPromise: Promise<string> | null = null;
/** Why the wasm kernels are not in use after ready(), or null. */
export let wasmError: string | null = null;

/**
 * Load the WebAssembly kernels (fetch + WebAssembly.compileStreaming) and make them the backend, as tf.ready()
 * does; resolves to the backend name. They need a shared memory, which browsers give cross-origin-isolated pages
 * only (headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp); elsewhere
 * the TypeScript kernels stay (same results to float rounding) and wasmError says why. Threads are skipped: the
 * kernels run on the calling thread (run training in a Web Worker to keep a page responsive).
 */
export function ready(options: ReadyOptions = {}): Promise<string> {
  if (options.backend === 'js') {
    setBackend('js');
    return Promise.resolve('js');
  }
  readyPromise ??= (async () => {
    let backend: WasmBackend;
    try {
      const url = options.wasmUrl ?? new URL('./descent.wasm', import.meta.url);
      const response = fetch(url);
      const module = await (WebAssembly.compileStreaming
        ? WebAssembly.compileStreaming(response)
        : response.then((r) => r.arrayBuffer()).then((b) => WebAssembly.compile(b)));
      backend = createWasmBackend({ module, threads: 1 });
    } catch (e) {
      wasmError = (e as Error).message.split('\n')[0];
      setBackend('js');
      return 'js';
    }
    registerBackend(backend);
    setBackend('wasm');
    return 'wasm';
  })();
  return readyPromise;
}
