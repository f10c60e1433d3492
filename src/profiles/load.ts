import { InputError } from '../errors.js';
import { readTextFile, UnreadableFileError } from '../read-text.js';
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
    text = readTextFile(nameOrFile, { what: 'the profile file' });
  } catch (e) {
    if (!(e instanceof UnreadableFileError && e.code === 'ENOENT')) throw e;
    const names = BUILTIN_PROFILES.map((p) => p.name).join(', ');
    throw new InputError(
      `no built-in profile or file named '${nameOrFile}' (built-in: ${names}; or give a path to a profile JSON file)`,
    );
  }
  return validateProfile(parseJsonText(text, nameOrFile), nameOrFile);
}
