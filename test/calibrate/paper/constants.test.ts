import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_CONSTANTS_FILE } from '../../../src/calibrate/paper/builtin.js';
import { parsePaperConstants } from '../../../src/calibrate/paper/constants.js';
import { REPO_ROOT } from '../../fixtures.js';

const DATA = JSON.parse(readFileSync(path.join(REPO_ROOT, BUILTIN_CONSTANTS_FILE), 'utf8'));

describe('parsePaperConstants', () => {
  it('reads the committed constants', () => {
    const c = parsePaperConstants(DATA, 'constants.json');
    expect(Object.keys(c.fitted)).toContain('L');
  });

  it('refuses a placeholder naming no fitted parameter', () => {
    const data = structuredClone(DATA);
    data.profile.paths.native.L = { fitted: 'Lx' };
    expect(() => parsePaperConstants(data, 'constants.json')).toThrow(
      /constants\.json: field profile\.paths\.native\.L: placeholder names 'Lx', which is not in "fitted"/,
    );
  });

  it('refuses a fitted parameter with no place in the profile', () => {
    const data = structuredClone(DATA);
    data.fitted.unused = { unit: 'us', start: 1, min: 0, meaning: 'nothing' };
    expect(() => parsePaperConstants(data, 'constants.json')).toThrow(
      /field fitted\.unused: no \{"fitted": "unused"\} placeholder/,
    );
  });

  it('refuses another schema', () => {
    expect(() => parsePaperConstants({ ...DATA, schema: 'x' }, 'constants.json')).toThrow(
      /constants\.json: field schema/,
    );
  });
});
