/**
 * `ibvf graph500-levels` as one rank of an `mpiexec` job (or alone): the Graph500 level
 * profile computed by P processes that each generate their share of the edges and hold
 * only the vertices they own (src/model/graph500/owned-bfs.ts), for scales one machine
 * cannot hold. Ranks are found as the probe finds them (src/probe/launcher.ts: Hydra,
 * Open MPI, PMIx, Slurm; no MPI library linked) and exchange through files in a directory
 * every rank sees (a shared file system on a cluster): no sockets to open between nodes,
 * at the price of two file barriers per BFS level. Rank 0 merges the ranks' counts and
 * writes the profile file (`ibvf.graph500-profile/2`, the cache's format) that
 * `ibvf graph500 --levels-from FILE` reads.
 *
 * Trees are not validated here (no rank holds the parents of the whole graph); the
 * single-process `ibvf graph500` validates every tree, and the tests check that the
 * ranks' file equals its profile.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { RunError } from '../errors.js';
import { CHUNK_EDGES, kroneckerPass, PASS_LIST } from '../model/graph500/kronecker-pass.js';
import { chunkRanges } from '../model/graph500/kronecker-threads.js';
import { checkSpec, vertexPermutation } from '../model/graph500/kronecker.js';
import {
  ownedCount,
  ownedGraph,
  receiveTargets,
  scanOwnedFrontier,
  splitByOwner,
  startOwnedSearch,
} from '../model/graph500/owned-bfs.js';
import { sampleRootsAmong, type GraphProfile, type GraphProfileKey } from '../model/graph500/profile.js';
import type { BfsLevel } from '../model/graph500/bfs.js';

export interface RankJob {
  rank: number;
  size: number;
  /** The exchange directory, private to this job (every rank must see the same one). */
  dir: string;
  timeoutMs: number;
}

/** Blocks the thread for `ms` (the ranks wait on files; nothing else runs meanwhile). */
function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Writes atomically (temporary name, then rename): a rank never reads half a file. */
function put(file: string, data: Uint8Array | string): void {
  writeFileSync(`${file}.tmp`, data);
  renameSync(`${file}.tmp`, file);
}

function awaitFiles(files: string[], timeoutMs: number): void {
  const deadline = Date.now() + timeoutMs;
  let wait = 1;
  for (const f of files) {
    while (!existsSync(f)) {
      if (Date.now() > deadline)
        throw new RunError(
          `graph500-levels: ${f} did not appear within ${timeoutMs / 1000} s (did a rank fail? is --exchange-dir shared by all ranks?)`,
        );
      sleep(wait);
      wait = Math.min(20, wait * 2);
    }
  }
}

