import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './fixtures.js';

/**
 * The repository stands alone: nothing in it reads or names a file outside it. A clone
 * with nothing beside it must build, test and read the same as the developers' copy.
 */

/** What is scanned: code, tests, benchmarks, docs, CI, and the top-level files. */
const SCANNED_DIRS = [
  'src',
  'test',
  'bench',
  'docs',
  '.ci',
  'bin',
  'native',
  'examples',
  'validation',
  'notebooks',
  'scripts',
];
const SCANNED_TOP = ['README.md', 'package.json', 'binding.gyp', 'tsconfig.json', 'vitest.config.ts'];
const TEXT = /\.(ts|js|mjs|cjs|json|md|cc|h|gyp|sh|txt|csv|goal|ipynb)$|^run$/;

/**
 * Names that exist only beside the repository on the developers' machines. Built from
 * pieces so that this file does not itself name them.
 */
const OUTSIDE_NAMES = [
  ['shared', 'validation'],
  ['shared', 'seed'],
  ['DESIGN' + '.md'],
  ['.' + 'library'],
].map((parts) => parts.join('/'));
/** One of those names standing as a path (not `mpi.libraryInline`, not `shared/seeds`). */
const OUTSIDE = new RegExp(
  `(?:^|[\\s'"\`(/])(${OUTSIDE_NAMES.map((n) => n.replace(/\./g, '\\.')).join('|')})(?![\\w-])`,
  'g',
);

/** A quoted or bare relative path made of `../` steps (and maybe a name after them). */
const CLIMBING = /(?:\.\.\/)+[\w.-]*/g;

function* filesUnder(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'node_modules') continue;
      yield* filesUnder(full);
    } else if (TEXT.test(entry.name)) {
      yield full;
    }
  }
}

function scannedFiles(): string[] {
  const files: string[] = [];
  for (const dir of SCANNED_DIRS) {
    const full = path.join(REPO_ROOT, dir);
    if (statSync(full, { throwIfNoEntry: false })?.isDirectory()) files.push(...filesUnder(full));
  }
  for (const top of SCANNED_TOP) {
    const full = path.join(REPO_ROOT, top);
    if (statSync(full, { throwIfNoEntry: false })) files.push(full);
  }
  return files;
}

/** Each place in `text` (a file at `file`) that reaches outside the repository, as `file:line: what`. */
export function pathsLeavingRepository(file: string, text: string, root = REPO_ROOT): string[] {
  const found: string[] = [];
  const rel = path.relative(root, file);
  text.split('\n').forEach((line, i) => {
    for (const match of line.matchAll(OUTSIDE)) {
      found.push(`${rel}:${i + 1}: names ${match[1]}, which is outside the repository`);
    }
    for (const match of line.matchAll(CLIMBING)) {
      // Relative to the file (imports, path.resolve from a module's folder) and to the
      // root (commands in docs and CI): outside in both means outside wherever it is read.
      const fromFile = path.resolve(path.dirname(file), match[0]);
      const fromRoot = path.resolve(root, match[0]);
      const inside = (p: string) => p === root || p.startsWith(root + path.sep);
      if (!inside(fromFile) && !inside(fromRoot)) {
        found.push(`${rel}:${i + 1}: ${match[0]} climbs out of the repository`);
      }
    }
  });
  return found;
}

describe('the repository stands alone', () => {
  it('scans a real set of files (code, tests, docs, CI)', () => {
    const files = scannedFiles().map((f) => path.relative(REPO_ROOT, f));
    expect(files).toContain('README.md');
    expect(files).toContain(path.join('.ci', 'run'));
    expect(files).toContain(path.join('src', 'index.ts'));
    expect(files).toContain(path.join('test', 'fixtures', 'osu', 'README.md'));
    expect(files).toContain(path.join('notebooks', 'paper-figures.ipynb'));
  });

  it('no file names or climbs to a path outside the repository', () => {
    const offending = scannedFiles().flatMap((f) => pathsLeavingRepository(f, readFileSync(f, 'utf8')));
    expect(offending, offending.join('\n')).toEqual([]);
  });

  it('the scan catches a path that climbs out, and names file and line', () => {
    const file = path.join(REPO_ROOT, 'test', 'calibrate', 'x.test.ts');
    const up = (n: number) => '../'.repeat(n);
    const text = `import a from '${up(2)}src/a.js';\nconst dir = path.resolve(import.meta.dirname, '${up(4)}elsewhere');\n`;
    expect(pathsLeavingRepository(file, text)).toEqual([
      `${path.join('test', 'calibrate', 'x.test.ts')}:2: ${up(4)}elsewhere climbs out of the repository`,
    ]);
  });

  it('the scan catches a folder that exists only beside the repository', () => {
    const file = path.join(REPO_ROOT, 'docs', 'x.md');
    const outside = ['shared', 'validation'].join('/');
    const text = `see ${outside}/osu, not mpi.${'library'}Inline\n`;
    expect(pathsLeavingRepository(file, text)).toEqual([
      `${path.join('docs', 'x.md')}:1: names ${outside}, which is outside the repository`,
    ]);
  });

  it('every fixture folder says where its files came from', () => {
    const root = path.join(REPO_ROOT, 'test', 'fixtures');
    const folders = readdirSync(root, { withFileTypes: true }).filter((e) => e.isDirectory());
    expect(folders.length).toBeGreaterThanOrEqual(6);
    for (const folder of folders) {
      const readme = path.join(root, folder.name, 'README.md');
      const cpp = path.join(root, folder.name, `${folder.name}.cpp`);
      // The libstdc++ fixture's provenance is the comment heading the program that made it.
      const source = statSync(readme, { throwIfNoEntry: false }) ? readme : cpp;
      expect(readFileSync(source, 'utf8'), `${folder.name} has no README`).toMatch(
        /made|recorded|real|constructed/i,
      );
    }
  });
});
