import { describe, expect, it } from 'vitest';
import {
  compatMaxPerByte,
  compatPerByte,
  compatRecvCpuFree,
  compatRecvNicFree,
  compatSendCpuFree,
  compatSendNicFree,
  firstByteArrival,
  hcaWork,
  isEager,
  wrapUint64,
} from '../../../src/model/sim/costs.js';
import {
  nativeArrival,
  nativeRecvCpuFree,
  nativeRecvNicFree,
  nativeSendCpuFree,
  nativeSendNicFree,
} from '../../../src/model/sim/native-costs.js';
import type { PairParams } from '../../../src/model/sim/contract.js';

describe('cost rules', () => {
  it('compat: (s-1)X in uint64 arithmetic', () => {
    expect(compatPerByte(8192, 6)).toBe(8191 * 6);
    expect(compatPerByte(1, 6)).toBe(0);
    expect(compatPerByte(0, 6)).toBe(-6); // 2^64 - 6
    expect(compatPerByte(0, 0)).toBe(0);
  });

  it('compat: max((s-1)O,(s-1)G) compares the wrapped values unsigned', () => {
    expect(compatMaxPerByte(11, 2, 3)).toBe(30);
    expect(compatMaxPerByte(0, 0, 6)).toBe(-6); // max(0, 2^64-6)
    expect(compatMaxPerByte(0, 2, 3)).toBe(-2); // max(2^64-2, 2^64-3)
    expect(compatMaxPerByte(0, 0, 0)).toBe(0);
  });

  it('compat rules with LogGOPSim defaults (L=2500 o=1500 g=1000 G=6 O=0) for 8192 bytes', () => {
    expect(compatSendCpuFree(100, 8192, 1500, 0)).toBe(1600);
    expect(compatSendNicFree(100, 8192, 1000, 6)).toBe(100 + 1000 + 8191 * 6);
    expect(firstByteArrival(100, 1500, 2500)).toBe(4100);
    expect(compatRecvCpuFree(4100, 8192, 1500, 0, 6)).toBe(4100 + 1500 + 8191 * 6);
    expect(compatRecvNicFree(4100, 8192, 1000, 6)).toBe(4100 + 1000 + 8191 * 6);
  });

  it('a uint64 time below zero wraps around', () => {
    expect(wrapUint64(5)).toBe(5);
    expect(wrapUint64(-1)).toBe(2 ** 64 - 1);
    expect(compatSendNicFree(0, 0, 1, 3)).toBe(2 ** 64 - 2);
  });

  it('native rules: o_s at the sender, o_r at the receiver, no negative per-byte terms', () => {
    const p: PairParams = { L: 100, o_s: 10, o_r: 40, g: 5, G: 1, O: 2, S: 1000 };
    expect(nativeSendCpuFree(0, 11, p)).toBe(30);
    expect(nativeSendNicFree(0, 11, p)).toBe(15);
    expect(nativeArrival(0, 11, p)).toBe(110);
    expect(nativeRecvCpuFree(110, 11, { ...p, G: 3 })).toBe(110 + 40 + 30);
    expect(nativeRecvNicFree(110, 11, p)).toBe(125);
    expect(nativeSendCpuFree(0, 0, p)).toBe(10);
    expect(nativeRecvCpuFree(0, 0, { ...p, G: 3 })).toBe(40);
    expect(nativeSendNicFree(0, 0, { ...p, G: 6 })).toBe(5);
    // The receiver's own per-byte cost O_r, when given, replaces O at its end.
    expect(nativeRecvCpuFree(110, 11, { ...p, O_r: 7 })).toBe(110 + 40 + 70);
    expect(nativeSendCpuFree(0, 11, { ...p, O_r: 7 })).toBe(30);
  });

  it("native rules, shared memory: each end pays its own copy, the data is there after the sender's", () => {
    const p: PairParams = { L: 100, o_s: 10, o_r: 40, g: 5, G: 4, O: 2, S: 1000, delivery: 'copy' };
    expect(nativeSendCpuFree(0, 11, p)).toBe(10 + 20);
    expect(nativeSendNicFree(0, 11, p)).toBe(5 + 40);
    expect(nativeArrival(0, 11, p)).toBe(10 + 20 + 100);
    expect(nativeRecvCpuFree(130, 11, p)).toBe(130 + 40 + 20);
    expect(nativeRecvNicFree(130, 11, p)).toBe(130 + 5 + 20);
  });

  it('eager limit and HCA holding time', () => {
    expect(isEager(65535, 65535)).toBe(true);
    expect(isEager(65536, 65535)).toBe(false);
    expect(hcaWork(1000, 50, 0.25)).toBe(300);
  });
});
