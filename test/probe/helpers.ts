import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(ROOT, 'bin', 'ibvf.js');

export interface Done {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Starts `ibvf ARGS` as its own process (the built CLI, as users run it). */
export function start(
  args: string[],
  env: Record<string, string> = {},
  prefix: string[] = [],
): ChildProcess & { done: Promise<Done>; stderrSoFar: () => string } {
  const cmd = prefix.length > 0 ? prefix[0] : process.execPath;
  const argv = prefix.length > 0 ? [...prefix.slice(1), process.execPath, BIN, ...args] : [BIN, ...args];
  const child = spawn(cmd, argv, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<Done>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return Object.assign(child, { done, stderrSoFar: () => stderr });
}

export function ibvf(args: string[], env: Record<string, string> = {}): Promise<Done> {
  return start(args, env).done;
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'ibvf-probe-test-'));
}

/** Resolves when `text()` matches `re`, or rejects after ms. */
export async function waitFor(text: () => string, re: RegExp, ms = 20000): Promise<RegExpExecArray> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const m = re.exec(text());
    if (m) return m;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${re} in: ${text()}`);
}

/**
 * A launcher prefix whose ranks start ibvf through a Node process in between, as
 * `mpiexec -n N npx ibvf ...` does: each rank's parent is then its own wrapper (not the
 * launcher's proxy), and the launcher's PMI_FD does not reach ibvf.
 */
export function throughWrapper(launcher: string[]): string[] {
  const wrap =
    "const [c, ...a] = process.argv.slice(1); const p = require('node:child_process')" +
    ".spawn(c, a, { stdio: 'inherit' }); p.on('exit', (code) => process.exit(code ?? 1));";
  return [...launcher, process.execPath, '-e', wrap];
}
