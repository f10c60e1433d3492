import { TypeCompiler } from '@sinclair/typebox/compiler';
import { ValueErrorType } from '@sinclair/typebox/errors';
import { InputError } from '../errors.js';
import { Profile, PROFILE_SCHEMA_ID, PROFILE_SCHEMA_V1, type Param } from './types.js';
import { breaks, ruleOf } from './rules.js';
import { fillAddedToV2, upgradeProfileV1 } from './upgrade.js';
import { checkJointDraws } from './joint-draws.js';

const checker = TypeCompiler.Compile(Profile);

/** `/paths/vf/L/value` -> `paths.vf.L.value`, as users read a field path. */
function fieldPath(pointer: string): string {
  return pointer === '' ? '(top level)' : pointer.slice(1).split('/').join('.');
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  // JSON would print NaN and Infinity as null.
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/**
 * Checks a parsed profile against `ibvf.profile/2` and the rules a schema cannot say
 * (intervals contain their value, carriers exist, the ranges of rules.ts, and the joint
 * draws of `fits`, joint-draws.ts). Throws an InputError naming the
 * field, what was expected and what was found. An `ibvf.profile/1` profile is upgraded
 * first (src/profiles/upgrade.ts).
 */
export function validateProfile(data: unknown, where: string): Profile {
  if (typeof data === 'object' && data !== null && 'schema' in data && data.schema === PROFILE_SCHEMA_V1) {
    data = upgradeProfileV1(data as Record<string, unknown>);
  }
  if (typeof data === 'object' && data !== null && 'schema' in data && data.schema === PROFILE_SCHEMA_ID) {
    data = fillAddedToV2(data as Record<string, unknown>);
  }
  if (typeof data === 'object' && data !== null && 'schema' in data && data.schema !== PROFILE_SCHEMA_ID) {
    throw new InputError(
      `field schema: expected "${PROFILE_SCHEMA_ID}", found ${describe(data.schema)} (is this an ibvf profile? ${PROFILE_SCHEMA_V1} is read too)`,
      where,
    );
  }
  const first = checker.Errors(data).First();
  if (first) {
    const found =
      first.type === ValueErrorType.ObjectRequiredProperty ? 'nothing (missing)' : describe(first.value);
    const expected =
      first.type === ValueErrorType.ObjectAdditionalProperties
        ? 'no such field'
        : first.message.replace(/^Expected /, '');
    throw new InputError(`field ${fieldPath(first.path)}: expected ${expected}, found ${found}`, where);
  }
  const profile = data as Profile;
  forEachParam(profile, (path, param) => {
    if (!Number.isFinite(param.value))
      throw new InputError(`field ${path}.value: expected a finite number`, where);
    // Every unit ibvf knows (times, sizes, rates, counts, ratios) is non-negative.
    if (param.value < 0) {
      throw new InputError(
        `field ${path}.value: expected a non-negative ${param.unit} value, found ${param.value}`,
        where,
      );
    }
    const rule = ruleOf(path);
    if (rule) {
      const wrong = breaks(rule, param.value);
      if (wrong)
        throw new InputError(
          `field ${path}.value: expected ${wrong} (${rule.why}), found ${param.value}`,
          where,
        );
      for (const [i, end] of (param.interval ?? []).entries()) {
        const bad = breaks(rule, end);
        if (bad)
          throw new InputError(
            `field ${path}.interval: its ${i === 0 ? 'low' : 'high'} end must be ${bad} (${rule.why}; the range draws from it), found ${end}`,
            where,
          );
      }
    }
    if (param.interval) {
      const [lo, hi] = param.interval;
      if (!(lo <= param.value && param.value <= hi)) {
        throw new InputError(
          `field ${path}.interval: expected [lo, hi] containing the value ${param.value}, found [${lo}, ${hi}]`,
          where,
        );
      }
    }
  });
  for (const [name, path] of Object.entries(profile.paths)) {
    if (path.medium === 'ipoib' && (path.carrier === undefined || !(path.carrier in profile.paths))) {
      throw new InputError(
        `field paths.${name}.carrier: expected the name of another path, found ${describe(path.carrier)}`,
        where,
      );
    }
  }
  checkJointDraws(profile, where);
  return profile;
}

/** Visits every Param in a profile with its dotted field path. */
export function forEachParam(value: unknown, visit: (path: string, param: Param) => void, path = ''): void {
  if (typeof value !== 'object' || value === null) return;
  if ('value' in value && 'unit' in value && 'source' in value) {
    visit(path, value as Param);
    return;
  }
  for (const [key, child] of Object.entries(value)) forEachParam(child, visit, path ? `${path}.${key}` : key);
}
