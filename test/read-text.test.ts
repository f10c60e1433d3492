import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../src/errors.js';
import { readTextFile, UnreadableFileError } from '../src/read-text.js';
import { inputErrorOf } from './input-error.js';

const dir = mkdtempSync(path.join(tmpdir(), 'ibvf-read-text-'));

describe('readTextFile', () => {
  it('reads a regular file without its byte-order mark', () => {
    const file = path.join(dir, 'bom.txt');
    writeFileSync(file, '\ufeff# OSU MPI Latency Test\n');
    expect(readTextFile(file)).toBe('# OSU MPI Latency Test\n');
  });

  it('refuses a device (/dev/zero never ends) and a directory at once, in one line', () => {
    expect(inputErrorOf(() => readTextFile('/dev/zero')).message).toBe(
      '/dev/zero: cannot read the file: it is a device, not a regular file',
    );
    expect(inputErrorOf(() => readTextFile(dir, { what: 'the sidecar' })).message).toBe(
      `${dir}: cannot read the sidecar: it is a directory, not a regular file`,
    );
  });

  it('refuses a FIFO without opening it (opening blocks until a writer comes)', () => {
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    expect(inputErrorOf(() => readTextFile(fifo)).message).toBe(
      `${fifo}: cannot read the file: it is a FIFO, not a regular file`,
    );
  });

  it('refuses a file above its limit by its size', () => {
    const file = path.join(dir, 'big.txt');
    writeFileSync(file, 'x'.repeat(1000));
    expect(inputErrorOf(() => readTextFile(file, { maxBytes: 999, what: 'the profile file' })).message).toBe(
      `${file}: the profile file has 1000 bytes, more than the limit of 999`,
    );
  });

  it("says what the system said of a file it cannot open, and keeps the system's code", () => {
    const e = inputErrorOf(() => readTextFile(path.join(dir, 'none')));
    expect(e).toBeInstanceOf(UnreadableFileError);
    expect(e).toBeInstanceOf(InputError);
    expect((e as UnreadableFileError).code).toBe('ENOENT');
    expect(e.message).toMatch(/none: cannot read the file \(ENOENT\)$/);
  });
});
