/**
 * Reads the text OSU Micro-Benchmarks print (osu_latency, osu_bw, osu_bibw, osu_mbw_mr,
 * osu_multi_lat, and the collectives osu_bcast, osu_allreduce, osu_alltoall, ...) into
 * ImportedRuns.
 *
 * The shape, as OMB 5.x to 7.x print it (mvapich.cse.ohio-state.edu, `osu_util`): a title
 * line `# OSU MPI <name> Test[ vX.Y]`, optional `#` lines (datatype, pairs and window
 * size, buffer placement), a column header `# Size  <column>  <column> ...` whose column
 * names are separated by two or more spaces, then one row per message size. Collectives
 * run with `-f` add Min, Max and Iterations columns; osu_barrier has no Size column. OSU's
 * MB/s is 10^6 bytes per second, and its latencies are in microseconds: osu_latency's is
 * half a round trip, a collective's is averaged over ranks.
 *
 * With `-c` (validation) OMB 7.x adds a `Validation` column whose rows end in `Pass` or
 * `Fail`; each point keeps it, and a run with a `Fail` says so in its notes. A message size
 * that appears twice in a run, and a last row cut off (no newline after it and fewer
 * decimals than the row above, or fewer values than the header), are errors.
 *
 * Lines that are not OSU output at all (a launcher's warnings) are skipped and counted in
 * the run's notes; a row that starts like a number but does not fit its header is an
 * error, with file and line.
 */
import { InputError } from '../../errors.js';
import { stripBom } from '../../text.js';
import { checkCutLastRow, endsWithoutNewline, SizeSet } from './rows.js';
import type { ImportedPoint, ImportedRun, LatencyMeaning } from './types.js';

/** OSU's titles and the program that prints each (point-to-point latency is one-way). */
const TESTS: Record<string, { test: string; latency?: LatencyMeaning }> = {
  latency: { test: 'osu_latency', latency: 'one-way' },
  'multi latency': { test: 'osu_multi_lat', latency: 'one-way' },
  'multi-threaded latency': { test: 'osu_latency_mt', latency: 'one-way' },
  bandwidth: { test: 'osu_bw' },
  'bi-directional bandwidth': { test: 'osu_bibw' },
  'multiple bandwidth / message rate': { test: 'osu_mbw_mr' },
  'broadcast latency': { test: 'osu_bcast', latency: 'collective-average' },
  'allreduce latency': { test: 'osu_allreduce', latency: 'collective-average' },
  'reduce latency': { test: 'osu_reduce', latency: 'collective-average' },
  'all-to-all personalized exchange latency': { test: 'osu_alltoall', latency: 'collective-average' },
  'allgather latency': { test: 'osu_allgather', latency: 'collective-average' },
  'gather latency': { test: 'osu_gather', latency: 'collective-average' },
  'scatter latency': { test: 'osu_scatter', latency: 'collective-average' },
  'reduce_scatter latency': { test: 'osu_reduce_scatter', latency: 'collective-average' },
  'barrier latency': { test: 'osu_barrier', latency: 'collective-average' },
};

/** Where each OSU column goes in an ImportedPoint. */
const COLUMNS: Record<string, keyof ImportedPoint> = {
  size: 'bytes',
  'latency (us)': 'latency_us',
  'avg latency(us)': 'latency_us',
  'min latency(us)': 'min_us',
  'max latency(us)': 'max_us',
  'p50 tail lat(us)': 'median_us',
  'p99 tail lat(us)': 'p99_us',
  iterations: 'iterations',
  'bandwidth (mb/s)': 'bandwidth_MBps',
  'mb/s': 'bandwidth_MBps',
  'messages/s': 'msg_rate',
  validation: 'validation',
};

const TITLE = /^#\s*OSU\s+(?:MPI(?:-\w+)?\s+)?(.+?)\s+Test(?:\s+v?(\d[\w.]*))?\s*$/i;
const NUMBER_START = /^[-+]?\.?\d/;

interface OpenRun {
  run: ImportedRun;
  columns: (keyof ImportedPoint)[] | undefined;
  headerLine: number;
  skipped: number;
  firstSkipped: number;
  sizes: SizeSet;
  previousCells: string[] | undefined;
  failed: number[];
}

export function importOsu(text: string, file: string): ImportedRun[] {
  text = stripBom(text);
  const runs: ImportedRun[] = [];
  let open: OpenRun | undefined;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = lines[i].trim();
    if (line === '') continue;
    const title = TITLE.exec(line);
    if (title) {
      if (open) runs.push(finish(open, file));
      open = startRun(title[1], title[2], file, lineNo);
      continue;
    }
    if (!open) {
      if (NUMBER_START.test(line))
        throw new InputError(
          'a row of numbers before any "# OSU ... Test" title: is this OSU Micro-Benchmarks output?',
          file,
          lineNo,
        );
      continue;
    }
    if (line.startsWith('#')) {
      readCommentLine(open, line.slice(1).trim(), file, lineNo);
      continue;
    }
    if (!NUMBER_START.test(line)) {
      if (open.skipped++ === 0) open.firstSkipped = lineNo;
      continue;
    }
    if (!open.columns) {
      throw new InputError('a row of numbers before the "# Size ..." column header', file, lineNo);
    }
    const cells = line.split(/\s+/);
    if (endsWithoutNewline(lines, i))
      checkCutLastRow(cells, open.columns.length, open.previousCells, file, lineNo);
    const point = readRow(open.columns, cells, file, lineNo);
    if (open.columns.includes('bytes')) open.sizes.add(point.bytes, file, lineNo);
    if (point.validation === 'fail') open.failed.push(point.bytes);
    open.previousCells = cells;
    open.run.points.push(point);
  }
  if (open) runs.push(finish(open, file));
  if (runs.length === 0) {
    throw new InputError(
      'no "# OSU ... Test" title found: this is not OSU Micro-Benchmarks output (import the file the benchmark printed)',
      file,
      1,
    );
  }
  return runs;
}

