import { describe, expect, it } from 'vitest';
import { parseGoal, simulate, type LogGOPSParams, type SimResult } from '../../../src/index.js';
import { SMALL } from './helpers.js';

/** Runs GOAL text in compatibility mode; SMALL is L=100 o=10 g=5 G=1 O=0 S=1000. */
function run(text: string, params: Partial<LogGOPSParams> = {}): SimResult {
  return simulate(parseGoal(text), { mode: 'compat', params: { ...SMALL, ...params } });
}

const PAIR = `num_ranks 2
rank 0 {
l1: send 11b to 1 tag 0
}
rank 1 {
l1: recv 11b from 0 tag 0
}
`;

describe('LogGOPS rules, hand-checked (compat mode, integer ns)', () => {
  it('eager send: sender CPU o+(s-1)O, message at o+L, receiver CPU o+max((s-1)O,(s-1)G)', () => {
    const r = run(PAIR);
    // Sender: CPU 0..10. Message at 0+10+100 = 110. Receiver CPU 110 + 10 + max(0, 10*1) = 130.
    expect(Array.from(r.finishNs)).toEqual([10, 130]);
    expect(r.maxFinishNs).toBe(130);
    expect(r.maxHost).toBe(1);
    expect(r.events).toBe(3); // send, recv, message
  });

  it('eager vs rendezvous: an operation after the send runs at once only when s <= S', () => {
    const text = `num_ranks 2
rank 0 {
l1: send 11b to 1
l2: calc 7
l2 requires l1
}
rank 1 {
l1: recv 11b from 0
}
`;
    // Eager: the send completes when it starts; calc waits for the CPU (free at 10): 10..17.
    expect(run(text, { S: 11 }).finishNs[0]).toBe(17);
    // Rendezvous (11 > S): the send completes when the message is matched at 110; the
    // sender's clocks are pulled up to 110, calc runs 110..117.
    expect(run(text, { S: 10 }).finishNs[0]).toBe(117);
    expect(run(text, { S: 10 }).finishNs[1]).toBe(130);
  });

  it('rendezvous with the message waiting in the unexpected queue completes when the receive is posted', () => {
    const text = `num_ranks 2
rank 0 {
l1: send 11b to 1
}
rank 1 {
l1: calc 500
l2: recv 11b from 0
l2 requires l1
}
`;
    // A calc completes (for its dependents) when it starts, so the receive is queued at
    // 500, when the CPU frees. The message (at 110) also waits for the CPU until 500 and,
    // created earlier, goes first: CPU 500..520, into the unexpected queue. The receive
    // posted at 500 finds it: the rendezvous send completes at 500 and the sender's CPU
    // clock is pulled up to 500.
    const r = run(text, { S: 10 });
    expect(Array.from(r.finishNs)).toEqual([500, 520]);
    expect(Array.from(run(text, { S: 11 }).finishNs)).toEqual([10, 520]);
  });

  it('calc occupies the CPU: independent calcs run one after another', () => {
    const r = run(`num_ranks 1
rank 0 {
l1: calc 50
l2: calc 30
}
`);
    expect(r.finishNs[0]).toBe(80);
    expect(r.events).toBe(2);
  });

  it('requires waits for completion, irequires only for the start', () => {
    const base = `num_ranks 2
rank 0 {
l1: send 11b to 1
l2: calc 7
l2 DEP l1
}
rank 1 {
l1: recv 11b from 0
}
`;
    // Rendezvous send (S=10). irequires: calc may start once the send started (t=0); the
    // CPU is free at 10, so calc runs 10..17; the match at 110 pulls the CPU clock up to 110.
    expect(run(base.replace('DEP', 'irequires'), { S: 10 }).finishNs[0]).toBe(110);
    // requires: calc waits for the match at 110 and runs 110..117.
    expect(run(base.replace('DEP', 'requires'), { S: 10 }).finishNs[0]).toBe(117);
  });

  it('NIC gap g: back-to-back sends are spaced by g+(s-1)G on the NIC', () => {
    const two = (g: number) =>
      run(
        `num_ranks 2
rank 0 {
l1: send 1b to 1
l2: send 1b to 1
}
rank 1 {
l1: recv 1b from 0
l2: recv 1b from 0
}
`,
        { g, G: 0 },
      );
    // g=50: second send waits for the NIC until 50, CPU 50..60.
    expect(two(50).finishNs[0]).toBe(60);
    // g=5 < o: the CPU (free at 10) is the limit, second send 10..20.
    expect(two(5).finishNs[0]).toBe(20);
    // Receiver (g=50): first message 110..120 (CPU), NIC busy until 160; the second arrives
    // at 50+110=160 and takes the CPU 160..170.
    expect(two(50).finishNs[1]).toBe(170);
  });

  it('G per byte charges both NICs and the receiver CPU', () => {
    const r = run(
      `num_ranks 2
rank 0 {
l1: send 11b to 1
l2: send 11b to 1
}
rank 1 {
l1: recv 11b from 0
l2: recv 11b from 0
}
`,
      { G: 3 },
    );
    // Sender NIC busy until 5+10*3 = 35, so the second send runs 35..45.
    // Receiver: first message at 110, CPU until 110+10+30 = 150 (NIC until 145);
    // second arrives at 35+110 = 145, waits for the CPU until 150, busy until 190.
    expect(Array.from(r.finishNs)).toEqual([45, 190]);
  });

  it('O per byte charges the sender CPU and the receiver CPU', () => {
    const r = run(
      `num_ranks 2
rank 0 {
l1: send 11b to 1
l2: send 11b to 1
}
rank 1 {
l1: recv 11b from 0
l2: recv 11b from 0
}
`,
      { O: 2, G: 0 },
    );
    // Sender CPU 10+10*2 = 30 per send: 0..30, 30..60. Receiver: 110..140, then the
    // second message (at 30+110 = 140) 140..170.
    expect(Array.from(r.finishNs)).toEqual([60, 170]);
  });

  it('zero-byte messages use LogGOPSim unsigned arithmetic: (0-1)*X wraps to -X', () => {
    const zero = `num_ranks 2
rank 0 {
l1: send 0b to 1
}
rank 1 {
l1: recv 0b from 0
}
`;
    // O=0, G=3: sender CPU 10 + 0; receiver 110 + 10 + max_u(0, 2^64-3) = 110+10-3 = 117.
    expect(Array.from(run(zero, { G: 3 }).finishNs)).toEqual([10, 117]);
    // O=2, G=3: sender 10-2 = 8; receiver max_u(2^64-2, 2^64-3) = -2: 118.
    expect(Array.from(run(zero, { G: 3, O: 2 }).finishNs)).toEqual([8, 118]);
  });

  it('matching is by (source, tag), in posting order', () => {
    const text = `num_ranks 2
rank 0 {
l1: send 11b to 1 tag 1
l2: send 11b to 1 tag 2
}
rank 1 {
l1: recv 11b from 0 tag 2
l2: recv 11b from 0 tag 1
l3: calc 1000
l3 requires l1
}
`;
    // Tag 1 arrives at 110 and matches l2 (not l1, posted first). Tag 2 (sent at 15,
    // arriving 125) waits for the CPU until 130, is received 130..150, completes l1:
    // calc 150..1150.
    expect(run(text).finishNs[1]).toBe(1150);
    // Same source and tag: the first posted receive takes the first message.
    const fifo = `num_ranks 2
rank 0 {
l1: send 11b to 1 tag 1
l2: calc 500
l3: send 11b to 1 tag 1
l3 requires l2
}
rank 1 {
l1: recv 11b from 0 tag 1
l2: recv 11b from 0 tag 1
l3: calc 1000
l3 requires l1
}
`;
    // The first message (110) completes l1: calc 130..1130. The second (sent 510..520,
    // arriving 620) waits for the CPU until 1130: 1130..1150. Had it matched l1, the calc
    // would have started only after 640.
    expect(run(fifo).finishNs[1]).toBe(1150);
  });

  it('ANY_SOURCE and ANY_TAG receives take the first message that arrived', () => {
    const text = `num_ranks 3
rank 0 {
l1: send 11b to 2 tag 7
}
rank 1 {
l1: calc 300
l2: send 11b to 2 tag 8
l2 requires l1
}
rank 2 {
l1: recv 11b from -1 tag -1
l2: recv 11b from 1 tag 8
l3: calc 1000
l3 requires l1
}
`;
    // Rank 0's message (110) matches the wildcard receive: calc 130..1130. Rank 1's
    // message (300+110 = 410) waits for the CPU until 1130, is received 1130..1150 and
    // matches l2. Had the wildcard waited for rank 1, the calc would end at 1430+.
    const r = run(text);
    expect(r.finishNs[2]).toBe(1150);
    expect(r.events).toBe(3 + 3 + 2);
    // The wildcard also searches the unexpected queue in arrival order.
    const late = `num_ranks 3
rank 0 {
l1: calc 200
l2: send 11b to 2 tag 1
l2 requires l1
}
rank 1 {
l1: send 11b to 2 tag 2
}
rank 2 {
l0: calc 1000
l1: recv 11b from -1 tag -1
l1 requires l0
l2: recv 11b from 0 tag 1
l2 requires l1
l3: calc 10000
l3 requires l2
}
`;
    // Both messages wait (CPU busy until 1000): rank 1's arrived first (110), rank 0's at
    // 310. At 1000 the messages take the CPU 1000..1020 and 1020..1040; the wildcard
    // receive takes rank 1's, l2 takes rank 0's, calc 1040..11040.
    expect(run(late).finishNs[2]).toBe(11040);
  });

  it('an exact message matches a wildcard receive posted before an exact one', () => {
    const text = `num_ranks 2
rank 0 {
l1: send 11b to 1 tag 5
}
rank 1 {
l1: recv 11b from -1 tag 5
l2: recv 11b from 0 tag -1
l3: calc 1000
l3 requires l1
l4: send 1b to 0 tag 9
l4 requires l2
}
`;
    // The message matches l1 (posted first): calc 130..1130; l2 is never matched.
    expect(() => run(text)).toThrow(/deadlock/);
  });

  it("a host's finishing time is when its CPU is last busy, not its NIC", () => {
    // One 1001-byte eager send with G=1: NIC busy until 5+1000, CPU only until 10.
    const r = run(PAIR.replace(/11b/g, '1001b'), { S: 5000 });
    expect(r.finishNs[0]).toBe(10);
    expect(r.finishNs[1]).toBe(110 + 10 + 1000);
  });

  it('ties go to the operation queued first; sends are queued before receives and calcs', () => {
    // Rank 0 has a calc posted before a send, both free at 0: LogGOPSim queues the send
    // first (type order), so the send takes the CPU 0..10 and the calc runs 10..60.
    const r = run(`num_ranks 2
rank 0 {
l1: calc 50
l2: send 11b to 1
}
rank 1 {
l1: recv 11b from 0
}
`);
    expect(r.finishNs[0]).toBe(60);
    expect(r.finishNs[1]).toBe(130);
  });
});
