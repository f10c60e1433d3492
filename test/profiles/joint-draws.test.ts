import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { cx3FdrKvm2013 } from '../../src/profiles/cx3-fdr-kvm-2013.js';
import { paramAt } from '../../src/profiles/joint-draws.js';
import { validateProfile } from '../../src/profiles/validate.js';

const withFits = (fits: unknown) => ({ ...JSON.parse(JSON.stringify(cx3FdrKvm2013)), fits });
const group = (params: string[], draws: number[][]) => ({
  params,
  draws,
  source: { kind: 'fit', ref: 'test' },
});

function errorOf(data: unknown): string {
  try {
    validateProfile(data, 'p.json');
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
  throw new Error('expected the profile to be rejected');
}

describe('profile fits (joint draws)', () => {
  it('finds parameters by dotted path and nothing else', () => {
    expect(paramAt(cx3FdrKvm2013, 'paths.shm.L')).toBe(cx3FdrKvm2013.paths.shm.L);
    expect(paramAt(cx3FdrKvm2013, 'paths.shm')).toBeUndefined();
    expect(paramAt(cx3FdrKvm2013, 'paths.nowhere.L')).toBeUndefined();
    expect(paramAt(cx3FdrKvm2013, 'paths.shm.L.value')).toBeUndefined();
  });

  it('accepts a valid group and a profile without one', () => {
    const p = withFits([
      group(
        ['paths.shm.L', 'paths.shm.g'],
        [
          [0.1, 0.2],
          [0.15, 0.18],
        ],
      ),
    ]);
    expect(validateProfile(p, 'p.json').fits?.[0].draws).toHaveLength(2);
    expect(validateProfile(withFits(undefined), 'p.json').fits).toBeUndefined();
  });

  it('names the file and field of a group that is wrong', () => {
    expect(errorOf(withFits([group(['paths.shm.X'], [[1], [2]])]))).toBe(
      'p.json: field fits[0].params[0]: expected the dotted path of a parameter of this profile (e.g. paths.shm.L), found "paths.shm.X"',
    );
    expect(errorOf(withFits([group(['paths.shm.L', 'paths.shm.g'], [[1, 2], [1]])]))).toBe(
      'p.json: field fits[0].draws[1]: expected 2 values (one per name in fits[0].params), found 1',
    );
    expect(errorOf(withFits([group(['paths.shm.L'], [[1], [-1]])]))).toBe(
      'p.json: field fits[0].draws[1][0] (paths.shm.L): expected a finite non-negative number, found -1',
    );
    expect(errorOf(withFits([group(['paths.shm.L'], [[1], [Number.NaN]])]))).toMatch(
      /^p\.json: field fits\.0\.draws\.1\.0: expected number, found NaN$/,
    );
    expect(errorOf(withFits([group(['hca.messageRate'], [[1], [0]])]))).toMatch(
      /field fits\[0\]\.draws\[1\]\[0\] \(hca\.messageRate\): expected a number > 0 \(the HCA message rate divides each message\), found 0/,
    );
    expect(errorOf(withFits([group(['paths.shm.L'], [[1], [2]]), group(['paths.shm.L'], [[1], [2]])]))).toBe(
      'p.json: field fits[1].params[0]: "paths.shm.L" is already drawn by fits[0]; a parameter belongs to one group',
    );
  });

  it('refuses a group of one row or of more than 200 rows through the schema', () => {
    expect(errorOf(withFits([group(['paths.shm.L'], [[1]])]))).toMatch(
      /^p\.json: field fits\.0\.draws: expected/,
    );
    const many = Array.from({ length: 201 }, () => [1]);
    expect(errorOf(withFits([group(['paths.shm.L'], many)]))).toMatch(
      /^p\.json: field fits\.0\.draws: expected/,
    );
  });
});
