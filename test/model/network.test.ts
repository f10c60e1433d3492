import { describe, expect, it } from 'vitest';
import { buildLayout, pathBetween, pathUsesHca, type Placement } from '../../src/model/layout/index.js';
import { buildNetwork, endsOf, layoutPairParams, nodeCosts } from '../../src/model/network.js';
import { pathOf } from '../../src/model/p2p/path.js';
import { cx3FdrKvm2013 as profile } from '../../src/profiles/cx3-fdr-kvm-2013.js';

describe('buildNetwork', () => {
  // The network finds each pair's path from the layout's arrays without naming it (it is
  // asked at every event of every message); it must be pathBetween's path.
  it.each([
    ['native', true],
    ['native', false],
    ['vm-per-core', false],
    ['vm-per-socket', true],
    ['vm-per-socket', false],
    ['vm-per-node', true],
    [{ vmsPerNode: 2 }, false],
  ] as [Placement, boolean][])(
    "gives every pair of %j (shm %s) its path and that path's parameters",
    (placement, shm) => {
      const layout = buildLayout({
        nodes: 2,
        procs: 16,
        socketsPerNode: 2,
        coresPerSocket: 8,
        placement,
        shm,
      });
      const costs = nodeCosts(profile, layout);
      // Blocking and event progress turn shared memory off (MVAPICH2): poll only with it on.
      for (const progress of shm ? (['poll'] as const) : (['poll', 'event'] as const)) {
        const net = buildNetwork(profile, layout, progress);
        for (let src = 0; src < layout.procs; src++) {
          for (let dst = 0; dst < layout.procs; dst++) {
            if (src === dst) continue;
            const name = pathBetween(layout, src, dst);
            expect(net.usesHca(src, dst)).toBe(pathUsesHca(name));
            for (const bytes of [1, 8192, 8192, 65536]) {
              const ends = endsOf(profile, layout, costs, src, dst);
              const expected = layoutPairParams(
                profile,
                costs,
                pathOf(profile, name),
                name,
                ends,
                bytes,
                progress,
              );
              expect(net.params(src, dst, bytes)).toEqual(expected);
            }
          }
        }
      }
    },
  );
});
