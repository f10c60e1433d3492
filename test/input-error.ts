import { expect } from 'vitest';
import { InputError } from '../src/errors.js';

/** The error `run` throws, which must be an InputError (what users get for bad input). */
export function inputErrorOf(run: () => unknown): InputError {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an InputError, and nothing was thrown');
}
