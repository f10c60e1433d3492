/** The probe's library surface (the CLI is one user of it). */
export { probeRun, parsePeer, DEFAULT_PORT, type ProbeRunOptions } from './run.js';
export { serveProbe, type ServeOptions } from './serve.js';
export { probeNoise, NOISE_WORK, type NoiseRunOptions } from './noise-run.js';
export * from './noise-result.js';
export { validateProbeResult, validateProbeMatrix } from './validate.js';
export * from './matrix-result.js';
export { planPairs, allPairs, pathClass } from './matrix-plan.js';
export { findOutliers, robustZ, OUTLIER_RULE } from './matrix-outliers.js';
export * from './result.js';
export * from './compute-result.js';
export { validateComputeResult } from './compute-validate.js';
export {
  probeCompute,
  coldSetFor,
  checkComputeSizes,
  type ComputeProbeOptions,
  DEFAULT_COMPUTE_SIZES,
} from './compute-run.js';
export { summarize } from './stats.js';
export { planSuite, type Suite, type Step } from './suites.js';
export { detectLauncher, type Launcher } from './launcher.js';
export { parseFrame, encodeFrame, PROTOCOL_VERSION } from './protocol.js';
export { hydraJobKey } from './hydra-job.js';
export { checkPairs, MAX_PAIRS } from './pair-limit.js';
export { checkJobSpec, JOB_LIMITS } from './job-spec.js';
export { disturbances, SPREAD_FACTOR, type LoadSample } from './disturbance.js';
export { DEFAULT_HANDSHAKE_MS } from './serve-session.js';
