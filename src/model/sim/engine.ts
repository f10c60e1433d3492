import type { Schedule, SimOptions, SimResult } from './contract.js';
import { CompatEngine } from './compat-engine.js';
import type { EngineCore } from './engine-core.js';
import type { EventQueueStats } from './event-queue.js';
import { NativeEngine } from './native-engine.js';
import { CompactSchedule } from './schedule.js';

export { checkCompatParams } from './compat-engine.js';

/**
 * Runs a schedule through the LogGOPS discrete-event engine and returns every host's
 * finishing time (when its CPU was last busy).
 *
 * The engine is one event loop (engine-core.ts: LogGOPSim's main loop, dependencies,
 * matching queues, parking of blocked events) with one of two rule sets, chosen here
 * once per run:
 * - `compat` (compat-engine.ts) reproduces LogGOPSim exactly: one LogGOPS parameter set
 *   for every pair, integer nanoseconds with uint64 wrap-around, and LogGOPSim's quirks.
 * - `native` (native-engine.ts) is ibvf's: float64 ns, parameters per rank pair from
 *   `network.params(src, dst, bytes)`, a node's HCA shared by its ranks, and the MPI
 *   mechanisms docs/simulator.md lists.
 *
 * Throws SimDeadlockError (a RunError) when operations remain that can never complete.
 */
export function simulate(schedule: Schedule, options: SimOptions, tuning: SimTuning = {}): SimResult {
  if (!(schedule instanceof CompactSchedule)) {
    throw new TypeError('simulate() takes a schedule made by createScheduleBuilder() or a GOAL reader');
  }
  const batch = tuning.batchBlocked ?? true;
  const engine: EngineCore =
    options.mode === 'compat'
      ? new CompatEngine(schedule, options.params, batch)
      : new NativeEngine(schedule, options.network, batch);
  const result = engine.run(tuning.progress);
  if (tuning.queueStats) Object.assign(tuning.queueStats, engine.queueStats());
  return result;
}

/** Engine switches that do not change results (tests compare both settings). */
export interface SimTuning {
  /** Park blocked events per resource class (default) instead of re-queueing each as LogGOPSim does. */
  batchBlocked?: boolean;
  /** Filled in after the run with what the event queue saw (benchmarks print it). */
  queueStats?: Partial<EventQueueStats>;
  /**
   * Told every PROGRESS_EVENTS events how many of the schedule's operations are done, of
   * how many (the CLI's progress bar); the results do not depend on it.
   */
  progress?: (doneOps: number, numOps: number) => void;
}
