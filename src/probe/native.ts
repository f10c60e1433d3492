/**
 * The probe's native addon (native/, built by `npm install` through node-gyp), loaded
 * here and nowhere else. Its shape is declared once below. Like node-pty's loader, a
 * failure lists every path tried and says how to build it.
 */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RunError } from '../errors.js';

export type CompletionMode = 'poll' | 'event';

/** One connected channel (shm segment or TCP connection) between two processes. */
export interface NativeEndpoint {
  readonly transport: string;
  /** Makes any running job on this endpoint fail with code `cancelled`. */
  cancel(): void;
  /** Cancels and releases the channel (when the running job, if any, ends). */
  close(): void;
  /** Removes the shm segment's name once both sides have it mapped (no-op for tcp). */
  unlink(): void;
}

export interface NativeListener {
  readonly port: number;
  accept(timeoutMs: number): Promise<NativeEndpoint>;
  close(): void;
}

/** What runJob measures (see native/measure.h for each kind). */
export interface JobSpec {
  kind: 'pingpong' | 'stream' | 'prtt';
  /** The timing side (true) or the answering side (false). */
  active: boolean;
  mode: CompletionMode;
  sizes: number[];
  /** Timed iterations per size (stream: windows per size). */
  iterations: number[];
  warmup: number;
  window?: number;
  n?: number;
  delayNs?: number;
  /** verbs: record each message's CPU cost in the post and receive calls (postUs, recvUs). */
  overheads?: boolean;
  /** CPU per pair to pin its thread to; -1 leaves it unpinned. */
  cpus?: number[];
  /** verbs --region: the registered region (bytes) this step's messages cycle through; absent or 0: none. */
  region?: number;
  /** Longest silence from the peer before the job fails with `timeout`. */
  idleTimeoutMs: number;
}

export interface NativeSizeResult {
  bytes: number;
  iterations: number;
  /** ping-pong: half round trips; prtt: whole PRTT; empty on the passive side. */
  samplesUs: Float64Array;
  seconds: number;
  cpuSeconds: number;
  messages: number;
  /** Steps with `overheads` on verbs, active side: per message, us inside ibv_post_send. */
  postUs?: Float64Array;
  /** ... and us in the ibv_poll_cq call that returned a receive plus its ibv_post_recv. */
  recvUs?: Float64Array;
}

export interface NativePairResult {
  cpu: number;
  pinned: boolean;
  sizes: NativeSizeResult[];
}

export interface TimerInfo {
  source: 'tsc' | 'clock_gettime';
  reference: string;
  ticksPerNs: number;
  calibrationMs: number;
  invariantTsc: boolean;
}

export interface CpuInfo {
  vendor: string;
  brand: string;
  hypervisor: boolean;
  hypervisorVendor: string;
}

/** One size of the compute probe (native/compute.h). */
export interface ComputeSpec {
  op: 'copy' | 'reduce';
  cache: 'warm' | 'cold';
  bytes: number;
  /** Samples to take; each is the mean of `reps` operations, reps chosen so a sample lasts minSampleNs. */
  samples: number;
  /** cold: bytes of each side's rotating set of buffers. */
  setBytes: number;
  /** CPU to pin the measuring thread to; -1 leaves it unpinned. */
  cpu: number;
  minSampleNs: number;
}

export interface ComputeSizeResult {
  /** The CPU the measuring thread ran on (sched_getcpu). */
  cpu: number;
  pinned: boolean;
  pinError?: string;
  bytes: number;
  reps: number;
  /** cold: the rotating set's bytes per side as used (whole buffers); 0 for warm. */
  setBytes: number;
  /** us per operation, one per sample. */
  samplesUs: Float64Array;
}

/** Cache sizes in bytes from sysconf (0: unknown), and the CPU of the calling thread. */
export interface ComputeInfo {
  l1d: number;
  l2: number;
  l3: number;
  cpu: number;
}

export interface ProbeAddon {
  timerInfo(): TimerInfo;
  cpuInfo(): CpuInfo;
  shmCreate(name: string, slots: number, slotSize: number): NativeEndpoint;
  shmOpen(name: string): NativeEndpoint;
  Listener: new (host: string, port: number) => NativeListener;
  tcpConnect(host: string, port: number, timeoutMs: number): Promise<NativeEndpoint>;
  runJob(
    endpoints: NativeEndpoint[],
    spec: JobSpec,
    onProgress?: (done: number) => void,
  ): Promise<NativePairResult[]>;
  /** The compute probe (native/compute.h): one size per call. */
  computeRun(spec: ComputeSpec): Promise<ComputeSizeResult>;
  computeInfo(): ComputeInfo;
  /** Frees the rotating set the cold runs keep between sizes. */
  computeRelease(): void;
  /** The CPUs this process may run on (sched_getaffinity), in order (native/noise.h). */
  noiseCpus(): number[];
  /** The loop count of one noise quantum of about `quantumUs`, and that quantum's undisturbed (minimum) time. */
  noiseCalibrate(quantumUs: number): NoiseCalibration;
  /** Starts a noise run; `onChunk` gets each worker's new quanta (us) every 200 ms and once at the end. */
  noiseStart(spec: NoiseSpec, onChunk: (perWorker: Float64Array[]) => void): NoiseHandle;
  /** verbs (native/verbs/binding.h): absent where the addon was built without infiniband/verbs.h. */
  verbsDevices?(): VerbsDeviceList;
  verbsOpen?(config: VerbsOpenConfig): VerbsOpened;
  verbsConnect?(endpoint: NativeEndpoint, remote: VerbsPeerInfo): { pathMtu: number };
  /** Why the verbs functions are absent (set only then). */
  verbsUnavailable?: string;
}

