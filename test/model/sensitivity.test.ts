import { describe, expect, it } from 'vitest';
import type { Placement } from '../../src/model/layout/index.js';
import { sensitivity, SWEPT_PARAMS } from '../../src/model/sensitivity.js';
import type { CollectiveQuery } from '../../src/model/predict-collective.js';
import { cx3FdrKvm2013 } from '../../src/profiles/cx3-fdr-kvm-2013.js';

/**
 * Every assumption printed beside a what-if answer must be able to move it (issue 10,
 * item 8): over its interval, each swept parameter moves some VM layout's answer, and
 * moves every answer one way only. Three questions: the paper's Fig. 5 (8 ranks on each
 * 16-core node) and full subscription (16 per node), where the CPU assumptions act, both
 * polling; and a bcast under event progress, where the interrupt vectors act (rule 6).
 * (An allreduce under event progress is not one of them: there a rank woken later can be
 * spared its next wake-up, and several assumptions move it both ways by up to 7%.)
 */
const VM_LAYOUTS: Placement[] = ['vm-per-core', 'vm-per-socket', 'vm-per-node'];
const QUESTIONS: {
  name: string;
  procs: number;
  op: CollectiveQuery['op'];
  progress: CollectiveQuery['progress'];
}[] = [
  { name: 'Fig. 5, 8 ranks per node', procs: 32, op: 'allreduce', progress: 'poll' },
  { name: 'full subscription, 16 ranks per node', procs: 64, op: 'allreduce', progress: 'poll' },
  { name: 'bcast under event progress, 8 ranks per node', procs: 32, op: 'bcast', progress: 'event' },
];
/** Any relative change above this is movement. */
const MOVED = 1e-9;
/**
 * A reversal smaller than this is queueing order, not a trend: where ranks contend for
 * the HCA, a costlier CPU can let another message through first and finish a collective
 * slightly sooner (measured here up to about 0.1% with the hand-fitted profile; with the
 * profile refitted from calibration/ (npm run calibrate:builtin), 0.57% for
 * hca.messageRate at 64 ranks, vm-per-node: 55.84, 55.44, 55.75 us at 60, 90, 120 Mmsg/s).
 */
const ORDER_EFFECT = 0.01;

const rows = QUESTIONS.flatMap((question) =>
  VM_LAYOUTS.map((placement) => {
    const q: CollectiveQuery = {
      op: question.op,
      nodes: 4,
      procs: question.procs,
      placement,
      shm: false,
      progress: question.progress,
      engine: 'sim',
    };
    return { question: question.name, placement, sweep: sensitivity(cx3FdrKvm2013, q, 8192) };
  }),
);

describe('sensitivity of the VM layouts to each assumption', () => {
  it.each(SWEPT_PARAMS.map((p) => p.field))(
    '%s moves some VM layout, and every one only one way',
    (field) => {
      let moved = false;
      for (const { question, placement, sweep } of rows) {
        const row = sweep.find((r) => r.field === field)!;
        const [lo, nominal, hi] = row.latency_us;
        const where = `${question}, ${placement}: ${row.latency_us.join(', ')}`;
        const rise = (a: number, b: number) => (b - a) / a;
        // Monotone: never up then down, or down then up, by more than queueing order.
        if (rise(lo, nominal) * rise(nominal, hi) < 0)
          expect(Math.min(Math.abs(rise(lo, nominal)), Math.abs(rise(nominal, hi))), where).toBeLessThan(
            ORDER_EFFECT,
          );
        if (Math.abs(rise(lo, hi)) > MOVED) moved = true;
      }
      expect(moved, `${field} moves no answer`).toBe(true);
    },
  );

  it('the remote-memory assumptions move only the VM that spans both sockets', () => {
    for (const { placement, sweep } of rows) {
      const [lo, , hi] = sweep.find((r) => r.field === 'node.numaRemoteFactor')!.latency_us;
      if (placement === 'vm-per-node') expect(hi).toBeGreaterThan(lo);
      else expect(hi).toBe(lo);
    }
  });

  it('the interrupt assumptions move the VMs whose ranks share a VF, under event progress only', () => {
    for (const field of ['virtualization.interruptService', 'virtualization.interruptExitCost']) {
      for (const { question, placement, sweep } of rows) {
        const [lo, , hi] = sweep.find((r) => r.field === field)!.latency_us;
        const where = `${field}, ${question}, ${placement}`;
        // A VM per core has one rank per VF: nothing shares its vector.
        if (question.includes('event') && placement !== 'vm-per-core') expect(hi, where).toBeGreaterThan(lo);
        else expect(hi, where).toBe(lo);
      }
    }
  });
});
