/** Graph500 on VM layouts: the generator, BFS level profiles, and the bfs_simple time model. */
export {
  generateCsr,
  vertexPermutation,
  INITIATOR,
  GRAPH500_EDGE_FACTOR,
  type KroneckerSpec,
} from './kronecker.js';
export { degreeOf, graphMemoryBytes, type Csr } from './csr.js';
export { bfs, foldPairs, componentEdges, type BfsLevel, type BfsRun, type BfsTree } from './bfs.js';
export { validateBfs, type BfsValidation } from './validate.js';
export {
  profileGraph,
  sampleRoots,
  modulusFor,
  GRAPH500_ROOTS,
  type GraphProfile,
  type GraphProfileKey,
} from './profile.js';
export {
  levelTime,
  messagesFor,
  COALESCE_BYTES,
  PAIR_BYTES,
  type LevelCosts,
  type LevelTime,
} from './level-time.js';
export {
  predictBfs,
  bfsLayout,
  endOfLevelNs,
  BFS_VARIANTS,
  type BfsVariant,
  type BfsQuery,
  type BfsPrediction,
  type LevelRow,
} from './bfs-predict.js';
export { compareGraph500, type Graph500Query, type Graph500Row } from './compare.js';
export { extrapolateProfile, type ExtrapolatedProfile } from './extrapolate.js';
