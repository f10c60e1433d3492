/**
 * `ibvf calibrate`: reads probe results and other tools' outputs (files or folders), tells
 * which profile path each measured (the probe file, a sidecar FILE.ibvf.json, or --path),
 * calls the pure pipeline (src/calibrate/calibrate.ts), writes the profile and prints the
 * report.
 */
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { InputError, UsageError } from '../../errors.js';
import { calibrateProfile } from '../../calibrate/calibrate.js';
import { calibrateFromPaper } from './calibrate-paper.js';
import { importBenchmarkText } from '../../calibrate/import/index.js';
import type {
  CalibrationInput,
  CalibrationReport,
  FitQuality,
  HoldoutRow,
  NoiseInput,
  ReportedParam,
} from '../../calibrate/input.js';
import { NOISE_SCHEMA_ID, validateProbeNoise } from '../../probe/noise-result.js';
import { pathOfProbe } from '../../calibrate/probe-inputs.js';
import { parseSidecar, SIDECAR, SIDECAR_MAX_BYTES, type Sidecar } from '../../calibrate/sidecar.js';
import { matrixInputs } from '../../calibrate/matrix-inputs.js';
import { COMPUTE_SCHEMA_ID } from '../../probe/compute-result.js';
import { isGraph500Output, parseGraph500Output } from '../../calibrate/import/graph500.js';
import { validateComputeResult } from '../../probe/compute-validate.js';
import { MATRIX_SCHEMA_ID } from '../../probe/matrix-result.js';
import { validateProbeMatrix, validateProbeResult } from '../../probe/validate.js';
import { DEFAULT_PROFILE } from '../../profiles/builtin.js';
import { parseJsonText } from '../../profiles/json.js';
import { loadProfile } from '../../profiles/load.js';
import { PROGRESS_MODES } from '../../profiles/types.js';
import { readTextFile } from '../../read-text.js';
import { formatJson, formatTable } from '../format.js';
import { startProgressBar } from '../../progress-bar.js';
import type { CliIo } from '../io.js';
import { parseChoice } from '../parse.js';

interface CalibrateOptions {
  name: string;
  base: string;
  out?: string;
  holdout?: string[];
  json?: boolean;
  path?: string;
  progress?: string;
  sidecar?: boolean;
}

/** Files given, folders expanded to their files (sorted; sidecars, hidden files and notes skipped). */
function expand(items: readonly string[]): string[] {
  return items.flatMap((item) => {
    let stat;
    try {
      stat = statSync(item);
    } catch (e) {
      throw new InputError(`cannot read the file (${(e as NodeJS.ErrnoException).code ?? String(e)})`, item);
    }
    if (!stat.isDirectory()) return [item];
    const files = readdirSync(item)
      .filter((f) => !f.startsWith('.') && !f.endsWith(SIDECAR) && !/\.(md|txt\.orig)$/i.test(f))
      .sort()
      .map((f) => path.join(item, f))
      .filter((f) => statSync(f).isFile());
    if (files.length === 0) throw new InputError('the folder holds no input files', item);
    return files;
  });
}

/** What a sidecar FILE.ibvf.json says the file measured, or null when there is none. */
function readSidecar(file: string): Sidecar | null {
  const name = file + SIDECAR;
  if (!existsSync(name)) return null;
  return parseSidecar(readTextFile(name, { what: 'the sidecar', maxBytes: SIDECAR_MAX_BYTES }), name);
}

/** The line of the row giving `bytes` in a run starting at `runLine`, from the file's text. */
function lineFinder(text: string): (runLine: number, bytes: number) => number | undefined {
  const lines = text.split(/\r?\n/);
  return (runLine, bytes) => {
    for (let i = runLine - 1; i < lines.length; i++) {
      const first = /^\s*(\d+)\b/.exec(lines[i]);
      if (first && Number(first[1]) === bytes) return i + 1;
    }
    return undefined;
  };
}

