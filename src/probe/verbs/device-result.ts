/**
 * What an `ibvf.probe/1` result says about the verbs device measured (null for shm and
 * tcp). A run through the ibvf test double says so in `test_double`: its numbers
 * are a check of the probe's code paths, never a measurement of a fabric.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { RegionOptions } from './region.js';

export const VERBS_OPS = ['send', 'write', 'read'] as const;
export type VerbsOp = (typeof VERBS_OPS)[number];

/** The verbs options both sides run with (carried in the handshake's options). */
export interface VerbsOptions {
  op: VerbsOp;
  /** Inline size to use: -1 the device's maximum (found by search), 0 none. */
  inline: number;
  /** --device NAME and --ib-port N on this side (default: the first device, port 1). */
  device?: string;
  port?: number;
  /** 'numa' (the default): each side pins its threads to CPUs of its HCA's NUMA node (numa-pin.ts). */
  pin?: 'numa';
  /** --region, --region-stride, --region-sizes (region.ts). */
  region?: RegionOptions;
}

/** Where one side pinned by the HCA's NUMA node (numa-pin.ts's NumaPin). */
export const NumaPinResult = Type.Object({
  node: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
  node_cpus: Type.Array(Type.Integer({ minimum: 0 })),
  /** Per pair, the CPU the measuring thread was pinned to, or null (not pinned, or pinning failed). */
  cpus: Type.Array(Type.Union([Type.Integer({ minimum: 0 }), Type.Null()])),
  evidence: Type.String(),
});

export const VerbsDeviceResult = Type.Object({
  name: Type.String(),
  /** The libibverbs loaded (libibverbs.so.1, or IBVF_TEST_LIBIBVERBS). */
  library: Type.String(),
  test_double: Type.Boolean({
    description: 'measured through the ibvf test double (no HCA): not a measurement',
  }),
  function: Type.Union([Type.Literal('pf'), Type.Literal('vf'), Type.Literal('unknown')]),
  function_evidence: Type.String(),
  /** The path MTU the QP was connected with (the smaller of the two sides' active MTUs). */
  path_mtu: Type.Integer(),
  inline: Type.Object({
    /** The device's maximum inline size: what the provider granted for the largest accepted request. */
    max_bytes: Type.Integer({ minimum: 0 }),
    max_requested: Type.Integer({ minimum: 0 }),
    /** QPs created by the binary search on cap.max_inline_data (max_send_wr 128, max_send_sge 1 fixed). */
    probes: Type.Integer({ minimum: 0 }),
    /** The inline size the measuring QP was created with (0: no inline). */
    used_bytes: Type.Integer({ minimum: 0 }),
  }),
});
export type VerbsDeviceResult = Static<typeof VerbsDeviceResult>;
