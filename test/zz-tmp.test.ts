import { it } from 'vitest';
import { predictPoint } from '../src/model/predict-collective.js';
import { cx3FdrKvm2013 } from '../src/profiles/cx3-fdr-kvm-2013.js';
import { costParams, raised } from './model/properties/cost-params.js';
it('x', () => {
  const q: any = { op: 'alltoall', nodes: 4, procs: 32, placement: 'vm-per-core', shm: false, progress: 'poll', engine: 'sim' };
  for (const b of [1024, 8192, 65536]) {
    const sim = predictPoint(cx3FdrKvm2013, q, b);
    const an = predictPoint(cx3FdrKvm2013, { ...q, engine: 'analytic' }, b);
    const nohca = predictPoint({ ...cx3FdrKvm2013, hca: { ...cx3FdrKvm2013.hca, messageRate: { ...(cx3FdrKvm2013.hca as any).messageRate, value: 1e9 }, linkBandwidth: { ...cx3FdrKvm2013.hca.linkBandwidth, value: 1e9 }, pcieBandwidth: { ...cx3FdrKvm2013.hca.pcieBandwidth, value: 1e9 } } } as any, q, b);
    console.log(b, sim.latency_us, sim.max_us, sim.algorithm, 'analytic', an.latency_us, an.max_us, an.algorithm, 'sim no hca limit', nohca.latency_us);
  }
  const COSTS = costParams(cx3FdrKvm2013);
  const c = COSTS.find((x) => x.path.join('.') === 'paths.vf.eventExtra')!;
  const qq: any = { op: 'alltoall', placement: 'vm-per-core', nodes: 4, procs: 16, shm: false, progress: 'event', engine: 'sim' };
  for (const f of [0.01, 0.02, 0.05, 0.1]) {
    const a = predictPoint(cx3FdrKvm2013, qq, 8192); const bb = predictPoint(raised(cx3FdrKvm2013, c, f), qq, 8192);
    console.log('eventExtra', f, a.latency_us, bb.latency_us, (a.latency_us - bb.latency_us) / a.latency_us, a.wakeups, bb.wakeups);
  }
});
