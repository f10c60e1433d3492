import { Command } from 'commander';
import { UsageError } from '../../errors.js';
import type { CliIo } from '../io.js';
import { parseChoice, parseCount, parseList, parseNumber, parseSize, parseSizes } from '../parse.js';
import type { AgreedOptions } from '../../probe/handshake.js';
import { probeRun, parsePeer, DEFAULT_PORT } from '../../probe/run.js';
import { registerProbeNoise } from './probe-noise.js';
import { registerProbeShow } from './probe-show.js';
import { registerProbeCompute } from './probe-compute.js';
import { serveProbe } from '../../probe/serve.js';
import { DEFAULT_HANDSHAKE_MS } from '../../probe/serve-session.js';
import { JOB_LIMITS } from '../../probe/job-spec.js';
import { DEFAULT_SIZES, type Suite } from '../../probe/suites.js';
import { PINS, type Pin } from '../../probe/topology.js';
import { VERBS_OPS, type VerbsOptions } from '../../probe/verbs/device-result.js';
import {
  DEFAULT_REGION_STRIDE,
  REGION_MESSAGE_CHOICES,
  regionProblem,
  type RegionOptions,
} from '../../probe/verbs/region.js';

const RUN_TRANSPORTS = ['shm', 'tcp', 'verbs'] as const;
const SUITE_NAMES = ['quick', 'full', 'loggp'] as const;
const PROGRESS = ['poll', 'event', 'both'] as const;

interface CommonOpts {
  transport?: string;
  device?: string;
  ibPort?: string;
  suite?: string;
  pairs?: string;
  progress?: string;
  sizes?: string;
  iters?: string;
  token?: string;
  timeout: string;
}

/** The options both sides must agree on, from the command line (undefined where not given). */
function agreedFrom(opts: CommonOpts): Partial<AgreedOptions> {
  const out: Partial<AgreedOptions> = {};
  if (opts.transport !== undefined)
    out.transport = parseChoice(opts.transport, RUN_TRANSPORTS, '--transport');
  if (opts.suite !== undefined) out.suite = parseChoice(opts.suite, SUITE_NAMES, '--suite');
  if (opts.pairs !== undefined) out.pairs = parseCount(opts.pairs, '--pairs');
  if (opts.progress !== undefined) {
    const p = parseChoice(opts.progress, PROGRESS, '--progress');
    out.progress = p === 'both' ? ['poll', 'event'] : [p];
  }
  if (opts.sizes !== undefined) {
    out.sizes = parseSizes(opts.sizes, '--sizes', false);
    const largest = out.sizes[out.sizes.length - 1];
    if (largest > JOB_LIMITS.bytes)
      throw new UsageError(
        `--sizes: ${largest} bytes is above the probe's largest message, 1G (${JOB_LIMITS.bytes})`,
      );
    if (out.sizes.length > JOB_LIMITS.sizes)
      throw new UsageError(`--sizes: ${out.sizes.length} sizes, at most ${JOB_LIMITS.sizes}`);
  }
  if (opts.iters !== undefined) {
    out.iterations = parseCount(opts.iters, '--iters');
    if (out.iterations > JOB_LIMITS.iterations)
      throw new UsageError(
        `--iters: ${out.iterations} is above the probe's limit of ${JOB_LIMITS.iterations} per size ` +
          '(every timestamp is kept in memory)',
      );
  }
  return out;
}

/**
 * A day at most: the timeout also bounds a measurement's silence inside the addon, which
 * takes it in milliseconds as a 32-bit count (and Node's timers overflow above 2^31 ms).
 */
const MAX_TIMEOUT_S = 86400;

/**
 * --op and --inline (verbs only) and what they allow: event mode is refused for RDMA
 * write as perftest's ib_write_lat refuses -e (the receiver polls memory; no completion
 * is raised on its side), so write defaults to poll; PRTT needs the peer's answer, so a
 * read (itself the round trip) runs no loggp suite; a read carries no inline data.
 */
/** --device and --ib-port, for either side. */
function verbsDeviceFrom(opts: CommonOpts): { device?: string; port?: number } {
  return {
    ...(opts.device !== undefined ? { device: opts.device } : {}),
    ...(opts.ibPort !== undefined ? { port: parseCount(opts.ibPort, '--ib-port') } : {}),
  };
}

