/**
 * The contract between schedule producers (collective algorithms, Graph500, GOAL
 * files) and the LogGOPS simulator. Producers only see these types; the simulator
 * owns the compact representation behind them.
 *
 * Times here are nanoseconds (float64 in native mode), sizes bytes.
 */

/** Handle of one operation, unique within a schedule (not only within a rank). */
export type OpId = number;

/**
 * Builds a schedule rank by rank, as LogGOPSim's GOAL does: operations on a rank
 * with no dependency may start at time 0 in any order the simulator chooses.
 */
export interface ScheduleBuilder {
  readonly numRanks: number;
  /** `rank` sends `bytes` to `peer` with `tag` (default 0). */
  send(rank: number, peer: number, bytes: number, tag?: number): OpId;
  /** `rank` receives `bytes` from `peer` (or -1 for any source) with `tag` (default 0). */
  recv(rank: number, peer: number, bytes: number, tag?: number): OpId;
  /** `rank` computes for `ns` nanoseconds (occupies its CPU). */
  calc(rank: number, ns: number): OpId;
  /** `after` may start only once `before` (same rank) has completed: GOAL `requires`. */
  requires(after: OpId, before: OpId): void;
  /** `after` may start only once `before` (same rank) has started: GOAL `irequires`. */
  irequires(after: OpId, before: OpId): void;
  /** Freezes the schedule; the builder must not be used afterwards. */
  build(): Schedule;
}

/** An immutable, compactly stored schedule. */
export interface Schedule {
  readonly numRanks: number;
  readonly numOps: number;
}

/** LogGOPS parameters of one message, as LogGOPSim's command line takes them (ns, ns/byte, bytes). */
export interface LogGOPSParams {
  L: number;
  o: number;
  g: number;
  G: number;
  O: number;
  /** Eager limit: sends of at most S bytes complete locally; larger ones wait for the match. */
  S: number;
}

/** LogGOPSim's default parameters (spcl/LogGOPSim `loggopsim_cmdline.ggo`), which `ibvf sim` keeps. */
export const LOGGOPSIM_DEFAULTS: Readonly<LogGOPSParams> = {
  L: 2500,
  o: 1500,
  g: 1000,
  G: 6,
  O: 0,
  S: 65535,
};

/**
 * Native-mode parameters of one message: sender and receiver overheads may differ. The
 * optional fields name MPI mechanisms a path may have (docs/simulator.md, native mode);
 * without them a message follows LogGOPSim's rules.
 */
export interface PairParams {
  L: number;
  o_s: number;
  o_r: number;
  g: number;
  G: number;
  /** Per-byte CPU cost at the sender (ns/B), and at the receiver unless `O_r` is given. */
  O: number;
  S: number;
  /** Per-byte CPU cost at the receiver (ns/B): its own copy, at its own CPU's speed. Default O. */
  O_r?: number;
  /**
   * How the payload reaches the receiver. Omitted: LogGOPS (the message needs the
   * receiver's CPU and NIC together; the receiver's CPU is busy o_r + (s-1)max(O,G)).
   * `'copy'`: through shared memory, each end copying its part: the data is there once
   * the sender has copied it in (o_s + (s-1)O + L after the send starts) and the
   * receiver copies it out for o_r + (s-1)O, not at the two-copy rate G. `'rdma'`: the
   * HCA writes it into memory without the receiver's CPU: the NIC and HCA receive sides
   * take it when free, the data has landed (s-1)G later, and the receiver's CPU then takes
   * it, when free, for o_r + (s-1)O_r.
   */
  delivery?: 'copy' | 'rdma';
  /**
   * The receiver's wake-up (ns) when it sleeps waiting for messages (MPI's blocking or
   * event progress: an interrupt, then the scheduler). Omitted or 0: the receiver polls
   * and never sleeps.
   */
  wake?: number;
  /**
   * How long (ns) a receiver polls before it sleeps (its spin window; default 0, event
   * progress). A receiver that has waited longer than this when a message comes pays
   * `wake` once before its CPU can take it (docs/simulator.md, native mode).
   */
  spin?: number;
  /**
   * Rendezvous (s > S) handshake (ns): how long after the receiver answers the RTS the
   * data reaches it (CTS back, the sender starts the transfer). The RTS reaches the
   * receiver o_s + L - handshake after the send starts; it is answered once the receive
   * is posted and the receiver's CPU is free. Default 0 (the RTS travels with the data).
   */
  handshake?: number;
}

/**
 * What native mode needs to know about the machine: the parameters of each rank
 * pair's path and which ranks share a node's HCA.
 */
export interface NativeNetwork {
  /** Parameters of a `bytes`-byte message from `src` to `dst` (the path between them). */
  params(src: number, dst: number, bytes: number): PairParams;
  /** Node of each rank; ranks on one node share its HCA. */
  nodeOf: Int32Array;
  /** Whether a message between these ranks goes through the HCA (false for shared memory). */
  usesHca(src: number, dst: number): boolean;
  /**
   * The node's HCA as a shared resource, applied separately to its send and receive
   * sides: each message gives each side `messageGapNs + bytes * perByteNs` of work, the
   * side shared by processor sharing (native-engine.ts). Omit for an unshared
   * (infinitely fast) HCA.
   */
  hca?: { messageGapNs: number; perByteNs: number };
  /**
   * Completion interrupt vectors (interrupt-vectors.ts): a receiver that pays its wake-up
   * shares its vector with the other interrupts in it (processor sharing). Omit for
   * vectors that never make a wake-up wait.
   */
  interrupts?: InterruptVectorsSpec;
  /**
   * Each socket's memory as a queue for the messages' per-byte copies (socket-memory.ts).
   * Omit for copies that never wait for memory (their O already holds any stretch).
   */
  memory?: SocketMemorySpec;
}

/** Per rank its vector (-1: none), per vector how long one interrupt holds it (ns). */
export interface InterruptVectorsSpec {
  vectorOf: Int32Array;
  serviceNs: Float64Array;
}

/** Per rank its socket (numbered across nodes), and the time a socket's memory takes per byte copied (ns/B). */
export interface SocketMemorySpec {
  socketOf: Int32Array;
  nsPerByte: number;
}

export type SimOptions =
  { mode: 'compat'; params: LogGOPSParams } | { mode: 'native'; network: NativeNetwork };

export interface SimResult {
  /** Per rank: when its CPU was last busy (ns from the common start at 0). */
  finishNs: Float64Array;
  maxFinishNs: number;
  /** Rank with the largest finishing time (the lowest such rank on ties). */
  maxHost: number;
  events: number;
  /**
   * Native mode: how many times a receiver had slept and paid its wake-up (blocking and
   * event progress; 0 when polling). The property tests use it to tell the one
   * non-monotonicity that is by design (a busier receiver does not sleep) from others.
   */
  wakeups?: number;
}
