/**
 * The node and HCA parameters a probe run measures outside any one path's own curve,
 * fitted from the gathered paths (path-data.ts) and written into the profile by
 * calibrateProfile:
 *
 * - `node.numaRemoteFactor` from shm sweeps pinned `same-socket` and `other-socket`
 *   (fit/numa-remote-factor.ts);
 * - `node.socketCopyBandwidth` from shm streaming at two or more `--pairs` counts at a large
 *   size (fit/socket-copy-bandwidth.ts);
 * - `hca.pcieBandwidth` from verbs streaming at a large size on `native-loopback`, checked
 *   against `native` (fit/pcie-bandwidth.ts);
 * - `virtualization.spanningRemoteShare` from an shm sweep in a VM spanning both sockets
 *   (`ibvf probe run --transport shm --spanning-vm`: placement.relation "spanning-vm") against
 *   one pinned `same-socket` (fit/spanning-remote-share.ts), dividing by the numaRemoteFactor
 *   fitted here, or the base's when no other-socket sweep was given (the source says which).
 *   A spanning-vm file whose host the probe did not find to be a VM is refused (exit 2).
 *
 * Inputs without those runs leave the base's values and say nothing. Runs that are there
 * but cannot pin a parameter down (too few sizes, no plateau, contradicting paths) leave
 * the base's value too, with a warning naming the parameter: these are properties of the
 * node, and a calibration of its paths should not fail for want of them.
 */
import type { Param } from '../profiles/types.js';
import { fitNumaRemoteFactor } from './fit/numa-remote-factor.js';
import { fitPcieBandwidth } from './fit/pcie-bandwidth.js';
import { fitSocketCopyBandwidth } from './fit/socket-copy-bandwidth.js';
import { fitSpanningRemoteShare } from './fit/spanning-remote-share.js';

/** placement.relation of an shm run inside a VM spanning both sockets (`probe run --spanning-vm`). */
export const SPANNING_VM = 'spanning-vm';
import type { PairStream, PathData } from './path-data.js';

/**
 * Streaming sizes from which the bytes pace a run: at 64 KiB a copy or a DMA at 5-10 GB/s
 * takes 6-13 us, against a per-message cost under 1 us, so the plateau is the bytes'.
 */
export const LARGE_STREAM_BYTES = 65536;

export interface NodeParamsFit {
  params: {
    field:
      | 'node.numaRemoteFactor'
      | 'node.socketCopyBandwidth'
      | 'hca.pcieBandwidth'
      | 'virtualization.spanningRemoteShare';
    param: Param;
  }[];
  warnings: string[];
}

