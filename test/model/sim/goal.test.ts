import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  InputError,
  OP_CALC,
  OP_RECV,
  OP_SEND,
  createScheduleBuilder,
  parseGoal,
  readGoalFile,
  simulate,
  writeGoal,
  writeGoalFile,
} from '../../../src/index.js';
import type { CompactSchedule } from '../../../src/model/sim/schedule.js';
import { SMALL, VALIDATION_DIR } from './helpers.js';
import { inputErrorOf } from '../../input-error.js';

/** The InputError a GOAL text raises. */
function errorOf(text: string): InputError {
  return inputErrorOf(() => parseGoal(text, 'bad.goal'));
}

describe('GOAL reader', () => {
  it('reads every statement form: labels, optional fields, wildcards, comments, dependencies', () => {
    const s = parseGoal(`// a comment line
num_ranks 3
/* a block
   comment */
rank 0 {
l1: send 8b to 1 tag 5
send 16b to 2        // unlabelled, tag 0
l3:calc 100 cpu 0
l3 requires l1
l3 irequires l1
}
rank 1 {
l1: recv 8b from -1 tag -1 cpu 0 nic 0
}
rank 2 {\r
x_y: recv 16 b from 0\r
}
`);
    expect(s.numRanks).toBe(3);
    expect(s.numOps).toBe(5);
    expect(fieldOf(s, 'kindOf')).toEqual([OP_SEND, OP_SEND, OP_CALC, OP_RECV, OP_RECV]);
    expect(fieldOf(s, 'rankOf')).toEqual([0, 0, 0, 1, 2]);
    expect(fieldOf(s, 'peerOf')).toEqual([1, 2, 0, -1, 0]);
    expect(fieldOf(s, 'tagOf')).toEqual([5, 0, 0, -1, 0]);
    expect(fieldOf(s, 'sizeOf')).toEqual([8, 16, 100, 8, 16]);
    expect(Array.from(s.depCount)).toEqual([0, 0, 2, 0, 0]);
    expect(Array.from(s.line!)).toEqual([6, 7, 8, 13, 16]);
  });

  it('reads the reference schedules (schedgen output)', () => {
    const s = readGoalFile(path.join(VALIDATION_DIR, 'linear_alltoall-32-8192.goal'));
    expect(s.numRanks).toBe(32);
    expect(s.numOps).toBe(32 * 62);
  });

  it('streams a file in chunks: lines across chunk borders parse the same', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ibvf-goal-'));
    const b = createScheduleBuilder(64);
    for (let r = 0; r < 64; r++) {
      for (let i = 1; i < 64; i++) {
        b.send(r, (r + i) % 64, 8192 + i, i);
        b.recv(r, (r - i + 64) % 64, 8192 + i, i);
      }
    }
    const file = path.join(dir, 'big.goal');
    // Pad with comments so the file spans several 4 MB reads.
    let text = '';
    writeGoal(b.build(), (t) => (text += t));
    const padded = text.replace(/\n/g, `  // ${'x'.repeat(1200)}\n`);
    writeFileSync(file, padded);
    expect(padded.length).toBeGreaterThan(9 << 20);
    const s = readGoalFile(file);
    expect(s.numOps).toBe(64 * 126);
    expect(s.sizeOf(125)).toBe(8192 + 63);
  });

  it('writes GOAL that reads back into the same schedule and the same times', () => {
    const b = createScheduleBuilder(3);
    const r0 = b.recv(0, 2, 4);
    const s0 = b.send(0, 1, 100, 3);
    const c0 = b.calc(0, 50);
    b.requires(s0, r0);
    b.irequires(c0, s0);
    const s2 = b.send(2, 0, 4);
    const r1 = b.recv(1, -1, 100, -1);
    const c1 = b.calc(1, 7);
    b.requires(c1, r1);
    expect(s2).toBe(3);
    const schedule = b.build();
    let text = '';
    writeGoal(schedule, (t) => (text += t));
    expect(text).toContain('l2: send 100b to 1 tag 3\n');
    expect(text).toContain('l1: recv 100b from -1 tag -1\n');
    expect(text).toContain('l2 requires l1\n');
    expect(text).toContain('l3 irequires l2\n');
    const again = parseGoal(text);
    expect(fieldOf(again, 'kindOf')).toEqual([OP_RECV, OP_SEND, OP_CALC, OP_RECV, OP_CALC, OP_SEND]);
    const a = simulate(schedule, { mode: 'compat', params: SMALL });
    const c = simulate(again, { mode: 'compat', params: SMALL });
    expect(Array.from(c.finishNs)).toEqual(Array.from(a.finishNs));
    expect(c.events).toBe(a.events);
    const dir = mkdtempSync(path.join(tmpdir(), 'ibvf-goal-'));
    writeGoalFile(schedule, path.join(dir, 'x.goal'));
    expect(readFileSync(path.join(dir, 'x.goal'), 'latin1')).toBe(text);
  });

  it('round-trips a reference schedule to identical results', () => {
    const original = readGoalFile(path.join(VALIDATION_DIR, 'binomialtreebcast-32-8192.goal'));
    let text = '';
    writeGoal(original, (t) => (text += t));
    const params = { L: 5000, o: 700, g: 1200, G: 3, O: 1, S: 4096 };
    expect(simulate(parseGoal(text), { mode: 'compat', params }).maxFinishNs).toBe(154865);
  });
});