function readInput(file: string, opts: CalibrateOptions, paths: string[]): (CalibrationInput | NoiseInput)[] {
  const text = readTextFile(file);
  if (text.trim() === '')
    throw new InputError('empty file: nothing to calibrate from (did the benchmark run?)', file);
  const sidecar = readSidecar(file);
  const need = (what: string) =>
    new InputError(
      `cannot tell which path this run measured${what}: add --path NAME or a sidecar ${path.basename(file)}${SIDECAR} with {"path": NAME, "progress": "poll"} (paths: ${paths.join(', ')})`,
      file,
    );
  const pick = (own: string | null): string => {
    const said = [own, sidecar?.path, opts.path].filter((x): x is string => x !== undefined && x !== null);
    if (said.length === 0) throw need('');
    const other = said.find((x) => x !== said[0]);
    if (other !== undefined) {
      throw new InputError(
        `contradicting paths: ${own ? `the probe file says ${own}` : `the sidecar says ${sidecar?.path}`}, ${other === opts.path ? '--path' : 'the sidecar'} says ${other}; make them agree`,
        file,
      );
    }
    return said[0];
  };
  if (text.trimStart().startsWith('{')) {
    const data = parseJsonText(text, file);
    if (
      typeof data === 'object' &&
      data !== null &&
      (data as { schema?: unknown }).schema === MATRIX_SCHEMA_ID
    ) {
      if (sidecar?.path !== undefined)
        throw new InputError(
          'a --matrix file says the path of each pair; its sidecar may not name one',
          file,
        );
      return matrixInputs(validateProbeMatrix(data, file), file, opts.path);
    }
    if (
      typeof data === 'object' &&
      data !== null &&
      (data as { schema?: unknown }).schema === COMPUTE_SCHEMA_ID
    ) {
      if (sidecar?.path !== undefined)
        throw new InputError(
          'a compute probe file measured the node, not a path; its sidecar may not name one',
          file,
        );
      return [{ kind: 'compute', file, result: validateComputeResult(data, file) }];
    }
    if (
      typeof data === 'object' &&
      data !== null &&
      (data as { schema?: unknown }).schema === NOISE_SCHEMA_ID
    ) {
      if (sidecar?.path !== undefined)
        throw new InputError(
          "a noise run measured the node's CPUs, not a path; its sidecar may not name one",
          file,
        );
      return [{ kind: 'noise', file, result: validateProbeNoise(data, file) }];
    }
    const result = validateProbeResult(data, file);
    return [{ kind: 'probe', file, path: pick(pathOfProbe(result)), result }];
  }
  if (isGraph500Output(text)) {
    if (sidecar?.path !== undefined)
      throw new InputError(
        'a Graph500 output measured the node, not a path; its sidecar may not name one',
        file,
      );
    return [{ kind: 'graph500', file, run: parseGraph500Output(text, file) }];
  }
  if (opts.sidecar && !sidecar) throw need(' (--sidecar asks for one next to every foreign file)');
  const runs = importBenchmarkText(text, file);
  const progress =
    sidecar?.progress ?? (opts.progress ? parseChoice(opts.progress, PROGRESS_MODES, '--progress') : 'poll');
  return [{ kind: 'imported', file, path: pick(null), progress, runs, rowLine: lineFinder(text) }];
}

const pct = (x: number) => `${(100 * x).toFixed(1)}`;
const num = (x: number) =>
  x === 0 ? '0' : Math.abs(x) >= 0.01 && Math.abs(x) < 1e6 ? x.toPrecision(4) : x.toExponential(3);

function paramTable(params: ReportedParam[], prefix: string): string {
  return formatTable<ReportedParam>(
    [
      { header: 'Parameter', value: (p) => p.field.slice(prefix.length) },
      { header: 'Value', value: (p) => num(p.value) },
      { header: 'Unit', value: (p) => p.unit },
      {
        header: '95% interval',
        value: (p) => (p.interval ? `[${num(p.interval[0])}, ${num(p.interval[1])}]` : 'none'),
      },
      { header: 'Source', value: (p) => `${p.fitted ? 'FIT' : p.source.kind}: ${p.source.ref}` },
    ],
    params,
  );
}

function qualityTable(q: FitQuality): string {
  return (
    formatTable(
      [
        { header: 'Point', value: (r: FitQuality['residuals'][number]) => r.label },
        { header: 'Measured', value: (r) => num(r.measured) },
        { header: 'Fitted', value: (r) => num(r.fitted) },
        { header: 'Error (%)', value: (r) => pct(r.relError) },
      ],
      q.residuals,
      `fit quality, path ${q.path}: ${q.what} (${q.files.join(', ')})`,
    ) + (q.worst ? `# worst point: ${q.worst.label} ${pct(q.worst.relError)}%\n` : '')
  );
}

export function holdoutTable(report: CalibrationReport): string {
  const h = report.holdout;
  return (
    formatTable<HoldoutRow>(
      [
        { header: 'File', value: (r) => (r.line ? `${r.file}:${r.line}` : r.file) },
        { header: 'Path', value: (r) => r.path },
        { header: 'Measurement', value: (r) => `${r.what} ${r.label}` },
        { header: 'Unit', value: (r) => r.unit },
        { header: 'Predicted', value: (r) => num(r.predicted) },
        { header: 'Measured', value: (r) => num(r.measured) },
        { header: 'Error (%)', value: (r) => pct(r.relError) },
      ],
      h.rows,
      'held out (not fitted): predicted with the calibrated profile vs measured',
    ) +
    (h.worst && h.medianAbsRelError !== null
      ? `# median |error| ${pct(h.medianAbsRelError)}%, worst ${pct(h.worst.relError)}% (${h.worst.what} ${h.worst.label}, ${h.worst.file})\n`
      : '')
  );
}

