import { describe, expect, it } from 'vitest';
import { parsePaperRows } from '../../../src/calibrate/paper/rows-csv.js';

const HEADER = 'id,role,section,figure,what,path,op,progress,bytes,metric,unit,value,tolerance,note';
const GOOD = 'a,fit,V-B,Fig. 2(a),send 2 B,native,send,poll,2,latency,us,0.87,0.05,"a note, quoted"';
const parse = (...lines: string[]) => parsePaperRows([HEADER, ...lines].join('\n'), 'rows.csv');

describe('parsePaperRows', () => {
  it('reads a row with its units and line', () => {
    const [row] = parse(GOOD);
    expect(row).toMatchObject({
      file: 'rows.csv',
      id: 'a',
      role: 'fit',
      op: 'send',
      bytes: 2,
      value: 0.87,
      tolerance: 0.05,
      line: 2,
    });
    expect(row.note).toBe('a note, quoted');
  });

  const bad: [string, string, RegExp][] = [
    ['a wrong header', 'x,y\n1,2', /rows\.csv:1: expected the header/],
    ['no rows', '', /rows\.csv:2: no rows after the header/],
    [
      'an unknown role',
      GOOD.replace(',fit,', ',train,'),
      /rows\.csv:2: role 'train' is not one of fit, check/,
    ],
    [
      'a progress the operation lacks',
      GOOD.replace(',poll,', ',blocking,'),
      /rows\.csv:2: op send has progress poll or event, not 'blocking'/,
    ],
    [
      "a unit that is not the metric's",
      GOOD.replace(',us,', ',ms,'),
      /rows\.csv:2: unit 'ms': a latency is in us/,
    ],
    ['NaN', GOOD.replace(',0.87,', ',NaN,'), /rows\.csv:2: value 'NaN' is not a positive number/],
    ['a negative value', GOOD.replace(',0.87,', ',-1,'), /value '-1' is not a positive number/],
    ['a size of 0', GOOD.replace(',2,latency', ',0,latency'), /bytes '0' is not a whole number >= 1/],
    [
      'a tolerance of 5 (not 0.05)',
      GOOD.replace(',0.05,', ',5,'),
      /tolerance '5' is not a relative error between 0 and 1/,
    ],
    [
      'a loose tolerance without a note',
      GOOD.replace(',0.05,"a note, quoted"', ',0.2,'),
      /looser than 5%: the note must say why/,
    ],
  ];
  for (const [what, body, message] of bad) {
    it(`refuses ${what} with file:line`, () => {
      expect(() =>
        body.startsWith('x,y') ? parsePaperRows(body, 'rows.csv') : parse(...(body ? [body] : [])),
      ).toThrow(message);
    });
  }

  it('refuses a repeated id on its line', () => {
    expect(() => parse(GOOD, GOOD)).toThrow(/rows\.csv:3: row id 'a' appears twice/);
  });
});