describe('GOAL reader: malformed input names file and line', () => {
  const cases: [string, string, number, RegExp][] = [
    [
      'unknown op',
      'num_ranks 2\nrank 0 {\nl1: sned 8b to 1\n}\nrank 1 {\n}\n',
      3,
      /unknown operation 'sned'/,
    ],
    ['unknown statement', 'num_ranks 1\nrank 0 {\nhello world\n}\n', 3, /unknown statement 'hello world'/],
    [
      'dangling label',
      'num_ranks 1\nrank 0 {\nl1: calc 5\nl2 requires l1\n}\n',
      4,
      /label l2 is not defined in rank 0/,
    ],
    [
      'label from another rank',
      'num_ranks 2\nrank 0 {\nl1: calc 5\n}\nrank 1 {\nl2: calc 1\nl2 requires l1\n}\n',
      7,
      /label l1 is not defined in rank 1/,
    ],
    [
      'duplicate label',
      'num_ranks 1\nrank 0 {\nl1: calc 5\nl1: calc 6\n}\n',
      4,
      /label l1 is defined twice in rank 0 \(first at line 3\)/,
    ],
    [
      'dependency cycle',
      'num_ranks 1\nrank 0 {\na: calc 1\nb: calc 2\nc: calc 3\nb requires a\nc requires b\nb requires c\n}\n',
      8,
      /dependency cycle in rank 0: (b -> c -> b|c -> b -> c)/,
    ],
    [
      'self dependency',
      'num_ranks 1\nrank 0 {\nl1: calc 1\nl1 irequires l1\n}\n',
      4,
      /dependency cycle in rank 0: l1 -> l1/,
    ],
    [
      'rank out of range',
      'num_ranks 2\nrank 0 {\n}\nrank 2 {\n}\n',
      4,
      /rank 2 is out of range: num_ranks is 2/,
    ],
    [
      'peer out of range',
      'num_ranks 2\nrank 0 {\nl1: send 8b to 5\n}\nrank 1 {\n}\n',
      3,
      /send to rank 5 is out of range/,
    ],
    [
      'send to -1',
      'num_ranks 2\nrank 0 {\nl1: send 8b to -1\n}\nrank 1 {\n}\n',
      3,
      /a send needs a destination rank/,
    ],
    [
      'truncated: missing }',
      'num_ranks 2\nrank 0 {\nl1: send 8b to 1\n}\nrank 1 {\nl1: recv 8b from 0\n',
      6,
      /file ends inside rank 1's block \(opened at line 5\): missing "}"/,
    ],
    [
      'truncated: missing rank blocks',
      'num_ranks 4\nrank 0 {\n}\nrank 1 {\n}\n',
      5,
      /rank\(s\) 2, 3 have no block/,
    ],
    ['rank inside rank', 'num_ranks 2\nrank 0 {\nrank 1 {\n}\n', 3, /starts inside rank 0's block/],
    ['second block', 'num_ranks 1\nrank 0 {\n}\nrank 0 {\n}\n', 4, /rank 0 has a second block/],
    ['op outside block', 'num_ranks 1\nl1: calc 4\n', 2, /"calc" outside a rank block/],
    ['missing num_ranks', 'rank 0 {\n}\n', 1, /before "num_ranks N"/],
    [
      'missing b',
      'num_ranks 2\nrank 0 {\nl1: send 8 to 1\n}\nrank 1 {\n}\n',
      3,
      /expected "b" after the size/,
    ],
    [
      'garbage after op',
      'num_ranks 2\nrank 0 {\nl1: send 8b to 1 tag 0 foo\n}\nrank 1 {\n}\n',
      3,
      /unexpected 'foo' in a send/,
    ],
    [
      'bad number',
      'num_ranks 1\nrank 0 {\nl1: calc x\n}\n',
      3,
      /expected a whole number \(calc time\), found 'x'/,
    ],
    ['stray }', 'num_ranks 1\n}\n', 2, /"}" without an open rank block/],
    ['unclosed comment', 'num_ranks 1\nrank 0 {\n}\n/* never closed\n', 4, /inside a \/\* comment/],
  ];
  for (const [name, text, line, message] of cases) {
    it(`${name} -> bad.goal:${line}`, () => {
      const e = errorOf(text);
      expect(e.file).toBe('bad.goal');
      expect(e.line).toBe(line);
      expect(e.detail).toMatch(message);
      expect(e.message).toMatch(new RegExp(`^bad\\.goal:${line}: `));
      expect(e.message.includes('\n')).toBe(false);
    });
  }

  it('a file that cannot be read is an InputError naming it', () => {
    expect(() => readGoalFile('/nonexistent/x.goal')).toThrow(
      /\/nonexistent\/x\.goal: cannot read the GOAL file \(ENOENT\)/,
    );
  });
});

/** One field of every operation of a schedule, in op order. */
function fieldOf(s: CompactSchedule, field: 'kindOf' | 'rankOf' | 'peerOf' | 'tagOf' | 'sizeOf'): number[] {
  return Array.from({ length: s.numOps }, (_, op) => s[field](op));
}
