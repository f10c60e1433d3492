/**
 * Process pairs under a launcher, as osu_mbw_mr: with 2N ranks, rank i (i < N) is the
 * sender of pair i and rank i + N its receiver. Rank 0 also coordinates, over the
 * same framed TCP protocol as a pair's control connection:
 *
 *   every rank -> rank 0   join {token, rank, size, options, host, pid, address (receivers)}
 *   rank 0 -> sender i     partner {host, port}          (receiver i + N's `probe serve`)
 *   sender i -> rank 0     ready {step}                   (its receiver has started step k)
 *   rank 0 -> senders      go {step, delayNs}             (all at once: the barrier)
 *   sender i -> rank 0     result {step, ...}, samples {step, size, samples}...
 *   rank 0 -> every rank   end (or error {message}: stop)
 *
 * Each pair runs the ordinary client/server session (one pair per session); the
 * barrier sits between the receiver's `started` and the sender's measurement, so all
 * senders start each measurement together and really contend. Rank 0 gathers every
 * pair's results of each step and records them (per pair and aggregate) in one file.
 */
import net from 'node:net';
import { resolve } from 'node:path';
import { RunError, UsageError } from '../errors.js';
import type { OutputStreams } from '../io.js';
import { connectControl, Control, type Message } from './control.js';
import { AGREED_KEYS, FLAG, sameToken, show, type AgreedOptions } from './handshake.js';
import { hostInfo } from './hostinfo.js';
import { advertisedAddress, type Launcher } from './launcher.js';
import { loadAddon, type NativePairResult } from './native.js';
import type { PairLayout, ProbeResult } from './result.js';
import { awaitRendezvous, publishRendezvous, removeRendezvous, rendezvousPath } from './rendezvous.js';
import { runSession, type PairHooks, type RunConfig } from './run-session.js';
import { plainAddress } from './serve-session.js';
import { serveProbe } from './serve.js';
import { handleStopSignals } from './stop-signals.js';
import { ResultWriter } from './writer.js';

/** Samples per `samples` frame: at most 24 JSON characters each, well under MAX_PAYLOAD. */
const CHUNK = 16384;

export interface ProcessPairsConfig {
  launcher: Launcher;
  /** The options every rank must agree on (pairs = the number of process pairs). */
  options: AgreedOptions;
  token: string;
  timeoutMs: number;
  bind?: string;
  /** IBVF_PEER: rank 0's coordinator address instead of the rendezvous file. */
  envPeer?: { host: string; port: number };
  rendezvousDir: string;
  /** The result file; none with --json and no --out (the result goes to stdout only). */
  out: string | undefined;
  json: boolean;
}

/** Which pair a rank belongs to and its side: rank i < N sends to rank i + N. */
export function pairOf(
  rank: number,
  size: number,
): { pair: number; role: 'sender' | 'receiver'; partner: number } {
  const n = size / 2;
  return rank < n
    ? { pair: rank, role: 'sender', partner: rank + n }
    : { pair: rank - n, role: 'receiver', partner: rank - n };
}

/** Runs this rank's part; returns the result on rank 0 (which writes it), undefined elsewhere. */
export async function runProcessPairs(
  cfg: ProcessPairsConfig,
  io: OutputStreams,
): Promise<ProbeResult | undefined> {
  const { rank, size } = cfg.launcher;
  if (rank === 0) return coordinate(cfg, io);
  const file = rendezvousPath(cfg.rendezvousDir, cfg.launcher.jobKey);
  const at = cfg.envPeer ?? (await awaitRendezvous(file, cfg.timeoutMs));
  const coord = await connectControl(at.host, at.port, cfg.timeoutMs).catch((e: Error) => {
    throw new RunError(`rank ${rank}: ${e.message.replace(/the peer/, 'rank 0')}`);
  });
  try {
    return pairOf(rank, size).role === 'receiver'
      ? await receive(cfg, coord, io)
      : await send(cfg, coord, io);
  } finally {
    coord.close();
  }
}

/** Waits for a message from rank 0, naming rank 0 (not "the peer") when it fails. */
async function fromRank0(coord: Control, type: string, timeoutMs: number, what: string): Promise<Message> {
  try {
    return await coord.expect(type, timeoutMs, what);
  } catch (e) {
    const text = (e as Error).message
      .replace(/^the peer reports: /, '')
      .replace(/^the peer closed the connection.*$/, 'lost the connection to rank 0 (did it stop or crash?)');
    throw new RunError(text);
  }
}

