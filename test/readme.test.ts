/**
 * The README's command block runs as written: every `ibvf ...` line under `## Commands`
 * is run from the repository's folder (the inputs it names are in examples/) through
 * bin/ibvf.js, and must exit 0. The lines that measure this host or wait for a peer are
 * listed below with the reason they are not run; the list must match the README.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './fixtures.js';

const BIN = path.join(REPO_ROOT, 'bin', 'ibvf.js');

/** Lines not run, by how they start, and why. */
const NOT_RUN: Record<string, string> = {
  'ibvf probe run --transport shm --suite quick --out shm.json':
    'measures this host for up to 30 s (test/cli/probe-json.test.ts runs a small probe)',
  'ibvf probe serve': 'waits for peers until it is stopped',
  'ibvf probe compute':
    'measures this host and writes node.json into the folder it runs in (test/cli/probe-compute.test.ts runs it small, in a temporary one)',
  'mpiexec ': 'needs an MPI launcher, and measures',
  'ibvf graph500 ':
    'runs for up to a minute and writes its cache into the home folder (test/cli/graph500.test.ts runs it small, with a temporary cache)',
  'ibvf calibrate ':
    'writes host.json into the folder it runs in (test/cli/calibrate.test.ts runs it in a temporary one)',
};

/** The commands of the fenced block under `## Commands`, without comments and blank lines. */
function readmeCommands(): string[] {
  const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const block = /^## Commands\n+```sh\n([\s\S]*?)\n```/m.exec(readme);
  if (!block) throw new Error('README.md has no ```sh block under "## Commands"');
  return block[1]
    .split('\n')
    .map((line) => line.replace(/(^|\s)#.*$/, '').trim())
    .filter((line) => line !== '');
}

/** Splits a command line into words, and a `> FILE` redirection of stdout. */
function words(line: string): { argv: string[]; redirect?: string } {
  const m = /^(.*?)\s+>\s+(\S+)$/.exec(line);
  const argv = (m ? m[1] : line).split(/\s+/);
  return m ? { argv, redirect: m[2] } : { argv };
}

const commands = readmeCommands();
const skipped = (line: string) => Object.keys(NOT_RUN).find((start) => line.startsWith(start));

describe("the README's commands", () => {
  it('are ibvf commands, and each line not run is listed with its reason', () => {
    expect(commands.length).toBeGreaterThan(15);
    for (const line of commands) if (!skipped(line)) expect(line).toMatch(/^ibvf /);
    for (const start of Object.keys(NOT_RUN))
      expect(
        commands.some((c) => c.startsWith(start)),
        start,
      ).toBe(true);
  });

  const out = mkdtempSync(path.join(tmpdir(), 'ibvf-readme-'));
  for (const line of commands.filter((c) => !skipped(c))) {
    it(line, () => {
      const { argv, redirect } = words(line);
      const r = spawnSync(process.execPath, [BIN, ...argv.slice(1)], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(r.status, `${line}\n${r.stderr}`).toBe(0);
      expect(r.stdout.length).toBeGreaterThan(0);
      // `> FILE`: the file goes to a temporary folder, not into the repository
      if (redirect) writeFileSync(path.join(out, redirect), r.stdout);
    });
  }

  it('the profile written by `profile show --json > mine.json` loads with --profile', () => {
    const file = path.join(out, 'mine.json');
    const shown = spawnSync(process.execPath, [BIN, 'profile', 'show', 'cx3-fdr-kvm-2013', '--json'], {
      encoding: 'utf8',
    });
    writeFileSync(file, shown.stdout);
    const r = spawnSync(process.execPath, [BIN, 'predict', '--profile', file, '--sizes', '1:1'], {
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
  });
});
