import { describe, expect, it } from 'vitest';
import { cx3FdrKvm2013 } from '../../src/profiles/cx3-fdr-kvm-2013.js';
import { validateProfile } from '../../src/profiles/validate.js';
import { InputError } from '../../src/errors.js';

const copy = () => JSON.parse(JSON.stringify(cx3FdrKvm2013));

function errorOf(data: unknown): string {
  try {
    validateProfile(data, 'p.json');
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
  throw new Error('expected the profile to be rejected');
}

describe('validateProfile (ibvf.profile/2)', () => {
  it('accepts the built-in profile', () => {
    expect(validateProfile(copy(), 'builtin').name).toBe('cx3-fdr-kvm-2013');
  });

  it('names the field, what was expected and what was found', () => {
    const p = copy();
    p.paths.vf.L.value = 'fast';
    expect(errorOf(p)).toBe('p.json: field paths.vf.L.value: expected number, found "fast"');
  });

  it('reports a missing field', () => {
    const p = copy();
    delete p.mpi.eagerThreshold;
    expect(errorOf(p)).toMatch(/^p\.json: field mpi\.eagerThreshold: expected .*found nothing \(missing\)/);
  });

  it('reports an unknown unit and an unknown field', () => {
    const p = copy();
    p.paths.native.G.unit = 'furlongs';
    expect(errorOf(p)).toMatch(/field paths\.native\.G\.unit: expected .*found "furlongs"/);
    const q = copy();
    q.paths.native.colour = 'blue';
    expect(errorOf(q)).toMatch(/field paths\.native\.colour: expected no such field/);
  });

  it('rejects another schema, an interval that misses its value, and a dangling carrier', () => {
    expect(errorOf({ schema: 'ibvf.probe/1' })).toMatch(
      /field schema: expected "ibvf.profile\/2", found "ibvf.probe\/1"/,
    );
    const p = copy();
    p.paths.vf.L.interval = [1, 2];
    expect(errorOf(p)).toContain(
      `field paths.vf.L.interval: expected [lo, hi] containing the value ${p.paths.vf.L.value}, found [1, 2]`,
    );
    const q = copy();
    q.paths['ipoib-vf'].carrier = 'pigeon';
    expect(errorOf(q)).toMatch(
      /field paths\.ipoib-vf\.carrier: expected the name of another path, found "pigeon"/,
    );
  });

  it('rejects negative times and sizes', () => {
    const p = copy();
    p.paths.vf.requestCost.value = -0.1;
    expect(errorOf(p)).toBe(
      'p.json: field paths.vf.requestCost.value: expected a non-negative us value, found -0.1',
    );
  });

  it('requires a source for every parameter', () => {
    const p = copy();
    delete p.hca.messageRate.source;
    expect(errorOf(p)).toMatch(/field hca\.messageRate\.source/);
  });
});

describe('an ibvf.profile/1 profile', () => {
  /** The built-in profile as version 1 had it: no vf-to-vf path, no layout mechanism parameters. */
  function asVersion1() {
    const p = structuredClone(cx3FdrKvm2013) as unknown as Record<string, Record<string, unknown>> & {
      schema: string;
    };
    p.schema = 'ibvf.profile/1';
    delete p.paths['vf-to-vf'];
    for (const key of [
      'hostWorkPerVm',
      'tickOverhead',
      'spanningRemoteShare',
      'iommuMissCost',
      'dmasPerMessage',
      'iommuReach',
      'registeredPerPeer',
    ])
      delete p.virtualization[key];
    delete p.node.numaRemoteFactor;
    return p;
  }

  it('loads as version 2: its vf-loopback serves VF to VF, and each added parameter says where it came from', () => {
    const v1 = asVersion1();
    const loopback = v1.paths['vf-loopback'] as { L: { value: number; interval: number[] } };
    loopback.L.value = 0.5;
    loopback.L.interval = [0.4, 0.6];
    const upgraded = validateProfile(v1, 'old.json');
    expect(upgraded.schema).toBe('ibvf.profile/2');
    expect(upgraded.paths['vf-to-vf'].L.value).toBe(0.5);
    expect(upgraded.virtualization.iommuMissCost.value).toBe(
      cx3FdrKvm2013.virtualization.iommuMissCost.value,
    );
    expect(upgraded.virtualization.iommuMissCost.source).toMatchObject({ kind: 'assumption' });
    expect(upgraded.virtualization.iommuMissCost.source.ref).toMatch(
      /^not in ibvf\.profile\/1; the value of cx3-fdr-kvm-2013/,
    );
    expect(upgraded.node.numaRemoteFactor.value).toBe(1.5);
  });

  it('keeps what the old profile set', () => {
    const v1 = asVersion1();
    (v1.virtualization as { perVfCost: { value: number } }).perVfCost.value = 0.015;
    expect(validateProfile(v1, 'old.json').virtualization.perVfCost.value).toBe(0.015);
  });
});

describe('an ibvf.profile/2 profile written before the interrupt vectors', () => {
  it('loads with the built-in values of the parameters added since, and says so in their sources', () => {
    const old = structuredClone(cx3FdrKvm2013) as unknown as { virtualization: Record<string, unknown> };
    delete old.virtualization.interruptVectors;
    delete old.virtualization.interruptService;
    delete old.virtualization.interruptExitCost;
    const loaded = validateProfile(old, 'older.json');
    for (const key of ['interruptVectors', 'interruptService', 'interruptExitCost'] as const) {
      expect(loaded.virtualization[key].value).toBe(cx3FdrKvm2013.virtualization[key].value);
      expect(loaded.virtualization[key].source.kind).toBe('assumption');
      expect(loaded.virtualization[key].source.ref).toMatch(
        /^not in this file \(added to ibvf.profile\/2 later\); the value of cx3-fdr-kvm-2013/,
      );
    }
  });

  it('keeps the values a profile gives', () => {
    const own = structuredClone(cx3FdrKvm2013);
    own.virtualization.interruptVectors.value = 3;
    expect(validateProfile(own, 'own.json').virtualization.interruptVectors).toEqual(
      own.virtualization.interruptVectors,
    );
  });

  it('refuses a fractional vector count', () => {
    const bad = structuredClone(cx3FdrKvm2013);
    bad.virtualization.interruptVectors.value = 1.5;
    expect(() => validateProfile(bad, 'bad.json')).toThrow(/virtualization.interruptVectors/);
  });
});

describe('validateProfile: ranges the model needs (src/profiles/rules.ts)', () => {
  it('refuses sockets 0 or 1.5 and cores per socket 1e308, naming file and field', () => {
    const zero = copy();
    zero.node.sockets.value = 0;
    zero.node.sockets.interval = undefined;
    expect(errorOf(zero)).toBe(
      'p.json: field node.sockets.value: expected a whole number >= 1 and <= 63 (sockets per node), found 0',
    );
    const half = copy();
    half.node.sockets.value = 1.5;
    delete half.node.sockets.interval;
    expect(errorOf(half)).toMatch(/^p\.json: field node\.sockets\.value: expected a whole number/);
    const huge = copy();
    huge.node.coresPerSocket.value = 1e308;
    delete huge.node.coresPerSocket.interval;
    expect(errorOf(huge)).toMatch(
      /^p\.json: field node\.coresPerSocket\.value: expected a whole number >= 1 and <= 65536/,
    );
  });

  it('refuses a bandwidth of 0, which made predict print Infinity', () => {
    const p = copy();
    p.hca.pcieBandwidth = { ...p.hca.pcieBandwidth, value: 0, interval: undefined };
    expect(errorOf(p)).toBe(
      'p.json: field hca.pcieBandwidth.value: expected a number > 0 (the PCIe bandwidth divides each byte), found 0',
    );
  });

  it('refuses an interval whose end leaves the range, as draws come from it', () => {
    const p = copy();
    p.hca.linkBandwidth.interval = [0, p.hca.linkBandwidth.value];
    expect(errorOf(p)).toMatch(
      /^p\.json: field hca\.linkBandwidth\.interval: its low end must be a number > 0/,
    );
  });

  it('matches a rule through a path name (paths.*.mtu)', () => {
    const p = copy();
    const name = Object.keys(p.paths).find((k) => p.paths[k].mtu !== undefined)!;
    p.paths[name].mtu = { ...p.paths[name].mtu, value: 0, interval: undefined };
    expect(errorOf(p)).toMatch(
      new RegExp(`^p\\.json: field paths\\.${name}\\.mtu\\.value: expected a whole number >= 1`),
    );
  });
});
