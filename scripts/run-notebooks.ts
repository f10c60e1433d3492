/**
 * Executes every notebook of notebooks/ headless, as `npm run notebooks` (and CI) does:
 * Debian's `jupyter nbconvert --to notebook --execute` with the TypeScript kernel tslab,
 * installed apart from ibvf's own dependencies in notebooks/kernel/ (`npm ci --prefix
 * notebooks/kernel`; tslab bundles TypeScript 5.0, which must not replace the project's).
 *
 * The kernel spec is written into a temporary JUPYTER_PATH, and Jupyter's config, data and
 * runtime folders point there too, so nothing is registered in the user's home. The
 * executed copies go to a temporary folder (or `--out DIR` to keep them); the committed
 * notebooks stay without outputs. A notebook fails when a cell raises, or when it shows
 * no chart (a notebook that stops drawing has rotted too).
 *
 *   npm run notebooks                       every notebook (after npm run build)
 *   npm run notebooks -- --out executed     keeps the executed notebooks in executed/
 *   npm run notebooks -- graph500           only notebooks/graph500.ipynb
 */
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const notebooks = path.join(root, 'notebooks');
const tslab = path.join(notebooks, 'kernel', 'node_modules', 'tslab', 'bin', 'tslab');
/** Per-cell limit: the notebooks are meant to run in seconds (small scales and sizes). */
const CELL_TIMEOUT_S = 300;

function fail(line: string, code = 2): never {
  process.stderr.write(`notebooks: ${line}\n`);
  process.exit(code);
}

const args = process.argv.slice(2);
const outAt = args.indexOf('--out');
const keep = outAt >= 0 ? args[outAt + 1] : undefined;
if (outAt >= 0 && !keep) fail('--out needs a folder');
const only = args.filter((a, i) => a !== '--out' && i !== outAt + 1);

if (!existsSync(tslab)) fail('the tslab kernel is not installed: run npm ci --prefix notebooks/kernel');
if (!existsSync(path.join(root, 'dist', 'index.js')))
  fail('the package is not built (the notebooks import dist/): run npm run build');
const probe = spawnSync('jupyter', ['nbconvert', '--version'], { encoding: 'utf8' });
if (probe.status !== 0)
  fail("jupyter nbconvert was not found: install Debian's jupyter-nbconvert and python3-ipykernel");

const all = readdirSync(notebooks)
  .filter((f) => f.endsWith('.ipynb'))
  .sort();
const chosen = only.length === 0 ? all : only.map((n) => (n.endsWith('.ipynb') ? n : `${n}.ipynb`));
for (const n of chosen)
  if (!all.includes(n)) fail(`no notebook ${n} in notebooks/ (there are ${all.join(', ')})`);

const scratch = mkdtempSync(path.join(tmpdir(), 'ibvf-notebooks-'));
const jupyter = path.join(scratch, 'jupyter');
// The spec tslab's own `tslab install` writes (its python/install.py, create_kernel_json),
// with this node and this tslab named in full so no PATH decides which run.
mkdirSync(path.join(jupyter, 'kernels', 'tslab'), { recursive: true });
writeFileSync(
  path.join(jupyter, 'kernels', 'tslab', 'kernel.json'),
  JSON.stringify({
    argv: [process.execPath, tslab, 'kernel', '--config-path', '{connection_file}'],
    display_name: 'TypeScript (tslab)',
    language: 'typescript',
  }),
);
const env = {
  ...process.env,
  JUPYTER_PATH: jupyter,
  JUPYTER_CONFIG_DIR: path.join(scratch, 'config'),
  JUPYTER_DATA_DIR: path.join(scratch, 'data'),
  JUPYTER_RUNTIME_DIR: path.join(scratch, 'runtime'),
  IPYTHONDIR: path.join(scratch, 'ipython'),
};
const outDir = keep ? path.resolve(keep) : path.join(scratch, 'executed');
mkdirSync(outDir, { recursive: true });

interface Output {
  output_type: string;
  data?: Record<string, unknown>;
}
/** Charts a notebook showed: SVG through display.html, or PNG through display.png. */
function chartsShown(file: string): number {
  const nb = JSON.parse(readFileSync(file, 'utf8')) as { cells: { outputs?: Output[] }[] };
  return nb.cells
    .flatMap((c) => c.outputs ?? [])
    .filter((o) => o.data && ('image/png' in o.data || String(o.data['text/html'] ?? '').includes('<svg')))
    .length;
}

let failed = 0;
for (const name of chosen) {
  const started = Date.now();
  const run = spawnSync(
    'jupyter',
    [
      'nbconvert',
      '--to',
      'notebook',
      '--execute',
      `--ExecutePreprocessor.timeout=${CELL_TIMEOUT_S}`,
      '--ExecutePreprocessor.kernel_name=tslab',
      '--output-dir',
      outDir,
      path.join(notebooks, name),
    ],
    { cwd: notebooks, env, encoding: 'utf8' },
  );
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const executed = path.join(outDir, name);
  if (run.status !== 0) {
    failed++;
    // nbconvert's own report ends with the cell and its error: the last lines say what.
    const tail = (run.stderr ?? '').trim().split('\n').slice(-25).join('\n');
    process.stderr.write(`notebooks: ${name} FAILED after ${seconds} s:\n${tail}\n`);
    continue;
  }
  const charts = chartsShown(executed);
  if (charts === 0) {
    failed++;
    process.stderr.write(`notebooks: ${name} ran but showed no chart\n`);
    continue;
  }
  process.stdout.write(`notebooks: ${name} ok in ${seconds} s, ${charts} chart${charts === 1 ? '' : 's'}\n`);
}
if (keep) process.stdout.write(`notebooks: executed copies in ${outDir}\n`);
rmSync(scratch, { recursive: true, force: true });
if (failed > 0) fail(`${failed} of ${chosen.length} notebooks failed`, 1);
