/**
 * `ibvf probe compute`: the node's per-byte CPU costs (memcpy, MPI_SUM over doubles) on
 * one pinned CPU, no peer, into an `ibvf.probe-compute/1` file (src/probe/compute-run.ts).
 */
import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import {
  COLD_SET_MAX,
  DEFAULT_COMPUTE_ITERS,
  DEFAULT_COMPUTE_SIZES,
  probeCompute,
} from '../../probe/compute-run.js';
import { CACHE_STATES, COMPUTE_OPS } from '../../probe/compute-result.js';
import { JOB_LIMITS } from '../../probe/job-spec.js';
import type { CliIo } from '../io.js';
import { parseChoice, parseCount, parseList, parseSize, parseSizes } from '../parse.js';

interface ComputeOpts {
  sizes: string;
  iters: string;
  cpu?: string;
  op: string;
  cache: string;
  coldSet?: string;
  out?: string;
  json?: boolean;
}

export function registerProbeCompute(probe: Command, io: CliIo): void {
  probe
    .command('compute')
    .description(
      "Time this node's per-byte CPU costs on one pinned CPU, no peer: memcpy (the eager copy an MPI library makes " +
        'into and out of its buffers: mpi.copyPerByte) and a[i] += b[i] over doubles (MPI_SUM on MPI_DOUBLE as ' +
        "MPICH's MPIR_SUM loops: compute.reducePerByte), warm (one buffer pair reused, as OSU's loops reuse theirs) " +
        'and cold (a rotating set of buffers twice the last-level cache, so every operation misses the caches). ' +
        'Writes an ibvf.probe-compute/1 file for ibvf calibrate; a sample is the mean time of enough operations ' +
        'back to back to last 20 us, every sample is kept.',
    )
    .option(
      '--sizes <MIN:MAX>',
      'buffer sizes, doubling from MIN to MAX (8 B or more; 8K, 1M allowed)',
      DEFAULT_COMPUTE_SIZES,
    )
    .option('--iters <N>', 'samples per size', String(DEFAULT_COMPUTE_ITERS))
    .option('--cpu <C>', 'the CPU to pin the measuring thread to (default: the one this process runs on)')
    .option('--op <copy,reduce>', 'which operations, comma-separated', COMPUTE_OPS.join(','))
    .option('--cache <warm,cold>', 'which cache states, comma-separated', CACHE_STATES.join(','))
    .option(
      '--cold-set <BYTES>',
      `bytes of each side's rotating set for the cold runs (default: twice the last-level cache, 64M to ${COLD_SET_MAX / 1024 ** 2}M)`,
    )
    .option(
      '--out <FILE>',
      'result file (default: ibvf-probe-compute-HOST-TIME.json; with --json, none unless given)',
    )
    .option(
      '--json',
      'print the result JSON on stdout instead of tables (and write a file only if --out is given)',
    )
    .addHelpText(
      'after',
      `
Examples:
  ibvf probe compute --out node.json                  both operations, warm and cold, 64 B to 4 MiB
  ibvf calibrate node.json shm.json --name here       fits mpi.copyPerByte and compute.reducePerByte
  ibvf probe compute --cpu 3 --op copy --cache warm   the eager copy only, on CPU 3
  ibvf probe compute --sizes 256:64K --iters 100 --json > c.json
  ibvf probe show node.json                           its tables again
The fit (ibvf calibrate) uses the warm runs over the sizes an eager copy has (256 B up to the
base profile's eager threshold, in cache); the cold runs say what the same costs are past the caches.
A first Ctrl-C stops after the running size and keeps every finished size in the file (partial).
`,
    )
    .action(async (opts: ComputeOpts) => {
      const ops = [...new Set(parseList(opts.op, '--op', (t) => parseChoice(t, COMPUTE_OPS, '--op')))];
      const caches = [
        ...new Set(parseList(opts.cache, '--cache', (t) => parseChoice(t, CACHE_STATES, '--cache'))),
      ];
      const iterations = parseCount(opts.iters, '--iters', 2);
      if (iterations > JOB_LIMITS.iterations)
        throw new UsageError(
          `--iters: ${iterations} is above the probe's limit of ${JOB_LIMITS.iterations} per size`,
        );
      let coldSetBytes: number | undefined;
      if (opts.coldSet !== undefined) {
        if (!caches.includes('cold'))
          throw new UsageError('--cold-set sizes the cold runs; add --cache cold');
        coldSetBytes = parseSize(opts.coldSet, '--cold-set');
        if (coldSetBytes < 4096 || coldSetBytes > 4 * 1024 ** 3)
          throw new UsageError(`--cold-set: ${coldSetBytes} B is not between 4K and 4G`);
      }
      await probeCompute(
        {
          sizes: parseSizes(opts.sizes, '--sizes', false),
          iterations,
          ...(opts.cpu !== undefined ? { cpu: parseCount(opts.cpu, '--cpu', 0) } : {}),
          ops,
          caches,
          ...(coldSetBytes !== undefined ? { coldSetBytes } : {}),
          out: opts.out,
          json: Boolean(opts.json),
        },
        io,
      );
    });
}
