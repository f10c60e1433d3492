import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './fixtures.js';

/**
 * Which way imports point. The CLI sits on top and only parses and prints, so nothing
 * below it imports from it (a library user gets everything without the CLI); the probe
 * measures without knowing the model, so it never imports from it.
 */

const SRC = path.join(REPO_ROOT, 'src');

/** Layers below the CLI, and what each must not import from (folders of src/). */
const RULES: { from: string; forbidden: string[] }[] = [
  { from: 'model', forbidden: ['cli'] },
  { from: 'probe', forbidden: ['cli', 'model'] },
  { from: 'calibrate', forbidden: ['cli'] },
  { from: 'profiles', forbidden: ['cli'] },
  { from: 'validation', forbidden: ['cli', 'probe'] },
  { from: 'io.ts', forbidden: ['cli'] },
  { from: 'errors.ts', forbidden: ['cli'] },
];

/** Module specifiers of static imports, re-exports, side-effect and dynamic imports. */
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;

function* tsFilesUnder(target: string): Generator<string> {
  if (!statSync(target).isDirectory()) {
    yield target;
    return;
  }
  for (const entry of readdirSync(target, { withFileTypes: true })) {
    const full = path.join(target, entry.name);
    if (entry.isDirectory()) yield* tsFilesUnder(full);
    else if (entry.name.endsWith('.ts')) yield full;
  }
}

/** Each import in `text` (the file at `file`) that reaches into one of `forbidden`, as `file:line: what`. */
export function forbiddenImports(file: string, text: string, forbidden: string[], src = SRC): string[] {
  const found: string[] = [];
  const rel = path.relative(REPO_ROOT, file);
  text.split('\n').forEach((line, i) => {
    for (const match of line.matchAll(SPECIFIER)) {
      const spec = match[1];
      if (!spec.startsWith('.')) continue;
      const target = path.relative(src, path.resolve(path.dirname(file), spec));
      const top = target.split(path.sep)[0].replace(/\.js$/, '.ts');
      if (forbidden.includes(top) || forbidden.includes(top.replace(/\.ts$/, ''))) {
        found.push(`${rel}:${i + 1}: imports ${spec} (src/${top})`);
      }
    }
  });
  return found;
}

describe('imports point down: CLI -> model, probe, calibrate, profiles', () => {
  it('scans every layer below the CLI', () => {
    for (const rule of RULES) expect([...tsFilesUnder(path.join(SRC, rule.from))].length).toBeGreaterThan(0);
  });

  for (const rule of RULES) {
    it(`src/${rule.from} imports nothing from ${rule.forbidden.map((f) => `src/${f}`).join(' or ')}`, () => {
      const offending = [...tsFilesUnder(path.join(SRC, rule.from))].flatMap((f) =>
        forbiddenImports(f, readFileSync(f, 'utf8'), rule.forbidden),
      );
      expect(offending, offending.join('\n')).toEqual([]);
    });
  }

  it('the scan catches imports, re-exports and dynamic imports, and names file and line', () => {
    const file = path.join(SRC, 'probe', 'x.ts');
    const text = [
      "import type { CliIo } from '../cli/io.js';",
      "export { predictCollective } from '../model/predict-collective.js';",
      "const m = await import('../model/index.js');",
      "import { RunError } from '../errors.js';",
      "import net from 'node:net';",
    ].join('\n');
    expect(forbiddenImports(file, text, ['cli', 'model'])).toEqual([
      `${path.join('src', 'probe', 'x.ts')}:1: imports ../cli/io.js (src/cli)`,
      `${path.join('src', 'probe', 'x.ts')}:2: imports ../model/predict-collective.js (src/model)`,
      `${path.join('src', 'probe', 'x.ts')}:3: imports ../model/index.js (src/model)`,
    ]);
  });
});