/** What libibverbs reports of one port (ibv_query_port, ibv_query_gid). */
export interface VerbsPort {
  port: number;
  error?: string;
  state?: string;
  activeMtu?: number;
  maxMtu?: number;
  lid?: number;
  activeWidth?: number;
  activeSpeed?: number;
  linkLayer?: 'infiniband' | 'ethernet';
  gids?: { index: number; gid: string }[];
}

/** One device as libibverbs reports it (ibv_query_device). */
export interface VerbsNativeDevice {
  name: string;
  error?: string;
  firmware?: string;
  vendorId?: number;
  vendorPartId?: number;
  hwVersion?: number;
  maxQpWr?: number;
  maxSge?: number;
  ports?: VerbsPort[];
}

export interface VerbsDeviceList {
  /** The library loaded (libibverbs.so.1, or IBVF_TEST_LIBIBVERBS), null if none loaded. */
  library: string | null;
  /** The library is the ibvf test double (test/probe/verbs/double/). */
  testDouble: boolean;
  devices: VerbsNativeDevice[];
  /** Why there are no devices. */
  why?: string;
}

export interface VerbsOpenConfig {
  device?: string;
  port?: number;
  op: 'send' | 'write' | 'read';
  /** -1: the device's maximum; 0: no inline. */
  inline: number;
  maxMessage: number;
  /** --region sizes (bytes) to register, one MR each, and the stride between messages (src/probe/verbs/region.ts). */
  regions?: number[];
  regionStride?: number;
}

/** What each side sends the other to connect its RC QP (perftest's pingpong_dest). */
export interface VerbsPeerInfo {
  qpn: number;
  psn: number;
  lid: number;
  rkey: number;
  /** Buffer address, decimal (64 bits do not fit a JS number). */
  addr: string;
  mtu: number;
  gid: string;
}

export interface VerbsOpened {
  endpoint: NativeEndpoint;
  local: VerbsPeerInfo;
  device: string;
  library: string;
  testDouble: boolean;
  inline: { maxRequested: number; maxGranted: number; probes: number; used: number };
  /** With regions: the region buffer's page size and whether huge pages were turned off for it. */
  region?: { pageBytes: number; smallPages: boolean };
}

export interface NoiseCalibration {
  loops: number;
  quantumUs: number;
}

export interface NoiseSpec {
  workers: number;
  /** Loops of the work per quantum (from noiseCalibrate). */
  loops: number;
  /** Quanta per worker; the first worker to finish stops the others. */
  samples: number;
  /** Per worker, the CPU to pin it to, or -1. */
  cpus?: number[];
}

export interface NoiseHandle {
  /** Resolves when every worker has stopped; the last chunk has been delivered by then. */
  done: Promise<{ workers: { cpu: number; pinned: boolean }[]; stopped: boolean }>;
  /** Asks the workers to stop after their current quantum. */
  stop(): void;
}

/** Errors the addon raises carry one of these codes. */
export type NativeErrorCode = 'timeout' | 'peer-lost' | 'cancelled' | 'system' | 'protocol';

export function nativeErrorCode(e: unknown): NativeErrorCode | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? (code as NativeErrorCode) : undefined;
}

/** The package root: the nearest folder above this file holding binding.gyp. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'binding.gyp'))) return dir;
    const up = dirname(dir);
    if (up === dir) return dirname(fileURLToPath(import.meta.url));
    dir = up;
  }
}

let loaded: ProbeAddon | undefined;

/** Loads the addon once; throws a RunError listing the paths tried. */
export function loadAddon(): ProbeAddon {
  if (loaded) return loaded;
  const root = packageRoot();
  const candidates = [
    process.env.IBVF_ADDON,
    join(root, 'build', 'Release', 'ibvf_probe.node'),
    join(root, 'build', 'Debug', 'ibvf_probe.node'),
  ].filter((p): p is string => Boolean(p));
  const require = createRequire(import.meta.url);
  const failures: string[] = [];
  for (const path of candidates) {
    if (!existsSync(path)) {
      failures.push(`${path} (missing)`);
      continue;
    }
    try {
      loaded = require(path) as ProbeAddon;
      return loaded;
    } catch (e) {
      failures.push(`${path} (${(e as Error).message.split('\n')[0]})`);
    }
  }
  throw new RunError(
    `the probe's native addon is not built; tried ${failures.join(', ')}. ${howToBuild(root)} (needs g++, make, python3)`,
  );
}

/**
 * How to build the addon for a package at `root`. A checkout builds it with
 * `npm install`; an installed copy (in a project's node_modules, where npm may have
 * skipped the install script) with `npm rebuild ibvf` in that project.
 */
export function howToBuild(root: string): string {
  const parts = root.split(sep);
  const at = parts.lastIndexOf('node_modules');
  if (at < 0) return `Run \`npm install\` in ${root}`;
  return `Run \`npm rebuild ibvf\` in ${parts.slice(0, at).join(sep) || sep}`;
}
