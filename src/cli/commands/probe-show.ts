/**
 * `ibvf probe show FILE`: the tables of a result file, as the run printed them: an
 * `ibvf.probe-matrix/1` file's ranks, pairs, matrices and outliers, or an `ibvf.probe/1`
 * file's latency, streaming and PRTT tables. `--json` prints the validated file.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { InputError } from '../../errors.js';
import { COMPUTE_SCHEMA_ID } from '../../probe/compute-result.js';
import { computeText } from '../../probe/compute-table.js';
import { validateComputeResult } from '../../probe/compute-validate.js';
import { MATRIX_SCHEMA_ID } from '../../probe/matrix-result.js';
import { matrixText } from '../../probe/matrix-table.js';
import type { ProbeResult } from '../../probe/result.js';
import { latencyTable, prttHeader, prttRow, streamHeader, streamRow } from '../../probe/table.js';
import { validateProbeMatrix, validateProbeResult } from '../../probe/validate.js';
import { parseJsonText } from '../../profiles/json.js';
import { stripBom } from '../../text.js';
import type { CliIo } from '../io.js';
import { NOISE_SCHEMA_ID, validateProbeNoise } from '../../probe/noise-result.js';
import { noiseTable } from './probe-noise.js';

function probeText(r: ProbeResult): string {
  const label = r.transport === 'verbs' ? `verbs ${r.op}` : r.transport;
  let out = `# ibvf probe ${label}, suite ${r.options.suite}, ${r.host.name}${r.partial ? `, partial (stopped: ${r.stopped ?? 'not said'})` : ''}\n`;
  for (const run of r.latency) out += latencyTable(run, label, r.options.pairs, r.latency_kind);
  if (r.streaming.length > 0) out += streamHeader(r.transport) + r.streaming.map(streamRow).join('');
  if (r.prtt.length > 0) out += prttHeader(r.transport) + r.prtt.map(prttRow).join('');
  // verbs --region: each region's ping-pong, labelled with the region it cycled through
  for (const run of r.region_latency ?? [])
    out += latencyTable(run, `${label}, region ${run.region_bytes} B`, r.options.pairs, r.latency_kind);
  return out;
}

export function registerProbeShow(probe: Command, io: CliIo): void {
  probe
    .command('show')
    .description(
      'Print a probe result file as tables: an ibvf probe compute file (ibvf.probe-compute/1) as its copy and reduction tables; a --matrix file (ibvf.probe-matrix/1) as its ranks, pairs, latency and ' +
        'bandwidth matrices and outliers; an ibvf.probe/1 file as its latency, streaming and PRTT tables; an ' +
        'ibvf.probe-noise/1 file as its quanta per worker',
    )
    .argument(
      '<FILE>',
      'an ibvf.probe/1, ibvf.probe-matrix/1, ibvf.probe-compute/1 or ibvf.probe-noise/1 file',
    )
    .option('--json', 'print the file (validated) as JSON instead')
    .addHelpText(
      'after',
      `
Examples:
  ibvf probe show m.json            the matrix of an \`ibvf probe run --matrix\` run
  ibvf probe show shm.json --json
  ibvf probe show n.json            an \`ibvf probe noise\` run's table per worker
`,
    )
    .action((file: string, opts: { json?: boolean }) => {
      let text: string;
      try {
        text = stripBom(readFileSync(file, 'utf8'));
      } catch (e) {
        throw new InputError(
          `cannot read the file (${(e as NodeJS.ErrnoException).code ?? String(e)})`,
          file,
        );
      }
      const data = parseJsonText(text, file);
      if (
        typeof data === 'object' &&
        data !== null &&
        (data as { schema?: unknown }).schema === COMPUTE_SCHEMA_ID
      ) {
        const compute = validateComputeResult(data, file);
        io.stdout(opts.json ? JSON.stringify(compute, null, 2) + '\n' : computeText(compute));
        return;
      }
      if ((data as { schema?: unknown } | null)?.schema === NOISE_SCHEMA_ID) {
        const noise = validateProbeNoise(data, file);
        return io.stdout(opts.json ? JSON.stringify(noise, null, 2) + '\n' : noiseTable(noise));
      }
      const isMatrix =
        typeof data === 'object' &&
        data !== null &&
        (data as { schema?: unknown }).schema === MATRIX_SCHEMA_ID;
      const result = isMatrix ? validateProbeMatrix(data, file) : validateProbeResult(data, file);
      if (opts.json) io.stdout(JSON.stringify(result, null, 2) + '\n');
      else io.stdout(isMatrix ? matrixText(result as never) : probeText(result as ProbeResult));
    });
}
