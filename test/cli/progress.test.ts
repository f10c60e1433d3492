import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LONG_RUN_SIMULATIONS } from '../../src/cli/collective-options.js';
import { LONG_SCHEDULE_OPS } from '../../src/cli/commands/sim.js';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

/** Runs `ibvf ARGS` in-process with stderr a (fake) terminal or not. */
async function ibvf(tty: boolean, ...args: string[]) {
  const io = memoryIo();
  io.stderrIsTTY = tty;
  const code = await main(args, io);
  return { code, out: io.out, err: io.err };
}

/** The bar as drawn: its label, and 100% when it ends (cli-progress redraws the line with \r and escapes). */
function expectFinishedBar(err: string, label: string) {
  expect(err).toContain(`${label} `);
  expect(err).toMatch(/100% \|/);
  expect(err.endsWith('\n')).toBe(true);
}

// 1 + DRAWS simulated draws of one size: a long run by LONG_RUN_SIMULATIONS.
const DRAWS = String(LONG_RUN_SIMULATIONS + 10);
const predictArgs = [
  'predict',
  '--op',
  'bcast',
  '--nodes',
  '2',
  '--procs',
  '4',
  '--sizes',
  '8:8',
  '--draws',
  DRAWS,
];
const whatifArgs = [
  'whatif',
  '--op',
  'bcast',
  '--nodes',
  '2',
  '--procs',
  '4',
  '--sizes',
  '8:8',
  '--placements',
  'native,vm-per-core',
  '--draws',
  DRAWS,
];

describe('progress bars on long simulations', () => {
  it.each([
    ['predict', predictArgs],
    ['whatif', whatifArgs],
  ] as const)(
    '%s draws a bar that finishes on a terminal, nothing otherwise, and the same answer',
    async (command, args) => {
      const tty = await ibvf(true, ...args);
      expect(tty.code).toBe(0);
      expectFinishedBar(tty.err, command);
      const plain = await ibvf(false, ...args);
      expect(plain.code).toBe(0);
      expect(plain.err).toBe('');
      expect(plain.out).toBe(tty.out);
    },
  );

  it('predict with --progress (the MPI progress mode) still draws the bar', async () => {
    const r = await ibvf(true, ...predictArgs, '--progress', 'blocking');
    expect(r.code).toBe(0);
    expectFinishedBar(r.err, 'predict');
  });

  it('a short predict (closed-form range) draws no bar even on a terminal', async () => {
    const r = await ibvf(true, ...predictArgs.slice(0, -2), '--closed-form-draws');
    expect(r.code).toBe(0);
    expect(r.err).not.toMatch(/%/);
  });

  it('sim draws a bar on a long schedule on a terminal, nothing otherwise', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ibvf-progress-'));
    const perRank = LONG_SCHEDULE_OPS / 2;
    const rank = (r: number) =>
      `rank ${r} {\n${Array.from({ length: perRank }, (_, i) => `l${i}: calc 1`).join('\n')}\n}\n`;
    const file = path.join(dir, 'long.goal');
    writeFileSync(file, `num_ranks 2\n${rank(0)}${rank(1)}`);
    const tty = await ibvf(true, 'sim', file);
    expect(tty.code).toBe(0);
    expect(tty.out).toMatch(/^Maximum finishing time at host \d: 100000$/m);
    expectFinishedBar(tty.err, 'sim');
    const plain = await ibvf(false, 'sim', file);
    expect(plain.code).toBe(0);
    expect(plain.err).toBe('');
  }, 60_000);
});
