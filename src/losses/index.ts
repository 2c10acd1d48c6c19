export * from './loss.js';
export * from './probabilistic.js';
export * from './regression.js';
export * from './hinge.js';
export * from './focal.js';
export * from './segmentation.js';
