/**
 * `ibvf devices`: every RDMA device libibverbs sees (through the addon), with its ports,
 * GIDs, and whether it is a PF or a VF and why (sysfs, function-kind.ts), and the NUMA
 * node of its PCI function.
 */
import { loadAddon, type VerbsNativeDevice, type VerbsPort } from '../native.js';
import { classifyFunction, type FunctionKind } from './function-kind.js';
import { readPciFacts, sysfsRoot } from './sysfs.js';

export interface DevicePort {
  port: number;
  state: string;
  link_layer: string;
  active_mtu: number | null;
  lid: number | null;
  /** ibv_port_attr's active_width and active_speed codes (verbs.h's IBV_WIDTH_* / speed encoding). */
  active_width: number | null;
  active_speed: number | null;
  /** GID table entries that are set: index, GID, and its type. */
  gids: { index: number; gid: string; type: 'InfiniBand' | 'RoCE' }[];
  error?: string;
}

export interface DeviceReport {
  name: string;
  firmware: string | null;
  vendor_id: number | null;
  vendor_part_id: number | null;
  function: FunctionKind;
  function_evidence: string;
  numa_node: number | null;
  ports: DevicePort[];
  error?: string;
}

export interface DevicesReport {
  /** The libibverbs loaded, or null when none could be. */
  library: string | null;
  /** True when the library is the ibvf test double: nothing here is real hardware. */
  test_double: boolean;
  sysfs: string;
  devices: DeviceReport[];
  /** Why there are none. */
  why?: string;
}

function port(p: VerbsPort): DevicePort {
  const type = p.linkLayer === 'ethernet' ? ('RoCE' as const) : ('InfiniBand' as const);
  return {
    port: p.port,
    state: p.state ?? 'unknown',
    link_layer: p.linkLayer ?? 'unknown',
    active_mtu: p.activeMtu ?? null,
    lid: p.lid ?? null,
    active_width: p.activeWidth ?? null,
    active_speed: p.activeSpeed ?? null,
    gids: (p.gids ?? []).map((g) => ({ ...g, type })),
    ...(p.error ? { error: p.error } : {}),
  };
}

function device(d: VerbsNativeDevice, root: string): DeviceReport {
  const facts = readPciFacts(root, d.name);
  const fn = classifyFunction(facts, d.vendorPartId);
  return {
    name: d.name,
    firmware: d.firmware ?? null,
    vendor_id: d.vendorId ?? null,
    vendor_part_id: d.vendorPartId ?? null,
    function: fn.kind,
    function_evidence: fn.evidence,
    numa_node: facts.numaNode === undefined || facts.numaNode < 0 ? null : facts.numaNode,
    ports: (d.ports ?? []).map(port),
    ...(d.error ? { error: d.error } : {}),
  };
}

/** Lists the devices; never throws for a machine without RDMA (the report says why). */
export function listDevices(env: Record<string, string | undefined> = process.env): DevicesReport {
  const addon = loadAddon();
  const root = sysfsRoot(env);
  if (!addon.verbsDevices)
    return { library: null, test_double: false, sysfs: root, devices: [], why: addon.verbsUnavailable };
  const raw = addon.verbsDevices();
  return {
    library: raw.library,
    test_double: raw.testDouble,
    sysfs: root,
    devices: raw.devices.map((d) => device(d, root)),
    ...(raw.why ? { why: raw.why } : {}),
  };
}
