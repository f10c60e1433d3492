/**
 * Runs the generator's two passes (kronecker-pass.ts) on several threads
 * (node:worker_threads over SharedArrayBuffers) with a result independent of the thread
 * count. Thread t takes a contiguous range of chunks and keeps its own degree counts;
 * after the count pass each vertex's slots are laid out thread by thread in chunk order,
 * so every adjacency list holds its edges in the order one thread would write them.
 *
 * The calling thread takes the first range itself and then blocks in Atomics.wait (as
 * Node allows on the main thread) until the workers are done: generateCsr stays
 * synchronous. Workers run `kroneckerPass` from its source text, so this works the same
 * from compiled dist/ and from the TypeScript sources under the tests.
 */
import { Worker } from 'node:worker_threads';
import { CHUNK_EDGES, kroneckerPass, PASS_COUNT, PASS_PLACE } from './kronecker-pass.js';

export interface PassPlan {
  scale: number;
  seed: number;
  totalEdges: number;
  perm: Int32Array;
}

/** First chunk of each of `threads` contiguous ranges, and the end: threads + 1 entries. */
export function chunkRanges(totalEdges: number, threads: number): number[] {
  const chunks = Math.ceil(totalEdges / CHUNK_EDGES);
  return Array.from({ length: threads + 1 }, (_, t) => Math.floor((t * chunks) / threads));
}

// Worker protocol on a shared Int32Array `flags`: flags[t] = 1 after t's count pass, 2
// after its place pass, -1 on failure; flags[threads] = 1 tells workers to place.
const WORKER_SOURCE = `
const { workerData: d } = require('node:worker_threads');
const pass = (${kroneckerPass.toString()});
const flags = new Int32Array(d.flags);
const report = (value) => { Atomics.store(flags, d.index, value); Atomics.notify(flags, d.index); };
try {
  const perm = new Int32Array(d.perm);
  const slots = new Float64Array(d.slots);
  const loops = pass(0, d.scale, d.seed, d.first, d.end, d.totalEdges, perm, slots, perm);
  new Float64Array(d.loops)[d.index] = loops;
  report(1);
  Atomics.wait(flags, d.threads, 0);
  pass(1, d.scale, d.seed, d.first, d.end, d.totalEdges, perm, slots, new Int32Array(d.adjacency));
  report(2);
} catch (err) {
  report(-1);
}
`;

function awaitFlags(flags: Int32Array, from: number, threads: number, value: number): void {
  for (let t = from; t < threads; t++) {
    while (Atomics.load(flags, t) !== value) {
      if (Atomics.load(flags, t) < 0) throw new Error(`generator thread ${t} failed`);
      Atomics.wait(flags, t, Atomics.load(flags, t), 1000);
    }
  }
}

const shared = (bytes: number) => new SharedArrayBuffer(Math.max(bytes, 8));

/**
 * Both passes on `threads` threads: the degree-prefix offsets (vertices + 1), the
 * adjacency (in shared memory) and the self-loops. The adjacency buffer is sized for no
 * self-loops (2 entries per edge, known before counting, so workers get it at start) and
 * viewed at its exact length: the few loop slots (about m x 0.62^scale) stay unused.
 */
export function generateOnThreads(
  plan: PassPlan,
  threads: number,
): { offsets: Float64Array; adjacency: Int32Array; selfLoops: number } {
  const n = plan.perm.length;
  const ranges = chunkRanges(plan.totalEdges, threads);
  const permBuffer = shared(n * 4);
  const perm = new Int32Array(permBuffer);
  perm.set(plan.perm);
  const slotBuffers = Array.from({ length: threads }, () => shared(n * 8));
  const slots = slotBuffers.map((b) => new Float64Array(b));
  const flagBuffer = shared((threads + 1) * 4);
  const flags = new Int32Array(flagBuffer);
  const loopBuffer = shared(threads * 8);
  const loops = new Float64Array(loopBuffer);
  const adjacencyBuffer = shared(2 * plan.totalEdges * 4);
  const common = { scale: plan.scale, seed: plan.seed, totalEdges: plan.totalEdges, threads };
  const workers: Worker[] = [];
  try {
    for (let t = 1; t < threads; t++)
      workers.push(
        new Worker(WORKER_SOURCE, {
          eval: true,
          workerData: {
            ...common,
            index: t,
            first: ranges[t],
            end: ranges[t + 1],
            perm: permBuffer,
            slots: slotBuffers[t],
            flags: flagBuffer,
            loops: loopBuffer,
            adjacency: adjacencyBuffer,
          },
        }),
      );
    const { scale, seed, totalEdges } = plan;
    loops[0] = kroneckerPass(PASS_COUNT, scale, seed, ranges[0], ranges[1], totalEdges, perm, slots[0], perm);
    awaitFlags(flags, 1, threads, 1);
    // Offsets from the summed counts; each thread's cursor starts after the threads before it.
    const offsets = new Float64Array(n + 1);
    let position = 0;
    for (let v = 0; v < n; v++) {
      offsets[v] = position;
      for (let t = 0; t < threads; t++) {
        const count = slots[t][v];
        slots[t][v] = position;
        position += count;
      }
    }
    offsets[n] = position;
    const adjacency = new Int32Array(adjacencyBuffer, 0, position);
    Atomics.store(flags, threads, 1);
    Atomics.notify(flags, threads);
    kroneckerPass(PASS_PLACE, scale, seed, ranges[0], ranges[1], totalEdges, perm, slots[0], adjacency);
    awaitFlags(flags, 1, threads, 2);
    const selfLoops = loops.reduce((a, b) => a + b, 0);
    return { offsets, adjacency, selfLoops };
  } finally {
    for (const w of workers) void w.terminate();
  }
}
