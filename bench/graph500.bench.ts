/**
 * Issue 14, benchmark: the Graph500 generator, CSR and BFS of src/model/graph500/ on this
 * machine, one process. Per scale: generation straight into the CSR (two passes, bench
 * time is both) on the generator's default threads (GRAPH500_THREADS to choose), then a BFS (with bfs_simple's pair counts for 64 rank
 * classes, as `ibvf graph500 --nodes 4 --per-node 1,2,4,8,16` counts them) from each of
 * 16 sampled roots, validation off (timed apart), the harmonic-mean TEPS (input edges of
 * the component, duplicates counted, self-loops not), the time per adjacency entry
 * scanned (what `compute.bfsPerEdgeCost` is for a profile calibrated on this host), and
 * the resident memory.
 *
 *   npm run bench -- graph500                 scales 16 to 20
 *   GRAPH500_MAX_SCALE=22 npm run bench -- graph500
 *   GRAPH500_MIN_SCALE=22 GRAPH500_MAX_SCALE=22 GRAPH500_THREADS=1 npm run bench -- graph500
 *
 * Targets (issue 14): scale 22 generated and 16 roots traversed in under 90 s within
 * 4 GB; traversal at no less than half the reference's TEPS.
 * Baseline (docs/design.md, "Peers measured on the build machine"): Graph500 reference
 * v3, MPICH, 1 rank: scale 22 generated in 21.5 s, CSR in 6.7 s, 1.20 s per BFS,
 * 5.6e7 TEPS, 1.7 GB resident; scale 20: 0.23 s per BFS, 7.2e7 TEPS. v3's MPI BFS runs
 * over an active-message layer, not bfs_simple, and counts its TEPS edges its own way,
 * so the two TEPS compare the traversal speed, not an identical numerator.
 *
 * The build machine is shared: each line gives the load average before and after, and the
 * CPU time beside the wall time (process.cpuUsage, all threads), which other work inflates
 * less than the wall time.
 */
import { bfs } from '../src/model/graph500/bfs.js';
import { availableParallelism, loadavg } from 'node:os';
import { defaultGeneratorThreads, generateCsr } from '../src/model/graph500/kronecker.js';
import { sampleRoots } from '../src/model/graph500/profile.js';
import { validateBfs } from '../src/model/graph500/validate.js';

const ROOTS = 16;

const cpuSeconds = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6;
const MODULUS = 64;

export default async function run(): Promise<void> {
  const maxScale = Number(process.env.GRAPH500_MAX_SCALE ?? 20);
  const minScale = Number(process.env.GRAPH500_MIN_SCALE ?? 16);
  const load = () => loadavg()[0].toFixed(1);
  for (let scale = minScale; scale <= maxScale; scale += 2) {
    const spec = { scale, edgeFactor: 16, seed: 1 };
    const threads = Number(process.env.GRAPH500_THREADS ?? defaultGeneratorThreads(spec));
    const loadBefore = load();
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const g = generateCsr(spec, threads);
    const genS = (performance.now() - t0) / 1000;
    const genCpu = cpuSeconds(process.cpuUsage(c0));
    const roots = sampleRoots(g, ROOTS, 1);
    const parent = new Int32Array(g.vertices);
    const level = new Int32Array(g.vertices);
    let inverse = 0;
    let bfsS = 0;
    let bfsCpu = 0;
    let scanned = 0;
    let validS = 0;
    for (const root of roots) {
      const t = performance.now();
      const c = process.cpuUsage();
      const r = bfs(g, root, MODULUS, { parent, level });
      bfsCpu += cpuSeconds(process.cpuUsage(c));
      const s = (performance.now() - t) / 1000;
      bfsS += s;
      inverse += s / r.edges;
      scanned += r.levels.reduce((a, l) => a + l.scanned, 0);
      const v = performance.now();
      if (!validateBfs(g, root, r.parent).ok)
        throw new Error(`scale ${scale}: root ${root} fails validation`);
      validS += (performance.now() - v) / 1000;
    }
    const teps = roots.length / inverse;
    const rss = process.memoryUsage().rss / 2 ** 30;
    process.stdout.write(
      `scale ${scale} (load average ${loadBefore} -> ${load()} on ${availableParallelism()} CPUs): ` +
        `generated + CSR ${genS.toFixed(2)} s on ${threads} thread(s) (CPU ${genCpu.toFixed(2)} s), ` +
        `${ROOTS} BFS ${bfsS.toFixed(2)} s (CPU ${bfsCpu.toFixed(2)} s; ${(bfsS / roots.length).toFixed(3)} s each, ` +
        `harmonic TEPS ${teps.toExponential(2)}), ${((1e9 * bfsS) / scanned).toFixed(1)} ns per entry scanned ` +
        `(CPU ${((1e9 * bfsCpu) / scanned).toFixed(1)}), validation ${validS.toFixed(2)} s, ` +
        `generation + BFS ${(genS + bfsS).toFixed(1)} s (target at scale 22: 90 s), resident ${rss.toFixed(2)} GiB\n`,
    );
  }
  process.stdout.write(
    'reference v3 (build VM): scale 20 0.23 s per BFS, 7.2e7 TEPS; scale 22 generation 21.5 s + CSR 6.7 s, 1.20 s per BFS, 5.6e7 TEPS, 1.7 GB\n',
  );
}
