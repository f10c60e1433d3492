/**
 * The two sides' active MTUs must agree. RC would connect at the smaller one, so a run
 * between ports set differently measures neither port as configured (the paper's
 * testbed and perftest's defaults assume one MTU across the fabric); the probe stops
 * before any QP is connected and names both values, on both sides. Pure.
 */

/** One side's port as the handshake carries it. */
export interface PortMtu {
  device: string;
  port: number;
  mtu: number;
}

export function mtuMismatch(client: PortMtu, server: PortMtu): string | undefined {
  if (client.mtu === server.mtu) return undefined;
  return (
    `active MTU mismatch: the client's ${client.device} port ${client.port} runs MTU ${client.mtu}, ` +
    `the server's ${server.device} port ${server.port} runs MTU ${server.mtu}; RC would connect at ` +
    `${Math.min(client.mtu, server.mtu)}, measuring neither port as set: give both ports one MTU ` +
    '(ibv_devinfo shows active_mtu)'
  );
}
