import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { RunError } from '../errors.js';
import { packageRoot } from './native.js';

export interface SpawnedPeer {
  port: number;
  child: ChildProcess;
  /** What the peer said on stderr (for error messages). */
  log(): string;
}

/**
 * Starts `ibvf probe serve --once` on 127.0.0.1 as a child process (the one-host case
 * of `ibvf probe run` with no --peer) and resolves with the port it listens on.
 */
export function spawnPeer(token: string, timeoutS: number): Promise<SpawnedPeer> {
  const bin = join(packageRoot(), 'bin', 'ibvf.js');
  const child = spawn(
    process.execPath,
    [bin, 'probe', 'serve', '--once', '--bind', '127.0.0.1', '--port', '0', '--timeout', String(timeoutS)],
    {
      env: {
        ...process.env,
        IBVF_TOKEN: token,
        PMI_RANK: '',
        OMPI_COMM_WORLD_RANK: '',
        PMIX_RANK: '',
        SLURM_PROCID: '',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let err = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new RunError(`the peer process did not start within ${timeoutS} s: ${err.trim()}`));
    }, timeoutS * 1000);
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /listening on [^\s]+:(\d+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve({ port: Number(m[1]), child, log: () => err });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new RunError(`the peer process exited (code ${code}) before listening: ${err.trim()}`));
    });
  });
}
