// Built-in callbacks beyond History and the progress bar (Keras keras.callbacks.*).
export { EarlyStopping, type EarlyStoppingOptions } from './early-stopping.js';
export { ModelCheckpoint, formatFilepath, type ModelCheckpointOptions } from './model-checkpoint.js';
export { LearningRateScheduler } from './learning-rate-scheduler.js';
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from './reduce-lr-on-plateau.js';
export { TerminateOnNaN } from './terminate-on-nan.js';
export { CSVLogger, type CSVLoggerOptions } from './csv-logger.js';
export { LambdaCallback, type LambdaCallbackOptions } from './lambda-callback.js';
export type { MonitorMode } from './monitor.js';
