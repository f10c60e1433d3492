/**
 * What calibration takes from an `ibvf.probe/1` file besides its runs: the profile path
 * it measured, whether it is a measurement at all (a test double's output is not), and
 * what a partial run is missing.
 */
import { InputError } from '../errors.js';
import type { ProbeResult } from '../probe/result.js';

/**
 * The profile path a probe transport measured: shm is the shared-memory path; tcp is TCP
 * over IPoIB, from a guest (ipoib-vf) or a host (ipoib-native) as the host info says.
 * verbs has no path of its own (native, vf, loopbacks): the caller must name it.
 */
export function pathOfProbe(result: ProbeResult): string | null {
  if (result.transport === 'shm') return 'shm';
  if (result.transport === 'tcp') return result.host.is_vm ? 'ipoib-vf' : 'ipoib-native';
  return null;
}

const DOUBLE = /test double|simulat|fake|mock/i;

/**
 * Refuses a result produced on the verbs test double: its numbers are constructed, not
 * measured. The verbs probe marks it in `device.test_double` (src/probe/verbs/device-result.ts);
 * a top-level `double: true` or `test_double: true` field, or a verbs result whose host or
 * device name or library says double/simulated, is refused too.
 */
export function refuseTestDouble(result: ProbeResult, file: string): void {
  const extra = result as unknown as Record<string, unknown>;
  const marked = extra.double === true || extra.test_double === true || result.device?.test_double === true;
  const said = [
    result.host.name,
    result.host.cpu,
    result.host.vm_evidence,
    result.device?.name ?? '',
    result.device?.library ?? '',
  ].some((text) => DOUBLE.test(text));
  if (marked || (result.transport === 'verbs' && said)) {
    throw new InputError(
      'produced on the verbs test double, not on hardware: its numbers are not measurements; calibrate from a probe run on a real HCA',
      file,
    );
  }
}

/** The warning for a partial result: why it stopped and which planned measurements are missing; null when complete. */
export function partialWarning(result: ProbeResult, file: string): string | null {
  if (!result.partial) return null;
  const missing: string[] = [];
  const planned = result.options.sizes;
  for (const mode of result.options.progress) {
    if (result.options.suite === 'loggp') {
      const have = new Set(result.prtt.filter((r) => r.mode === mode).map((r) => r.bytes));
      const lost = planned.filter((s, i) => i % 2 === 0 && !have.has(s));
      if (lost.length > 0) missing.push(`${mode} PRTT at ${lost.join(', ')} B`);
    } else {
      const have = new Set(
        result.latency.filter((r) => r.mode === mode).flatMap((r) => r.sizes.map((p) => p.bytes)),
      );
      const lost = planned.filter((s) => !have.has(s));
      if (lost.length > 0) missing.push(`${mode} ping-pong at ${lost.join(', ')} B`);
      if (!result.streaming.some((r) => r.mode === mode)) missing.push(`${mode} streaming`);
    }
  }
  return (
    `${file}: partial probe result (stopped: ${result.stopped ?? 'not said'}); used as far as it goes, ` +
    `missing ${missing.length > 0 ? missing.join('; ') : 'nothing the plan names'}`
  );
}

/**
 * Refuses a run marked as inside a VM spanning both sockets (`--spanning-vm`,
 * placement.relation "spanning-vm") whose host the probe found not to be a VM (the cpuid
 * hypervisor bit and the DMI names, src/probe/hostinfo.ts): the flag is the user's word,
 * the hypervisor check the probe's, and the fit of spanningRemoteShare needs both.
 */
export function refuseSpanningOutsideVm(result: ProbeResult, file: string): void {
  if (result.placement.relation !== 'spanning-vm' || result.host.is_vm) return;
  throw new InputError(
    `placement.relation is "spanning-vm" but the probe found no hypervisor on ${result.host.name} (${result.host.vm_evidence}); ` +
      'run `ibvf probe run --transport shm --spanning-vm` inside the VM that spans the sockets',
    file,
  );
}
