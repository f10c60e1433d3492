/**
 * The Graph500 reference implementation's output (graph500/graph500, `src/main.c`, the
 * statistics block it prints on stdout after the runs; version 3, with or without SSSP),
 * and, when stderr was kept with it (`2>&1`), its per-root lines "Time for BFS i is X" and
 * "TEPS for BFS i is Y". Times in seconds as the tool prints them; nothing converted here.
 *
 * A run the tool judged invalid prints "No results printed for invalid run." and no
 * statistics: refused, as is a file missing a key the fit needs (file and line named).
 */
import { InputError } from '../../errors.js';

/** One BFS root's time and traversal rate (stderr). */
export interface Graph500Root {
  root: number;
  time_s: number;
  teps: number;
}

export interface Graph500Run {
  scale: number;
  edgefactor: number;
  /** BFS roots run (NBFS). */
  roots: number;
  processes: number;
  /** Mean BFS time over the roots, s. */
  bfsMeanTime_s: number;
  /** Mean input edges in the traversed component per BFS (the count TEPS divides). */
  meanNedge: number;
  harmonicMeanTeps?: number;
  /** Per root, when stderr was kept; in root order. */
  perRoot: Graph500Root[];
  /** Whether the BFS results were validated (a skipped validation prints -1 times). */
  validated: boolean;
}

/** Whether `text` looks like Graph500 reference output (its statistics block). */
export function isGraph500Output(text: string): boolean {
  return /^SCALE:\s+\d+\s*$/m.test(text) && /^num_mpi_processes:\s+\d+/m.test(text);
}

const NUMBER = String.raw`([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)`;

export function parseGraph500Output(text: string, file: string): Graph500Run {
  const lines = text.split(/\r?\n/);
  const invalid = lines.findIndex((l) => l.includes('No results printed for invalid run'));
  if (invalid >= 0)
    throw new InputError(
      'the Graph500 run failed its validation and printed no results: nothing to fit (run it again, with validation on, until it passes)',
      file,
      invalid + 1,
    );
  const values = new Map<string, { value: number; line: number }>();
  const times = new Map<number, number>();
  const rates = new Map<number, number>();
  const keyed = new RegExp(String.raw`^([A-Za-z_ ]+?):\s+!?\s*${NUMBER}\s*(?:s)?\s*$`);
  const perRoot = new RegExp(String.raw`^(Time|TEPS) for BFS (\d+) is ${NUMBER}\s*$`);
  lines.forEach((raw, i) => {
    const l = raw.trim();
    const root = perRoot.exec(l);
    if (root) {
      const v = Number(root[3]);
      if (!(Number.isFinite(v) && v > 0))
        throw new InputError(
          `BFS ${root[2]}: ${root[1].toLowerCase()} ${root[3]} is not a positive number`,
          file,
          i + 1,
        );
      (root[1] === 'Time' ? times : rates).set(Number(root[2]), v);
      return;
    }
    const m = keyed.exec(l);
    // The first value of a key counts: stderr's "graph_generation: 1.5 s" comes before stdout's.
    const key = m?.[1].replace(/\s+/g, ' ');
    if (m && key !== undefined && !values.has(key)) values.set(key, { value: Number(m[2]), line: i + 1 });
  });
  const need = (key: string, positive = true): number => {
    const v = values.get(key);
    if (v === undefined)
      throw new InputError(
        `no "${key}:" line: not the whole output of the Graph500 reference (keep its stdout; 2>&1 adds the per-root times)`,
        file,
      );
    if (!Number.isFinite(v.value) || (positive && !(v.value > 0)))
      throw new InputError(`${key}: ${v.value} is not a positive number`, file, v.line);
    return v.value;
  };
  const roots = [...times.keys()].filter((r) => rates.has(r)).sort((a, b) => a - b);
  const validate = values.get('bfs mean_validate');
  return {
    scale: need('SCALE'),
    edgefactor: need('edgefactor'),
    roots: need('NBFS'),
    processes: need('num_mpi_processes'),
    bfsMeanTime_s: need('bfs mean_time'),
    meanNedge: need('mean_nedge'),
    ...(values.has('bfs harmonic_mean_TEPS') ? { harmonicMeanTeps: need('bfs harmonic_mean_TEPS') } : {}),
    perRoot: roots.map((root) => ({ root, time_s: times.get(root)!, teps: rates.get(root)! })),
    validated: validate !== undefined && validate.value > 0,
  };
}
