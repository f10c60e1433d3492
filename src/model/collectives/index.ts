export * from './types.js';
export { Clocks } from './cost.js';
export { ALGORITHMS, algorithmsFor, findAlgorithm, type AlgorithmEntry } from './registry.js';
export { selectAlgorithm, selectName, MPICH_THRESHOLDS, type SelectionInput } from './select.js';
