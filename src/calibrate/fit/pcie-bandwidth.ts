/**
 * `hca.pcieBandwidth`: the bytes per second the HCA's PCIe slot carries each way. The model
 * holds a node's HCA for each message's bytes at min(linkBandwidth, pcieBandwidth), on its
 * sending side at the sender and its receiving side at the receiver
 * (src/model/network.ts `buildNetwork`, hca.perByteNs; src/model/sim/native-engine.ts
 * onSend/onRecv), so a stream's plateau at large sizes is
 *
 *   across nodes (path native):        B_net  = min(linkBandwidth, pcieBandwidth)
 *   HCA loopback (native-loopback):    B_loop = pcieBandwidth
 *
 * the loopback's bytes crossing the slot both ways (read from memory, written back: the two
 * directions of a full-duplex link, the sending and receiving sides of the model's HCA) and
 * never the port's link. pcieBandwidth is the mean loopback plateau. The native runs check
 * the reading: across nodes the bytes cross PCIe too, so B_net above B_loop (by more than
 * `tolerance`, 10%) says something else than PCIe paces the loopback, and the data cannot
 * pin pcieBandwidth down (an error the caller turns into a warning). Without native runs
 * the fit stands on the loopback alone and says so. Interval: the Student t interval of the
 * mean over two or more loopback runs (files, pair counts; streaming runs keep no
 * per-message samples to bootstrap), none with one.
 *
 * Measured by: `ibvf probe run --transport verbs` streaming on one host through the HCA
 * (`--path native-loopback`, shared memory not involved) and across two hosts (`--path
 * native`), both up to the largest sizes (ib_write_bw -a's shape).
 */
import { studentT975 } from './student-t.js';

export interface PcieFit {
  /** MB/s. */
  value: number;
  interval: [number, number] | null;
  from: string;
  warnings: string[];
}

export function fitPcieBandwidth(
  loopbackMBps: readonly number[],
  nativeMBps: readonly number[],
  tolerance = 0.1,
): PcieFit {
  for (const [name, xs] of [
    ['native-loopback', loopbackMBps],
    ['native', nativeMBps],
  ] as const)
    for (const x of xs)
      if (!(Number.isFinite(x) && x > 0))
        throw new RangeError(`pcieBandwidth: a ${name} streaming run has a bandwidth of ${x} MB/s`);
  if (loopbackMBps.length === 0)
    throw new RangeError('pcieBandwidth: no native-loopback streaming run at a large size');
  const loop = mean(loopbackMBps);
  const warnings: string[] = [];
  let against = 'no native run to compare (the loopback alone)';
  if (nativeMBps.length > 0) {
    const net = mean(nativeMBps);
    if (net > (1 + tolerance) * loop)
      throw new RangeError(
        `pcieBandwidth: across nodes streams at ${round(net)} MB/s, above the loopback's ${round(loop)} MB/s; the loopback is paced by something else than PCIe, so the data cannot pin pcieBandwidth down`,
      );
    against =
      net < (1 - tolerance) * loop
        ? `across nodes ${round(net)} MB/s: the link, not PCIe, paces it`
        : `across nodes ${round(net)} MB/s: within ${100 * tolerance}%, link and PCIe not told apart`;
  }
  let interval: [number, number] | null = null;
  const n = loopbackMBps.length;
  if (n >= 2) {
    const sd = Math.sqrt(loopbackMBps.reduce((s, x) => s + (x - loop) ** 2, 0) / (n - 1));
    const half = (studentT975(n - 1) * sd) / Math.sqrt(n);
    interval = [Math.max(loop - half, Number.MIN_VALUE), loop + half];
  } else {
    warnings.push('pcieBandwidth: one native-loopback run; no interval (repeat the run for one)');
  }
  return {
    value: loop,
    interval,
    from: `mean native-loopback streaming bandwidth over ${n} run(s) (${loopbackMBps.map(round).join(', ')} MB/s); ${against}`,
    warnings,
  };
}

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function round(x: number): number {
  return Number(x.toPrecision(4));
}
