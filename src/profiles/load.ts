import { readFileSync } from 'node:fs';
import { InputError } from '../errors.js';
import { BUILTIN_PROFILES, builtinProfile } from './builtin.js';
import { parseJsonText } from './json.js';
import type { Profile } from './types.js';
import { validateProfile } from './validate.js';

/**
 * A profile by built-in name or file path. A name that is neither a built-in
 * profile nor a readable file is an error listing the built-in names.
 */
export function loadProfile(nameOrFile: string): Profile {
  const builtin = builtinProfile(nameOrFile);
  if (builtin) return builtin;
  let text: string;
  try {
    text = readFileSync(nameOrFile, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const names = BUILTIN_PROFILES.map((p) => p.name).join(', ');
    throw new InputError(
      code === 'ENOENT'
        ? `no built-in profile or file named '${nameOrFile}' (built-in: ${names}; or give a path to a profile JSON file)`
        : `cannot read profile file '${nameOrFile}': ${(e as Error).message}`,
    );
  }
  return validateProfile(parseJsonText(text, nameOrFile), nameOrFile);
}
