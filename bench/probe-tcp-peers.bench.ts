/**
 * The tcp transport on loopback beside the peers that measure the same thing:
 *   qperf `tcp_lat`        (average one-way latency = mean round trip / 2, 1 byte)
 *   sockperf `ping-pong`   (one-way latency = round trip / 2; avg and percentiles, 14 bytes here as its default minimum
 *                           message is 14 B)
 * Both block in the kernel, so they compare with the probe's event mode; the probe's
 * poll mode (busy-polling non-blocking sockets) is printed beside it. docs/design.md lists
 * what this VM measured: about 26 us for all three with idle CPUs, a few us polling.
 * Servers are started here on loopback and killed by pid; every step is time-bounded.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'ibvf.js');

interface Row {
  tool: string;
  mode: string;
  bytes: number;
  statistic: string;
  us: number | undefined;
}

function probe(): Row[] {
  const out = execFileSync(
    process.execPath,
    [
      BIN,
      'probe',
      'run',
      '--transport',
      'tcp',
      '--suite',
      'quick',
      '--sizes',
      '1:16',
      '--iters',
      '5000',
      '--json',
      '--out',
      join(ROOT, 'bench', 'out', 'probe-tcp-peers.json'),
    ],
    { timeout: 120_000, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const r = JSON.parse(out) as {
    latency: {
      mode: string;
      sizes: { bytes: number; median_us: number; mean_us: number; min_us: number }[];
    }[];
  };
  const rows: Row[] = [];
  for (const run of r.latency) {
    for (const s of run.sizes.filter((p) => p.bytes === 1 || p.bytes === 16)) {
      rows.push({ tool: 'ibvf probe', mode: run.mode, bytes: s.bytes, statistic: 'median', us: s.median_us });
      rows.push({ tool: 'ibvf probe', mode: run.mode, bytes: s.bytes, statistic: 'mean', us: s.mean_us });
      rows.push({ tool: 'ibvf probe', mode: run.mode, bytes: s.bytes, statistic: 'min', us: s.min_us });
    }
  }
  return rows;
}

async function withServer<T>(cmd: string, args: string[], body: () => T): Promise<T | undefined> {
  if (spawnSync('which', [cmd]).status !== 0) {
    process.stdout.write(`${cmd}: not installed (apt-get install ${cmd}); skipped\n`);
    return undefined;
  }
  const server = spawn(cmd, args, { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 500));
  try {
    return body();
  } finally {
    if (server.pid !== undefined) process.kill(server.pid, 'SIGTERM');
  }
}

function qperf(): Row[] {
  const out = execFileSync('qperf', ['-t', '5', '-m', '1', '127.0.0.1', 'tcp_lat'], {
    timeout: 30_000,
    encoding: 'utf8',
  });
  const m = /latency\s*=\s*([\d.]+)\s*(us|ms|ns)/.exec(out);
  const scale = m?.[2] === 'ms' ? 1000 : m?.[2] === 'ns' ? 0.001 : 1;
  return [
    {
      tool: 'qperf tcp_lat',
      mode: 'blocking',
      bytes: 1,
      statistic: 'mean',
      us: m ? Number(m[1]) * scale : undefined,
    },
  ];
}

function sockperf(): Row[] {
  const out = execFileSync(
    'sockperf',
    ['ping-pong', '--tcp', '-i', '127.0.0.1', '-p', '11711', '-t', '5', '-m', '14'],
    {
      timeout: 30_000,
      encoding: 'utf8',
    },
  );
  const avg = /avg-(?:latency|rtt)=\s*([\d.]+)/.exec(out);
  const p50 = /percentile 50\.0+ =\s*([\d.]+)/.exec(out);
  const min = /<MIN>\s*observation\s*=\s*([\d.]+)/i.exec(out);
  return [
    {
      tool: 'sockperf ping-pong',
      mode: 'blocking',
      bytes: 14,
      statistic: 'mean',
      us: avg ? Number(avg[1]) : undefined,
    },
    {
      tool: 'sockperf ping-pong',
      mode: 'blocking',
      bytes: 14,
      statistic: 'median',
      us: p50 ? Number(p50[1]) : undefined,
    },
    {
      tool: 'sockperf ping-pong',
      mode: 'blocking',
      bytes: 14,
      statistic: 'min',
      us: min ? Number(min[1]) : undefined,
    },
  ];
}

/** Rounds of the three tools, interleaved, so a burst of load on this shared 2-vCPU VM hits all of them alike. */
const ROUNDS = Number(process.env.IBVF_BENCH_ROUNDS ?? 3);