function joinMessage(cfg: ProcessPairsConfig, address?: { host: string; port: number }): Message {
  return {
    type: 'join',
    token: cfg.token,
    rank: cfg.launcher.rank,
    size: cfg.launcher.size,
    options: cfg.options,
    host: hostInfo(loadAddon().cpuInfo()).name,
    pid: process.pid,
    ...(address ? { address } : {}),
  };
}

/** A receiver rank: `probe serve --once` for its sender, announced to rank 0. */
async function receive(cfg: ProcessPairsConfig, coord: Control, io: OutputStreams): Promise<undefined> {
  const bind = cfg.bind ?? '0.0.0.0';
  const host =
    cfg.bind && cfg.bind !== '0.0.0.0' && cfg.bind !== '::'
      ? cfg.bind
      : plainAddress(coord.socket.localAddress);
  const ended = fromRank0(coord, 'end', 0, 'rank 0 to end the run');
  ended.catch(() => undefined);
  await serveProbe(
    {
      host: bind,
      port: 0,
      once: true,
      token: cfg.token,
      constraints: { ...cfg.options, pairs: 1 },
      timeoutMs: cfg.timeoutMs,
      onListening: (port) => coord.send(joinMessage(cfg, { host, port })),
      watch: ended,
    },
    io,
  );
  await ended;
  return undefined;
}

/** A sender rank other than 0: runs its pair, with rank 0's barrier, and sends it the results. */
async function send(cfg: ProcessPairsConfig, coord: Control, io: OutputStreams): Promise<undefined> {
  const { rank, size } = cfg.launcher;
  coord.send(joinMessage(cfg));
  const partner = await fromRank0(coord, 'partner', cfg.timeoutMs, 'rank 0 to pair the ranks');
  const stop: RunConfig['stop'] = {};
  let over = false;
  coord.onLost(() => {
    if (over) return;
    stop.reason ??= 'lost the connection to rank 0 (did it stop or crash?)';
    stop.cancel?.();
  });
  // Forced (SIGTERM, Ctrl-C twice): this rank just goes; rank 0 sees it leave and keeps the file.
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
    const control = await connectControl(String(partner.host), Number(partner.port), cfg.timeoutMs);
    const hooks: PairHooks = {
      async ready(step) {
        coord.send({ type: 'ready', step });
        const go = await fromRank0(coord, 'go', 0, `rank 0 to start step ${step}`);
        if (go.step !== step)
          throw new RunError(`protocol error: rank 0 started step ${String(go.step)}, not ${step}`);
        return Number(go.delayNs) || 0;
      },
      async gather(step, local) {
        sendResult(coord, step, local[0]);
        return local;
      },
    };
    await runSession(control, {
      options: { ...cfg.options, pairs: 1 },
      token: cfg.token,
      timeoutMs: cfg.timeoutMs,
      cpus: [null, null],
      relation: 'unpinned',
      pairing: `launcher ${cfg.launcher.kind} rank ${rank} of ${size}, sender of pair ${rank}`,
      io: { ...io, stderrIsTTY: false },
      tables: false,
      stop,
      hooks,
      reports: false,
    });
    await fromRank0(coord, 'end', 0, 'rank 0 to end the run');
    over = true;
    return undefined;
  } finally {
    over = true;
    removeSignals();
  }
}

/** The per-size sample lists a pair's result carries (overhead steps fill post and recv). */
const LISTS = ['samplesUs', 'postUs', 'recvUs'] as const;

function sendResult(coord: Control, step: number, r: NativePairResult): void {
  coord.send({
    type: 'result',
    step,
    cpu: r.cpu,
    pinned: r.pinned,
    sizes: r.sizes.map((s) => ({
      bytes: s.bytes,
      iterations: s.iterations,
      seconds: s.seconds,
      cpuSeconds: s.cpuSeconds,
      messages: s.messages,
      count: s.samplesUs.length,
      counts: LISTS.map((l) => s[l]?.length ?? 0),
    })),
  });
  r.sizes.forEach((s, size) => {
    for (const list of LISTS) {
      const v = s[list] ?? new Float64Array(0);
      for (let at = 0; at < v.length; at += CHUNK) {
        coord.send({ type: 'samples', step, size, list, samples: Array.from(v.subarray(at, at + CHUNK)) });
      }
    }
  });
}

