/**
 * The profile's `fits` section (types.ts, JointDraws): finding the parameters a group
 * names, and the checks a schema cannot say. Every named field must be a parameter of
 * this profile and appear in one group only (a parameter drawn from two groups would have
 * two answers), every row must hold one finite value per name, and every value must keep
 * the parameter's range (rules.ts), because a prediction uses the rows as they are.
 */
import { InputError } from '../errors.js';
import type { Param, Profile } from './types.js';
import { breaks, ruleOf } from './rules.js';

/** The parameter at a dotted field path (`paths.shm.L`), or undefined when there is none. */
export function paramAt(profile: Profile, field: string): Param | undefined {
  let node: unknown = profile;
  for (const key of field.split('.')) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  if (typeof node !== 'object' || node === null) return undefined;
  return 'value' in node && 'unit' in node && 'source' in node ? (node as Param) : undefined;
}

/** Throws an InputError naming `where` and the field (`fits[0].draws[3][1]`) when a group is wrong. */
export function checkJointDraws(profile: Profile, where: string): void {
  const owner = new Map<string, number>();
  (profile.fits ?? []).forEach((group, g) => {
    group.params.forEach((field, i) => {
      const at = `fits[${g}].params[${i}]`;
      if (!paramAt(profile, field))
        throw new InputError(
          `field ${at}: expected the dotted path of a parameter of this profile (e.g. paths.shm.L), found "${field}"`,
          where,
        );
      const earlier = owner.get(field);
      if (earlier !== undefined)
        throw new InputError(
          `field ${at}: "${field}" is already drawn by fits[${earlier}]; a parameter belongs to one group`,
          where,
        );
      owner.set(field, g);
    });
    group.draws.forEach((row, d) => {
      if (row.length !== group.params.length)
        throw new InputError(
          `field fits[${g}].draws[${d}]: expected ${group.params.length} values (one per name in fits[${g}].params), found ${row.length}`,
          where,
        );
      row.forEach((x, i) => {
        const at = `fits[${g}].draws[${d}][${i}]`;
        const field = group.params[i];
        if (!Number.isFinite(x) || x < 0)
          throw new InputError(
            `field ${at} (${field}): expected a finite non-negative number, found ${x}`,
            where,
          );
        const rule = ruleOf(field);
        const wrong = rule && breaks(rule, x);
        if (rule && wrong)
          throw new InputError(`field ${at} (${field}): expected ${wrong} (${rule.why}), found ${x}`, where);
      });
    });
  });
}
