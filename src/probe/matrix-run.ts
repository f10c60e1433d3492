/**
 * `ibvf probe run --matrix` under a launcher: every rank pair (or a seeded sample) is
 * measured in turn, one pair at a time, with the ordinary two-process session, and rank 0
 * writes one `ibvf.probe-matrix/1` file. Rank 0 coordinates over the framed TCP protocol:
 *
 *   every rank -> rank 0   join {token, rank, size, options, matrix: true, info (MatrixRank)}
 *   rank 0 -> rank b       serve {step}               b starts `probe serve --once`
 *   rank b -> rank 0       listening {step, host, port}
 *   rank 0 -> rank a       measure {step, host, port} (or rank 0 runs the pair itself)
 *   rank a -> rank 0       measured {step, latency, streaming} (summaries, no samples)
 *   rank b -> rank 0       served {step}              b is free for the next pair
 *   either -> rank 0       failed {step, message}     the run stops, the file is partial
 *   rank 0 -> every rank   end (or error {message})
 *
 * One pair at a time, so that no pair's numbers carry another's load: the matrix is meant
 * to compare links, not to load them (`--pairs` across processes does that).
 */
import net from 'node:net';
import { resolve } from 'node:path';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { Type } from '@sinclair/typebox';
import { RunError } from '../errors.js';
import type { OutputStreams } from '../io.js';
import { connectControl, Control, type Message } from './control.js';
import { sameToken, type AgreedOptions } from './handshake.js';
import { hostInfo } from './hostinfo.js';
import { advertisedAddress, type Launcher } from './launcher.js';
import { buildMatrix, cellDefinition, matrixPair, type MatrixHead } from './matrix-build.js';
import { planPairs, type RankPair } from './matrix-plan.js';
import { type MatrixPair, type MatrixRank, type ProbeMatrix } from './matrix-result.js';
import { matrixSummary, pairHeader, pairRow, ranksTable } from './matrix-table.js';
import { loadAddon } from './native.js';
import { mismatch } from './process-pairs.js';
import { LatencyRun, StreamRun, type ProbeResult } from './result.js';
import { runSession, type RunConfig } from './run-session.js';
import { awaitRendezvous, publishRendezvous, removeRendezvous, rendezvousPath } from './rendezvous.js';
import { plainAddress } from './serve-session.js';
import { serveProbe } from './serve.js';
import { handleStopSignals } from './stop-signals.js';
import { planSuite, type Suite } from './suites.js';
import { listDevices } from './verbs/devices.js';
import { ResultWriter } from './writer.js';

export interface MatrixConfig {
  launcher: Launcher;
  /** The options every rank agrees on (pairs = 1: one pair of processes at a time). */
  options: AgreedOptions;
  token: string;
  timeoutMs: number;
  bind?: string;
  envPeer?: { host: string; port: number };
  rendezvousDir: string;
  out: string | undefined;
  json: boolean;
  /** --sample K (undefined: every pair) and --seed. */
  sample?: number;
  seed: number;
  env: Record<string, string | undefined>;
}

/** Sessions of single pairs print nothing of their own: rank 0 prints the matrix rows. */
const quiet: OutputStreams = { stdout: () => undefined, stderr: () => undefined, stderrIsTTY: false };

const checkSummary = TypeCompiler.Compile(
  Type.Object({ latency: Type.Array(LatencyRun), streaming: Type.Array(StreamRun) }),
);

/** This rank as the matrix lists it: host, and the RDMA function its messages pass through. */
export function rankInfo(cfg: Pick<MatrixConfig, 'launcher' | 'options' | 'env'>): MatrixRank {
  const host = hostInfo(loadAddon().cpuInfo());
  const base = { rank: cfg.launcher.rank, host, pid: process.pid };
  if (cfg.options.transport !== 'verbs')
    return {
      ...base,
      function: 'none',
      function_evidence: `transport ${cfg.options.transport}: no RDMA function on the path`,
      device: null,
      test_double: false,
    };
  const report = listDevices(cfg.env);
  const want = cfg.options.verbs?.device;
  const dev = want === undefined ? report.devices[0] : report.devices.find((d) => d.name === want);
  return {
    ...base,
    function: dev?.function ?? 'unknown',
    function_evidence: dev
      ? dev.function_evidence
      : `no device ${want ?? ''} listed (${report.why ?? 'none'})`,
    device: dev?.name ?? null,
    test_double: report.test_double,
  };
}

