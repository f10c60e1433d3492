/**
 * The calibrate inputs on damaged input (the property-based input tests, test/fuzz.ts):
 * the paper's rows CSV and constants JSON (`--base none`), the sidecar FILE.ibvf.json, and
 * whole `ibvf calibrate` input folders. Each gives a result or a one-line InputError,
 * never another exception; the CLI exits 0 or 2 with one line and no stack trace.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitPaperRows, parsePaperConstants, parsePaperRows } from '../../src/calibrate/paper/index.js';
import { parseSidecar } from '../../src/calibrate/sidecar.js';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { parseJsonText } from '../../src/profiles/json.js';
import { fixtureDir, REPO_ROOT } from '../fixtures.js';
import { damagedText, fuzzSeed, resultOrInputError, truncationsAtEveryLine } from '../fuzz.js';

const PAPER = path.join(REPO_ROOT, 'calibration', 'cx3-fdr-kvm-2013');
const ROWS = readFileSync(path.join(PAPER, 'paper-rows.csv'), 'utf8');
const CONSTANTS = readFileSync(path.join(PAPER, 'constants.json'), 'utf8');
const SIDECARS = ['{"path": "shm", "progress": "poll"}', '{"path": "vf"}', '{\n  "progress": "event"\n}\n'];

const rows = (t: string) => parsePaperRows(t, 'paper-rows.csv');
const constants = (t: string) => parsePaperConstants(parseJsonText(t, 'constants.json'), 'constants.json');

const seed = fuzzSeed('calibrate inputs');

describe('the paper rows CSV on damaged input', () => {
  it('truncated at and inside every line', () => {
    for (const cut of truncationsAtEveryLine(ROWS)) resultOrInputError(() => rows(cut));
  });

  it('random bytes, cuts, duplicated, dropped and swapped lines, mutated numbers', () => {
    fc.assert(
      fc.property(damagedText([ROWS]), (t) => resultOrInputError(() => rows(t))),
      { seed, numRuns: 300 },
    );
  });
});

describe('the constants JSON on damaged input', () => {
  it('truncated at and inside every line', () => {
    const cuts = truncationsAtEveryLine(CONSTANTS);
    for (let i = 0; i < cuts.length; i += 3) resultOrInputError(() => constants(cuts[i]));
  });

  it('random bytes, cuts, duplicated, dropped and swapped lines, mutated numbers', () => {
    fc.assert(
      fc.property(damagedText([CONSTANTS]), (t) => resultOrInputError(() => constants(t))),
      { seed, numRuns: 300 },
    );
  });

  it('any JSON value where a fitted parameter or a section belongs', () => {
    const whole = JSON.parse(CONSTANTS) as Record<string, unknown>;
    const fitted = whole.fitted as Record<string, unknown>;
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.keys(whole)),
        fc.constantFrom(...Object.keys(fitted)),
        fc.jsonValue(),
        (key, name, value) => {
          resultOrInputError(() => parsePaperConstants({ ...whole, [key]: value }, 'constants.json'));
          resultOrInputError(() =>
            parsePaperConstants({ ...whole, fitted: { ...fitted, [name]: value } }, 'constants.json'),
          );
        },
      ),
      { seed, numRuns: 200 },
    );
  });
});

describe('the paper fit on rows with one number mutated (a few: each fit takes seconds)', () => {
  it('fits or refuses in one line', () => {
    const c = constants(CONSTANTS);
    const mutated = fc.tuple(fc.nat(), fc.constantFrom('0.001', '1e6', '99999', '0.5', '3')).map(([k, v]) => {
      const lines = ROWS.split('\n');
      const i = 1 + (k % (lines.length - 2));
      const cells = lines[i].split(',');
      cells[11] = v; // the value column
      lines[i] = cells.join(',');
      return lines.join('\n');
    });
    fc.assert(
      fc.property(mutated, (t) =>
        resultOrInputError(() => {
          const fit = fitPaperRows(rows(t), c, 'constants.json');
          for (const p of Object.values(fit.profile.paths))
            for (const param of Object.values(p)) {
              if (typeof param === 'object' && param !== null && 'value' in param)
                expect(Number.isFinite((param as { value: number }).value)).toBe(true);
            }
        }),
      ),
      { seed, numRuns: 2 },
    );
  }, 120_000);
});

describe('the sidecar FILE.ibvf.json on damaged input', () => {
  it('truncated at and inside every line', () => {
    for (const s of SIDECARS)
      for (const cut of truncationsAtEveryLine(s)) resultOrInputError(() => parseSidecar(cut, 's.ibvf.json'));
  });

  it('random bytes, cuts, duplicated, dropped and swapped lines, mutated numbers, any JSON value', () => {
    fc.assert(
      fc.property(damagedText(SIDECARS), (t) => resultOrInputError(() => parseSidecar(t, 's.ibvf.json'))),
      { seed, numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom('path', 'progress', 'other'), (value, key) => {
        resultOrInputError(() => parseSidecar(JSON.stringify(value), 's.ibvf.json'));
        resultOrInputError(() => parseSidecar(JSON.stringify({ [key]: value }), 's.ibvf.json'));
      }),
      { seed, numRuns: 200 },
    );
  });
});

/** `ibvf calibrate` in-process: exit 0 with a profile, or exit 2 with one line and no stack trace. */
async function calibrateOrOneLine(args: string[]): Promise<number> {
  const io = memoryIo();
  const code = await main(['calibrate', ...args], io);
  if (code !== 0) {
    expect(code, io.err).toBe(2);
    expect(io.err.trim().split('\n'), io.err).toHaveLength(1);
    expect(io.err).not.toMatch(/\n\s+at /);
  }
  return code;
}

