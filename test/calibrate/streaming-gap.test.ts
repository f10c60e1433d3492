/**
 * Why the probe's streaming is not predicted within 15% from its PRTT runs (issue 11,
 * item 5a), from the committed fixtures. Each streaming round (native/measure.cc
 * stream_round) costs T(s) + (W - 1) gap(s) + T(4), so the gap a streaming run implies is
 * (W s / BW - T(s) - T(4)) / (W - 1). Fed the PRTT runs' own per-size T(s) = PRTT(1,0,s)/2
 * and gap(s) = (PRTT(8,0,s) - PRTT(1,0,s)) / 7, interpolated between measured sizes (as a
 * LogGP G per size segment would give, with breaks wherever the data have them), that
 * formula predicts the window-1 rows within 5%, but the deeper windows imply a gap 17-45%
 * above PRTT(8,0,s)'s, so no G fitted to PRTT(8,0,s) can reach them. The delayed runs point
 * at a mechanism: a send after a pause costs o = 0.16-0.21 us at small sizes, 3-5 times the
 * back-to-back gap (0.03-0.08 us). Our reading (an inference from these numbers, not yet
 * tested by a run at larger n): in the shm ring (native/shm_channel.cc) a send reads the
 * ring's tail and writes its head and a slot; while the receiver is busy elsewhere those
 * lines stay in the sender's cache, and once the receiver reads them each send pays a
 * cache-line transfer. A train of 8 ends before the receiver catches up; a window of 16 or
 * 64 runs in the steady state where every message pays the transfers. PRTT(n,0,s) at a
 * larger n would measure that steady gap: measured since (runs of n = 2..128 on this host),
 * the gap per message at 8-128 B is 0.02-0.06 us over the first 8 of a train and a steady
 * 0.06-0.09 us from the 9th to the 128th, the gap the deep windows imply; the probe now runs
 * PRTT(128,0,s) too (src/probe/suites.ts), and streaming-holdout.test.ts predicts a fresh
 * run's streaming from it. These fixtures predate that run and keep the 8-train only.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ProbeResult } from '../../src/probe/result.js';
import { validateProbeResult } from '../../src/probe/validate.js';
import { fixtureDir } from '../fixtures.js';

function probe(name: string): ProbeResult {
  const file = path.join(fixtureDir('probe'), name);
  return validateProbeResult(JSON.parse(readFileSync(file, 'utf8')), file);
}

const loggp = probe('shm-loggp-poll.json');
const quick = probe('shm-quick-poll.json');
const prtt = (bytes: number, n: number, delayed: boolean) =>
  loggp.prtt.find((r) => r.bytes === bytes && r.n === n && r.d_us > 0 === delayed)!;
const sizes = [...new Set(loggp.prtt.map((r) => r.bytes))].sort((a, b) => a - b);
const T = (s: number) => prtt(s, 1, false).median_us / 2;
const gap = (s: number) => (prtt(s, 8, false).median_us - prtt(s, 1, false).median_us) / 7;
const o = (s: number) =>
  (prtt(s, 8, true).median_us - prtt(s, 1, false).median_us) / 7 - prtt(s, 8, true).d_us;
const between = (f: (s: number) => number, s: number) => {
  const i = sizes.findIndex((x) => x >= s);
  if (sizes[i] === s) return f(s);
  const [a, b] = [sizes[i - 1], sizes[i]];
  return f(a) + ((f(b) - f(a)) * (s - a)) / (b - a);
};

describe('probe shm streaming against its PRTT runs: the per-message gap of long trains', () => {
  const rows = quick.streaming
    .filter((r) => r.pairs === 1)
    .map((r) => {
      const s = r.bytes;
      const W = r.window;
      const measured = r.aggregate.bandwidth_MBps;
      const predicted = (W * s) / (between(T, s) + (W - 1) * between(gap, s) + T(4));
      const implied = W > 1 ? ((W * s) / measured - between(T, s) - T(4)) / (W - 1) : null;
      return {
        s,
        W,
        measured,
        predicted,
        error: predicted / measured - 1,
        implied,
        prttGap: between(gap, s),
      };
    });

  it('prints the table; window 1 within 15%, deeper windows imply a longer gap than PRTT(8,0,s)', () => {
    console.log(
      [
        '# size  window  BW measured  BW from per-size PRTT T and gap  error   gap implied  PRTT(8,0,s) gap  (MB/s, us)',
        ...rows.map(
          (r) =>
            `  ${String(r.s).padStart(4)}  ${String(r.W).padStart(6)}  ${r.measured.toFixed(1).padStart(11)}  ${r.predicted.toFixed(1).padStart(31)}  ${(100 * r.error).toFixed(1).padStart(5)}%  ${(r.implied?.toFixed(3) ?? '-').padStart(11)}  ${r.prttGap.toFixed(3).padStart(15)}`,
        ),
        `# o from PRTT(8,d,s) at ${sizes.slice(0, 5).join(', ')} B: ${sizes
          .slice(0, 5)
          .map((s) => o(s).toFixed(3))
          .join(', ')} us; back-to-back gaps ${sizes
          .slice(0, 5)
          .map((s) => gap(s).toFixed(3))
          .join(', ')} us`,
      ].join('\n'),
    );
    for (const r of rows.filter((x) => x.W === 1)) expect(Math.abs(r.error)).toBeLessThan(0.15);
    // Not predicted: every deeper window implies a gap at least 15% above PRTT(8,0,s)'s,
    // so a G fitted to PRTT(8,0,s) over-predicts its bandwidth (the why is above).
    const deep = rows.filter((x) => x.W > 1);
    expect(deep).toHaveLength(4);
    for (const r of deep) {
      expect(r.implied! / r.prttGap).toBeGreaterThan(1.15);
      expect(r.error).toBeGreaterThan(0.15);
    }
    // The mechanism's signature: after a pause a small send costs several back-to-back gaps.
    for (const s of sizes.filter((x) => x <= 256)) expect(o(s)).toBeGreaterThan(2 * gap(s));
  });
});
