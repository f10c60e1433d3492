import { readCsvTable } from '../csv-table.js';
import { InputError } from '../errors.js';

/**
 * One published measurement of the public validation set (`validation/rows.csv`; the
 * columns are described in `validation/README.md`). Empty cells of the file are undefined
 * here: a source that gives a peak without its size, or a collective without its nodes.
 */
export interface ValidationRow {
  id: string;
  source: string;
  testbed: string;
  hca: string;
  virtualization: 'native' | 'sr-iov' | 'passthrough' | 'sr-iov+ivshmem';
  mpi: string;
  operation: string;
  size_bytes?: number;
  procs?: number;
  nodes?: number;
  layout: string;
  shm: 'on' | 'off' | 'unknown';
  metric: 'latency_us' | 'bandwidth_MBps' | 'time_ratio_vm_over_native' | 'min_ratio_native_over_vm_time';
  value: number;
  unit: string;
  /** `build`: may set up its testbed's profile; `judge`: only judges. */
  role: 'build' | 'judge';
  note: string;
  /** Line of the file the row is on (1-based). */
  line: number;
}

const COLUMNS = [
  'id',
  'source',
  'testbed',
  'hca',
  'virtualization',
  'mpi',
  'operation',
  'size_bytes',
  'procs',
  'nodes',
  'layout',
  'shm',
  'metric',
  'value',
  'unit',
  'role',
  'note',
] as const;

const CHOICES: Partial<Record<(typeof COLUMNS)[number], readonly string[]>> = {
  virtualization: ['native', 'sr-iov', 'passthrough', 'sr-iov+ivshmem'],
  shm: ['on', 'off', 'unknown'],
  metric: ['latency_us', 'bandwidth_MBps', 'time_ratio_vm_over_native', 'min_ratio_native_over_vm_time'],
  role: ['build', 'judge'],
};

/** Reads the validation set's CSV text; `file` names it in errors (file:line: what). */
export function parseValidationRows(text: string, file: string): ValidationRow[] {
  const rows = readCsvTable(text, file, COLUMNS, CHOICES);
  const ids = new Set<string>();
  return rows.map(({ cell, line }) => {
    if (ids.has(cell.id)) throw new InputError(`row id '${cell.id}' appears twice`, file, line);
    ids.add(cell.id);
    const count = (column: 'size_bytes' | 'procs' | 'nodes'): number | undefined => {
      if (cell[column] === '') return undefined;
      const n = Number(cell[column]);
      if (!Number.isInteger(n) || n < 0) {
        throw new InputError(`${column} '${cell[column]}' is not a whole number`, file, line);
      }
      return n;
    };
    const value = Number(cell.value);
    if (cell.value === '' || !Number.isFinite(value) || value <= 0) {
      throw new InputError(`value '${cell.value}' is not a positive number`, file, line);
    }
    return {
      ...cell,
      virtualization: cell.virtualization as ValidationRow['virtualization'],
      shm: cell.shm as ValidationRow['shm'],
      metric: cell.metric as ValidationRow['metric'],
      role: cell.role as ValidationRow['role'],
      size_bytes: count('size_bytes'),
      procs: count('procs'),
      nodes: count('nodes'),
      value,
      line,
    };
  });
}
