import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { resolve } from 'node:path';
import { RunError, UsageError } from '../errors.js';
import type { OutputStreams } from '../io.js';
import { connectControl } from './control.js';
import type { AgreedOptions } from './handshake.js';
import { advertisedAddress, detectLauncher } from './launcher.js';
import { loadAddon } from './native.js';
import { checkPairs, hostCpus } from './pair-limit.js';
import { runMatrix } from './matrix-run.js';
import type { ProbeMatrix } from './matrix-result.js';
import { processPairCount, runProcessPairs } from './process-pairs.js';
import type { ProbeResult } from './result.js';
import { runSession } from './run-session.js';
import {
  awaitRendezvous,
  publishRendezvous,
  removeRendezvous,
  rendezvousPath,
  sweepStaleRendezvous,
} from './rendezvous.js';
import { serveProbe } from './serve.js';
import { spawnPeer, type SpawnedPeer } from './spawn-peer.js';
import { handleStopSignals } from './stop-signals.js';
import { choosePairs, parseCpuList, readTopology, type PairCpus, type Pin } from './topology.js';
import { checkVerbsUsable } from './verbs/transport.js';
import { checkWritable, ResultWriter } from './writer.js';

export const DEFAULT_PORT = 18519;

export interface ProbeRunOptions extends AgreedOptions {
  peer?: { host: string; port: number };
  out?: string;
  token?: string;
  timeoutS: number;
  pin: Pin;
  /** --cpus A,B: this side's and the peer's CPU (pair 0); instead of --pin and NUMA pinning. */
  cpus?: [number, number];
  /** --spanning-vm: unpinned, inside a VM whose vCPUs span both sockets (placement.relation "spanning-vm"). */
  spanningVm?: boolean;
  json: boolean;
  /** --bind for launcher rank 0. */
  bind?: string;
  /** --oversubscribe: more thread pairs than this host has CPUs. */
  oversubscribe?: boolean;
  /** --matrix: every rank pair in turn (or --sample K of them, drawn with --seed), one file (matrix-run.ts). */
  matrix?: { sample?: number; seed: number };
  env: Record<string, string | undefined>;
}

/** The result file: --out, else a default name, except with --json and no --out (stdout only). */
function outFile(o: ProbeRunOptions): string | undefined {
  return o.out ?? (o.json ? undefined : defaultOut(o));
}

function defaultOut(o: ProbeRunOptions): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const what = o.matrix ? `matrix-${o.transport}` : `${o.transport}-${o.suite}`;
  return `ibvf-probe-${what}-${os.hostname()}-${stamp}.json`;
}

/**
 * `ibvf probe run`: pairs with a peer (given by --peer, found through a launcher's
 * environment, or spawned on this host), runs the suite and writes one result file.
 * Returns the result, or undefined on a launcher's rank 0 (which serves); with --matrix,
 * the matrix on rank 0 and undefined on the other ranks.
 */
