import { fileURLToPath } from 'node:url';

/**
 * A file shipped in the package (`calibration/` is in package.json's files), found from
 * this module's place, so commands work from any directory: src/cli and dist/cli are
 * both two levels below the package root.
 */
export function packageFile(relative: string): string {
  return fileURLToPath(new URL(`../../${relative}`, import.meta.url));
}