/** The streamed size and window the bandwidth cell reads: the largest of each in the plan. */
function streamedCell(o: AgreedOptions): { bytes: number; window: number } | null {
  if ((o.verbs?.op ?? 'send') !== 'send') return null;
  const steps = planSuite(o.suite as Suite, o.sizes, o.progress as ('poll' | 'event')[], o.iterations).filter(
    (s) => s.kind === 'stream' && s.mode === o.progress[0],
  );
  if (steps.length === 0) return null;
  return {
    bytes: Math.max(...steps.flatMap((s) => s.sizes)),
    window: Math.max(...steps.map((s) => s.window ?? 1)),
  };
}

/** Runs this rank's part; returns the matrix on rank 0 (which writes it), undefined elsewhere. */
export async function runMatrix(cfg: MatrixConfig, io: OutputStreams): Promise<ProbeMatrix | undefined> {
  const plan = planPairs(cfg.launcher.size, cfg.sample, cfg.seed);
  const file = rendezvousPath(cfg.rendezvousDir, cfg.launcher.jobKey);
  if (cfg.launcher.rank === 0) return coordinate(cfg, plan, io);
  const at = cfg.envPeer ?? (await awaitRendezvous(file, cfg.timeoutMs));
  const coord = await connectControl(at.host, at.port, cfg.timeoutMs).catch((e: Error) => {
    throw new RunError(`rank ${cfg.launcher.rank}: ${e.message.replace(/the peer/, 'rank 0')}`);
  });
  try {
    await follow(cfg, coord, io);
    return undefined;
  } finally {
    coord.close();
  }
}

/** One pair's measurement from the timing side: a session with the peer rank, cut to summaries. */
async function measurePair(
  cfg: MatrixConfig,
  at: { host: string; port: number },
  pair: RankPair,
  stop: RunConfig['stop'],
): Promise<Pick<ProbeResult, 'latency' | 'streaming'>> {
  const control = await connectControl(at.host, at.port, cfg.timeoutMs);
  const r = await runSession(control, {
    options: cfg.options,
    token: cfg.token,
    timeoutMs: cfg.timeoutMs,
    cpus: [null, null],
    relation: 'unpinned',
    pairing: `launcher ${cfg.launcher.kind} matrix pair ${pair[0]}-${pair[1]}`,
    io: quiet,
    tables: false,
    stop,
    reports: false,
  });
  return { latency: r.latency, streaming: r.streaming };
}

/** A rank other than 0: serves or measures each pair rank 0 names, until the end. */
async function follow(cfg: MatrixConfig, coord: Control, io: OutputStreams): Promise<void> {
  const { rank, size } = cfg.launcher;
  coord.send({
    type: 'join',
    token: cfg.token,
    rank,
    size,
    options: cfg.options,
    matrix: true,
    info: rankInfo(cfg),
  });
  const stop: RunConfig['stop'] = {};
  const lost = new Promise<never>((_, reject) => coord.onLost(reject));
  lost.catch(() => undefined);
  coord.onLost(() => {
    stop.reason ??= 'lost the connection to rank 0 (did it stop or crash?)';
    stop.cancel?.();
  });
  const removeSignals = handleStopSignals(
    {
      interrupt(reason) {
        stop.reason = reason;
        stop.cancel?.();
      },
      force: () => undefined,
    },
    io,
  );
  try {
    for (;;) {
      const m = await coord.next(0, 'rank 0').catch(() => {
        throw new RunError('lost the connection to rank 0 (did it stop or crash?)');
      });
      if (m.type === 'end') return;
      if (m.type === 'error') throw new RunError(String(m.message));
      const step = m.step;
      try {
        if (m.type === 'serve') {
          const host =
            cfg.bind && cfg.bind !== '0.0.0.0' && cfg.bind !== '::'
              ? cfg.bind
              : plainAddress(coord.socket.localAddress);
          await serveProbe(
            {
              host: cfg.bind ?? '0.0.0.0',
              port: 0,
              once: true,
              token: cfg.token,
              constraints: cfg.options,
              timeoutMs: cfg.timeoutMs,
              onListening: (port) => coord.send({ type: 'listening', step, host, port }),
              watch: lost,
            },
            quiet,
          );
          coord.send({ type: 'served', step });
        } else if (m.type === 'measure') {
          const pair: RankPair = [rank, Number(m.b)];
          const r = await measurePair(cfg, { host: String(m.host), port: Number(m.port) }, pair, stop);
          coord.send({ type: 'measured', step, ...summaries(r) });
        } else {
          throw new RunError(`protocol error: rank 0 sent ${m.type}`);
        }
      } catch (e) {
        coord.send({ type: 'failed', step, message: (e as Error).message });
        throw e;
      }
    }
  } finally {
    removeSignals();
  }
}

