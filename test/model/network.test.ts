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

describe('buildNetwork: the simulator-only resources (rules 5 and 6)', () => {
  const layout = buildLayout({
    nodes: 2,
    procs: 16,
    socketsPerNode: 2,
    coresPerSocket: 8,
    placement: 'vm-per-node',
    shm: false,
  });

  it('with memoryQueue, leaves the socket bandwidth out of O and gives the engine each socket instead', () => {
    const stretched = buildNetwork(profile, layout, 'poll');
    const queued = buildNetwork(profile, layout, 'poll', { memoryQueue: true });
    expect(stretched.memory).toBeUndefined();
    // 8 ranks per node, 4 per socket: the stretch max(1, 4 / (copyPerByte x bandwidth)).
    const copy = profile.mpi.copyPerByte.value;
    const stretch = Math.max(1, 4 / (copy * profile.node.socketCopyBandwidth.value));
    expect(stretch).toBeGreaterThan(1);
    const a = stretched.params(0, 8, 2048); // an eager message to the other node
    const b = queued.params(0, 8, 2048);
    expect(a.O / b.O).toBeCloseTo(stretch, 12);
    expect(b.O).toBeGreaterThan(0);
    expect(queued.memory!.nsPerByte).toBeCloseTo(1000 / profile.node.socketCopyBandwidth.value, 15);
    const sockets = Array.from(layout.socketOf, (s, r) => `${layout.nodeOf[r]}/${s}`);
    for (let r = 0; r < 16; r++)
      for (let q = 0; q < 16; q++)
        expect(queued.memory!.socketOf[r] === queued.memory!.socketOf[q]).toBe(sockets[r] === sockets[q]);
  });

  it("gives each VM's ranks its VF's one vector, held for the bare-metal service plus the exits (ns)", () => {
    const net = buildNetwork(profile, layout, 'event');
    const v = profile.virtualization;
    for (let r = 0; r < 16; r++) expect(net.interrupts!.vectorOf[r]).toBe(layout.vmOf[r]);
    expect(Array.from(net.interrupts!.serviceNs)).toEqual(
      [0, 1].map(() => 1000 * (v.interruptService.value + v.interruptExitCost.value)),
    );
  });
});
