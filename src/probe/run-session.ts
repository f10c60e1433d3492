import type { Static } from '@sinclair/typebox';
import os from 'node:os';
import { RunError } from '../errors.js';
import type { OutputStreams } from '../io.js';
import { startProgressBar, type ProgressBar } from '../progress-bar.js';
import type { Control } from './control.js';
import type { AgreedOptions } from './handshake.js';
import { disturbances, warningsText, type LoadSample } from './disturbance.js';
import { bootId, hostInfo } from './hostinfo.js';
import {
  loadAddon,
  nativeErrorCode,
  type JobSpec,
  type NativeEndpoint,
  type NativePairResult,
  type NativeSizeResult,
} from './native.js';
import {
  PROBE_SCHEMA_ID,
  type HostInfo,
  type CallCost,
  type OverheadRun,
  type PairLayout,
  type ProbeResult,
  type StreamRun,
} from './result.js';
import { plainAddress } from './serve-session.js';
import { roundSamples, summarize } from './stats.js';
import { PRTT_DELAY_FACTOR, planSuite, stepWork, type Step, type Suite } from './suites.js';
import {
  latencyTable,
  overheadHeader,
  overheadRow,
  prttHeader,
  prttRow,
  streamHeader,
  streamRow,
} from './table.js';
import { TRANSPORT_REGISTRY } from './transports.js';
import type { NumaPinResult } from './verbs/device-result.js';
import { planNumaPin } from './verbs/numa-pin.js';
import type { PairCpus } from './topology.js';
import { readNumaFacts, sysfsRoot } from './verbs/sysfs.js';
import { regionPages } from './verbs/transport.js';
import type { ResultWriter } from './writer.js';

export interface RunConfig {
  options: AgreedOptions;
  token: string;
  timeoutMs: number;
  /** CPUs for this side and the peer's side of pair 0 (null: unpinned), and how they relate. */
  cpus: [number | null, number | null];
  /** --pairs N --pin: every pair's CPUs on this side and the peer's (cpus holds pair 0's). */
  pairCpus?: PairCpus;
  relation: string;
  pairing: string;
  /** Where the result goes; none on a launcher rank whose pair rank 0 records. */
  writer?: ResultWriter;
  io: OutputStreams;
  /** Print tables on stdout (off with --json). */
  tables: boolean;
  /** Set by the caller (SIGINT) to stop the run; the reason goes into the file. */
  stop: { reason?: string; cancel?: () => void };
  /** Process pairs under a launcher (process-pairs.ts): the barrier and the gathering of results. */
  hooks?: PairHooks;
  /** Threads mode: the launcher ranks of this side and the peer (null without a launcher). */
  ranks?: { launcher: string | null; sender: number | null; receiver: number | null };
  /** Process pairs: how they were formed, and how many there are (the result's options.pairs). */
  layout?: PairLayout;
  /** Whether this side reports the result (false on a sender rank, whose results rank 0 records). */
  reports?: boolean;
}

/**
 * What a run does around each step when its pairs are separate processes (one pair
 * per session): `ready` is the barrier after the peer has started step k and before
 * this side starts it, and returns the PRTT delay every pair uses (rank 0's); `gather`
 * takes this pair's results of step k and returns those of every pair, to record.
 */
export interface PairHooks {
  ready(step: number, delayNs: number): Promise<number>;
  gather(step: number, local: NativePairResult[]): Promise<NativePairResult[]>;
}

function errorText(e: unknown, control: Control, stop: RunConfig['stop']): string {
  if (stop.reason) return stop.reason;
  if (nativeErrorCode(e) === 'cancelled' && control.lost) return control.lost.message;
  if (e instanceof RunError) return e.message;
  const code = nativeErrorCode(e);
  return code ? `${(e as Error).message} (${code})` : (e as Error).message;
}

/**
 * The client's side of a run: handshake, transport setup, then every step of the
 * suite (the server answers each), writing the result file after each step.
 */
