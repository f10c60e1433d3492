import type { Profile } from './types.js';
import { cx3FdrKvm2013 } from './cx3-fdr-kvm-2013.js';

/** Built-in profiles by name; the first is the default everywhere. */
export const BUILTIN_PROFILES: readonly Profile[] = [cx3FdrKvm2013];

export const DEFAULT_PROFILE = cx3FdrKvm2013.name;

export function builtinProfile(name: string): Profile | undefined {
  return BUILTIN_PROFILES.find((p) => p.name === name);
}