const bytesOf = (a: Int32Array | Float64Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
function readInt32(file: string): Int32Array {
  const b = readFileSync(file);
  const out = new Int32Array(b.byteLength / 4);
  bytesOf(out).set(b);
  return out;
}

/** Every rank's file `name(r)` after a barrier, in rank order. */
function gather(job: RankJob, name: (r: number) => string): string[] {
  const files = Array.from({ length: job.size }, (_, r) => path.join(job.dir, name(r)));
  awaitFiles(files, job.timeoutMs);
  return files;
}

interface RankLevel {
  frontier: number;
  scanned: number;
  discovered: number;
  pairs: string;
}

/**
 * Runs this rank's part; rank 0 returns the merged profile (the others undefined). The
 * edge share of rank r is chunks chunkRanges(edges, P)[r] .. [r + 1] of the generator's
 * streams, so the graph is the one `generateCsr` makes for any P.
 */
export function runRank(key: GraphProfileKey, job: RankJob): GraphProfile | undefined {
  checkSpec(key);
  const { rank, size, dir } = job;
  const n = 2 ** key.scale;
  const totalEdges = key.edgeFactor * n;
  const file = (name: string) => path.join(dir, name);
  mkdirSync(dir, { recursive: true });

  // 1. This rank's share of the edges, sent to the owners of both ends.
  const perm = vertexPermutation(n, key.seed);
  const ranges = chunkRanges(totalEdges, size);
  const shareEdges = Math.min(ranges[rank + 1] * CHUNK_EDGES, totalEdges) - ranges[rank] * CHUNK_EDGES;
  const list = new Int32Array(2 * Math.max(shareEdges, 0));
  const counter = new Float64Array(1);
  const selfLoops = kroneckerPass(
    PASS_LIST,
    key.scale,
    key.seed,
    ranges[rank],
    ranges[rank + 1],
    totalEdges,
    perm,
    counter,
    list,
  );
  splitByOwner(list, counter[0], size).forEach((part, d) =>
    put(file(`edges-${rank}-to-${d}.bin`), bytesOf(part)),
  );
  put(file(`edges-${rank}.done`), JSON.stringify({ selfLoops }));
  gather(job, (r) => `edges-${r}.done`);
  const parts = Array.from({ length: size }, (_, r) => readInt32(file(`edges-${r}-to-${rank}.bin`)));
  const g = ownedGraph(n, rank, size, parts);

  // 2. Which owned vertices have edges: every rank samples the same roots from all of them.
  const local = ownedCount(n, rank, size);
  const hasEdges = new Uint8Array(local);
  for (let i = 0; i < local; i++) hasEdges[i] = g.offsets[i + 1] > g.offsets[i] ? 1 : 0;
  put(file(`degree-${rank}.bin`), hasEdges);
  const flags = gather(job, (r) => `degree-${r}.bin`).map((f) => readFileSync(f));
  const roots = sampleRootsAmong(n, (v) => flags[v % size][Math.floor(v / size)] === 1, key.roots, key.seed);

  // 3. Level-synchronous BFS per root: scan, send targets to their owners, barrier,
  //    receive, then agree on the next frontier's size (a second barrier).
  const runs = roots.map((root, b) => {
    const s = startOwnedSearch(g, root);
    const levels: RankLevel[] = [];
    for (let level = 0; ; level++) {
      const tag = `r${b}-l${level}`;
      const step = scanOwnedFrontier(g, s, key.modulus);
      step.outgoing.forEach((o, d) => {
        if (d !== rank) put(file(`${tag}-${rank}-to-${d}.bin`), bytesOf(o));
      });
      put(file(`${tag}-${rank}.sent`), '');
      gather(job, (r) => `${tag}-${r}.sent`);
      const incoming: Int32Array[] = [];
      for (let r = 0; r < size; r++)
        if (r !== rank) {
          const f = file(`${tag}-${r}-to-${rank}.bin`);
          incoming.push(readInt32(f));
          rmSync(f);
        }
      receiveTargets(g, s, step.next, incoming);
      levels.push({
        frontier: step.frontier,
        scanned: step.scanned,
        discovered: s.frontier.length,
        pairs: Buffer.from(bytesOf(step.pairs)).toString('base64'),
      });
      put(file(`${tag}-${rank}.next`), String(s.frontier.length));
      const total = gather(job, (r) => `${tag}-${r}.next`).reduce(
        (a, f) => a + Number(readFileSync(f, 'utf8')),
        0,
      );
      if (total === 0) break;
    }
    return { root, visited: s.visited, degreeSum: s.degreeSum, levels };
  });
  put(file(`runs-${rank}.json`), JSON.stringify({ selfLoops, runs }));
  if (rank !== 0) return undefined;

  // 4. Rank 0 sums the ranks' counts, level by level.
  const all = gather(job, (r) => `runs-${r}.json`).map(
    (f) => JSON.parse(readFileSync(f, 'utf8')) as { selfLoops: number; runs: typeof runs },
  );
  const m2 = key.modulus * key.modulus;
  const merged = roots.map((root, b) => {
    const levels: BfsLevel[] = all[0].runs[b].levels.map((_, l) => {
      const pairs = new Float64Array(m2);
      let frontier = 0;
      let scanned = 0;
      let discovered = 0;
      for (const a of all) {
        const x = a.runs[b].levels[l];
        frontier += x.frontier;
        scanned += x.scanned;
        discovered += x.discovered;
        const p = new Float64Array(m2);
        bytesOf(p).set(Buffer.from(x.pairs, 'base64'));
        for (let i = 0; i < m2; i++) pairs[i] += p[i];
      }
      return { frontier, scanned, discovered, pairs };
    });
    const visited = all.reduce((a, x) => a + x.runs[b].visited, 0);
    const degreeSum = all.reduce((a, x) => a + x.runs[b].degreeSum, 0);
    return { root, levels, visited, edges: degreeSum / 2 };
  });
  return { key: { ...key }, vertices: n, inputEdges: totalEdges, runs: merged };
}

/** Rank 0 removes the exchange directory once every rank has written its counts. */
export function removeExchange(job: RankJob): void {
  if (job.rank === 0) rmSync(job.dir, { recursive: true, force: true });
}
