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
 *
 * The same holds with the nodes' HCAs shared: each HCA side is a fluid processor-sharing
 * server (NativeEngine, processor-sharing.ts), blind to the order of simultaneous
 * requests, so only the alike ties of CPUs and NICs remain: up to 1.5% on the average and
 * 4.1% on the maximum (525 schedules, seeds 6 and 11, 300 runs each; 0 with seed 6).
 * Served one at a time in rank order, as before, it was 22.8% and 10.6% (a tolerance of
 * 30% of its own, now gone).
 */
export const ALIKE_TIE_TOLERANCE = 0.05;

/**
 * Renaming under blocking and event progress, rank by rank: the interrupt vectors are
 * processor-sharing servers (interrupt-vectors.ts), blind to the order of simultaneous
 * wake-ups, and a wait within the clocks' rounding is no wait (NativeEngine.wakeBefore),
 * so what is left is the order of near-simultaneous events one rounding apart. Measured up
 * to 1.7e-5 of a rank's own time (300 runs each, seeds 1 to 6 and 11; 0 to 3e-16 with
 * seeds 3, 6 and 11). Before: first come first served at the vectors gave 24.1% on the
 * average and 34.4% on the maximum (a tolerance of 45%, and no rank compared), and the
 * last-bit wake decision alone 3.4% and 14.7% (seed 11, a scattered alltoall).
 */
export const WAKE_TIE_TOLERANCE = 1e-4;

/**
 * Raising one cost parameter lowered a simulated answer (average or maximum), polling, by
 * up to 7.2% (monotone.test.ts measuring mode, seeds 1 to 5, 4,500 cases each: 0.3%,
 * 1.3%, 0.2%, 7.2%, 3.3%). The worst: alltoall, 1 KB, vm-per-node, 2 nodes x 2 ranks,
 * shared memory on, paths.shm.o_s raised 10%: the maximum went from 3.374 to 3.130 us. The
 * same case without an HCA drops as much on the engine before processor sharing (7.55%):
 * a CPU serves one request at a time in order of arrival, and a later arrival can change
 * that order to a better one (Graham's timing anomalies of greedy scheduling: R. L.
 * Graham, "Bounds on multiprocessing timing anomalies", SIAM J. Appl. Math. 17(2), 1969),
 * which the HCA served one message at a time happened to hide (1.48% was measured then).
 * Processor sharing itself adds some: a burst of simultaneous requests is served together
 * and released together at its end, so a dearer cost that staggers them (one path's
 * messages later than another's) shares less and can end sooner.
 */
export const QUEUE_TOLERANCE = 0.08;

/**
 * The same under blocking progress (no wake-up in the worst cases: the spin window is
 * long), where the bursts differ: up to 17.7% (seeds 1 to 5, 4,500 cases each: 0.4%,
 * 2.5%, 5.7%, 17.7%, 11.9%; the same with the interrupt vectors shared). The worst:
 * alltoall (scattered), 1 B, native, 2 nodes x 4 ranks, shared memory off (blocking mode
 * turns it off), paths.native-loopback.L raised 10%: the maximum from 6.725 to 5.534 us.
 * It is a jump, not a drift: the maximum stands at 6.725 us up to +6.5% and at 5.534 us
 * from +7.5% (pinned in monotone.test.ts). Traced: rank 7 posts its second block of sends one g (200 ns) apart, its CPU
 * free for the 5 ns by which g exceeds o_s after each; with the loopback message from
 * rank 4 arriving at 3123.0 ns, inside such a window, its CPU takes that message (o_r
 * 552 ns) and then the three that arrive meanwhile before its last send (to rank 0), which
 * leaves at 5334 ns instead of 3129 ns, and rank 0 ends 1.36 us late. A dearer loopback
 * brings the message after the send, and nobody waits. LogGP's rule that a send needs the
 * CPU and the NIC's gap together (LogGOPSim's too) makes those windows.
 */
export const BLOCKING_QUEUE_TOLERANCE = 0.2;

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
