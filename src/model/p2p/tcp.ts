import type { PathParams, Profile } from '../../profiles/types.js';
import { pathOf } from './path.js';
import { verbsLatency } from './verbs.js';

/**
 * One-way latency (us) of TCP over IPoIB, as half of a netperf TCP_RR round trip
 * (our reading of Jose et al. Sec. V-B: netperf prints transactions per second; the
 * latency is 1 / (2 x rate), the half round trip perftest and OSU report too).
 *
 *   tcp(s) = o_s + o_r + 2 s O + send_carrier(min(s, mtu)) + E_carrier + (s - min(s, mtu)) G
 *
 * The kernel stack costs o_s + o_r per message (larger in a guest: the paper's "TCP
 * stack overheads are significant in virtualized mode"); each datagram rides a verbs
 * send on the carrier path (a UD QP), and the receiver is always woken by the
 * carrier's completion interrupt, which on a VF is the costly virtualized interrupt of
 * Fig. 4(a). Later packets of a large message stream at the IPoIB rate G.
 */
export function tcpLatency(profile: Profile, path: PathParams, bytes: number): number {
  const carrier = pathOf(profile, path.carrier ?? '');
  const first = Math.min(bytes, path.mtu.value);
  return (
    path.o_s.value +
    path.o_r.value +
    2 * bytes * path.O.value +
    verbsLatency(carrier, 'send', first, 'event') +
    (bytes - first) * path.G.value
  );
}