async function receiveResult(c: Control, step: number, rank: number): Promise<NativePairResult> {
  const what = `rank ${rank}'s results of step ${step}`;
  const head = await c.expect('result', 0, what);
  if (head.step !== step || !Array.isArray(head.sizes))
    throw new RunError(`protocol error: rank ${rank} sent results of step ${String(head.step)}, not ${step}`);
  const sizes = [];
  for (const [k, raw] of (head.sizes as Record<string, unknown>[]).entries()) {
    const counts = Array.isArray(raw.counts) ? raw.counts : [raw.count, 0, 0];
    const lists: Float64Array[] = [];
    for (const [i, list] of LISTS.entries()) {
      const count = Number(counts[i]) || 0;
      const v = new Float64Array(count);
      let filled = 0;
      while (filled < count) {
        const m = await c.expect('samples', 0, what);
        if (
          m.step !== step ||
          m.size !== k ||
          (m.list ?? 'samplesUs') !== list ||
          !Array.isArray(m.samples) ||
          filled + m.samples.length > count
        )
          throw new RunError(`protocol error: rank ${rank} sent samples out of order`);
        v.set(m.samples as number[], filled);
        filled += m.samples.length;
      }
      lists.push(v);
    }
    sizes.push({
      bytes: Number(raw.bytes),
      iterations: Number(raw.iterations),
      seconds: Number(raw.seconds),
      cpuSeconds: Number(raw.cpuSeconds),
      messages: Number(raw.messages),
      samplesUs: lists[0],
      postUs: lists[1],
      recvUs: lists[2],
    });
  }
  return { cpu: Number(head.cpu), pinned: Boolean(head.pinned), sizes };
}

interface Member {
  rank: number;
  control: Control;
  host: string;
  pid: number;
  address?: { host: string; port: number };
}

/**
 * Rank 0's side of the coordination: takes the other ranks' joins, pairs them, and
 * serves as the barrier and the collector. Any rank lost before the end fails the run.
 */
class Coordinator {
  private readonly members = new Map<number, Member>();
  private readonly pending = new Set<Control>();
  private over = false;
  private failure: RunError | undefined;
  private failed!: Promise<never>;
  private fail!: (e: RunError) => void;
  private allJoined!: () => void;
  private readonly joinedAll: Promise<void>;
  private readonly lostHandlers: ((reason: string) => void)[] = [];

  private constructor(
    private readonly server: net.Server,
    private readonly cfg: ProcessPairsConfig,
  ) {
    this.failed = new Promise<never>((_, reject) => {
      this.fail = (e) => {
        if (this.failure || this.over) return;
        this.failure = e;
        reject(e);
        for (const h of this.lostHandlers) h(e.message);
      };
    });
    this.failed.catch(() => undefined);
    this.joinedAll = new Promise<void>((r) => (this.allJoined = r));
    server.on('connection', (socket) => this.accept(new Control(socket)));
  }

