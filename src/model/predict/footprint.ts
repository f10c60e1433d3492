/**
 * What a simulated collective needs in memory, estimated before it runs, so a run that
 * cannot fit is refused in one line instead of dying after a minute with an invalid
 * typed array length. The schedule dominates: one 32-byte record per operation
 * (src/model/sim/op-record.ts), counted by generating the algorithm's schedule into a
 * builder that only tallies (as hca-bound.ts counts messages), plus per rank the
 * layout's, network's and engine's arrays.
 */
import { UsageError } from '../../errors.js';
import type { AlgorithmEntry, CollectiveInput } from '../collectives/index.js';
import { OP_BYTES } from '../sim/op-record.js';
import { TallyCeiling, tallyBuilder } from '../sim/tally-builder.js';

/** The default limit, 2 GB: Node's heap and this tool on a laptop. */
export const DEFAULT_MAX_MEMORY = 2 * 1024 ** 3;
/**
 * Bytes per schedule operation: its record, the copy made while the records grow by
 * doubling (half a record on average) and the engine's per-operation indexes
 * (dependency counts, successor lists, queues: about 16 bytes).
 */
export const BYTES_PER_OP = OP_BYTES * 1.5 + 16;
/** Bytes per rank: the layout's and network's per-rank arrays, finishing times, engine state per host. */
export const BYTES_PER_RANK = 512;

function gb(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  return bytes >= 1024 ** 2 ? `${Math.ceil(bytes / 1024 ** 2)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/**
 * Operation counts already tallied: the count depends only on the schedule's shape, so
 * each simulated draw and each layout of a what-if question with the same shape counts
 * once instead of generating its schedule twice.
 */
const opCounts = new Map<string, { ops: number; more: boolean }>();
const OP_COUNT_CACHE_LIMIT = 4096;

/**
 * Throws a UsageError naming the estimate and `--max-memory` when simulating `entry`
 * on `input` needs more than `maxBytes`. Counting stops just past the limit: counting
 * takes time in proportion to what is counted (an alltoall on 16384 ranks, 5 x 10^8
 * operations, took a minute to count to 16 times the default limit before it was refused),
 * so a refusal costs no more than the limit the user chose; it then says "more than".
 */
export function checkSimFootprint(entry: AlgorithmEntry, input: CollectiveInput, maxBytes: number): void {
  const rankBytes = input.procs * BYTES_PER_RANK;
  // One operation past what fits: a schedule is counted whole only when it fits.
  const ceiling = Math.floor(Math.max(0, maxBytes - rankBytes) / BYTES_PER_OP) + 1;
  let ops = 0;
  let more = false;
  if (rankBytes <= maxBytes) {
    const key = `${entry.op}/${entry.name}|${input.procs}|${input.bytes}|${input.root ?? 0}|${input.ranksPerNode?.join(',') ?? ''}`;
    const known = opCounts.get(key);
    if (known !== undefined && (!known.more || known.ops >= ceiling)) {
      ({ ops, more } = known);
    } else {
      const tally = tallyBuilder(input.procs, { maxOps: ceiling });
      try {
        entry.generate(tally, input);
      } catch (e) {
        if (!(e instanceof TallyCeiling)) throw e;
        more = true;
      }
      ops = Math.min(tally.ops, ceiling);
      if (opCounts.size >= OP_COUNT_CACHE_LIMIT) opCounts.clear();
      opCounts.set(key, { ops, more });
    }
  }
  const need = rankBytes + ops * BYTES_PER_OP;
  if (need <= maxBytes) return;
  const what = `simulating ${entry.op} (${entry.name}) of ${input.bytes} bytes on ${input.procs} ranks`;
  const advice = 'raise it with --max-memory, or use --engine analytic';
  if (rankBytes > maxBytes)
    throw new UsageError(
      `${what} needs about ${gb(need)} (${input.procs} ranks of about ${BYTES_PER_RANK} bytes), more than the limit of ${gb(maxBytes)}: ${advice}`,
    );
  throw new UsageError(
    `${what} needs more than the limit of ${gb(maxBytes)} (its schedule passed ${ops} operations of about ${BYTES_PER_OP} bytes, where counting stopped): ${advice}`,
  );
}

/**
 * Throws a UsageError naming the estimate and `--max-memory` when a layout of `procs`
 * ranks alone (its per-rank arrays, before any schedule) needs more than `maxBytes`:
 * checked before the layout is built, which took 3 GB and 30 s for 10^8 ranks.
 */
export function checkRankFootprint(procs: number, maxBytes: number): void {
  const need = procs * BYTES_PER_RANK;
  if (need <= maxBytes) return;
  throw new UsageError(
    `${procs} ranks need about ${gb(need)} (about ${BYTES_PER_RANK} bytes per rank for the layout, the network and the engine), ` +
      `more than the limit of ${gb(maxBytes)}: raise it with --max-memory`,
  );
}
