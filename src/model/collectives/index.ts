export * from './types.js';
export { Clocks } from './cost.js';
export { ALGORITHMS, algorithmsFor, findAlgorithm, type AlgorithmEntry } from './registry.js';
export {
  selectAlgorithm,
  selectName,
  selectTuned,
  MPICH_THRESHOLDS,
  MV2_REDUCE_THRESHOLDS,
  type Selection,
  type SelectionInput,
} from './select.js';
export * from './mvapich2-detect.js';
export {
  DEFAULT_TABLES,
  E5_2680_FDR_TABLES,
  X5650_QDR_TABLES,
  OPTERON_6136_QDR_TABLES,
  TUNED_TABLES,
  tableSetFor,
  type Mv2TableSet,
} from './mvapich2-tables.js';
export { SHM_SLOT_BYTES, flagParams, shmFlagNetwork } from './shmem.js';
