import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importBenchmarkFile, importBenchmarkText } from '../src/calibrate/import/index.js';
import { parseGoal, readGoalFile } from '../src/model/sim/goal-parse.js';
import { builtinProfile } from '../src/profiles/builtin.js';
import { loadProfile } from '../src/profiles/load.js';
import { fixtureDir } from './fixtures.js';

/** A UTF-8 byte-order mark, as Notepad or PowerShell's Out-File write it. */
const BOM = '\uFEFF';

const IMPORTED = [
  ['osu', 'mpich-shm-np2-osu_latency.txt'],
  ['perftest', 'ib_send_lat-vf.txt'],
  ['qperf', 'tcp_lat_bw.txt'],
  ['sockperf', 'ping-pong-m14.txt'],
] as const;

describe('a byte-order mark at the start of a text input is skipped', () => {
  it.each(IMPORTED)('%s output (%s) reads the same with a BOM', (tool, name) => {
    const file = path.join(fixtureDir(tool), name);
    const text = readFileSync(file, 'utf8');
    const options = tool === 'sockperf' ? { msgSize: 14 } : {};
    const plain = importBenchmarkText(text, file, options);
    expect(importBenchmarkText(BOM + text, file, options)).toEqual(plain);
    const dir = mkdtempSync(path.join(tmpdir(), 'ibvf-bom-'));
    const copy = path.join(dir, name);
    writeFileSync(copy, BOM + text);
    expect(importBenchmarkFile(copy, options).map((r) => r.points)).toEqual(plain.map((r) => r.points));
  });

  it('a GOAL schedule, in memory and from a file', () => {
    const file = path.join(fixtureDir('loggopsim'), 'binomialtreebcast-32-8192.goal');
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith('num_ranks')).toBe(true);
    const plain = parseGoal(text);
    expect(parseGoal(BOM + text).numRanks).toBe(plain.numRanks);
    const dir = mkdtempSync(path.join(tmpdir(), 'ibvf-bom-'));
    const copy = path.join(dir, 'bom.goal');
    writeFileSync(copy, BOM + text);
    expect(readGoalFile(copy).numRanks).toBe(plain.numRanks);
  });

  it('a profile JSON file', () => {
    const profile = builtinProfile('cx3-fdr-kvm-2013')!;
    const dir = mkdtempSync(path.join(tmpdir(), 'ibvf-bom-'));
    const file = path.join(dir, 'mine.json');
    writeFileSync(file, BOM + JSON.stringify(profile));
    expect(loadProfile(file).name).toBe(profile.name);
  });
});
