import { UsageError } from '../../errors.js';
import type { PathParams, Profile } from '../../profiles/types.js';

/** A named path of a profile, or a usage error listing the profile's paths. */
export function pathOf(profile: Profile, name: string): PathParams {
  const path = profile.paths[name];
  if (!path) {
    throw new UsageError(
      `profile ${profile.name} has no path '${name}' (paths: ${Object.keys(profile.paths).join(', ')})`,
    );
  }
  return path;
}
