import { describe, expect, it } from 'vitest';
import { readValidationRows } from '../../src/validation/load.js';
import { parseValidationRows } from '../../src/validation/rows.js';
import { inputErrorOf } from '../input-error.js';

const HEADER =
  'id,source,testbed,hca,virtualization,mpi,operation,size_bytes,procs,nodes,layout,shm,metric,value,unit,role,note';
const GOOD =
  'x-01,src,tb,CX3,sr-iov,MVAPICH2,osu_latency,8,2,2,vm-per-node,unknown,latency_us,1.41,us,build,"a, note"';

describe('the public validation set (validation/rows.csv)', () => {
  const rows = readValidationRows();

  it('holds at least 20 rows from at least 3 sources, none from the seed paper', () => {
    expect(rows.length).toBeGreaterThanOrEqual(20);
    expect(new Set(rows.map((r) => r.source)).size).toBeGreaterThanOrEqual(3);
    for (const r of rows) expect(r.source).not.toMatch(/jose|ccgrid13/i);
  });

  it('marks every collective row as one that only judges', () => {
    const collective = rows.filter((r) => /bcast|allreduce|alltoall|allgather|reduce/.test(r.operation));
    expect(collective.length).toBeGreaterThan(0);
    for (const r of collective) expect(r.role).toBe('judge');
  });

  it('reads quoted notes with commas, empty cells as absent, and each row with its line', () => {
    const [row] = parseValidationRows(`${HEADER}\n${GOOD}\n`, 'v.csv');
    expect(row).toMatchObject({ id: 'x-01', size_bytes: 8, procs: 2, value: 1.41, note: 'a, note', line: 2 });
    const [peak] = parseValidationRows(`${HEADER}\n${GOOD.replace(',8,2,2,', ',,2,,')}\n`, 'v.csv');
    expect(peak.size_bytes).toBeUndefined();
    expect(peak.nodes).toBeUndefined();
  });
});

describe('bad validation files', () => {
  it.each([
    ['a wrong header', 'id,source\n', /^v\.csv:1: expected the header id,source,testbed/],
    ['a short row', `${HEADER}\n${GOOD}\nx-02,src\n`, /^v\.csv:3: 2 columns, expected 17/],
    [
      'an unknown role',
      `${HEADER}\n${GOOD.replace(',build,', ',fit,')}\n`,
      /^v\.csv:2: role 'fit' is not one of build, judge/,
    ],
    [
      'a value that is not a number',
      `${HEADER}\n${GOOD.replace(',1.41,', ',NaN,')}\n`,
      /^v\.csv:2: value 'NaN' is not a positive number/,
    ],
    [
      'a fractional size',
      `${HEADER}\n${GOOD.replace(',8,2,2,', ',8.5,2,2,')}\n`,
      /^v\.csv:2: size_bytes '8\.5' is not a whole number/,
    ],
    ['an id twice', `${HEADER}\n${GOOD}\n${GOOD}\n`, /^v\.csv:3: row id 'x-01' appears twice/],
  ])('%s is one clear error with file and line', (_, text, message) => {
    expect(inputErrorOf(() => parseValidationRows(text, 'v.csv')).message).toMatch(message);
  });

  it('a missing file says so', () => {
    expect(inputErrorOf(() => readValidationRows('/nonexistent/rows.csv')).message).toMatch(
      /^\/nonexistent\/rows\.csv: cannot read the file \(ENOENT\)/,
    );
  });
});
