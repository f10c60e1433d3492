import type { Command } from 'commander';
import { listDevices, type DevicesReport } from '../../probe/verbs/devices.js';
import { formatJson } from '../format.js';
import type { CliIo } from '../io.js';

const hex = (n: number | null) => (n === null ? '?' : `0x${n.toString(16).padStart(4, '0')}`);

/** The report as text: one block per device, its evidence for PF/VF, one line per port. */
export function devicesText(r: DevicesReport): string {
  const lines: string[] = [];
  if (r.test_double) lines.push(`test double loaded (${r.library}): these are not real devices`);
  if (r.devices.length === 0) {
    lines.push(`ibvf devices: ${r.why ?? 'no RDMA devices'}`);
    return lines.join('\n') + '\n';
  }
  for (const d of r.devices) {
    lines.push(
      `${d.name}  ${d.function.toUpperCase()}  firmware ${d.firmware ?? '?'}  vendor ${hex(d.vendor_id)} ` +
        `part ${hex(d.vendor_part_id)}  NUMA node ${d.numa_node ?? 'unknown'}`,
    );
    lines.push(`  ${d.function}: ${d.function_evidence}`);
    if (d.error) lines.push(`  error: ${d.error}`);
    for (const p of d.ports) {
      lines.push(
        `  port ${p.port}: ${p.state}, ${p.link_layer}, MTU ${p.active_mtu ?? '?'}, LID ${p.lid ?? '?'}, ` +
          `width code ${p.active_width ?? '?'}, speed code ${p.active_speed ?? '?'}`,
      );
      for (const g of p.gids) lines.push(`    GID ${g.index} ${g.gid} (${g.type})`);
    }
  }
  return lines.join('\n') + '\n';
}

/** `ibvf devices [--json]`: the RDMA devices the verbs probe can use. */
export function registerDevices(program: Command, io: CliIo): void {
  program
    .command('devices')
    .summary('list the RDMA devices (PF or VF, ports, GIDs, NUMA node) the verbs probe can use')
    .description(
      'List every RDMA device libibverbs sees: port state, MTU, LID, GID table, firmware, vendor part id, ' +
        'the NUMA node of its PCI function, and whether it is a physical function (PF) or an SR-IOV virtual ' +
        'function (VF), with the sysfs files that decided it. With no devices it says why, and exits 0.',
    )
    .option('--json', 'print {"library","test_double","sysfs","devices":[...],"why"} on stdout')
    .addHelpText(
      'after',
      '\nExamples:\n  ibvf devices\n  ibvf devices --json\n' +
        '  ibvf probe run --transport verbs --op send      measure the first device\n',
    )
    .action((opts: { json?: boolean }) => {
      const report = listDevices();
      io.stdout(opts.json ? formatJson(report) : devicesText(report));
    });
}
