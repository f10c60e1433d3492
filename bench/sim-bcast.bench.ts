/**
 * Issue 3, benchmark (a): a binomial-tree bcast on 1,048,576 ranks, built in-process with
 * the schedule builder (as schedgen's binomialtreebcast pattern: rank r receives from
 * r minus its highest set bit, then sends to r + 2^k for every 2^k above it) and run in
 * LogGOPSim compatibility mode with LogGOPSim's default parameters.
 * Targets: >= 2 million events/s on one core, under 2 GB of memory.
 * Baseline (docs/design.md, "Peers measured on the build machine"): LogGOPSim, 262,144-rank binomial bcast,
 * 786k events in 1.8 s, about 0.44 million events/s.
 */
import { createScheduleBuilder, simulate } from '../src/model/sim/index.js';

const RANKS = 1 << 20;
const BYTES = 8;

function binomialBcast(p: number, bytes: number) {
  const b = createScheduleBuilder(p, 2 * p);
  for (let r = 0; r < p; r++) {
    let recv = -1;
    let mask = 1;
    if (r > 0) {
      const high = 1 << (31 - Math.clz32(r));
      recv = b.recv(r, r - high, bytes);
      mask = high << 1;
    }
    for (; mask < p; mask <<= 1) {
      if (r + mask >= p) break;
      const s = b.send(r, r + mask, bytes);
      if (recv >= 0) b.requires(s, recv);
    }
  }
  return b.build();
}

/** Runs of the simulation on the one schedule: this VM's speed swings by a third from minute to minute. */
const RUNS = 3;

export default async function bench(): Promise<void> {
  const rss0 = process.memoryUsage().rss;
  const t0 = performance.now();
  const schedule = binomialBcast(RANKS, BYTES);
  const buildSeconds = (performance.now() - t0) / 1000;
  const seconds: number[] = [];
  let result: ReturnType<typeof simulate> | undefined;
  for (let i = 0; i < RUNS; i++) {
    const t1 = performance.now();
    result = simulate(schedule, {
      mode: 'compat',
      params: { L: 2500, o: 1500, g: 1000, G: 6, O: 0, S: 65535 },
    });
    seconds.push((performance.now() - t1) / 1000);
  }
  const r = result!;
  const median = [...seconds].sort((a, b) => a - b)[RUNS >> 1];
  const rate = r.events / median;
  const peak = process.resourceUsage().maxRSS * 1024;
  console.log(
    `(a) binomial bcast, ${RANKS.toLocaleString('en-US')} ranks, ${BYTES} B: ${schedule.numOps.toLocaleString('en-US')} operations built in ${buildSeconds.toFixed(2)} s; ` +
      `${r.events.toLocaleString('en-US')} events simulated in ${median.toFixed(2)} s (median of ${RUNS} runs: ${seconds.map((x) => x.toFixed(2)).join(', ')} s) = ${(rate / 1e6).toFixed(2)} M events/s ` +
      `(target >= 2 M/s: ${rate >= 2e6 ? 'met' : 'NOT met'}; first run ${(r.events / seconds[0] / 1e6).toFixed(2)} M/s); last host ${r.maxHost} at ${r.maxFinishNs} ns`,
  );
  console.log(
    `    memory: peak RSS ${(peak / 2 ** 20).toFixed(0)} MB (process, including tsx; ${((peak - rss0) / 2 ** 20).toFixed(0)} MB above start; target < 2048 MB: ${peak < 2 ** 31 ? 'met' : 'NOT met'})`,
  );
  console.log(
    '    baseline: LogGOPSim, 262,144-rank bcast, 786k events in 1.8 s = 0.44 M events/s (this machine)',
  );
}
