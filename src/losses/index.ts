export * from './loss.js';
export * from './probabilistic.js';
export * from './regression.js';
export * from './hinge.js';
