import { describe, expect, it } from 'vitest';
import { memoryIo } from '../src/io.js';
import { progressReporter, startProgressBar } from '../src/progress-bar.js';

function ttyIo() {
  const io = memoryIo();
  io.stderrIsTTY = true;
  return io;
}

describe('startProgressBar', () => {
  it('draws on a terminal and ends at 100% on a new line', () => {
    const io = ttyIo();
    const bar = startProgressBar(io, 'work', 10)!;
    expect(bar).toBeDefined();
    for (let i = 1; i <= 10; i++) bar.update(i, 'step');
    bar.stop();
    expect(io.err).toContain('work ');
    expect(io.err).toContain('100%');
    expect(io.err.endsWith('\n')).toBe(true);
    expect(io.out).toBe('');
  });

  it('draws nothing when stderr is not a terminal', () => {
    const io = memoryIo();
    expect(startProgressBar(io, 'work', 10)).toBeUndefined();
    expect(io.err).toBe('');
  });

  it('draws nothing for a short run (below minTotal) or an empty one', () => {
    const io = ttyIo();
    expect(startProgressBar(io, 'work', 10, { minTotal: 11 })).toBeUndefined();
    expect(startProgressBar(io, 'work', 0)).toBeUndefined();
    expect(io.err).toBe('');
  });
});

describe('progressReporter', () => {
  it('starts at the first report and stops itself when done reaches total', () => {
    const io = ttyIo();
    const r = progressReporter(io, 'steps');
    r.report(0, 4, 'a');
    r.report(4, 4, 'b');
    const after = io.err;
    expect(after).toContain('100%');
    r.stop(); // already stopped: draws nothing more
    expect(io.err).toBe(after);
  });

  it('stays quiet below minTotal', () => {
    const io = ttyIo();
    const r = progressReporter(io, 'steps', { minTotal: 100 });
    r.report(1, 4);
    r.report(4, 4);
    r.stop();
    expect(io.err).toBe('');
  });
});
