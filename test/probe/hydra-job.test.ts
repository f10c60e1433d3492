import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  hydraProxyKey,
  kvsnameOverPmi,
  parentOfStat,
  parseKvsnameReply,
  proxyAncestorKey,
  type ProcTree,
} from '../../src/probe/hydra-job.js';
import { hasTool } from '../requirements.js';
import { ROOT } from './helpers.js';

// The proxy's command line as MPICH 4.0.2's mpiexec starts it (read from /proc on this machine).
const PROXY = [
  '/usr/bin/hydra_pmi_proxy',
  '--control-port',
  'vm:41189',
  '--rmk',
  'user',
  '--launcher',
  'ssh',
  '--demux',
  'poll',
  '--pgid',
  '0',
  '--retries',
  '10',
  '--usize',
  '-2',
  '--proxy-id',
  '0',
];

describe('the job of an MPICH Hydra rank', () => {
  it('reads the kvsname from the PMI-1 reply, and nothing from other replies', () => {
    expect(parseKvsnameReply('cmd=my_kvsname kvsname=kvs_8462_0_349584281_vm\n')).toBe(
      'kvs_8462_0_349584281_vm',
    );
    expect(parseKvsnameReply('cmd=my_kvsname kvsname=kvs_1 rc=0\n')).toBe('kvs_1');
    expect(parseKvsnameReply('cmd=my_kvsname kvsname=kvs_1 rc=-1\n')).toBeUndefined();
    expect(parseKvsnameReply('cmd=response_to_init rc=0\n')).toBeUndefined();
    expect(parseKvsnameReply('cmd=my_kvsname kvsname=../../etc\n')).toBeUndefined();
    expect(parseKvsnameReply('')).toBeUndefined();
  });

  it("keys a job by its proxy's control address and process group", () => {
    expect(hydraProxyKey(PROXY)).toBe('hydra-vm:41189-pg0');
    expect(hydraProxyKey(['node', '/usr/bin/npx', 'ibvf'])).toBeUndefined();
    expect(hydraProxyKey(['/usr/bin/hydra_pmi_proxy'])).toBeUndefined();
    expect(hydraProxyKey([])).toBeUndefined();
  });

  it('reads the parent pid from /proc/PID/stat, also when the name holds spaces and parentheses', () => {
    expect(parentOfStat('9115 (node) S 9113 9115 9107 0 -1 4194560')).toBe(9113);
    expect(parentOfStat('77 (a (b) c) R 12 77 1')).toBe(12);
    expect(parentOfStat('garbage')).toBeUndefined();
  });

  it('finds the proxy above a wrapper (npx: node -> sh -> node), so every rank gets the same key', () => {
    // rank 0: proxy 100 -> npx 101 -> sh 102 -> ibvf 103; rank 1: proxy 100 -> npx 201 -> ibvf 202
    const parents: Record<number, number> = { 100: 50, 101: 100, 102: 101, 103: 102, 201: 100, 202: 201 };
    const argv: Record<number, string[]> = {
      100: PROXY,
      101: ['node', '/usr/bin/npx', 'ibvf'],
      102: ['sh', '-c', 'ibvf probe run'],
      103: ['node', 'ibvf'],
      201: ['node', '/usr/bin/npx', 'ibvf'],
      202: ['node', 'ibvf'],
    };
    const tree: ProcTree = { parent: (p) => parents[p], argv: (p) => argv[p] ?? [] };
    expect(proxyAncestorKey(103, tree)).toBe('hydra-vm:41189-pg0');
    expect(proxyAncestorKey(202, tree)).toBe('hydra-vm:41189-pg0');
    expect(proxyAncestorKey(50, tree)).toBeUndefined();
  });

  it('does not write to a PMI_FD that is not a socket (closed by a wrapper, or a file of this process)', () => {
    expect(kvsnameOverPmi({ PMI_FD: '999' })).toBeUndefined();
    expect(kvsnameOverPmi({ PMI_FD: '1' })).toBeUndefined();
    expect(kvsnameOverPmi({ PMI_FD: 'x' })).toBeUndefined();
    expect(kvsnameOverPmi({})).toBeUndefined();
  });
});

const hasMpiexec = hasTool('mpiexec', ['--version'], 'mpich');

describe('PMI-1 over a real Hydra', () => {
  it.skipIf(!hasMpiexec)('every rank of one mpiexec gets the same kvsname, and the job ends cleanly', () => {
    const module = pathToFileURL(join(ROOT, 'dist', 'probe', 'hydra-job.js')).href;
    const code = `import { kvsnameOverPmi } from '${module}'; console.log(kvsnameOverPmi(process.env));`;
    const r = spawnSync('mpiexec', ['-n', '2', process.execPath, '--input-type=module', '-e', code], {
      encoding: 'utf8',
      timeout: 30000,
    });
    expect(r.status).toBe(0);
    const names = r.stdout.trim().split('\n');
    expect(names).toHaveLength(2);
    expect(names[0]).toMatch(/^kvs_\d+_\d+/);
    expect(names[1]).toBe(names[0]);
  });
});
