// The op surface: everything differentiable that layers, losses, metrics and users compose.
export * from './binary.js';
export * from './unary.js';
export * from './reduce.js';
export * from './shape-ops.js';
export * from './matmul.js';
export * from './softmax.js';
export * from './random.js';
export * from './conv.js';
export * from './pool.js';
export * from './norm.js';
export * from './state.js';
export * from './recurrent.js';
export { opRules, type OpName } from './table.js';
export type { Rule, Planned, Buf } from './rule.js';