export function fitNodeParamsOfPaths(
  paths: readonly PathData[],
  mediumOf: (path: string) => string,
  settings: { draws: number; seed: number },
  base?: { numaRemoteFactor: Param; baseName: string },
): NodeParamsFit {
  const out: NodeParamsFit = { params: [], warnings: [] };
  const shm = paths.filter((p) => mediumOf(p.path) === 'shm');
  const attempt = (name: string, fit: () => void) => {
    try {
      fit();
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      out.warnings.push(`${e.message.replace(/^\w+: /, `${name}: `)}; kept from the base profile`);
    }
  };

  const sweeps = (relation: string) =>
    shm.flatMap((p) => p.pinnedSweeps.filter((s) => s.relation === relation));
  const same = sweeps('same-socket');
  const other = sweeps('other-socket');
  if (same.length > 0 && other.length > 0)
    attempt('node.numaRemoteFactor', () => {
      const fit = fitNumaRemoteFactor(
        same.flatMap((s) => s.points),
        other.flatMap((s) => s.points),
        settings,
      );
      const files = [...new Set([...same, ...other].map((s) => s.file))].join(', ');
      out.params.push({
        field: 'node.numaRemoteFactor',
        param: param(
          fit.value,
          'ratio',
          fit.interval,
          `fitNumaRemoteFactor on ${files}: ${fit.from}`,
          fit.intervals.why,
        ),
      });
      out.warnings.push(...fit.warnings.map((w) => `node.${w}`));
    });

  const spanning = sweeps(SPANNING_VM);
  if (spanning.length > 0 && same.length > 0 && base)
    attempt('virtualization.spanningRemoteShare', () => {
      const factor = out.params.find((p) => p.field === 'node.numaRemoteFactor')?.param;
      const f = factor ?? base.numaRemoteFactor;
      const fit = fitSpanningRemoteShare(
        same.flatMap((s) => s.points),
        spanning.flatMap((s) => s.points),
        f.value,
        { ...settings, seed: settings.seed + 1 },
      );
      const files = [...new Set([...same, ...spanning].map((s) => s.file))].join(', ');
      const fFrom = factor
        ? 'numaRemoteFactor as fitted above (its uncertainty not carried)'
        : `numaRemoteFactor ${f.value} from base profile ${base.baseName} (no other-socket sweep to fit it; its uncertainty not carried)`;
      out.params.push({
        field: 'virtualization.spanningRemoteShare',
        param: param(
          fit.value,
          'ratio',
          fit.interval,
          `fitSpanningRemoteShare on ${files} (spanning-vm against same-socket): ${fit.from}; ${fFrom}`,
          fit.intervals.why,
        ),
      });
      out.warnings.push(...fit.warnings.map((w) => `virtualization.${w}`));
    });
  else if (spanning.length > 0 && same.length === 0)
    out.warnings.push(
      `virtualization.spanningRemoteShare: ${[...new Set(spanning.map((s) => s.file))].join(', ')} ran in a spanning VM, but no shm sweep pinned --pin same-socket was given to compare it with; kept from the base profile`,
    );

  // The runs pinned to one socket (--pairs N --pin same-socket) when there are enough of
  // them; else any not pinned across sockets, said so: the scheduler may have spread them.
  // A spanning VM's pairs copy through both sockets' memory: not one socket's bandwidth.
  const largeShm = shm.flatMap((p) =>
    p.pairStreams.filter(
      (s) => s.relation !== 'other-socket' && s.relation !== SPANNING_VM && s.bytes >= LARGE_STREAM_BYTES,
    ),
  );
  const pinned = chooseGroup(largeShm.filter((s) => s.relation === 'same-socket'));
  const copyRuns = pinned ?? chooseGroup(largeShm);
  if (copyRuns && !pinned)
    out.warnings.push(
      `node.socketCopyBandwidth: the --pairs runs (${filesOf(copyRuns)}) were not pinned to one socket ` +
        `(placement ${[...new Set(copyRuns.map((s) => s.relation))].join(', ')}); if the scheduler spread them over ` +
        'sockets, the plateau is more than one socket copies: run `ibvf probe run --transport shm --pairs N --pin same-socket`',
    );
  if (copyRuns)
    attempt('node.socketCopyBandwidth', () => {
      const fit = fitSocketCopyBandwidth(
        copyRuns.map((s) => ({ pairs: s.pairs, bandwidthMBps: s.bandwidthMBps })),
      );
      if (fit.saturated.length === 0) {
        out.warnings.push(...fit.warnings.map((w) => `node.${w}; kept from the base profile`));
        return;
      }
      const how = fit.interval
        ? '95% interval: Student t over the saturated runs (no per-message samples in streaming runs)'
        : 'no interval: one saturated run';
      out.params.push({
        field: 'node.socketCopyBandwidth',
        param: param(
          fit.value,
          'MB/s',
          fit.interval,
          `fitSocketCopyBandwidth on ${filesOf(copyRuns)} at ${where(copyRuns)}: ${fit.from}`,
          how,
        ),
      });
      out.warnings.push(...fit.warnings.map((w) => `node.${w}`));
    });

  const largest = (name: string) => {
    const streams =
      paths.find((p) => p.path === name)?.pairStreams.filter((s) => s.bytes >= LARGE_STREAM_BYTES) ?? [];
    const bytes = Math.max(...streams.map((s) => s.bytes));
    const atSize = streams.filter((s) => s.bytes === bytes);
    const window = Math.max(...atSize.map((s) => s.window));
    return atSize.filter((s) => s.window === window);
  };
  const loopback = largest('native-loopback');
  if (loopback.length > 0)
    attempt('hca.pcieBandwidth', () => {
      const native = largest('native');
      const fit = fitPcieBandwidth(
        loopback.map((s) => s.bandwidthMBps),
        native.map((s) => s.bandwidthMBps),
      );
      const how = fit.interval
        ? '95% interval: Student t over the loopback runs (no per-message samples in streaming runs)'
        : 'no interval: one loopback run';
      const at = `native-loopback ${where(loopback)}${native.length > 0 ? `, native ${where(native)}` : ''}`;
      out.params.push({
        field: 'hca.pcieBandwidth',
        param: param(
          fit.value,
          'MB/s',
          fit.interval,
          `fitPcieBandwidth on ${filesOf([...loopback, ...native])} at ${at}: ${fit.from}`,
          how,
        ),
      });
      out.warnings.push(...fit.warnings.map((w) => `hca.${w}`));
    });
  return out;
}

/**
 * The streaming runs of one size, window and mode at two or more pair counts: the largest
 * such size, its deepest window, poll before event (the bytes, not the wake-ups, should
 * pace them); null when there is none.
 */
function chooseGroup(streams: readonly PairStream[]): PairStream[] | null {
  const groups = new Map<string, PairStream[]>();
  for (const s of streams) {
    const key = JSON.stringify([s.bytes, s.window, s.mode]);
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  const usable = [...groups.values()]
    .filter((g) => new Set(g.map((s) => s.pairs)).size >= 2)
    .sort(
      (a, b) =>
        b[0].bytes - a[0].bytes ||
        b[0].window - a[0].window ||
        (a[0].mode === 'poll' ? -1 : 1) - (b[0].mode === 'poll' ? -1 : 1),
    );
  return usable[0] ?? null;
}

function filesOf(streams: readonly PairStream[]): string {
  return [...new Set(streams.map((s) => s.file))].join(', ');
}

function where(streams: readonly PairStream[]): string {
  const s = streams[0];
  return `${s.bytes} B, window ${s.window}, ${[...new Set(streams.map((x) => x.mode))].join('+')}`;
}

function param(
  value: number,
  unit: 'ratio' | 'MB/s',
  interval: [number, number] | null,
  ref: string,
  how: string,
): Param {
  const r = (x: number) => Number(x.toPrecision(4));
  return {
    value: r(value),
    unit,
    ...(interval ? { interval: [r(interval[0]), r(interval[1])] as [number, number] } : {}),
    source: { kind: 'fit', ref: `${ref}; ${how}` },
  };
}
