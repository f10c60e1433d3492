import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (test/ sits directly below it). */
export const REPO_ROOT = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '..');

/**
 * A folder of test/fixtures: every data file a test or benchmark reads lives there, with a
 * README per folder saying where each file came from.
 */
export function fixtureDir(name: string): string {
  return path.join(REPO_ROOT, 'test', 'fixtures', name);
}
