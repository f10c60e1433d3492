/**
 * The sidecar of a foreign benchmark output: FILE.ibvf.json beside FILE says what the run
 * measured when its text does not (OSU and perftest outputs name no path):
 * `{"path": "vf", "progress": "poll"}`, both optional. Pure: the CLI reads the file.
 */
import { InputError } from '../errors.js';
import { parseJsonText } from '../profiles/json.js';
import { PROGRESS_MODES, type Progress } from '../profiles/types.js';

/** The name a sidecar adds to the file it describes. */
export const SIDECAR = '.ibvf.json';

/** The largest sidecar read: it holds two short fields. */
export const SIDECAR_MAX_BYTES = 64 * 1024;

export interface Sidecar {
  path?: string;
  progress?: Progress;
}

/** A sidecar's fields, or an InputError naming `file` and what is wrong. */
export function parseSidecar(text: string, file: string): Sidecar {
  const data = parseJsonText(text, file);
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw new InputError('expected an object {"path": NAME, "progress": "poll"}', file);
  const { path, progress, ...rest } = data as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0)
    throw new InputError(
      `unknown field ${JSON.stringify(unknown[0])} (a sidecar holds path and progress)`,
      file,
    );
  if (path !== undefined && (typeof path !== 'string' || path === ''))
    throw new InputError('field path: expected a profile path name', file);
  if (progress !== undefined && !(PROGRESS_MODES as readonly unknown[]).includes(progress))
    throw new InputError(`field progress: expected one of ${PROGRESS_MODES.join(', ')}`, file);
  return { path, progress: progress as Progress | undefined };
}