function reportText(report: CalibrationReport, out: string): string {
  const parts = [`# calibrated profile ${report.name} (base ${report.base}) written to ${out}\n`];
  parts.push(
    formatTable(
      [
        { header: 'Input', value: (i: CalibrationReport['inputs'][number]) => i.file },
        { header: 'Path', value: (i) => i.path },
        { header: 'What', value: (i) => i.what },
      ],
      report.inputs,
      'inputs',
    ),
  );
  const pathNames = [
    ...new Set(report.params.filter((p) => p.field.startsWith('paths.')).map((p) => p.field.split('.')[1])),
  ];
  for (const name of pathNames) {
    const prefix = `paths.${name}.`;
    parts.push(
      `# path ${name} (FIT: fitted from the inputs here; other sources are the base profile's)\n` +
        paramTable(
          report.params.filter((p) => p.field.startsWith(prefix)),
          prefix,
        ),
    );
  }
  const others = report.params.filter((p) => !p.field.startsWith('paths.'));
  if (others.length > 0) parts.push('# other sections\n' + paramTable(others, ''));
  parts.push(...report.quality.map(qualityTable));
  if (report.holdout.rows.length > 0) parts.push(holdoutTable(report));
  return parts.join('\n');
}

export function registerCalibrate(program: Command, io: CliIo): void {
  program
    .command('calibrate')
    .summary('fit a profile to probe results and benchmark outputs')
    .description(
      'Fit the parameters of a profile to measurements: ibvf probe results (ibvf.probe/1: PRTT runs of the loggp suite give ' +
        'L, o, g and G by the Netgauge method; ping-pong sweeps and streaming give the latency intercept, per-byte cost and gap) ' +
        "ibvf probe compute files (ibvf.probe-compute/1: the node's warm memcpy and MPI_SUM slopes give mpi.copyPerByte and compute.reducePerByte), " +
        "ibvf probe --matrix files (ibvf.probe-matrix/1: each rank pair fitted as a run of the path it took, from its ranks' hosts " +
        'and functions; pairs flagged as outliers left out, named in a warning), ' +
        'ibvf probe noise files (ibvf.probe-noise/1: the host-CPU parameters of rule 1, subscriptionPenalty, tickOverhead, ' +
        'hostCoresReserved and hostWorkPerVm, from the stretch of fixed work quanta), ' +
        "the Graph500 reference's output of one process (mpiexec -n 1 graph500_reference_bfs SCALE > g.txt 2>&1: " +
        'compute.bfsPerEdgeCost, its BFS time per adjacency entry), ' +
        'and the outputs ibvf import reads (osu_latency and osu_bw, perftest, qperf, sockperf), or folders of them. ' +
        'Each input must say which profile path it measured: a probe file does (shm, or tcp as an IPoIB path), other files take ' +
        '--path or a sidecar FILE.ibvf.json {"path": "shm", "progress": "poll"}. Parameters the inputs do not determine come from ' +
        '--base and their source says so; fitted ones say the files and the fitter, with a 95% interval (bootstrap over raw ' +
        'samples) or none and why. The profile (ibvf.profile/2) is written to --out (default NAME.json here); the report goes ' +
        'to stdout: per path every parameter with value, interval and source, fit quality per point (in sample), and with ' +
        '--holdout each held-out measurement predicted vs measured (out of sample) with the median and worst relative error.',
    )
    .argument('<inputs...>', 'probe result files, benchmark outputs, or folders of them')
    .requiredOption('--name <NAME>', 'name of the new profile')
    .option(
      '--base <PROFILE|none>',
      'profile the parameters not fitted come from (built-in name or file); none: a whole profile from a paper-rows CSV and its constants JSON, as the built-in one is made',
      DEFAULT_PROFILE,
    )
    .option('--out <FILE>', 'where to write the profile (default: NAME.json in the current folder)')
    .option(
      '--holdout <FILES...>',
      'measurements kept out of the fit and predicted with the result (put it last: it takes every file after it)',
    )
    .option(
      '--path <P>',
      'the profile path foreign files measured (shm, native, vf, native-loopback, vf-loopback, vf-to-vf, ipoib-native, ipoib-vf)',
    )
    .option('--progress <poll|event|blocking>', 'how foreign files noticed completions (default poll)')
    .option('--sidecar', 'require a sidecar FILE.ibvf.json next to every foreign file instead of --path')
    .option(
      '--json',
      'print the report as JSON on stdout: {out, report}; the profile is still written to --out',
    )
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  ibvf calibrate osu_latency.txt osu_bw.txt --name host --path shm --out host.json\n' +
        '  ibvf predict --profile host.json --path shm --op mpi\n' +
        '  ibvf probe run --transport shm --suite loggp --out s.json && ibvf calibrate s.json --name here\n' +
        '  ibvf probe compute --out node.json && ibvf calibrate node.json s.json --name here   adds the copy and reduction costs\n' +
        '  mpiexec -n 8 ibvf probe run --transport tcp --matrix --out m.json && ibvf calibrate m.json --name cluster\n' +
        '  ibvf calibrate lat.txt --name host --path shm --holdout bw.txt     predict what was not fitted\n' +
        '  ibvf calibrate calibration/cx3-fdr-kvm-2013 --base none --name cx3-fdr-kvm-2013 --out p.json\n' +
        "      the built-in profile from the paper's rows and cited constants (rows, errors and leave-one-out errors printed)\n" +
        '  ibvf probe noise --workers 2 --out ref.json && ibvf probe noise --workers 4 --out over.json\n' +
        '  ibvf calibrate ref.json over.json --name here      subscriptionPenalty from CPU noise runs (ibvf probe noise --help)\n' +
        '  mpiexec -n 1 graph500_reference_bfs 22 > g500.txt 2>&1 && ibvf calibrate g500.txt s.json --name here\n' +
        "      adds compute.bfsPerEdgeCost for ibvf graph500 (one process: one core's BFS scan)\n",
    )
    .action((items: string[], opts: CalibrateOptions) => {
      if (opts.base === 'none') {
        if (opts.holdout || opts.path !== undefined || opts.sidecar || opts.progress !== undefined)
          throw new UsageError(
            "--base none fits a paper-rows CSV with its constants JSON; --holdout, --path, --sidecar and --progress do not apply (the CSV says each row's path and role)",
          );
        return calibrateFromPaper(expand(items), opts, io);
      }
      if (opts.path !== undefined && opts.sidecar) throw new UsageError('--path and --sidecar: choose one');
      const base = loadProfile(opts.base);
      const paths = Object.keys(base.paths);
      if (opts.path !== undefined && !paths.includes(opts.path))
        throw new UsageError(
          `--path ${opts.path}: the base profile ${base.name} has paths ${paths.join(', ')}`,
        );
      const read = (list: string[]) => expand(list).flatMap((f) => readInput(f, opts, paths));
      const all = read(items);
      const inputs = all.filter((i): i is CalibrationInput => i.kind !== 'noise');
      const noise = all.filter((i): i is NoiseInput => i.kind === 'noise');
      const holdoutFiles = opts.holdout ?? [];
      const fitted = new Set(all.map((i) => path.resolve(i.file)));
      const holdout = read(holdoutFiles).map((h) => {
        if (h.kind === 'noise')
          throw new UsageError(
            `--holdout ${h.file}: a noise run cannot be held out (nothing predicts quanta yet); give it as an input`,
          );
        return h;
      });
      const again = holdout.find((h) => fitted.has(path.resolve(h.file)));
      if (again)
        throw new UsageError(`--holdout ${again.file} is also an input: a held-out file must not be fitted`);
      const out = opts.out ?? `${opts.name}.json`;
      // calibrate reports fractions of its paths fitted: the bar counts thousandths.
      const bar = startProgressBar(io, 'calibrate', 1000);
      let calibrated: ReturnType<typeof calibrateProfile>;
      try {
        calibrated = calibrateProfile(inputs, {
          name: opts.name,
          base,
          holdout,
          noise,
          progress: bar ? (done, what) => bar.update(Math.round(done * 1000), what) : undefined,
        });
      } finally {
        bar?.stop();
      }
      const { profile, report } = calibrated;
      try {
        writeFileSync(out, formatJson(profile));
      } catch (e) {
        throw new InputError(
          `cannot write the profile (${(e as NodeJS.ErrnoException).code ?? String(e)}): choose another --out`,
          out,
        );
      }
      for (const w of report.warnings) io.stderr(`ibvf calibrate: warning: ${w}\n`);
      if (opts.json) return io.stdout(formatJson({ out, report }));
      io.stdout(reportText(report, out));
    });
}