export async function runSession(control: Control, cfg: RunConfig): Promise<ProbeResult> {
  const addon = loadAddon();
  const timer = addon.timerInfo();
  const o = cfg.options;
  const result: ProbeResult = {
    schema: PROBE_SCHEMA_ID,
    partial: true,
    tool: { name: 'ibvf', version: process.env.npm_package_version ?? '0.1.0' },
    time: new Date().toISOString(),
    host: hostInfo(addon.cpuInfo()),
    peer: null,
    transport: o.transport as ProbeResult['transport'],
    device: null,
    op: o.verbs?.op ?? 'send',
    latency_kind: o.verbs?.op === 'read' ? 'round trip' : 'half round trip',
    options: {
      suite: o.suite as Suite,
      pairs: cfg.layout?.pairs.length ?? o.pairs,
      progress: o.progress as ('poll' | 'event')[],
      sizes: o.sizes,
      iterations: o.iterations,
      timeout_s: cfg.timeoutMs / 1000,
      pairing: cfg.pairing,
    },
    placement: {
      relation: cfg.relation,
      cpus: cfg.cpus,
      ...(cfg.pairCpus ? { pair_cpus: cfg.pairCpus.local.map((c, i) => [c, cfg.pairCpus!.peer[i]]) } : {}),
    },
    timer: { source: timer.source, reference: timer.reference, ticks_per_ns: timer.ticksPerNs },
    latency: [],
    streaming: [],
    prtt: [],
  };
  // read before the probe's own threads weigh in it (the 1-minute average lags)
  const load: LoadSample = { start: os.loadavg()[0], cpus: result.host.cpus };
  let endpoints: NativeEndpoint[] = [];
  const cancelAll = () => endpoints.forEach((e) => e.cancel());
  cfg.stop.cancel = () => {
    cancelAll();
    control.close();
  };
  control.onLost(cancelAll);
  const steps = planSuite(o.suite as Suite, o.sizes, o.progress as ('poll' | 'event')[], o.iterations, {
    overheads: o.transport === 'verbs',
    ...(o.verbs?.region ? { region: o.verbs.region } : {}),
  }).filter(
    // PRTT needs a message the peer answers: an RDMA read is itself the round trip.
    (s) => o.verbs?.op !== 'read' || s.kind !== 'prtt',
  );
  const total = steps.reduce((a, s) => a + stepWork(s), 0) * o.pairs;
  let bar: ProgressBar | undefined;
  try {
    control.send({
      type: 'hello',
      token: cfg.token,
      options: o,
      host: result.host,
      bootId: bootId(),
      pid: process.pid,
    });
    const welcome = await control
      .expect('welcome', cfg.timeoutMs, 'the peer to answer the handshake')
      .catch((e: Error) => {
        throw new RunError(e.message.replace(/^the peer reports: /, 'the peer rejected this run: '));
      });
    result.peer = welcome.host as HostInfo;
    result.pair_layout = cfg.layout ?? threadLayout(cfg, result, Number(welcome.pid));
    cfg.writer?.write(result);
    const offer = await control.expect('offer', cfg.timeoutMs, 'the transport offer');
    const transport = TRANSPORT_REGISTRY[o.transport];
    const ctx = {
      pairs: o.pairs,
      timeoutMs: cfg.timeoutMs,
      localAddress: plainAddress(control.socket.localAddress),
      remoteAddress: plainAddress(control.socket.remoteAddress),
      verbs: o.verbs,
      maxMessage: Math.max(4, ...o.sizes),
    };
    endpoints = await transport.join(offer.info as Record<string, unknown>, ctx).catch((e: Error) => {
      // the server waits for `attached`: it is told why there will be none (verbs: MTU mismatch)
      control.send({ type: 'error', message: `the client could not set up ${o.transport}: ${e.message}` });
      throw e;
    });
    control.send({ type: 'attached', ...(transport.reply ? { info: transport.reply(endpoints, ctx) } : {}) });
    result.device = transport.device?.(endpoints) ?? null;
    const pages = o.verbs?.region ? regionPages(endpoints) : null;
    if (o.verbs?.region && pages)
      result.region = {
        bytes: o.verbs.region.bytes,
        stride_bytes: o.verbs.region.stride,
        page_bytes: pages.pageBytes,
        small_pages: pages.smallPages,
        messages: o.verbs.region.messages,
      };
    // verbs: this side's threads on its HCA's NUMA node (the server pins its own, and says where)
    let localCpus = cfg.pairCpus?.local ?? pinList(cfg.cpus[0], o.pairs);
    if (o.verbs?.pin === 'numa' && result.device && !cfg.hooks) {
      const plan = planNumaPin(readNumaFacts(sysfsRoot(), result.device.name), o.pairs, 'client');
      localCpus = plan.cpus.map((c) => c ?? -1);
      result.placement = {
        relation: 'numa',
        cpus: [plan.cpus[0], null],
        numa: { this_side: plan, peer: null },
      };
      cfg.io.stderr(
        plan.cpus[0] === null
          ? `ibvf probe: ${plan.evidence}\n`
          : `ibvf probe: pinned to CPU ${[...new Set(plan.cpus)].join(',')} on ${result.device.name}'s NUMA node ` +
              `${plan.node} (the peer pins on its own HCA's node; --no-pin or --cpus A,B to change)\n`,
      );
    }
    if (result.device?.test_double)
      cfg.io.stderr(
        `ibvf probe: ${result.device.library} is the ibvf test double, not an HCA: these numbers check the probe, they measure nothing\n`,
      );
    cfg.writer?.write(result);
    bar = startProgressBar(cfg.io, 'probe', total);
    let done = 0;
    let printedStream = false;
    let printedPrtt = false;
    let printedOverheads = false;
    const prtt1: Map<string, number> = new Map();
    for (const [k, step] of steps.entries()) {
      if (cfg.stop.reason) throw new RunError(cfg.stop.reason);
      const spec = jobSpec(step, cfg, prtt1);
      control.send({
        type: 'job',
        spec: { ...spec, cpus: cfg.pairCpus?.peer ?? pinList(cfg.cpus[1], o.pairs) },
      });
      await control.expect('started', cfg.timeoutMs, 'the peer to start a measurement');
      if (cfg.hooks) spec.delayNs = await cfg.hooks.ready(k, spec.delayNs ?? 0);
      if (cfg.stop.reason) throw new RunError(cfg.stop.reason);
      const label = `${step.kind} ${step.mode}${step.window ? ` window ${step.window}` : ''}${step.region ? ` region ${step.region} B` : ''}`;
      const local = await addon.runJob(endpoints, { ...spec, active: true, cpus: localCpus }, (d) =>
        bar?.update(done + d, label),
      );
      const finished = await control.expect('done', cfg.timeoutMs, 'the peer to finish a measurement');
      if (result.placement.numa) notePinned(result, local, finished.numa);
      const pairs = cfg.hooks ? await cfg.hooks.gather(k, local) : local;
      done += stepWork(step) * o.pairs;
      const text = record(result, step, spec, pairs, prtt1);
      if (cfg.tables) {
        if (step.overheads) {
          if (!printedOverheads) cfg.io.stdout(overheadHeader(o.verbs?.op ?? 'send'));
          printedOverheads = true;
        } else if (step.kind === 'stream' && !printedStream) {
          cfg.io.stdout(streamHeader(o.transport));
          printedStream = true;
        }
        if (step.kind === 'prtt' && !printedPrtt) {
          cfg.io.stdout(prttHeader(o.transport));
          printedPrtt = true;
        }
        cfg.io.stdout(text);
      }
      cfg.writer?.write(result);
    }
    control.send({ type: 'bye' });
    bar?.stop();
    result.partial = false;
    result.finished = new Date().toISOString();
    result.warnings = disturbances(result, load);
    if (cfg.tables) cfg.io.stdout(warningsText(result.warnings));
    if (result.warnings.length > 0 && cfg.reports !== false) {
      const n = result.warnings.length;
      cfg.io.stderr(
        `ibvf probe: the measurement looks disturbed (${n} warning${n > 1 ? 's' : ''}` +
          `${cfg.tables ? ' under the tables' : ''}; "warnings" in the result)\n`,
      );
    }
    cfg.writer?.write(result);
    return result;
  } catch (e) {
    bar?.stop();
    const reason = errorText(e, control, cfg.stop);
    result.partial = true;
    result.stopped = reason;
    result.warnings = disturbances(result, load);
    if (!cfg.writer) throw new RunError(reason);
    cfg.writer.write(result);
    throw new RunError(`${reason}; partial results kept in ${cfg.writer.path}`);
  } finally {
    endpoints.forEach((e) => e.close());
    control.close();
  }
}

