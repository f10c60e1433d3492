export * from './types.js';
export { Clocks } from './cost.js';
export { ALGORITHMS, algorithmsFor, findAlgorithm, type AlgorithmEntry } from './registry.js';
export { selectAlgorithm, selectName, MPICH_THRESHOLDS, type SelectionInput } from './select.js';
export { SHM_SLOT_BYTES, flagParams, shmFlagNetwork } from './shmem.js';