interface RegionOpts {
  region?: string;
  regionStride?: string;
  regionSizes?: string;
}

/** --region, --region-stride and --region-sizes (src/probe/verbs/region.ts), or undefined. */
function regionFrom(opts: RegionOpts, op: string, sizes: number[]): RegionOptions | undefined {
  if (opts.region === undefined) {
    if (opts.regionStride !== undefined || opts.regionSizes !== undefined)
      throw new UsageError('--region-stride and --region-sizes go with --region BYTES[,BYTES...]');
    return undefined;
  }
  if (op !== 'send')
    throw new UsageError(
      `--region with --op ${op}: only send cycles its buffers (an RDMA write's receiver polls one buffer, a read's target is one buffer); use --op send`,
    );
  const region: RegionOptions = {
    bytes: parseList(opts.region, '--region', (t) => parseSize(t, '--region')),
    stride:
      opts.regionStride === undefined
        ? DEFAULT_REGION_STRIDE
        : parseSize(opts.regionStride, '--region-stride'),
    messages: parseChoice(opts.regionSizes ?? 'smallest', REGION_MESSAGE_CHOICES, '--region-sizes'),
  };
  const why = regionProblem(region, sizes);
  if (why) throw new UsageError(why);
  return region;
}

function verbsFrom(
  opts: CommonOpts & { op?: string; inline?: string } & RegionOpts,
  given: Partial<AgreedOptions>,
  suite: Suite,
): VerbsOptions | undefined {
  if (given.transport !== 'verbs') {
    if (
      opts.op !== undefined ||
      opts.inline !== undefined ||
      opts.device !== undefined ||
      opts.ibPort !== undefined ||
      opts.region !== undefined
    )
      throw new UsageError('--op, --inline, --region, --device and --ib-port are for --transport verbs');
    return undefined;
  }
  const op = parseChoice(opts.op ?? 'send', VERBS_OPS, '--op');
  const inline = opts.inline === undefined ? -1 : parseCount(opts.inline, '--inline', 0);
  if (op === 'write' && given.progress?.includes('event'))
    throw new UsageError(
      '--op write with --progress event: an RDMA write raises no completion at the receiver, which polls the ' +
        "last byte of its buffer (perftest's ib_write_lat refuses -e too); use --progress poll",
    );
  if (op === 'read' && suite === 'loggp')
    throw new UsageError(
      "--op read with --suite loggp: PRTT(n,d,s) times n messages and the peer's answer, and an RDMA read has " +
        'no answer from the peer (it is itself the round trip); use --op send or write',
    );
  if (op === 'read' && opts.inline !== undefined)
    throw new UsageError('--inline with --op read: an RDMA read request carries no data to inline');
  const region = regionFrom(opts, op, given.sizes ?? parseSizes(DEFAULT_SIZES[suite], '--sizes', false));
  // calibrate reads a node's footprint as one pair's region on each side
  if (region && (given.pairs ?? 1) > 1)
    throw new UsageError(
      `--region with --pairs ${given.pairs}: the region runs measure one pair (each pair would register its own regions)`,
    );
  return { op, inline, ...verbsDeviceFrom(opts), ...(region ? { region } : {}) };
}

/**
 * --pin, --no-pin and --cpus: at most one; none given means NUMA pinning for verbs (the
 * HCA's node) and no pinning otherwise.
 */
function placementFrom(
  pin: string | false | undefined,
  cpus: string | undefined,
): { pin: Pin; numa: boolean; cpus?: [number, number] } {
  if (cpus !== undefined) {
    if (pin !== undefined) throw new UsageError('--cpus and --pin/--no-pin: give one placement');
    const m = /^(\d+),(\d+)$/.exec(cpus.trim());
    if (!m) throw new UsageError(`--cpus: '${cpus}' is not two CPU numbers A,B (this side, the peer)`);
    return { pin: 'none', numa: false, cpus: [Number(m[1]), Number(m[2])] };
  }
  if (pin === false) return { pin: 'none', numa: false };
  if (pin === undefined) return { pin: 'none', numa: true };
  return { pin: parseChoice(pin, PINS, '--pin'), numa: false };
}

function timeoutOf(opts: CommonOpts): number {
  return parseNumber(opts.timeout, '--timeout', 0.1, MAX_TIMEOUT_S);
}