export async function probeRun(
  o: ProbeRunOptions,
  io: OutputStreams,
): Promise<ProbeResult | ProbeMatrix | undefined> {
  // A result file that cannot be written is said before anything runs.
  if (o.out !== undefined) checkWritable(resolve(o.out));
  // Every way of running measures through the addon: say it is missing before pairing.
  loadAddon();
  // No RDMA here (no library, no kernel support, no device): said before a peer is started.
  if (o.transport === 'verbs') checkVerbsUsable();
  const timeoutMs = o.timeoutS * 1000;
  if (o.matrix && o.peer) throw new UsageError('--matrix pairs the ranks of a launcher; it takes no --peer');
  const launcher = o.peer ? undefined : detectLauncher(o.env);
  const agreed: AgreedOptions = {
    transport: o.transport,
    suite: o.suite,
    pairs: o.pairs,
    progress: o.progress,
    sizes: o.sizes,
    iterations: o.iterations,
    ...(o.verbs ? { verbs: o.verbs } : {}),
  };
  // What every rank of one launch shares: a token (the launch's own unless given), where
  // rank 0 publishes its address, and a rank 0 address forced by the environment.
  const given = o.token ?? o.env.IBVF_TOKEN ?? '';
  const launchToken = given === '' && launcher ? `launcher:${launcher.jobKey}` : given;
  const rendezvousDir = o.env.IBVF_RENDEZVOUS_DIR ?? process.cwd();
  const envPeer = launcher && o.env.IBVF_PEER ? parsePeer(o.env.IBVF_PEER, 'IBVF_PEER') : undefined;
  if (launcher && !o.env.IBVF_PEER) {
    // Files left by earlier runs' ranks 0 killed with SIGKILL (no handler runs): removed
    // when provably stale, so they neither pile up nor mislead this run.
    for (const name of sweepStaleRendezvous(rendezvousDir))
      io.stderr(`ibvf probe: removed ${name}, left by a run whose rank 0 is gone\n`);
  }
  if (o.matrix) {
    if (!launcher)
      throw new UsageError(
        '--matrix measures every pair of ranks of a launcher: run it under mpiexec or srun (mpiexec -n 4 ibvf probe run --matrix ...)',
      );
    if (o.pairs !== 1)
      throw new UsageError(`--matrix measures one pair at a time; --pairs ${o.pairs} does not apply`);
    if (o.pin !== 'none')
      throw new UsageError(`--pin ${o.pin} works with one pair of processes only, not --matrix`);
    if (o.verbs?.region || o.spanningVm)
      throw new UsageError(
        `${o.spanningVm ? '--spanning-vm' : '--region'} describes one pair's run, not --matrix: run it with one pair`,
      );
    if (o.suite === 'loggp')
      throw new UsageError(
        '--matrix keeps ping-pong latency and streaming per pair: use --suite quick or full (PRTT runs for LogGP: mpiexec -n 2 ... --suite loggp on the pairs that matter)',
      );
    return runMatrix(
      {
        launcher,
        options: agreed,
        token: launchToken,
        timeoutMs,
        bind: o.bind,
        envPeer,
        rendezvousDir,
        out: outFile(o),
        json: o.json,
        sample: o.matrix.sample,
        seed: o.matrix.seed,
        env: o.env,
      },
      io,
    );
  }
  if (launcher && launcher.size !== 2) {
    // 2N ranks: N pairs of processes (osu_mbw_mr), rank 0 writes the one file
    const n = processPairCount(launcher.size, o.pairs, o.pin);
    if (o.verbs?.region || o.spanningVm)
      throw new UsageError(
        `${o.spanningVm ? '--spanning-vm' : '--region'} describes one pair's run: use 2 ranks, not ${launcher.size}`,
      );
    // Process pairs are left where the launcher put them (mpiexec -bind-to numa pins them)
    const { pin: _pin, ...unpinned } = agreed.verbs ?? { op: 'send', inline: -1 };
    return runProcessPairs(
      {
        launcher,
        options: { ...agreed, pairs: n, ...(agreed.verbs ? { verbs: unpinned } : {}) },
        token: launchToken,
        timeoutMs,
        bind: o.bind,
        envPeer,
        rendezvousDir,
        out: outFile(o),
        json: o.json,
      },
      io,
    );
  }
  // 2 ranks or none: the pairs are threads in each process, bounded by this host's CPUs
  checkPairs(o.pairs, hostCpus(), Boolean(o.oversubscribe));
  if (o.pairs > 1) {
    io.stderr(`ibvf probe: ${o.pairs} pairs at once, a measuring thread per pair in each process\n`);
  }
  let cpus: [number | null, number | null] = [null, null];
  let pairCpus: PairCpus | undefined;
  if (o.cpus) {
    if (o.pairs > 1) throw new UsageError('--cpus works with --pairs 1 only');
    const online = parseCpuList(readFileSync('/sys/devices/system/cpu/online', 'utf8'));
    if (!online.includes(o.cpus[0]))
      throw new UsageError(
        `--cpus ${o.cpus.join(',')}: CPU ${o.cpus[0]} is not online on this host (online: ${online.join(',')})`,
      );
    cpus = o.cpus;
  } else if (o.pin !== 'none') {
    pairCpus = choosePairs(readTopology(), o.pin, o.pairs, Boolean(o.oversubscribe));
    cpus = [pairCpus.local[0], pairCpus.peer[0]];
  }
  let token = launchToken;
  let peer = o.peer;
  let pairing: string;
  let ranks: { launcher: string | null; sender: number | null; receiver: number | null } | undefined;
  let spawned: SpawnedPeer | undefined;

  if (launcher) {
    const file = rendezvousPath(rendezvousDir, launcher.jobKey);
    if (launcher.rank === 0) {
      const host = advertisedAddress(o.bind);
      try {
        await serveProbe(
          {
            host: o.bind ?? '0.0.0.0',
            port: envPeer?.port ?? 0,
            once: true,
            token,
            constraints: agreed,
            timeoutMs,
            onListening: (port) => {
              if (!envPeer) publishRendezvous(file, host, port, launcher.jobKey);
            },
            onForcedStop: () => {
              if (!envPeer) removeRendezvous(file);
            },
          },
          io,
        );
      } finally {
        if (!envPeer) removeRendezvous(file);
      }
      return undefined;
    }
    if (launcher.rank !== 1) throw new UsageError(`rank ${launcher.rank} has no partner (2 ranks)`);
    peer = envPeer ?? (await awaitRendezvous(file, timeoutMs));
    pairing = `launcher ${launcher.kind} rank 1 of 2, rank 0 at ${peer.host}:${peer.port}`;
    ranks = { launcher: launcher.kind, sender: 1, receiver: 0 };
  } else if (peer) {
    pairing = `peer ${peer.host}:${peer.port}`;
  } else {
    if (token === '') token = randomBytes(16).toString('hex');
    spawned = await spawnPeer(token, o.timeoutS);
    peer = { host: '127.0.0.1', port: spawned.port };
    pairing = 'spawned peer on this host';
  }

  const relation = o.cpus ? 'cpus' : o.pin !== 'none' ? o.pin : o.spanningVm ? 'spanning-vm' : 'unpinned';
  const out = outFile(o);
  const writer = out === undefined ? undefined : new ResultWriter(resolve(out));
  const stop: { reason?: string; cancel?: () => void } = {};
  const removeSignals = handleStopSignals(
    {
      interrupt(reason) {
        stop.reason = reason;
        stop.cancel?.();
      },
      force(reason) {
        // a peer this process started would outlive it (SIGTERM reaches only this pid)
        if (spawned?.child.exitCode === null) spawned.child.kill('SIGTERM');
        return writer?.stopNow(reason);
      },
    },
    io,
  );
  try {
    const control = await connectControl(peer.host, peer.port, timeoutMs);
    const result = await runSession(control, {
      options: agreed,
      token,
      timeoutMs,
      cpus,
      ...(pairCpus && o.pairs > 1 ? { pairCpus } : {}),
      relation,
      pairing,
      writer,
      io,
      tables: !o.json,
      stop,
      ranks,
    });
    if (o.json) io.stdout(JSON.stringify(result) + '\n');
    if (writer) io.stderr(`ibvf probe: results in ${writer.path}\nnext: ibvf calibrate ${writer.path}\n`);
    return result;
  } catch (e) {
    if (
      spawned &&
      spawned.child.exitCode !== null &&
      spawned.child.exitCode !== 0 &&
      !(e instanceof RunError)
    ) {
      throw new RunError(`the peer process failed: ${spawned.log().trim()}`);
    }
    throw e;
  } finally {
    removeSignals();
    if (spawned && spawned.child.exitCode === null) {
      const child = spawned.child;
      await new Promise<void>((r) => {
        const t = setTimeout(() => {
          child.kill('SIGKILL');
          r();
        }, 2000);
        child.once('exit', () => {
          clearTimeout(t);
          r();
        });
      });
    }
  }
}

/** `HOST[:PORT]` (IPv6 in brackets: `[::1]:18519`). */
export function parsePeer(text: string, what = '--peer'): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d+))?$/.exec(text.trim());
  if (!m) throw new UsageError(`${what}: '${text}' is not HOST or HOST:PORT`);
  const port = m[3] === undefined ? DEFAULT_PORT : Number(m[3]);
  if (port < 1 || port > 65535) throw new UsageError(`${what}: port ${port} is not between 1 and 65535`);
  return { host: m[1] ?? m[2], port };
}
