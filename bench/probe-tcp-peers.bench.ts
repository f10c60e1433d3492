/**
 * The tcp transport on loopback beside the peers that measure the same thing:
 *   qperf `tcp_lat`        (average one-way latency = mean round trip / 2, 1 byte)
 *   sockperf `ping-pong`   (one-way latency = round trip / 2; avg and percentiles, 14 bytes here as its default minimum
 *                           message is 14 B)
 * Both block in the kernel, so they compare with the probe's event mode; the probe's
 * poll mode (busy-polling non-blocking sockets) is printed beside it. DESIGN.md lists
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

export default async function bench(): Promise<void> {
  execFileSync('mkdir', ['-p', join(ROOT, 'bench', 'out')]);
  const rows: Row[] = [...probe()];
  rows.push(...((await withServer('qperf', [], qperf)) ?? []));
  rows.push(
    ...((await withServer('sockperf', ['server', '--tcp', '-i', '127.0.0.1', '-p', '11711'], sockperf)) ??
      []),
  );
  process.stdout.write('TCP loopback one-way latency (half round trip), us\n');
  process.stdout.write(
    `${'tool'.padEnd(20)}${'mode'.padEnd(10)}${'bytes'.padStart(6)}  ${'statistic'.padEnd(10)}${'us'.padStart(9)}\n`,
  );
  for (const r of rows) {
    process.stdout.write(
      `${r.tool.padEnd(20)}${r.mode.padEnd(10)}${String(r.bytes).padStart(6)}  ${r.statistic.padEnd(10)}${(r.us === undefined ? 'n/a' : r.us.toFixed(2)).padStart(9)}\n`,
    );
  }
  const ev = rows.find(
    (r) => r.tool === 'ibvf probe' && r.mode === 'event' && r.bytes === 1 && r.statistic === 'mean',
  )?.us;
  const q = rows.find((r) => r.tool === 'qperf tcp_lat')?.us;
  const poll = rows.find(
    (r) => r.tool === 'ibvf probe' && r.mode === 'poll' && r.bytes === 1 && r.statistic === 'median',
  )?.us;
  const evMed = rows.find(
    (r) => r.tool === 'ibvf probe' && r.mode === 'event' && r.bytes === 1 && r.statistic === 'median',
  )?.us;
  if (ev !== undefined && q !== undefined) {
    process.stdout.write(
      `probe event mean vs qperf mean (1 B): ${(((ev - q) / q) * 100).toFixed(1)}% (target: within 10%)\n`,
    );
  }
  if (poll !== undefined && evMed !== undefined) {
    process.stdout.write(
      `poll vs event median (1 B): ${poll.toFixed(2)} vs ${evMed.toFixed(2)} us: the wake-up of a blocked receiver costs ${(evMed - poll).toFixed(2)} us\n`,
    );
  }
}
