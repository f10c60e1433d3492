import type { PathParams, Profile } from '../../profiles/types.js';
import { verbsLatency } from './verbs.js';

/**
 * Latency (us) of a UPC one-sided get (upc_memget) of `bytes`: an RDMA read plus the
 * PGAS runtime's own cost (Jose et al., CCGrid 2013, Sec. V-C: "These operations
 * directly rely on RDMA Read operations").
 *
 *   upcGet(s) = read(s) + getOverhead
 */
export function upcGetLatency(profile: Profile, path: PathParams, bytes: number): number {
  return verbsLatency(path, 'read', bytes, 'poll') + profile.pgas.getOverhead.value;
}
