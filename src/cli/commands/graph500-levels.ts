import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { GRAPH500_EDGE_FACTOR } from '../../model/graph500/kronecker.js';
import { GRAPH500_ROOTS, modulusFor, type GraphProfileKey } from '../../model/graph500/profile.js';
import { detectLauncher } from '../../probe/launcher.js';
import { formatProfile } from '../graph500-cache.js';
import { removeExchange, runRank } from '../graph500-ranks.js';
import type { CliIo } from '../io.js';
import { parseCount, parseList } from '../parse.js';

interface LevelsOptions {
  scale?: string;
  edgeFactor: string;
  seed: string;
  roots: string;
  nodes: string;
  perNode: string;
  out?: string;
  exchangeDir?: string;
  timeout: string;
}

/**
 * `ibvf graph500-levels`: the Graph500 level profile computed by the ranks of an
 * `mpiexec` (src/cli/graph500-ranks.ts), written to a file for `ibvf graph500
 * --levels-from`.
 */
export function registerGraph500Levels(program: Command, io: CliIo): void {
  program
    .command('graph500-levels')
    .summary('compute Graph500 BFS level profiles on MPI ranks (mpiexec) into a file')
    .description(
      'Run under mpiexec (MPICH Hydra, Open MPI, PMIx or srun; no MPI library needed): each rank generates ' +
        'its share of the Kronecker edges (the same seeded streams as ibvf graph500), keeps the vertices it ' +
        'owns (v mod P), and the ranks run the level-synchronous BFS from the same sampled roots, exchanging ' +
        'through files in a directory all ranks see. Rank 0 writes the level profile to --out; ' +
        '`ibvf graph500 --levels-from FILE` predicts from it instead of generating. Run alone, it is one rank.',
    )
    .option('--scale <n>', 'log2 of the vertex count')
    .option('--out <file>', 'level profile file rank 0 writes')
    .option('--nodes <n>', 'nodes of the layouts the file will serve', '4')
    .option(
      '--per-node <list>',
      'ranks per node the file will serve (pair counts for their least common multiple)',
      '1,2,4,8,16',
    )
    .option('--roots <n>', 'BFS roots sampled among vertices of degree >= 1', String(GRAPH500_ROOTS))
    .option('--edge-factor <n>', 'edges per vertex', String(GRAPH500_EDGE_FACTOR))
    .option('--seed <n>', 'generator seed', '1')
    .option(
      '--exchange-dir <dir>',
      'directory every rank sees, for the exchange (default: $IBVF_RENDEZVOUS_DIR or the current directory, a subdirectory per job)',
    )
    .option('--timeout <s>', 'seconds a rank waits for the others at a barrier', '600')
    .addHelpText(
      'after',
      `
Examples:
  mpiexec -n 2 npx ibvf graph500-levels --scale 12 --out s12.json
  mpiexec -f hosts -n 64 npx ibvf graph500-levels --scale 28 --out s28.json --exchange-dir /shared/tmp
  ibvf graph500 --levels-from s28.json --nodes 4 --per-node 1,2,4,8,16`,
    )
    .action((opts: LevelsOptions) => {
      if (opts.scale === undefined) throw new UsageError('--scale is required (e.g. --scale 12)');
      if (opts.out === undefined) throw new UsageError('--out is required: the file rank 0 writes');
      const scale = parseCount(opts.scale, '--scale');
      if (scale > 30) throw new UsageError(`--scale ${scale}: at most 30 (2^30 vertices)`);
      const nodes = parseCount(opts.nodes, '--nodes');
      const perNode = parseList(opts.perNode, '--per-node', (t) => parseCount(t, '--per-node'));
      const key: GraphProfileKey = {
        scale,
        edgeFactor: parseCount(opts.edgeFactor, '--edge-factor'),
        seed: parseCount(opts.seed, '--seed', 0),
        roots: parseCount(opts.roots, '--roots'),
        modulus: modulusFor(perNode.map((k) => k * nodes)),
      };
      const timeoutMs = parseCount(opts.timeout, '--timeout') * 1000;
      const launcher = detectLauncher(process.env);
      const rank = launcher?.rank ?? 0;
      const size = launcher?.size ?? 1;
      const base = opts.exchangeDir ?? process.env.IBVF_RENDEZVOUS_DIR ?? process.cwd();
      const job = launcher?.jobKey ?? `pid-${process.pid}`;
      const dir = path.join(base, `.ibvf-graph500-${job.replace(/[^A-Za-z0-9_.-]/g, '_')}`);
      const exchange = { rank, size, dir, timeoutMs };
      const profile = runRank(key, exchange);
      if (profile) {
        writeFileSync(opts.out, formatProfile(profile));
        removeExchange(exchange);
        io.stderr(
          `ibvf graph500-levels: ${size} rank(s), scale ${scale}, ${profile.runs.length} roots, pair counts for ${key.modulus} rank classes: wrote ${opts.out}\n`,
        );
      }
    });
}