/** Threads mode: every pair runs between this process (the sender) and the peer. */
function threadLayout(cfg: RunConfig, result: ProbeResult, peerPid: number): PairLayout {
  const r = cfg.ranks ?? { launcher: null, sender: null, receiver: null };
  return {
    by: 'threads',
    launcher: r.launcher,
    pairs: Array.from({ length: cfg.options.pairs }, (_, pair) => ({
      pair,
      sender: { rank: r.sender, host: result.host.name, pid: process.pid },
      receiver: {
        rank: r.receiver,
        host: result.peer?.name ?? '?',
        pid: Number.isInteger(peerPid) ? peerPid : 0,
      },
    })),
  };
}

function pinList(cpu: number | null, pairs: number): number[] {
  return Array.from({ length: pairs }, () => cpu ?? -1);
}

function jobSpec(step: Step, cfg: RunConfig, prtt1: Map<string, number>): Omit<JobSpec, 'active'> {
  let delayNs = 0;
  if (step.kind === 'prtt' && step.delay === 'auto') {
    const base = prtt1.get(`${step.mode}:${step.sizes[0]}`) ?? 1;
    delayNs = Math.max(1, base * PRTT_DELAY_FACTOR) * 1000;
  } else if (typeof step.delay === 'number') {
    delayNs = step.delay * 1000;
  }
  return {
    kind: step.kind,
    mode: step.mode,
    sizes: step.sizes,
    iterations: step.iterations,
    warmup: step.warmup,
    window: step.window ?? 1,
    n: step.n ?? 1,
    delayNs,
    idleTimeoutMs: cfg.timeoutMs,
    ...(step.overheads ? { overheads: true } : {}),
    ...(step.region ? { region: step.region } : {}),
  };
}

