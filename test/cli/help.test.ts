import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { runIbvf } from './run.js';

/** Every command and subcommand of `ibvf`, as the words that name it. */
function allCommands(): { path: string[]; cmd: Command }[] {
  const out: { path: string[]; cmd: Command }[] = [];
  const walk = (cmd: Command, path: string[]) => {
    for (const sub of cmd.commands) {
      out.push({ path: [...path, sub.name()], cmd: sub });
      walk(sub, [...path, sub.name()]);
    }
  };
  walk(buildProgram(memoryIo()), []);
  return out;
}

describe('ibvf help', () => {
  it('bare `ibvf` prints the usage on stderr and exits 2; `ibvf --help` prints it on stdout and exits 0', async () => {
    const bare = await runIbvf();
    expect(bare.code).toBe(2);
    expect(bare.out).toBe('');
    expect(bare.err).toMatch(/^Usage: ibvf /);
    const asked = await runIbvf('--help');
    expect(asked.code).toBe(0);
    expect(asked.err).toBe('');
    expect(asked.out).toBe(bare.err);
  });

  it('every command has examples, and none ends in a literal "..."', async () => {
    for (const { path } of allCommands()) {
      const help = await runIbvf(...path, '--help');
      expect(help.code, path.join(' ')).toBe(0);
      const examples = /\nExamples?:\n([\s\S]*)$/.exec(help.out);
      expect(examples, `ibvf ${path.join(' ')} --help has examples`).not.toBeNull();
      for (const line of examples![1].split('\n'))
        expect(line, `ibvf ${path.join(' ')}`).not.toMatch(/\.\.\.\s*$/);
    }
  });

  it('descriptions break lines only between sentences (commander wraps them to the terminal)', () => {
    for (const { path, cmd } of allCommands()) {
      const texts = [cmd.description(), ...cmd.options.map((o) => o.description)];
      // an indented table (a newline then spaces) is printed as written, like commander's preformatted()
      const prose = texts.filter((t) => !/\n[^\S\r\n]/.test(t));
      for (const text of prose) expect(text, `ibvf ${path.join(' ')}`).not.toMatch(/[^.:;]\n/);
    }
  });

  it('probe run says --transport is required and --suite defaults to quick; probe serve names each default once', async () => {
    const run = (await runIbvf('probe', 'run', '--help')).out;
    const flat = (text: string) => text.replace(/\s+/g, ' ');
    expect(flat(run)).toMatch(
      /--transport <shm\|tcp\|verbs> what to measure: shm \(shared memory, one host\), tcp \(TCP_NODELAY\) or verbs \(InfiniBand RC QPs\) \(required\)/,
    );
    expect(flat(run)).toMatch(
      /--suite <quick\|full\|loggp> quick \(<30 s\), full \(quick's runs, longer, and loggp's PRTT runs\), or loggp \(PRTT\(n,d,s\) for LogGP fitting\) \(default: quick\)/,
    );
    expect(flat(run)).toContain('(and write a file only if --out is given)');
    const serve = (await runIbvf('probe', 'serve', '--help')).out;
    expect(flat(serve)).toContain('address to listen on (0.0.0.0: every interface) (default: "0.0.0.0")');
    expect(serve).not.toContain('(default all)');
  });
});
