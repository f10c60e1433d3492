/** The LogGOPS simulator: schedules, GOAL files, the engine. */
export * from './contract.js';
export { createScheduleBuilder, CompactSchedule, CompactScheduleBuilder } from './schedule.js';
export { simulate, checkCompatParams, type SimTuning } from './engine.js';
export type { EventQueueStats } from './event-queue.js';
export { readGoalFile, parseGoal } from './goal-parse.js';
export { SimDeadlockError, type StuckOp } from './deadlock.js';
export { ANY_SOURCE, ANY_TAG, OP_SEND, OP_RECV, OP_CALC } from './ops.js';
export { uniformNetwork, type UniformNetworkOptions } from './uniform-network.js';
export { writeGoal, writeGoalFile, goalOperation } from './goal-write.js';
