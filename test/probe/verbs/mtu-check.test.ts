import { describe, expect, it } from 'vitest';
import { mtuMismatch } from '../../../src/probe/verbs/mtu-check.js';

describe('mtuMismatch', () => {
  it('agreeing ports pass; differing ones are named with both values and the MTU RC would use', () => {
    const a = { device: 'mlx4_0', port: 1, mtu: 2048 };
    expect(mtuMismatch(a, { ...a })).toBeUndefined();
    expect(mtuMismatch(a, { device: 'mlx4_1', port: 2, mtu: 4096 })).toBe(
      "active MTU mismatch: the client's mlx4_0 port 1 runs MTU 2048, the server's mlx4_1 port 2 runs MTU 4096; " +
        'RC would connect at 2048, measuring neither port as set: give both ports one MTU (ibv_devinfo shows active_mtu)',
    );
  });
});