/** Latency runs without their samples (N ranks have N(N-1)/2 pairs), and streaming per run. */
function summaries(
  r: Pick<ProbeResult, 'latency' | 'streaming'>,
): Pick<ProbeResult, 'latency' | 'streaming'> {
  return {
    latency: r.latency.map((run) => ({
      ...run,
      sizes: run.sizes.map((p) => ({ ...p, samples_us: [] })),
    })),
    streaming: r.streaming,
  };
}

interface Member {
  control: Control;
  info: MatrixRank;
}

/** Rank 0: takes every rank's join, or fails naming who is missing or who disagrees. */
function gatherJoins(server: net.Server, cfg: MatrixConfig, onLost: (reason: string) => void) {
  const { size } = cfg.launcher;
  const members = new Map<number, Member>();
  return new Promise<Map<number, Member>>((resolveAll, reject) => {
    const timer = setTimeout(() => {
      const missing = [];
      for (let r = 1; r < size; r++) if (!members.has(r)) missing.push(r);
      reject(
        new RunError(
          `rank${missing.length > 1 ? 's' : ''} ${missing.join(', ')} did not join rank 0 within ` +
            `${cfg.timeoutMs / 1000} s (raise --timeout? is the rendezvous directory shared?)`,
        ),
      );
    }, cfg.timeoutMs);
    server.on('connection', (socket) => {
      const c = new Control(socket);
      c.next(cfg.timeoutMs, 'a join').then(
        (m: Message) => {
          const turnAway = (reason: string) => {
            c.send({ type: 'reject', message: reason });
            c.socket.end();
          };
          if (m.type !== 'join' || typeof m.token !== 'string' || !sameToken(m.token, cfg.token))
            return turnAway('wrong token: the ranks must share the same --token (or IBVF_TOKEN)');
          const rank = m.rank;
          let problem: string | undefined;
          if (m.size !== size)
            problem = `rank ${String(rank)} sees ${String(m.size)} ranks, rank 0 sees ${size}`;
          else if (typeof rank !== 'number' || !Number.isInteger(rank) || rank < 1 || rank >= size)
            problem = `a rank says it is rank ${String(rank)} of ${size}`;
          else if (members.has(rank)) problem = `two processes say they are rank ${rank}`;
          else if (m.matrix !== true)
            problem = `rank ${rank} was started without --matrix: every rank needs the same options`;
          else problem = mismatch(cfg.options, m.options, rank);
          if (problem) {
            turnAway(problem);
            clearTimeout(timer);
            reject(new RunError(problem));
            return;
          }
          members.set(rank as number, { control: c, info: m.info as MatrixRank });
          c.onLost(() => onLost(`rank ${String(rank)} left the run before the end (did it stop or crash?)`));
          if (members.size === size - 1) {
            clearTimeout(timer);
            resolveAll(members);
          }
        },
        () => c.close(),
      );
    });
  });
}

async function listen(cfg: MatrixConfig): Promise<net.Server> {
  const server = net.createServer();
  const host = cfg.bind ?? '0.0.0.0';
  const port = cfg.envPeer?.port ?? 0;
  await new Promise<void>((ok, fail) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      fail(new RunError(`rank 0: cannot listen on ${host}:${port}: ${e.message}`)),
    );
    server.listen(port, host, () => ok());
  });
  return server;
}