function addShared(cmd: Command, required: boolean): Command {
  const note = required ? '' : ' (if given, clients must match)';
  return cmd
    .option(
      '--transport <shm|tcp|verbs>',
      `what to measure: shm (shared memory, one host), tcp (TCP_NODELAY) or verbs (InfiniBand RC QPs)${required ? ' (required)' : note}`,
    )
    .option(
      '--suite <quick|full|loggp>',
      `quick (<30 s), full (quick's runs, longer, and loggp's PRTT runs), or loggp (PRTT(n,d,s) for LogGP fitting)${required ? ' (default: quick)' : note}`,
    )
    .option(
      '--pairs <N>',
      `sender/receiver pairs at once, as osu_mbw_mr (threads; under a launcher 2N ranks are N pairs)${note}`,
    )
    .option('--progress <poll|event|both>', `completion mode: busy-poll, sleep until woken, or both${note}`)
    .option('--sizes <MIN:MAX>', `message sizes, doubling from MIN to MAX (8K, 1M allowed)${note}`)
    .option('--iters <N>', `iterations per size instead of the suite's counts${note}`)
    .option('--device <NAME>', 'verbs: the RDMA device to use (default: the first; ibvf devices lists them)')
    .option('--ib-port <N>', 'verbs: the device port to use (default: 1)')
    .option('--token <T>', 'shared secret both sides must present (default: $IBVF_TOKEN)')
    .option('--timeout <S>', 'seconds to wait for the peer at any point before giving up', '30');
}

