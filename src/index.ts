// descent: the one public entry.

// tensor and autograd
export { Tensor, tensor, scalar, zeros, ones, fill, isTensor, type TensorLike, type NestedArray } from './tensor/tensor.js';
export { Variable } from './tensor/variable.js';
export { setSeed, Rng } from './tensor/random.js';
export { grad, grads, valueAndGrad, valueAndGrads, variableGrads, noGrad } from './autograd/tape.js';
export { checkGradients, type GradCheckOptions } from './autograd/gradcheck.js';
export { CapturedStep, Program, type StepBody } from './autograd/capture.js';
export * as ops from './ops/index.js';
export { setBackend, getBackend, listBackends, type Backend } from './backend/backend.js';
import './backend/index.js'; // registers 'js' and 'wasm', selects wasm when it instantiates

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

// optimizers, schedules, callbacks
export * from './optimizers/index.js';
export * from './schedules/index.js';
export * from './callbacks/index.js';

// reports: self-contained HTML report (learning curves, tuning studies), its callback, terminal charts
export { writeReport, renderReport, ReportCallback, textChart, sparkline, type ReportInput, type ReportCallbackOptions, type TextChartOptions } from './report/index.js';

// data and saving
export { loadCsv, transformCsv, fitCsvEncoders, featureNames, type CsvOptions, type CsvData, type CsvEncoders, type ColumnEncoder, type TargetEncoder, type Task, type MissingStrategy } from './data/csv.js';
export { Dataset, CsvDataset, batchesFromGenerator, isBatchSource, type BatchSource, type Batch, type Example } from './data/dataset.js';
export { trainTestSplit, type SplitOptions, type SplitResult } from './data/split.js';
export { Scaler, StandardScaler, MinMaxScaler, scalerFromJSON, type ScalerJSON, type StandardScalerOptions, type MinMaxScalerOptions } from './data/scalers.js';
export { toCategorical } from './data/categorical.js';
export { padSequences, type PadSequencesOptions } from './data/sequences.js';
export { TextVectorization, type TextVectorizationOptions, type TextOutputMode, type Standardize, type Split } from './layers/text-vectorization.js';
export { loadMnist, loadIris, type MnistOptions, type MnistData, type IrisData } from './data/datasets.js';
export { saveModel, modelArtifacts, type SaveOptions } from './io/save.js';
export { loadModel, modelFromJSON, type LoadOptions } from './io/load.js';
export { getModelMetadata, type ModelMetadata } from './io/metadata.js';

// tuner
export { RandomSearch, GridSearch, BayesianOptimization, Hyperband, TPESearch, type BayesianOptimizationOptions, type HyperbandTunerOptions, type TPESearchOptions } from './tuner/tuners.js';
export { Tuner, Trial, TrialPruned, inferDirection, type TunerOptions, type SearchOptions, type TunableModel, type HyperModel, type Objective, type BestResult } from './tuner/tuner.js';
export { HyperParameters, type NumberOptions, type ChoiceOptions, type ConditionOptions } from './tuner/hyperparameters.js';
export { SearchSpaceError, type ParamSpec, type SpaceDescription, type Sampling, type Condition } from './tuner/space.js';
export { MedianPruner, type Pruner, type MedianPrunerOptions } from './tuner/pruner.js';
export { GaussianProcess } from './tuner/gp/gp.js';
export type { Oracle, ProposeContext, Proposal } from './tuner/oracle.js';
export type { TrialRecord, TrialStatus, StudyStorage, StudyInfo, TrialOutcome, Direction, HyperparameterValues } from './tuner/trial.js';

// tuner storage and workers (studies in memory, a directory or PostgreSQL; threads and machines sharing a study)
export { openStorage, defaultStudyDir, MemoryStorage, DirectoryStorage, STALE_AFTER_MS, HEARTBEAT_INTERVAL_MS, type StorageOptions } from './tuner/storage/index.js';
export type { PostgresStorage, PostgresStorageOptions } from './tuner/storage/postgres.js';
export { runConcurrent, keepAlive, runWorkerThreads, specForThreads, runStudyWorker, readSpec, type ThreadTarget, type TuneWorkerSpec, type WorkerResult } from './tuner/workers/index.js';
