/**
 * Tolerances of the property tests (relative unless said), each with what it covers and
 * what it was measured on. Every figure here was measured with the seeds the tests use
 * and with others (issue 10, item 6); none was chosen to make a test pass.
 */

/**
 * Rounding in float64 sums of nanoseconds. Replaying collective schedules with the ranks'
 * calls interleaved otherwise (permute.test.ts) changes no finishing time at all, and the
 * closed forms are monotone to the last bit (monotone.test.ts, 7,000 cases).
 */
export const TIE_TOLERANCE = 1e-9;

/**
 * Renaming the ranks of a program and of its machine alike (permute.test.ts), polling, on
 * a machine whose HCAs are not shared resources: the native engine queues simultaneous
 * operations of different hosts by what they are (kind, size, path; NativeEngine.readyBefore)
 * and only alike ones by rank, and which of two alike operations goes first can still
 * change the average by up to 1.4% and the maximum by up to 3.3% (366 schedules, seed 11;
 * nothing at all with seed 6). Before that ordering: 1.1% and 3.3%.
 */
export const ALIKE_TIE_TOLERANCE = 0.05;

/**
 * The same with the nodes' HCAs shared: alike sends or messages that want one node's HCA
 * at the same instant are served in rank order, and the place of each in that order
 * changes when the others start (one HCA service time each, about 2.6 us for 16 KB), which
 * later phases amplify. Measured up to 22.8% on the average and 10.6% on the maximum
 * (724 schedules, seeds 6 and 11); 27% before unlike requests were ordered by what they
 * are. Processor sharing among simultaneous alike requests would remove it; the engine
 * does not do that yet.
 */
export const HCA_TIE_TOLERANCE = 0.3;

/**
 * The same under blocking and event progress: of two messages that reach a waiting
 * receiver at one instant, the first wakes it and pays the wake-up, the second finds it
 * awake; which is first changes who waits for a wake-up (tens of us on a VF). Measured up
 * to 51% on the average and 27% on the maximum (650 schedules, seeds 6 and 11).
 */
export const WAKE_TIE_TOLERANCE = 0.6;

/**
 * Raising one cost parameter lowered a simulated answer (average or maximum) by up to
 * 1.48% with polling, 1.36% with blocking progress (alltoall, 9,000 cases, seeds 1 and 5).
 * The engine's resources (each CPU, NIC side and node's HCA side) serve their requests one
 * at a time in order of arrival, and a later arrival can change that order to a better
 * one: Graham's timing anomalies of greedy scheduling (R. L. Graham, "Bounds on
 * multiprocessing timing anomalies", SIAM J. Appl. Math. 17(2), 1969), which no
 * non-preemptive queue avoids.
 */
export const QUEUE_TOLERANCE = 0.02;

/**
 * The closed form of the scattered alltoall (collectives/alltoall/scattered.ts) is itself
 * a small greedy schedule of one representative rank's sends and takes, in time order, so
 * it has the same anomalies: a later arrival can let the rank post all its sends first,
 * which is faster. Raising one cost lowered it by up to 12.3% (15,000 cases, seeds 1-4:
 * virtualization.registeredPerPeer, dmasPerMessage, iommuMissCost doubled, 4 nodes x 2
 * ranks, 8 KB); every other closed form never went down.
 */
export const SCATTERED_CLOSED_TOLERANCE = 0.15;

/**
 * Under event progress a receiver that waits at all sleeps and pays its wake-up, one that
 * is still busy when its message comes does not (MVAPICH2's blocking channel with no
 * spin; docs/simulator.md): raising a cost can keep a receiver busy and spare it a
 * wake-up, by design. Measured: raising one cost lowered an answer by up to 31%, never by
 * more than 1.97 of the layout's largest wake-up (alltoall, 4,000 cases, seeds 1 and 5).
 * The property allows that many wake-ups (in the layout's largest wake-up) per answer.
 */
export const SPARED_WAKEUPS = 2.5;
