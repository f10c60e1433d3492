/**
 * What calibration takes from an `ibvf.probe-matrix/1` file (`ibvf probe run --matrix`):
 * its pairs grouped by the profile path each took, outlying pairs left out with a warning
 * naming them, each group one input to the per-path fitters (fit-path.ts), which pool the
 * pairs' curves as repeated runs of one path.
 *
 * The path of a pair (the layout model's, src/model/layout/):
 *   shm                                          -> shm
 *   tcp, host or guest (ranks' host info)        -> ipoib-native or ipoib-vf; pairs on one
 *        host go through the kernel's loopback, not IPoIB, so when the file has pairs across
 *        hosts those are used and the same-host ones are left out (said); a single-host
 *        file is used as a single-host `probe run --transport tcp` file is
 *   verbs, one host, both ranks' function pf|vf  -> native-loopback | vf-loopback
 *   verbs, two hosts, both pf|vf                 -> native | vf
 * Two VMs of one node have two host names, so a vf-to-vf pair reads as cross-host: host
 * names cannot tell VMs of one node from nodes. Such pairs, and pairs of mixed or unknown
 * functions, take `--path` (or are refused, saying so).
 */
import { InputError } from '../errors.js';
import type { MatrixPair, ProbeMatrix } from '../probe/matrix-result.js';
import type { MatrixInput } from './input.js';

/** The profile path of one pair by the rules above, or null when the file cannot tell. */
export function pathOfPair(m: ProbeMatrix, p: MatrixPair): string | null {
  const [a, b] = [m.ranks[p.a], m.ranks[p.b]];
  if (m.transport === 'shm') return 'shm';
  if (m.transport === 'tcp') return a.host.is_vm || b.host.is_vm ? 'ipoib-vf' : 'ipoib-native';
  if (a.function !== b.function || (a.function !== 'pf' && a.function !== 'vf')) return null;
  const fabric = a.function === 'vf' ? 'vf' : 'native';
  return p.class === 'same-host' ? `${fabric}-loopback` : fabric;
}

/**
 * The inputs of one matrix file, one per path. `fallback` is --path, for pairs whose path
 * the file cannot tell. Refuses a file measured on the verbs test double.
 */
export function matrixInputs(m: ProbeMatrix, file: string, fallback?: string): MatrixInput[] {
  if (m.ranks.some((r) => r.test_double))
    throw new InputError(
      'produced on the verbs test double, not on hardware: its numbers are not measurements; calibrate from a matrix run on a real HCA',
      file,
    );
  if (m.pairs.length === 0) throw new InputError('the matrix holds no measured pair', file);
  const notes: string[] = [];
  if (m.partial)
    notes.push(
      `${file}: partial matrix (stopped: ${m.stopped ?? 'not said'}); ${m.pairs.length} of ${m.planned.length} planned pairs used`,
    );
  const flagged = new Map<string, string[]>();
  for (const o of m.outliers) {
    const key = `${o.a}-${o.b}`;
    flagged.set(key, [...(flagged.get(key) ?? []), o.message]);
  }
  if (flagged.size > 0)
    notes.push(
      `${file}: ${flagged.size} outlying pair(s) left out of the fit: ${[...flagged.values()].map((w) => w.join('; ')).join('; ')}`,
    );
  let kept = m.pairs.filter((p) => !flagged.has(`${p.a}-${p.b}`));
  if (m.transport === 'tcp' && kept.some((p) => p.class === 'cross-host')) {
    const local = kept.filter((p) => p.class === 'same-host');
    if (local.length > 0)
      notes.push(
        `${file}: same-host tcp pairs ${local.map((p) => `${p.a}-${p.b}`).join(', ')} left out: they go through the kernel's loopback, not IPoIB`,
      );
    kept = kept.filter((p) => p.class === 'cross-host');
  }
  const byPath = new Map<string, MatrixPair[]>();
  for (const p of kept) {
    const path = pathOfPair(m, p) ?? fallback;
    if (path === undefined) {
      const fa = m.ranks[p.a].function;
      const fb = m.ranks[p.b].function;
      throw new InputError(
        `cannot tell which path pair ${p.a}-${p.b} took (verbs, functions ${fa} and ${fb}, ${p.class}): add --path NAME`,
        file,
      );
    }
    byPath.set(path, [...(byPath.get(path) ?? []), p]);
  }
  if (byPath.size === 0) throw new InputError('every measured pair is an outlier: nothing left to fit', file);
  return [...byPath.entries()].map(([path, pairs], i) => ({
    kind: 'matrix',
    file,
    path,
    transport: m.transport,
    op: m.op,
    pairs,
    notes: i === 0 ? notes : [],
  }));
}
