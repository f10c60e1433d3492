import { TypeCompiler } from '@sinclair/typebox/compiler';
import { InputError } from '../../errors.js';
import type { Param, Profile } from '../../profiles/types.js';
import { validateProfile } from '../../profiles/validate.js';
import { PaperConstants, PAPER_CONSTANTS_SCHEMA } from './types.js';

const checker = TypeCompiler.Compile(PaperConstants);

/** `{"fitted": NAME}`: where a fitted parameter goes in the constants' profile. */
function placeholderName(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  const name = (value as { fitted?: unknown }).fitted;
  return keys.length === 1 && typeof name === 'string' ? name : undefined;
}

/** Each placeholder of the tree with its dotted field path. */
function placeholders(value: unknown, path = ''): { field: string; name: string }[] {
  const name = placeholderName(value);
  if (name !== undefined) return [{ field: path, name }];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => placeholders(v, path ? `${path}.${k}` : k));
}

/**
 * Checks parsed constants.json: its schema, every placeholder names a parameter of
 * `fitted`, and every parameter of `fitted` has a place in the profile.
 */
export function parsePaperConstants(data: unknown, file: string): PaperConstants {
  const first = checker.Errors(data).First();
  if (first) {
    const field = first.path === '' ? '(top level)' : first.path.slice(1).split('/').join('.');
    throw new InputError(
      `field ${field}: ${first.message} (a ${PAPER_CONSTANTS_SCHEMA} file has schema, about, fitted and profile)`,
      file,
    );
  }
  const constants = data as PaperConstants;
  const used = new Set<string>();
  for (const { field, name } of placeholders(constants.profile, 'profile')) {
    if (!(name in constants.fitted)) {
      throw new InputError(
        `field ${field}: placeholder names '${name}', which is not in "fitted" (${Object.keys(constants.fitted).join(', ')})`,
        file,
      );
    }
    used.add(name);
  }
  for (const [name, spec] of Object.entries(constants.fitted)) {
    if (!used.has(name)) {
      throw new InputError(
        `field fitted.${name}: no {"fitted": "${name}"} placeholder in the profile uses it`,
        file,
      );
    }
    if (spec.start < spec.min) {
      throw new InputError(`field fitted.${name}.start: ${spec.start} is below its min ${spec.min}`, file);
    }
  }
  return constants;
}

/**
 * The profile with each placeholder replaced by its fitted parameter (the same Param at
 * every place, so uncertainty draws it once), validated as `ibvf.profile/2`.
 */
export function assembleProfile(
  constants: PaperConstants,
  fitted: Readonly<Record<string, Param>>,
  where: string,
): Profile {
  const fill = (value: unknown): unknown => {
    const name = placeholderName(value);
    if (name !== undefined) {
      const param = fitted[name];
      if (!param) throw new InputError(`no value for the fitted parameter '${name}'`, where);
      return structuredClone(param);
    }
    if (Array.isArray(value)) return value.map(fill);
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v)]));
    }
    return value;
  };
  return validateProfile(fill(constants.profile), where);
}

/**
 * The constants' profile with one shared, mutable Param per fitted parameter, for the
 * optimizer's many evaluations (no copy or validation per evaluation): `set` writes the
 * parameters' values, in the order of `names`, into every place that uses them.
 */
export function liveProfile(constants: PaperConstants): {
  profile: Profile;
  names: string[];
  set: (values: readonly number[]) => void;
} {
  const names = Object.keys(constants.fitted);
  const params = names.map((name): Param => {
    const spec = constants.fitted[name];
    return { value: spec.start, unit: spec.unit, source: { kind: 'fit', ref: name } };
  });
  const fill = (value: unknown): unknown => {
    const name = placeholderName(value);
    if (name !== undefined) return params[names.indexOf(name)];
    if (Array.isArray(value)) return value.map(fill);
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v)]));
    }
    return value;
  };
  const profile = fill(constants.profile) as Profile;
  return {
    profile,
    names,
    set: (values) => values.forEach((v, i) => (params[i].value = v)),
  };
}