/** Adds one step's results to the result; returns the table text for it. */
function record(
  result: ProbeResult,
  step: Step,
  spec: Omit<JobSpec, 'active'>,
  pairs: NativePairResult[],
  prtt1: Map<string, number>,
): string {
  let text = '';
  if (step.overheads) {
    pairs.forEach((p, pair) =>
      p.sizes.forEach((s) => {
        const run = overheadRun(step, spec, pair, s);
        if (!run) return;
        result.overheads = [...(result.overheads ?? []), run];
        text += overheadRow(run);
      }),
    );
  } else if (step.kind === 'pingpong') {
    pairs.forEach((p, pair) => {
      const run = {
        mode: step.mode,
        pair,
        cpu: p.pinned ? p.cpu : null,
        sizes: p.sizes.map((s) => ({
          bytes: s.bytes,
          iterations: s.iterations,
          ...summarize(s.samplesUs),
          samples_us: roundSamples(s.samplesUs),
        })),
      };
      // --region sweeps are kept apart: the path's own latency fit never sees them
      if (step.region)
        result.region_latency = [...(result.region_latency ?? []), { ...run, region_bytes: step.region }];
      else result.latency.push(run);
      const label =
        (result.transport === 'verbs' ? `verbs ${result.op}` : result.transport) +
        (step.region ? `, region ${step.region} B` : '');
      text += latencyTable(run, label, pairs.length, result.latency_kind);
    });
  } else if (step.kind === 'stream') {
    step.sizes.forEach((bytes, k) => {
      const perPair = pairs.map((p, pair) => {
        const s = p.sizes[k];
        const rate = s.messages / s.seconds;
        return {
          pair,
          messages: s.messages,
          seconds: s.seconds,
          msg_rate: rate,
          bandwidth_MBps: (rate * bytes) / 1e6,
          cpu_us_per_post: (s.cpuSeconds / s.messages) * 1e6,
          gap_us: (s.seconds / s.messages) * 1e6,
        };
      });
      const run: StreamRun = {
        mode: step.mode,
        bytes,
        window: spec.window ?? 1,
        pairs: pairs.length,
        per_pair: perPair,
        aggregate: {
          msg_rate: perPair.reduce((a, p) => a + p.msg_rate, 0),
          bandwidth_MBps: perPair.reduce((a, p) => a + p.bandwidth_MBps, 0),
        },
      };
      result.streaming.push(run);
      text += streamRow(run);
    });
  } else {
    pairs.forEach((p, pair) => {
      const s = p.sizes[0];
      const stats = summarize(s.samplesUs);
      if (pair === 0 && spec.n === 1 && spec.delayNs === 0)
        prtt1.set(`${step.mode}:${s.bytes}`, stats.median_us);
      const run = {
        mode: step.mode,
        pair,
        bytes: s.bytes,
        n: spec.n ?? 1,
        d_us: (spec.delayNs ?? 0) / 1000,
        iterations: s.iterations,
        ...stats,
        samples_us: roundSamples(s.samplesUs),
      };
      result.prtt.push(run);
      text += prttRow(run);
    });
  }
  return text;
}

function callCost(samples: Float64Array | undefined): CallCost | null {
  if (!samples || samples.length === 0) return null;
  return { count: samples.length, ...summarize(samples) };
}

/** One size of an overhead step (null when the channel timed nothing: not verbs). */
function overheadRun(
  step: Step,
  spec: Omit<JobSpec, 'active'>,
  pair: number,
  s: NativeSizeResult,
): OverheadRun | null {
  const post = callCost(s.postUs);
  if (!post) return null;
  return {
    mode: step.mode,
    pair,
    bytes: s.bytes,
    during: step.kind === 'stream' ? 'stream' : 'pingpong',
    window: step.kind === 'stream' ? (spec.window ?? 1) : 1,
    o_send: post,
    o_recv: callCost(s.recvUs),
  };
}

/**
 * NUMA pinning as it happened: a CPU the addon could not pin to becomes null, and the
 * server's plan (in its `done`, with its own pinned flags applied) is the peer's.
 */
function notePinned(result: ProbeResult, local: NativePairResult[], peer: unknown): void {
  const numa = result.placement.numa!;
  numa.this_side.cpus = numa.this_side.cpus.map((c, i) => (local[i]?.pinned ? c : null));
  const p = peer as Static<typeof NumaPinResult> | undefined;
  if (p && typeof p === 'object' && Array.isArray(p.cpus)) numa.peer = p;
  result.placement.cpus = [numa.this_side.cpus[0] ?? null, numa.peer?.cpus[0] ?? null];
}
