/**
 * What an importer makes of another tool's output: the numbers it printed, in ibvf's
 * units (docs/design.md, "Units and words"), with where they came from. Calibration fits
 * profiles from these beside ibvf's own probe results (`ibvf.probe/1`).
 *
 * Units: microseconds, bytes, MB/s = 10^6 bytes/s (as OSU prints; perftest's MB/s is
 * 2^20 bytes/s and its importer converts), messages per second. Latencies keep the
 * meaning the tool gave them, stated in `latency`: one-way (half a round trip, as
 * osu_latency, ib_send_lat, qperf tcp_lat and sockperf ping-pong report), round trip
 * (ib_read_lat: a read is a full round trip), or a collective's latency averaged over
 * ranks (OSU collectives).
 */

/** The tools ibvf imports. */
export const IMPORT_TOOLS = ['osu', 'perftest', 'qperf', 'sockperf'] as const;
export type ImportTool = (typeof IMPORT_TOOLS)[number];

/** What a run measured. */
export type ImportMetric = 'latency' | 'bandwidth' | 'message-rate';

/** What a latency figure is. */
export type LatencyMeaning = 'one-way' | 'round-trip' | 'collective-average';

/** One message size of a run. Only what the tool printed is present. */
export interface ImportedPoint {
  bytes: number;
  /** The tool's headline latency (its average, or its typical value when it prints no average), us. */
  latency_us?: number;
  min_us?: number;
  max_us?: number;
  median_us?: number;
  p99_us?: number;
  p99_9_us?: number;
  stdev_us?: number;
  /** 10^6 bytes per second. */
  bandwidth_MBps?: number;
  /** Messages per second. */
  msg_rate?: number;
  iterations?: number;
  /** OSU's `-c` data validation of this size: 'fail' means the data arrived wrong. */
  validation?: 'pass' | 'fail';
}

/** One run of one test, as read from one file (a file may hold several runs). */
export interface ImportedRun {
  tool: ImportTool;
  /** The test's own name: osu_latency, osu_bcast, ib_send_lat, tcp_lat, ping-pong, ... */
  test: string;
  metric: ImportMetric;
  /** Present when metric is 'latency'. */
  latency?: LatencyMeaning;
  /** The file and the line the run starts at (1-based). */
  file: string;
  line: number;
  /** Settings the output states (e.g. { transport: 'RC', mtu: 4096, ranks: 2 }). */
  settings: Record<string, string | number>;
  points: ImportedPoint[];
  /** Unit conversions and readings applied, in words (e.g. "MB/s read as 2^20 B/s"). */
  notes: string[];
}