/** Rank 0: pairs every planned pair in turn, measures its own, and writes the file after each. */
async function coordinate(cfg: MatrixConfig, plan: RankPair[], io: OutputStreams): Promise<ProbeMatrix> {
  const { size, kind } = cfg.launcher;
  const server = await listen(cfg);
  const port = (server.address() as net.AddressInfo).port;
  const file = rendezvousPath(cfg.rendezvousDir, cfg.launcher.jobKey);
  io.stderr(
    `ibvf probe: rank 0 of ${size} waiting for the other ranks on port ${port} ` +
      `(matrix: ${plan.length} pair${plan.length > 1 ? 's' : ''}, one at a time)\n`,
  );
  if (!cfg.envPeer) publishRendezvous(file, advertisedAddress(cfg.bind), port, cfg.launcher.jobKey);
  const stop: RunConfig['stop'] = {};
  let stopped!: (e: RunError) => void;
  const halted = new Promise<never>((_, reject) => (stopped = reject));
  halted.catch(() => undefined);
  let over = false;
  const halt = (reason: string) => {
    if (over) return;
    stop.reason ??= reason;
    stop.cancel?.();
    stopped(new RunError(stop.reason));
  };
  const writer = cfg.out === undefined ? undefined : new ResultWriter<ProbeMatrix>(resolve(cfg.out));
  let members = new Map<number, Member>();
  const finish = (reason?: string) => {
    over = true;
    server.close();
    for (const m of members.values()) {
      m.control.send(
        reason ? { type: 'error', message: `rank 0 stopped the run: ${reason}` } : { type: 'end' },
      );
      m.control.socket.end();
      setTimeout(() => m.control.socket.destroy(), 5000).unref();
    }
  };
  const removeSignals = handleStopSignals(
    {
      interrupt: halt,
      force(reason) {
        if (!cfg.envPeer) removeRendezvous(file);
        finish(reason);
        return writer?.stopNow(reason);
      },
    },
    io,
  );
  const o = cfg.options;
  let head: MatrixHead | undefined;
  const pairs: MatrixPair[] = [];
  try {
    members = await Promise.race([gatherJoins(server, cfg, halt), halted]);
    if (!cfg.envPeer) removeRendezvous(file);
    const ranks = [
      rankInfo(cfg),
      ...[...members.entries()].sort((x, y) => x[0] - y[0]).map(([, m]) => m.info),
    ];
    const cells = cellDefinition(o.sizes, o.progress as ('poll' | 'event')[], streamedCell(o));
    head = {
      time: new Date().toISOString(),
      launcher: kind,
      transport: o.transport as ProbeMatrix['transport'],
      op: o.verbs?.op ?? 'send',
      options: {
        suite: o.suite as Suite,
        progress: o.progress as ('poll' | 'event')[],
        sizes: o.sizes,
        iterations: o.iterations,
        timeout_s: cfg.timeoutMs / 1000,
      },
      sample:
        cfg.sample === undefined ? null : { pairs: plan.length, of: (size * (size - 1)) / 2, seed: cfg.seed },
      ranks,
      planned: plan,
      cells,
    };
    writer?.write(buildMatrix(head, pairs));
    if (ranks.some((r) => r.test_double))
      io.stderr(
        'ibvf probe: measured through the ibvf test double, not an HCA: these numbers measure nothing\n',
      );
    if (!cfg.json) io.stdout(ranksTable({ ranks }) + '\n' + pairHeader(cells));
    const wait = <T>(p: Promise<T>) => Promise.race([p, halted]);
    const reply = async (rank: number, type: string, step: number, what: string) => {
      const m = await wait(members.get(rank)!.control.next(0, what));
      if (m.type === 'failed')
        throw new RunError(`pair ${plan[step].join('-')}: rank ${rank}: ${String(m.message)}`);
      if (m.type !== type || m.step !== step)
        throw new RunError(
          `protocol error: rank ${rank} sent ${m.type} of step ${String(m.step)}, not ${type} of ${step}`,
        );
      return m;
    };
    for (const [step, [a, b]] of plan.entries()) {
      if (stop.reason) throw new RunError(stop.reason);
      members.get(b)!.control.send({ type: 'serve', step });
      const l = await reply(b, 'listening', step, `rank ${b} to listen`);
      const at = { host: String(l.host), port: Number(l.port) };
      let measured: Pick<ProbeResult, 'latency' | 'streaming'>;
      if (a === 0) {
        measured = await wait(measurePair(cfg, at, [a, b], stop));
      } else {
        members.get(a)!.control.send({ type: 'measure', step, b, ...at });
        const m = await reply(a, 'measured', step, `rank ${a}'s results of pair ${a}-${b}`);
        if (!checkSummary.Check({ latency: m.latency, streaming: m.streaming }))
          throw new RunError(
            `protocol error: rank ${a} sent results of pair ${a}-${b} that do not read as ibvf.probe/1 runs`,
          );
        measured = m as unknown as Pick<ProbeResult, 'latency' | 'streaming'>;
      }
      await reply(b, 'served', step, `rank ${b} to finish serving`);
      const pair = matrixPair([a, b], ranks, measured, cells);
      pairs.push(pair);
      writer?.write(buildMatrix(head, pairs));
      if (!cfg.json) io.stdout(pairRow(pair));
    }
    const result = buildMatrix(head, pairs);
    writer?.write(result);
    finish();
    if (cfg.json) io.stdout(JSON.stringify(result) + '\n');
    else io.stdout(matrixSummary(result));
    if (result.outliers.length > 0)
      io.stderr(
        `ibvf probe: ${result.outliers.length} outlying pair measurement(s) flagged ("outliers" in the result)\n`,
      );
    if (writer) io.stderr(`ibvf probe: results in ${writer.path}\nnext: ibvf calibrate ${writer.path}\n`);
    return result;
  } catch (e) {
    const reason = stop.reason ?? (e as Error).message;
    finish(reason);
    if (head && writer) {
      writer.write(buildMatrix(head, pairs, reason));
      throw new RunError(`${reason}; partial results kept in ${writer.path}`);
    }
    throw new RunError(reason);
  } finally {
    removeSignals();
    if (!cfg.envPeer) removeRendezvous(file);
  }
}
