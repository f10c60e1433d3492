/**
 * Runs every benchmark in bench/ (files named *.bench.ts), one after another on
 * this process, or only those whose file name contains one of the arguments:
 *
 *   npm run bench                 all of them
 *   npm run bench -- sim          only bench/sim*.bench.ts and the like
 *
 * Each benchmark's default export is an async function that prints what it measured
 * and the baseline it compares against. Benchmarks never fail the test suite.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';

const dir = fileURLToPath(new URL('.', import.meta.url));
const filters = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();

for (const file of files) {
  process.stdout.write(`\n== ${file} ==\n`);
  const mod = (await import(pathToFileURL(join(dir, file)).href)) as { default: () => Promise<void> };
  await mod.default();
}
if (files.length === 0) process.stdout.write('no benchmark matched\n');
