import { readFileSync } from 'node:fs';
import { InputError } from '../errors.js';
import { BUILTIN_PROFILES, builtinProfile } from './builtin.js';
import type { Profile } from './types.js';
import { validateProfile } from './validate.js';

/** 1-based line of a character offset, so a JSON error points at its line. */
function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Parses JSON text, turning a syntax error into an InputError with file and line. */
export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    const pos = /position (\d+)/.exec(message);
    const line = pos ? lineOf(text, Number(pos[1])) : undefined;
    const detail = message.replace(/ in JSON at position \d+.*$/, '').replace(/^Unexpected/, 'unexpected');
    throw new InputError(`not valid JSON: ${detail}`, file, line);
  }
}

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
