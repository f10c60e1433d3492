import { readCsvTable } from '../../csv-table.js';
import { InputError } from '../../errors.js';
import { PROGRESS_OF_OP } from '../../model/p2p/predict.js';
import type { P2pOp, Progress } from '../../profiles/types.js';
import type { PaperRow } from './types.js';

const COLUMNS = [
  'id',
  'role',
  'section',
  'figure',
  'what',
  'path',
  'op',
  'progress',
  'bytes',
  'metric',
  'unit',
  'value',
  'tolerance',
  'note',
] as const;
type Column = (typeof COLUMNS)[number];

const OPS = Object.keys(PROGRESS_OF_OP) as P2pOp[];
const CHOICES: Partial<Record<Column, readonly string[]>> = {
  role: ['fit', 'check'],
  op: OPS,
  progress: ['poll', 'event', 'blocking'],
  metric: ['latency', 'peak-bandwidth'],
};
const UNIT_OF_METRIC: Record<PaperRow['metric'], PaperRow['unit']> = {
  latency: 'us',
  'peak-bandwidth': 'MB/s',
};

/**
 * Reads a paper's rows (calibration/<profile>/paper-rows.csv); `file` names it in
 * errors, which say file:line, what is wrong and what is expected.
 */
export function parsePaperRows(text: string, file: string): PaperRow[] {
  const rows = readCsvTable(text, file, COLUMNS, CHOICES);
  if (rows.length === 0) throw new InputError('no rows after the header', file, 2);
  const ids = new Set<string>();
  return rows.map(({ cell, line }) => {
    if (cell.id === '') throw new InputError('id is empty', file, line);
    if (ids.has(cell.id)) throw new InputError(`row id '${cell.id}' appears twice`, file, line);
    ids.add(cell.id);
    const op = cell.op as P2pOp;
    const progress = cell.progress as Progress;
    if (!PROGRESS_OF_OP[op].includes(progress)) {
      throw new InputError(
        `op ${op} has progress ${PROGRESS_OF_OP[op].join(' or ')}, not '${progress}'`,
        file,
        line,
      );
    }
    const metric = cell.metric as PaperRow['metric'];
    if (cell.unit !== UNIT_OF_METRIC[metric]) {
      throw new InputError(`unit '${cell.unit}': a ${metric} is in ${UNIT_OF_METRIC[metric]}`, file, line);
    }
    const bytes = Number(cell.bytes);
    if (cell.bytes === '' || !Number.isInteger(bytes) || bytes < 1) {
      throw new InputError(`bytes '${cell.bytes}' is not a whole number >= 1`, file, line);
    }
    const value = Number(cell.value);
    if (cell.value === '' || !Number.isFinite(value) || value <= 0) {
      throw new InputError(`value '${cell.value}' is not a positive number`, file, line);
    }
    const tolerance = Number(cell.tolerance);
    if (cell.tolerance === '' || !Number.isFinite(tolerance) || tolerance <= 0 || tolerance >= 1) {
      throw new InputError(
        `tolerance '${cell.tolerance}' is not a relative error between 0 and 1 (0.05 = 5%)`,
        file,
        line,
      );
    }
    if (tolerance > 0.05 && cell.note === '') {
      throw new InputError(`tolerance ${tolerance} is looser than 5%: the note must say why`, file, line);
    }
    return {
      ...cell,
      role: cell.role as PaperRow['role'],
      op,
      progress,
      metric,
      unit: UNIT_OF_METRIC[metric],
      bytes,
      value,
      tolerance,
      file,
      line,
    };
  });
}