  static async listen(cfg: ProcessPairsConfig): Promise<Coordinator> {
    const server = net.createServer();
    const host = cfg.bind ?? '0.0.0.0';
    const port = cfg.envPeer?.port ?? 0;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) =>
        reject(
          new RunError(
            e.code === 'EADDRINUSE'
              ? `rank 0: port ${port} on ${host} is in use (IBVF_PEER names another port?)`
              : `rank 0: cannot listen on ${host}:${port}: ${e.message}`,
          ),
        ),
      );
      server.listen(port, host, () => resolve());
    });
    return new Coordinator(server, cfg);
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  /** Called once with the reason if a rank is lost (or misbehaves) before the end. */
  onLost(handler: (reason: string) => void): void {
    this.lostHandlers.push(handler);
  }

  private accept(c: Control): void {
    this.pending.add(c);
    c.next(this.cfg.timeoutMs, 'a join').then(
      (m) => this.join(c, m),
      () => {
        this.pending.delete(c);
        c.close();
      },
    );
  }

  private join(c: Control, m: Message): void {
    const { size } = this.cfg.launcher;
    const turnAway = (reason: string) => {
      c.send({ type: 'reject', message: reason });
      c.socket.end();
      this.pending.delete(c);
    };
    if (m.type !== 'join' || typeof m.token !== 'string' || !sameToken(m.token, this.cfg.token)) {
      // a stranger (or another job): turned away, the run goes on
      return turnAway('wrong token: the ranks must share the same --token (or IBVF_TOKEN)');
    }
    const rank = m.rank;
    let problem: string | undefined;
    if (m.size !== size) problem = `rank ${String(rank)} sees ${String(m.size)} ranks, rank 0 sees ${size}`;
    else if (typeof rank !== 'number' || !Number.isInteger(rank) || rank < 1 || rank >= size)
      problem = `a rank says it is rank ${String(rank)} of ${size}`;
    else if (this.members.has(rank)) problem = `two processes say they are rank ${rank}`;
    else problem = mismatch(this.cfg.options, m.options, rank);
    const role = typeof rank === 'number' ? pairOf(rank, size).role : 'sender';
    const address = m.address as { host?: unknown; port?: unknown } | undefined;
    if (
      !problem &&
      role === 'receiver' &&
      (typeof address?.host !== 'string' || typeof address.port !== 'number')
    ) {
      problem = `rank ${String(rank)} joined without the address of its receiver`;
    }
    if (problem) {
      turnAway(problem);
      this.fail(new RunError(problem));
      return;
    }
    this.pending.delete(c);
    const member: Member = {
      rank: rank as number,
      control: c,
      host: String(m.host),
      pid: Number(m.pid),
      address: role === 'receiver' ? { host: String(address!.host), port: Number(address!.port) } : undefined,
    };
    this.members.set(member.rank, member);
    c.onLost((e) =>
      this.fail(
        new RunError(
          /^the peer closed/.test(e.message)
            ? `rank ${member.rank} left the run before the end (did it stop or crash?)`
            : `rank ${member.rank} was lost before the end: ${e.message}`,
        ),
      ),
    );
    if (this.members.size === size - 1) this.allJoined();
  }

  /** Resolves when every other rank has joined; rejects after timeoutMs naming the missing ranks. */
  async joined(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const missing = [];
        for (let r = 1; r < this.cfg.launcher.size; r++) if (!this.members.has(r)) missing.push(r);
        reject(
          new RunError(
            `rank${missing.length > 1 ? 's' : ''} ${missing.join(', ')} did not join rank 0 within ` +
              `${this.cfg.timeoutMs / 1000} s (raise --timeout? is the rendezvous directory shared?)`,
          ),
        );
      }, this.cfg.timeoutMs);
    });
    try {
      await Promise.race([this.joinedAll, this.failed, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private senders(): Member[] {
    const n = this.cfg.launcher.size / 2;
    return [...this.members.values()].filter((m) => m.rank < n).sort((a, b) => a.rank - b.rank);
  }

  /** Tells each sender where its receiver listens; returns pair 0's receiver. */
  pairUp(): { host: string; port: number } {
    const n = this.cfg.launcher.size / 2;
    for (const s of this.senders())
      s.control.send({ type: 'partner', ...this.members.get(s.rank + n)!.address });
    return this.members.get(n)!.address!;
  }

  layout(self: string): PairLayout {
    const n = this.cfg.launcher.size / 2;
    const side = (rank: number) => {
      const m = this.members.get(rank);
      return m ? { rank, host: m.host, pid: m.pid } : { rank, host: self, pid: process.pid };
    };
    return {
      by: 'processes',
      launcher: this.cfg.launcher.kind,
      pairs: Array.from({ length: n }, (_, pair) => ({ pair, sender: side(pair), receiver: side(pair + n) })),
    };
  }

  hooks(): PairHooks {
    return {
      ready: async (step, delayNs) => {
        const senders = this.senders();
        await Promise.race([
          this.failed,
          Promise.all(
            senders.map(async (s) => {
              const m = await s.control.expect('ready', 0, `rank ${s.rank} to be ready`);
              if (m.step !== step)
                throw new RunError(
                  `protocol error: rank ${s.rank} is ready for step ${String(m.step)}, not ${step}`,
                );
            }),
          ),
        ]);
        for (const s of senders) s.control.send({ type: 'go', step, delayNs });
        return delayNs;
      },
      gather: async (step, local) => {
        const others = await Promise.race([
          this.failed,
          Promise.all(this.senders().map((s) => receiveResult(s.control, step, s.rank))),
        ]);
        return [local[0], ...others];
      },
    };
  }

  /** The run is over: every rank may go (or, with a reason, must stop). */
  finish(reason?: string): void {
    this.over = true;
    this.server.close();
    for (const c of this.pending) c.close();
    for (const m of this.members.values()) {
      m.control.send(
        reason ? { type: 'error', message: `rank 0 stopped the run: ${reason}` } : { type: 'end' },
      );
      m.control.socket.end();
      setTimeout(() => m.control.socket.destroy(), 5000).unref();
    }
  }
}

/** The first agreed option where a rank differs from rank 0, as a message. */
export function mismatch(mine: AgreedOptions, theirs: unknown, rank: number): string | undefined {
  if (typeof theirs !== 'object' || theirs === null) return `rank ${rank} joined without options`;
  const o = theirs as Record<string, unknown>;
  for (const key of AGREED_KEYS) {
    if (show(mine[key]) !== show(o[key])) {
      const v = (x: unknown) => (x === null || x === undefined ? 'unset' : show(x));
      return `option mismatch: ${FLAG[key]} is ${v(mine[key])} on rank 0 but ${v(o[key])} on rank ${rank}`;
    }
  }
  return undefined;
}

/** Rank 0: the coordinator, the sender of pair 0, and the writer of the one result file. */
async function coordinate(cfg: ProcessPairsConfig, io: OutputStreams): Promise<ProbeResult> {
  const { size, kind } = cfg.launcher;
  const n = size / 2;
  const coord = await Coordinator.listen(cfg);
  const file = rendezvousPath(cfg.rendezvousDir, cfg.launcher.jobKey);
  io.stderr(
    `ibvf probe: rank 0 of ${size} waiting for the other ranks on port ${coord.port} ` +
      `(${n} pairs: rank i sends to rank i+${n})\n`,
  );
  if (!cfg.envPeer) publishRendezvous(file, advertisedAddress(cfg.bind), coord.port, cfg.launcher.jobKey);
  const stop: RunConfig['stop'] = {};
  coord.onLost((reason) => {
    stop.reason ??= reason;
    stop.cancel?.();
  });
  const writer = cfg.out === undefined ? undefined : new ResultWriter(resolve(cfg.out));
  const removeSignals = handleStopSignals(
    {
      interrupt(reason) {
        stop.reason = reason;
        stop.cancel?.();
      },
      force(reason) {
        if (!cfg.envPeer) removeRendezvous(file);
        coord.finish(reason);
        return writer?.stopNow(reason);
      },
    },
    io,
  );
  try {
    await coord.joined();
    if (!cfg.envPeer) removeRendezvous(file);
    const partner = coord.pairUp();
    const self = hostInfo(loadAddon().cpuInfo()).name;
    const control = await connectControl(partner.host, partner.port, cfg.timeoutMs);
    const result = await runSession(control, {
      options: { ...cfg.options, pairs: 1 },
      token: cfg.token,
      timeoutMs: cfg.timeoutMs,
      cpus: [null, null],
      relation: 'unpinned',
      pairing: `launcher ${kind} rank 0 of ${size}: ${n} process pairs, rank i sends to rank i+${n}`,
      writer,
      io,
      tables: !cfg.json,
      stop,
      hooks: coord.hooks(),
      layout: coord.layout(self),
    });
    coord.finish();
    if (cfg.json) io.stdout(JSON.stringify(result) + '\n');
    if (writer) io.stderr(`ibvf probe: results in ${writer.path}\nnext: ibvf calibrate ${writer.path}\n`);
    return result;
  } catch (e) {
    coord.finish((e as Error).message);
    throw e;
  } finally {
    removeSignals();
    if (!cfg.envPeer) removeRendezvous(file);
  }
}

/** Checks a launcher's rank count and --pairs for process pairs; returns the number of pairs. */
export function processPairCount(size: number, pairs: number, pin: string): number {
  if (size % 2 !== 0) {
    throw new UsageError(
      `ibvf probe run pairs ranks: rank i with rank i+N of 2N, so it needs an even number of ranks (the launcher started ${size})`,
    );
  }
  const n = size / 2;
  if (n > 1 && pairs !== 1 && pairs !== n) {
    throw new UsageError(
      `--pairs ${pairs} does not match ${size} ranks: 2N ranks form N process pairs (give --pairs ${n} or leave it out); ` +
        'threads per pair (--pairs N) need exactly 2 ranks',
    );
  }
  if (n > 1 && pin !== 'none') throw new UsageError(`--pin ${pin} works with one pair of processes only`);
  return n;
}