const keyOf = (r: Row) => `${r.tool}|${r.mode}|${r.bytes}|${r.statistic}`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export default async function bench(): Promise<void> {
  execFileSync('mkdir', ['-p', join(ROOT, 'bench', 'out')]);
  const samples = new Map<string, { row: Row; values: number[] }>();
  for (let round = 0; round < ROUNDS; round++) {
    const rows: Row[] = [...probe()];
    rows.push(...((await withServer('qperf', [], qperf)) ?? []));
    rows.push(
      ...((await withServer('sockperf', ['server', '--tcp', '-i', '127.0.0.1', '-p', '11711'], sockperf)) ??
        []),
    );
    for (const r of rows) {
      const entry = samples.get(keyOf(r)) ?? { row: r, values: [] };
      if (r.us !== undefined) entry.values.push(r.us);
      samples.set(keyOf(r), entry);
    }
  }
  process.stdout.write(
    `TCP loopback one-way latency (half round trip), us: median over ${ROUNDS} interleaved rounds [min-max over rounds]\n`,
  );
  process.stdout.write(
    `${'tool'.padEnd(20)}${'mode'.padEnd(10)}${'bytes'.padStart(6)}  ${'statistic'.padEnd(10)}${'us'.padStart(9)}  rounds\n`,
  );
  const value = (tool: string, mode: string, statistic: string): number | undefined => {
    for (const { row, values } of samples.values()) {
      if (
        row.tool === tool &&
        row.mode === mode &&
        row.statistic === statistic &&
        (row.bytes === 1 || row.bytes === 14)
      ) {
        return values.length ? median(values) : undefined;
      }
    }
    return undefined;
  };
  for (const { row, values } of samples.values()) {
    const text = values.length
      ? `${median(values).toFixed(2).padStart(9)}  [${Math.min(...values).toFixed(2)}-${Math.max(...values).toFixed(2)}]`
      : '      n/a';
    process.stdout.write(
      `${row.tool.padEnd(20)}${row.mode.padEnd(10)}${String(row.bytes).padStart(6)}  ${row.statistic.padEnd(10)}${text}\n`,
    );
  }
  const ev = value('ibvf probe', 'event', 'mean');
  const evMed = value('ibvf probe', 'event', 'median');
  const poll = value('ibvf probe', 'poll', 'median');
  const q = value('qperf tcp_lat', 'blocking', 'mean');
  const sp = value('sockperf ping-pong', 'blocking', 'mean');
  const spMed = value('sockperf ping-pong', 'blocking', 'median');
  const vs = (a: number | undefined, b: number | undefined, what: string) => {
    if (a !== undefined && b !== undefined) {
      const pct = ((a - b) / b) * 100;
      process.stdout.write(
        `${what}: ${pct.toFixed(1)}% (target: within 10%; ${Math.abs(pct) <= 10 ? 'met' : 'NOT met'})\n`,
      );
    }
  };
  vs(ev, q, 'probe event mean vs qperf tcp_lat mean (1 B)');
  vs(ev, sp, 'probe event mean vs sockperf mean (1 B vs 14 B)');
  vs(evMed, spMed, 'probe event median vs sockperf median');
  vs(q, sp, 'for scale, qperf mean vs sockperf mean (the two peers against each other)');
  if (poll !== undefined && evMed !== undefined) {
    process.stdout.write(
      `poll vs event median (1 B): ${poll.toFixed(2)} vs ${evMed.toFixed(2)} us: the wake-up of a blocked receiver costs ${(evMed - poll).toFixed(2)} us\n`,
    );
  }
}
