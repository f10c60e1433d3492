import type { LatencyRun, ProbeResult, Warning } from './result.js';

/**
 * Signs in a result that its own measurement was disturbed, so that a number measured
 * on a busy host is not taken for the fabric's. Three checks, each on what the run
 * itself recorded (pure: the load averages are read by the caller):
 *
 * - poll slower than event: busy-polling sees a message as soon as it lands, so its
 *   latency is at most that of sleeping until woken (on the 2-vCPU build VM, idle, poll
 *   is a few us and event about 26 us for tcp). A poll median above the event median at
 *   the same size means the poller did not have its CPU (on a loaded 2-vCPU VM the shm
 *   probe measured poll 87 us against event 5.7 us).
 * - spread: a p99 more than SPREAD_FACTOR times the median. Kernel wake-ups and timer
 *   ticks make tails of 2-5x on an idle VM; an order of magnitude means the process was
 *   descheduled for long stretches. The factor is this project's assumption, not a
 *   published threshold.
 * - load: the 1-minute load average above the host's CPUs when the run started (before
 *   the probe's own threads count in it), i.e. other work was competing for the CPUs.
 */
export const SPREAD_FACTOR = 10;

export interface LoadSample {
  /** 1-minute load average when the run started. */
  start: number;
  cpus: number;
}

const list = (bytes: number[]) => bytes.join(', ') + ' B';

function pollAboveEvent(runs: LatencyRun[]): Warning[] {
  const out: Warning[] = [];
  const pairs = new Set(runs.map((r) => r.pair));
  for (const pair of pairs) {
    const poll = runs.find((r) => r.pair === pair && r.mode === 'poll');
    const event = runs.find((r) => r.pair === pair && r.mode === 'event');
    if (!poll || !event) continue;
    const slower = poll.sizes.filter((p) => {
      const e = event.sizes.find((q) => q.bytes === p.bytes);
      return e !== undefined && p.iterations > 0 && e.iterations > 0 && p.median_us > e.median_us;
    });
    if (slower.length === 0) continue;
    const worst = slower.reduce((a, b) => (b.median_us > a.median_us ? b : a));
    const e = event.sizes.find((q) => q.bytes === worst.bytes)!;
    out.push({
      kind: 'poll-slower-than-event',
      message:
        `poll latency above event latency at ${list(slower.map((p) => p.bytes))}` +
        `${pairs.size > 1 ? ` (pair ${pair})` : ''}, e.g. median ${worst.median_us.toFixed(2)} us against ` +
        `${e.median_us.toFixed(2)} us at ${worst.bytes} B: the polling side was starved of CPU`,
    });
  }
  return out;
}

function wideSpread(runs: LatencyRun[]): Warning[] {
  const out: Warning[] = [];
  for (const run of runs) {
    const wide = run.sizes.filter((p) => p.median_us > 0 && p.p99_us > SPREAD_FACTOR * p.median_us);
    if (wide.length === 0) continue;
    out.push({
      kind: 'spread',
      message:
        `${run.mode} mode${runs.some((r) => r.pair > 0) ? `, pair ${run.pair}` : ''}: p99 above ` +
        `${SPREAD_FACTOR}x the median at ${list(wide.map((p) => p.bytes))}: the process was descheduled during the run`,
    });
  }
  return out;
}

/** The warnings a result earns (empty: nothing shows a disturbance). */
export function disturbances(result: ProbeResult, load: LoadSample | undefined): Warning[] {
  const out = [...pollAboveEvent(result.latency), ...wideSpread(result.latency)];
  if (load && load.start > load.cpus) {
    out.push({
      kind: 'load',
      message:
        `load average ${load.start.toFixed(2)} above this host's ${load.cpus} CPUs when the run started: ` +
        'other work competed for the CPUs',
    });
  }
  return out;
}

/** The warnings as lines under the tables. */
export function warningsText(warnings: Warning[]): string {
  if (warnings.length === 0) return '';
  return (
    '-'.repeat(100) +
    '\n warnings: this measurement looks disturbed\n' +
    warnings.map((w) => ` ! ${w.message}\n`).join('')
  );
}
