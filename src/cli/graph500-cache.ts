/**
 * The disk cache of Graph500 level profiles (`ibvf graph500`): generating and searching
 * a scale-22 graph takes about a minute, its level profiles a few megabytes. One file
 * per key (scale, edge factor, seed, roots, modulus: the rank counts it serves) in
 * `--cache DIR`, else `$XDG_CACHE_HOME/ibvf`, else `~/.cache/ibvf`. Pair matrices are
 * stored as base64 of their float64 bytes. A file that does not read back as a profile
 * of its key is ignored (and rewritten), with a warning: a cache never decides a result.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import type { GraphProfile, GraphProfileKey } from '../model/graph500/profile.js';

/**
 * /2: graphs from the chunked generator streams (kronecker-pass.ts). A /1 file holds the
 * single-stream generator's graph of the same key, another graph: it is regenerated.
 */
export const GRAPH_CACHE_SCHEMA = 'ibvf.graph500-profile/2';

export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  return xdg && path.isAbsolute(xdg) ? path.join(xdg, 'ibvf') : path.join(homedir(), '.cache', 'ibvf');
}

export function cacheFile(dir: string, k: GraphProfileKey): string {
  return path.join(
    dir,
    `graph500-s${k.scale}-ef${k.edgeFactor}-seed${k.seed}-r${k.roots}-m${k.modulus}.json`,
  );
}

interface StoredLevel {
  frontier: number;
  scanned: number;
  discovered: number;
  pairs: string;
}

const toBase64 = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
function fromBase64(s: string, length: number): Float64Array {
  const b = Buffer.from(s, 'base64');
  if (b.byteLength !== length * 8) throw new Error('pair matrix of the wrong size');
  const out = new Float64Array(length);
  new Uint8Array(out.buffer).set(b);
  return out;
}

/** The cached profile of `key`, or undefined (absent, or unreadable: `warn` says why). */
export function readCachedProfile(
  dir: string,
  key: GraphProfileKey,
  warn: (text: string) => void,
): GraphProfile | undefined {
  const file = cacheFile(dir, key);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const p = parseProfile(text);
    if (JSON.stringify(p.key) !== JSON.stringify(key)) throw new Error('another schema or key');
    return p;
  } catch (e) {
    warn(`cache file ${file} is unreadable (${(e as Error).message}): generating again`);
    return undefined;
  }
}

/** A profile from the text of an `ibvf.graph500-profile/2` file; throws saying what is wrong. */
export function parseProfile(text: string): GraphProfile {
  const raw = JSON.parse(text) as {
    schema: string;
    key: GraphProfileKey;
    vertices: number;
    inputEdges: number;
    runs: { root: number; visited: number; edges: number; levels: StoredLevel[] }[];
  };
  if (raw.schema !== GRAPH_CACHE_SCHEMA) throw new Error('another schema or key');
  const key = raw.key;
  const whole = (o: object, fields: string[]) =>
    fields.every((f) => Number.isSafeInteger((o as Record<string, unknown>)[f]));
  if (
    typeof key !== 'object' ||
    key === null ||
    !whole(key, ['scale', 'edgeFactor', 'seed', 'roots', 'modulus'])
  )
    throw new Error('another schema or key');
  const counts = (o: object, fields: string[]) =>
    fields.every((f) => Number.isFinite((o as Record<string, unknown>)[f]));
  if (!counts(raw, ['vertices', 'inputEdges']) || !Array.isArray(raw.runs) || raw.runs.length === 0)
    throw new Error('no runs');
  for (const r of raw.runs)
    if (
      !counts(r, ['root', 'visited', 'edges']) ||
      !r.levels.every((l) => counts(l, ['frontier', 'scanned', 'discovered']))
    )
      throw new Error('a run or level without its counts');
  const m2 = key.modulus * key.modulus;
  const ordered: GraphProfileKey = {
    scale: key.scale,
    edgeFactor: key.edgeFactor,
    seed: key.seed,
    roots: key.roots,
    modulus: key.modulus,
  };
  return {
    key: ordered,
    vertices: raw.vertices,
    inputEdges: raw.inputEdges,
    runs: raw.runs.map((r) => ({
      root: r.root,
      visited: r.visited,
      edges: r.edges,
      levels: r.levels.map((l) => ({ ...l, pairs: fromBase64(l.pairs, m2) })),
    })),
  };
}

/** The text of a profile file (`ibvf.graph500-profile/2`). */
export function formatProfile(p: GraphProfile): string {
  return JSON.stringify({
    schema: GRAPH_CACHE_SCHEMA,
    key: p.key,
    vertices: p.vertices,
    inputEdges: p.inputEdges,
    runs: p.runs.map((r) => ({
      root: r.root,
      visited: r.visited,
      edges: r.edges,
      levels: r.levels.map((l) => ({
        frontier: l.frontier,
        scanned: l.scanned,
        discovered: l.discovered,
        pairs: toBase64(l.pairs),
      })),
    })),
  });
}

/** Stores a profile (written to a temporary file and renamed, so a reader never sees half of one). */
export function writeCachedProfile(dir: string, p: GraphProfile, warn: (text: string) => void): void {
  const file = cacheFile(dir, p.key);
  try {
    mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, formatProfile(p));
    renameSync(tmp, file);
  } catch (e) {
    warn(
      `cannot write the cache file ${file} (${(e as NodeJS.ErrnoException).code ?? String(e)}): not cached`,
    );
  }
}
