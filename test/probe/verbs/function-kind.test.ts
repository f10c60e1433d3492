import { describe, expect, it } from 'vitest';
import { classifyFunction } from '../../../src/probe/verbs/function-kind.js';

const dir = '/sys/class/infiniband/mlx4_0/device';

describe('classifyFunction', () => {
  it('a function with physfn is a VF, naming the file and its PF', () => {
    const r = classifyFunction({ dir, physfn: '0000:03:00.0', vendor: 0x15b3, pciDevice: 0x1004 });
    expect(r.kind).toBe('vf');
    expect(r.evidence).toContain(`${dir}/physfn`);
    expect(r.evidence).toContain('0000:03:00.0');
  });

  it('a function with sriov_numvfs and no physfn is a PF', () => {
    const r = classifyFunction({ dir, sriovNumvfs: '4\n', vendor: 0x15b3, pciDevice: 0x1003 });
    expect(r).toEqual({ kind: 'pf', evidence: expect.stringContaining('sriov_numvfs exists (4 VFs') });
  });

  it('inside a guest (no physfn, no sriov_numvfs) a ConnectX-3 VF is known by its device id 0x1004', () => {
    const r = classifyFunction({ dir, vendor: 0x15b3, pciDevice: 0x1004 });
    expect(r.kind).toBe('vf');
    expect(r.evidence).toContain('0x1004');
    expect(r.evidence).toContain('ConnectX-3');
  });

  it('a ConnectX-5 VF (0x1018) too, from the vendor part id when sysfs has no device file', () => {
    expect(classifyFunction({ dir }, 0x1018).kind).toBe('vf');
  });

  it('a Mellanox PF id without SR-IOV files is a PF; an unknown vendor is unknown', () => {
    expect(classifyFunction({ dir, vendor: 0x15b3, pciDevice: 0x1003 }).kind).toBe('pf');
    expect(classifyFunction({ dir, vendor: 0x8086, pciDevice: 0x1234 }).kind).toBe('unknown');
  });
});