function startRun(name: string, version: string | undefined, file: string, line: number): OpenRun {
  const known = TESTS[name.toLowerCase().replace(/\s+/g, ' ')];
  const settings: Record<string, string | number> = {};
  if (version) settings.version = version;
  const isRate = /rate|bandwidth/i.test(name);
  const run: ImportedRun = {
    tool: 'osu',
    test: known?.test ?? `OSU ${name}`,
    metric: isRate ? 'bandwidth' : 'latency',
    file,
    line,
    settings,
    points: [],
    notes: [],
  };
  const latency = known?.latency ?? (isRate ? undefined : 'collective-average');
  if (latency) run.latency = latency;
  if (!known) run.notes.push(`unknown OSU test "${name}": latency read as an average over ranks`);
  return {
    run,
    columns: undefined,
    headerLine: line,
    skipped: 0,
    firstSkipped: 0,
    sizes: new SizeSet(),
    previousCells: undefined,
    failed: [],
  };
}

/** A `#` line inside a run: the column header, or a setting OSU states. */
function readCommentLine(open: OpenRun, body: string, file: string, line: number): void {
  const names = body.split(/\s{2,}/).map((n) => n.trim().toLowerCase());
  if (names.some((n) => n in COLUMNS) && (names[0] === 'size' || /latency/.test(names[0]))) {
    if (open.columns) throw new InputError('a second column header in one run', file, line);
    open.columns = names.map((n) => {
      const field = COLUMNS[n];
      if (!field) {
        throw new InputError(
          `unknown OSU column "${n}" (known: ${Object.keys(COLUMNS).join(', ')})`,
          file,
          line,
        );
      }
      return field;
    });
    open.headerLine = line;
    return;
  }
  for (const m of body.matchAll(/\[\s*([\w ]+?)\s*:\s*(\d+)\s*\]/g))
    open.run.settings[m[1].toLowerCase()] = Number(m[2]);
  const datatype = /^Datatype:\s*(\S+?)\.?$/i.exec(body);
  if (datatype) open.run.settings.datatype = datatype[1];
}

function readRow(
  columns: (keyof ImportedPoint)[],
  cells: string[],
  file: string,
  lineNo: number,
): ImportedPoint {
  if (cells.length !== columns.length) {
    throw new InputError(
      `${cells.length} values where the header names ${columns.length} columns (a cut or merged line?)`,
      file,
      lineNo,
    );
  }
  const point: ImportedPoint = { bytes: 0 };
  cells.forEach((cell, k) => {
    if (columns[k] === 'validation') {
      // -c: VALIDATION_STATUS(errors) prints Pass or Fail (osu_util_mpi.c, print_stats_validate)
      const status = cell.toLowerCase();
      if (status !== 'pass' && status !== 'fail') {
        throw new InputError(`"${cell}" is not Pass or Fail (column ${k + 1}, Validation)`, file, lineNo);
      }
      point.validation = status;
      return;
    }
    const value = Number(cell);
    if (!Number.isFinite(value) || value < 0) {
      throw new InputError(`"${cell}" is not a number >= 0 (column ${k + 1})`, file, lineNo);
    }
    (point as unknown as Record<string, number>)[columns[k]] = value;
  });
  if (!Number.isInteger(point.bytes))
    throw new InputError(`message size ${point.bytes} is not whole bytes`, file, lineNo);
  return point;
}

function finish(open: OpenRun, file: string): ImportedRun {
  const { run } = open;
  if (!open.columns)
    throw new InputError(
      `"${run.test}" has no "# Size ..." column header: the output was cut short`,
      file,
      run.line,
    );
  if (run.points.length === 0) {
    throw new InputError(
      `"${run.test}" has a header but no rows: the run was cut short`,
      file,
      open.headerLine,
    );
  }
  if (
    run.metric === 'bandwidth' &&
    run.points.some((p) => p.bandwidth_MBps === undefined && p.msg_rate !== undefined)
  ) {
    run.metric = 'message-rate';
  }
  if (run.metric === 'bandwidth') run.notes.push('MB/s as OSU prints it: 10^6 bytes per second');
  if (!open.columns.includes('bytes')) run.notes.push('no Size column (osu_barrier): bytes set to 0');
  if (open.columns.includes('validation')) {
    run.notes.push(
      open.failed.length === 0
        ? 'validation (-c): every size passed'
        : `validation (-c) FAILED at ${open.failed.length} of ${run.points.length} size(s): ${open.failed.join(', ')} bytes; the data arrived wrong, do not trust these rows`,
    );
  }
  if (open.skipped > 0) {
    run.notes.push(
      `skipped ${open.skipped} line(s) that are not OSU output, the first at line ${open.firstSkipped}`,
    );
  }
  return run;
}