describe('ibvf calibrate input folders on damaged input', () => {
  const OSU = fixtureDir('osu');
  const PROBE = fixtureDir('probe');
  const files = {
    'osu_latency.txt': readFileSync(path.join(OSU, 'mpich-shm-np2-osu_latency.txt'), 'utf8'),
    'osu_bw.txt': readFileSync(path.join(OSU, 'mpich-shm-np2-osu_bw.txt'), 'utf8'),
    'probe.json': readFileSync(path.join(PROBE, 'shm-quick-poll.json'), 'utf8'),
  };

  it('one file of a folder damaged (each file and sidecar, each kind of damage), the others whole', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ibvf-calibrate-fuzz-'));
    const out = path.join(dir, 'out.json');
    const input = path.join(dir, 'in');
    const whole: Record<string, string> = {
      ...files,
      'osu_latency.txt.ibvf.json': SIDECARS[0],
      'osu_bw.txt.ibvf.json': SIDECARS[0],
    };
    const damage = fc
      .constantFrom(...Object.keys(whole))
      .chain((name) => fc.tuple(fc.constant(name), damagedText([whole[name]])));
    const codes: number[] = [];
    await fc.assert(
      fc.asyncProperty(damage, async ([name, text]) => {
        copyTo(input, { ...whole, [name]: text });
        codes.push(await calibrateOrOneLine([input, '--name', 'f', '--out', out]));
      }),
      { seed, numRuns: 40 },
    );
    // the whole folder calibrates: the damage, not the set-up, is what is refused
    copyTo(input, whole);
    expect(await calibrateOrOneLine([input, '--name', 'f', '--out', out])).toBe(0);
    console.info(
      `calibrate folders: ${codes.filter((c) => c === 0).length} of ${codes.length} damaged folders calibrated`,
    );
  }, 120_000);

  it('a folder whose files are truncated at every line of one file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ibvf-calibrate-cut-'));
    const out = path.join(dir, 'out.json');
    const cuts = truncationsAtEveryLine(files['osu_latency.txt']);
    for (let i = 0; i < cuts.length; i += 3) {
      const file = path.join(dir, `cut-${i}.txt`);
      writeFileSync(file, cuts[i]);
      await calibrateOrOneLine([file, '--path', 'shm', '--name', 'f', '--out', out]);
    }
  }, 120_000);
});

/** A fresh folder `dir` holding `files`. */
function copyTo(dir: string, files: Record<string, string>): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
}
