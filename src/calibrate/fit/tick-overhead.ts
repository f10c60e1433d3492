/**
 * `virtualization.tickOverhead` from a guest noise run that is not oversubscribed, against
 * the host's run (`ibvf probe noise` in a VM and on its host).
 *
 * Rule 1 (src/model/virtualization.ts): in a VM every CPU cost stretches by 1 + t (the
 * guest's timer ticks and their VM exits), and further only when the node's demand exceeds
 * its cores. With the node not oversubscribed the guest's stretch over the host's is all
 * ticks: 1 + t = s_guest / s_host, both stretches over the same undisturbed quantum (per
 * loop of the same work, so runs calibrated apart compare).
 */
export function tickOverheadOf(guestStretch: number, hostStretch: number): number {
  if (!(hostStretch > 0)) throw new RangeError(`tickOverhead: the host stretch is ${hostStretch}, not > 0`);
  return guestStretch / hostStretch - 1;
}
