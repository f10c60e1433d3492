import type { CollectivePrediction, CollectiveRow } from '../model/predict-collective.js';
import type { Assumption, SensitivityRow } from '../model/sensitivity.js';
import { formatCsv, formatTable } from './format.js';

export function layoutLine(p: CollectivePrediction): string {
  const l = p.layout;
  const vms =
    l.perNode.vms === 0
      ? `${l.perNode.ranks} ranks per node, no VMs`
      : `${l.perNode.vms} VM${l.perNode.vms > 1 ? 's' : ''} x ${l.perNode.vcpusPerVm.join('/')} vCPU per node`;
  return `${l.nodes} nodes, ${l.procs} ranks, ${l.placement} (${vms}), shm ${l.shm ? 'on' : 'off'}, progress ${l.progress}, engine ${p.engine}`;
}

export function collectiveTable(p: CollectivePrediction, title: string): string {
  return formatTable<CollectiveRow>(
    [
      { header: 'Size', value: (r) => r.bytes },
      { header: 'Avg Latency(us)', value: (r) => r.latency_us },
      {
        header: '95% range (us)',
        value: (r) => `${r.latency_lo_us.toFixed(2)}-${r.latency_hi_us.toFixed(2)}`,
      },
      { header: 'Max Latency(us)', value: (r) => r.max_us },
      { header: 'Algorithm', value: (r) => r.algorithm },
    ],
    p.rows,
    title,
  );
}

export const COLLECTIVE_CSV_FIELDS = [
  { name: 'bytes', value: (r: CollectiveRow) => r.bytes },
  { name: 'latency_us', value: (r: CollectiveRow) => r.latency_us },
  { name: 'latency_lo_us', value: (r: CollectiveRow) => r.latency_lo_us },
  { name: 'latency_hi_us', value: (r: CollectiveRow) => r.latency_hi_us },
  { name: 'max_us', value: (r: CollectiveRow) => r.max_us },
  { name: 'algorithm', value: (r: CollectiveRow) => r.algorithm },
];

export function collectiveCsv(rows: readonly CollectiveRow[]): string {
  return formatCsv(COLLECTIVE_CSV_FIELDS, rows);
}

const num = (v: number) =>
  Number.isInteger(v) ? String(v) : Math.abs(v) < 0.01 ? v.toExponential(2) : v.toFixed(3);

export function sensitivityTable(rows: readonly SensitivityRow[], bytes: number): string {
  return formatTable<SensitivityRow>(
    [
      { header: 'Assumed parameter', value: (r) => r.field },
      { header: 'lo / value / hi', value: (r) => `${r.values.map(num).join(' / ')} ${r.unit}` },
      {
        header: 'Latency at lo / value / hi (us)',
        value: (r) => r.latency_us.map((x) => x.toFixed(2)).join(' / '),
      },
      {
        header: 'Swing',
        value: (r) =>
          `${((100 * (Math.max(...r.latency_us) - Math.min(...r.latency_us))) / r.latency_us[1]).toFixed(1)}%`,
      },
    ],
    rows,
    `sensitivity at ${bytes} bytes: each assumption over its 95% interval, all others at their values`,
  );
}

export function assumptionLines(list: readonly Assumption[]): string {
  if (list.length === 0) return '';
  return `# assumptions this answer rests on (ibvf profile show lists all; --sensitivity sweeps those of the VM layouts; whatif --explain shows which mechanism makes each gap):\n${list
    .map((a) => `#   ${a.field} = ${num(a.value)} ${a.unit}: ${a.why}`)
    .join('\n')}\n`;
}