export function registerProbe(program: Command, io: CliIo): void {
  const probe = program
    .command('probe')
    .description(
      'Measure the fabric between two processes: shared memory, TCP or InfiniBand verbs, into an ibvf.probe/1 file',
    )
    .addHelpText(
      'after',
      `
Examples:
  ibvf probe run --transport shm --suite quick --out shm.json       two processes on this host
  ibvf probe serve                                                  on host A, then on host B:
  ibvf probe run --peer A --transport tcp
  mpiexec -n 4 ibvf probe run --transport tcp --matrix --out m.json   every rank pair in turn
  ibvf probe show m.json                                            the tables of a result file
  ibvf probe compute --out node.json                                this node's copy and reduction cost per byte
  ibvf probe noise --workers 4 --out n.json                         host-CPU noise (FWQ), for calibrate
Run \`ibvf probe run --help\`, \`ibvf probe serve --help\`, \`ibvf probe compute --help\` or \`ibvf probe noise --help\` for their options.
`,
    );

  addShared(
    probe
      .command('run')
      .description(
        'Run a probe suite against a peer and write the result file (with --json and no --out: print it on stdout ' +
          'and write no file). Latency is one-way (half the round trip).\n' +
          'With no --peer: under mpiexec/srun the ranks pair themselves (2 ranks: one pair, --pairs N as threads; ' +
          '2N ranks: N pairs of processes, rank i sends to rank i+N, rank 0 writes the file); otherwise a peer ' +
          'process is started here.',
      )
      .option('--peer <HOST[:PORT]>', `the host running \`ibvf probe serve\` (default port ${DEFAULT_PORT})`),
    true,
  )
    .option(
      '--out <FILE>',
      'result file (default: ibvf-probe-TRANSPORT-SUITE-HOST-TIME.json; with --json, none unless given)',
    )
    .option(
      '--pin <where>',
      `place the two processes: ${PINS.join(', ')} (from sysfs topology); with --pairs N every pair so, ` +
        'each CPU used once (same-socket: all 2N threads on one socket, as node.socketCopyBandwidth wants); ' +
        "default none, and for verbs each side's threads on CPUs of its HCA's NUMA node (sysfs device/numa_node)",
    )
    .option('--no-pin', 'verbs: leave the threads where the scheduler puts them (no NUMA pinning)')
    .option('--cpus <A,B>', 'pin this side to CPU A and the peer to CPU B (--pairs 1), instead of --pin')
    .option('--bind <ADDR>', 'under a launcher, the address rank 0 listens on and publishes')
    .option(
      '--oversubscribe',
      "allow more --pairs than this host's CPUs (each pair has a measuring thread in each process)",
    )
    .option(
      '--op <send|write|read>',
      'verbs: RC send/recv (default), RDMA write (receiver polls the last byte) or RDMA read (whole round trip)',
    )
    .option(
      '--inline <N>',
      "verbs: inline sends up to N bytes (0: none, as a ConnectX-3 VF); default: the device's maximum, found by search",
    )
    .option(
      '--region <BYTES[,BYTES...]>',
      'verbs --op send: after the suite, a ping-pong per size R whose messages cycle through one registered region of R bytes, ' +
        "a stride apart (latency as the IOMMU's translation cache overflows; ibvf calibrate fits virtualization.iommuReach and iommuMissCost)",
    )
    .option(
      '--region-stride <BYTES>',
      'with --region: bytes between consecutive messages, a power of two from 4K (default 4K, a page; 2M when the host backs the guest with huge pages)',
    )
    .option(
      '--region-sizes <smallest|all>',
      'with --region: the message sizes of its ping-pongs: the smallest of --sizes (default) or all of them up to the stride',
    )
    .option(
      '--spanning-vm',
      'shm: this host is a VM whose vCPUs span both sockets of its node (recorded as placement.relation "spanning-vm"; ' +
        'calibrate fits virtualization.spanningRemoteShare from it against a --pin same-socket sweep)',
    )
    .option(
      '--matrix',
      'under mpiexec/srun: measure every pair of ranks in turn into one ibvf.probe-matrix/1 file (latency and bandwidth matrices, host and function per rank, outlying pairs flagged)',
    )
    .option('--sample <K>', 'with --matrix: measure K pairs drawn at random (seeded) instead of all N(N-1)/2')
    .option('--seed <S>', 'with --matrix --sample: the seed of the draw (same seed, same pairs)', '1')
    .option(
      '--json',
      'print the result JSON on stdout instead of tables (and write a file only if --out is given)',
    )
    .addHelpText(
      'after',
      `
Examples:
  ibvf probe run --transport shm --suite quick --out shm.json       two processes on this host
  ibvf probe run --transport tcp --suite loggp --pairs 2
  ibvf probe run --transport shm --pairs 4 --pin same-socket   4 pairs sharing one socket's memory
  ibvf probe run --transport verbs --op send --inline 0 --progress event   ib_send_lat -I 0 -e
  ibvf probe run --transport verbs --op write                              ib_write_lat
  ibvf probe run --transport verbs --op write --suite loggp --progress poll   PRTT(n,d,s) over RDMA write
  ibvf probe run --transport verbs --cpus 2,3        pin here to CPU 2, the peer to CPU 3 (default: HCA's NUMA node)
  ibvf probe run --transport verbs --inline 0 --region 64K,1M,16M,256M,1G   latency as registered memory grows
  ibvf probe run --transport shm --spanning-vm       in a VM spanning both sockets (beside a --pin same-socket run)
  ibvf probe serve                     (on host A)
  ibvf probe run --peer A --transport tcp --suite full   (on host B)
  mpiexec -n 2 ibvf probe run --transport tcp --suite quick
  mpiexec -n 4 ibvf probe run --transport tcp --suite quick      2 pairs of processes, one file
  mpiexec -n 8 ibvf probe run --transport tcp --matrix --out m.json   all 28 rank pairs in turn
  srun -n 64 ibvf probe run --transport verbs --matrix --sample 200 --seed 7   200 of 2016 pairs
Environment: IBVF_TOKEN, IBVF_PEER (launcher rank 0's HOST:PORT), IBVF_RENDEZVOUS_DIR (shared
directory for the launcher rendezvous file, default the current one), IBVF_RENDEZVOUS_KEY.`,
    )
    .action(
      async (
        opts: CommonOpts & {
          peer?: string;
          out?: string;
          pin?: string | false;
          cpus?: string;
          json?: boolean;
          bind?: string;
          oversubscribe?: boolean;
          op?: string;
          inline?: string;
          matrix?: boolean;
          sample?: string;
          seed: string;
          spanningVm?: boolean;
        } & RegionOpts,
      ) => {
        if (!opts.matrix && opts.sample !== undefined)
          throw new UsageError('--sample K chooses pairs of a --matrix run; add --matrix');
        const given = agreedFrom(opts);
        if (given.transport === undefined)
          throw new UsageError('--transport is required (shm, tcp or verbs)');
        const suite = (given.suite ?? 'quick') as Suite;
        const place = placementFrom(opts.pin, opts.cpus);
        if (opts.spanningVm && given.transport !== 'shm')
          throw new UsageError(
            '--spanning-vm marks a shared-memory sweep (--transport shm) inside a VM spanning both sockets',
          );
        if (opts.spanningVm && (opts.pin !== undefined || opts.cpus !== undefined))
          throw new UsageError(
            "--spanning-vm with --pin or --cpus: the spanning VM's sweep runs where the guest's scheduler puts it (unpinned)",
          );
        const verbsOpts = verbsFrom(opts, given, suite);
        const verbs = verbsOpts && place.numa ? { ...verbsOpts, pin: 'numa' as const } : verbsOpts;
        const defaultProgress: string[] = verbs?.op === 'write' ? ['poll'] : ['poll', 'event'];
        await probeRun(
          {
            transport: given.transport,
            suite,
            pairs: given.pairs ?? 1,
            progress: given.progress ?? defaultProgress,
            verbs,
            sizes: given.sizes ?? parseSizes(DEFAULT_SIZES[suite], '--sizes', false),
            iterations: given.iterations ?? null,
            peer: opts.peer === undefined ? undefined : parsePeer(opts.peer),
            out: opts.out,
            token: opts.token,
            timeoutS: timeoutOf(opts),
            pin: place.pin,
            ...(opts.spanningVm ? { spanningVm: true } : {}),
            ...(place.cpus ? { cpus: place.cpus } : {}),
            json: Boolean(opts.json),
            bind: opts.bind,
            oversubscribe: Boolean(opts.oversubscribe),
            matrix: opts.matrix
              ? {
                  sample: opts.sample === undefined ? undefined : parseCount(opts.sample, '--sample'),
                  seed: parseCount(opts.seed, '--seed', 0),
                }
              : undefined,
            env: process.env,
          },
          io,
        );
      },
    );

  registerProbeShow(probe, io);
  registerProbeCompute(probe, io);
  registerProbeNoise(probe, io);

  addShared(
    probe
      .command('serve')
      .description(
        "Wait for `ibvf probe run --peer` clients and answer their measurements (like perftest's server)",
      )
      .option('--port <P>', 'TCP port for the handshake', String(DEFAULT_PORT))
      .option('--bind <ADDR>', 'address to listen on (0.0.0.0: every interface)', '0.0.0.0')
      .option('--once', 'stop after one run (and give up after --timeout without one)')
      .option(
        '--handshake-timeout <S>',
        'seconds a new connection may stay silent before its hello; then it is dropped so it cannot hold the server',
        String(DEFAULT_HANDSHAKE_MS / 1000),
      )
      .addHelpText(
        'after',
        `
Examples:
  ibvf probe serve                                         answer any client (Ctrl-C to stop)
  ibvf probe serve --once --transport tcp --token s3cret   one run, only a tcp client with this token
  ibvf probe serve --port 18600 --bind 10.0.0.1
then on the other host:  ibvf probe run --peer HOST[:PORT] --transport tcp
`,
      ),
    false,
  )
    .option('--op <send|write|read>', 'verbs: serve only clients measuring this operation')
    .option('--inline <N>', 'verbs: serve only clients asking this inline size')
    .action(
      async (
        opts: CommonOpts & {
          port: string;
          bind: string;
          once?: boolean;
          handshakeTimeout: string;
          op?: string;
          inline?: string;
        },
      ) => {
        const port = parseCount(opts.port, '--port', 0);
        if (port > 65535) throw new UsageError(`--port: ${port} is not between 0 and 65535`);
        await serveProbe(
          {
            host: opts.bind,
            port,
            once: Boolean(opts.once),
            token: opts.token ?? process.env.IBVF_TOKEN ?? '',
            constraints: {
              ...agreedFrom(opts),
              ...(opts.op !== undefined || opts.inline !== undefined
                ? {
                    verbs: {
                      ...(opts.op !== undefined ? { op: parseChoice(opts.op, VERBS_OPS, '--op') } : {}),
                      ...(opts.inline !== undefined
                        ? { inline: parseCount(opts.inline, '--inline', 0) }
                        : {}),
                    },
                  }
                : {}),
            },
            timeoutMs: timeoutOf(opts) * 1000,
            handshakeMs: parseNumber(opts.handshakeTimeout, '--handshake-timeout', 0.1, MAX_TIMEOUT_S) * 1000,
            verbsDevice: verbsDeviceFrom(opts),
          },
          io,
        );
      },
    );
}
