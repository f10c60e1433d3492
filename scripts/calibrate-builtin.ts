/**
 * Regenerates the built-in profile src/profiles/cx3-fdr-kvm-2013.json from its committed
 * inputs, calibration/cx3-fdr-kvm-2013/paper-rows.csv and constants.json, and prints the
 * fit's report (stderr) with each row's error and leave-one-out error.
 *
 *   npm run calibrate:builtin            writes the profile
 *   npm run calibrate:builtin -- --check exits 1 if the shipped profile differs
 *
 * test/calibrate/paper/builtin.test.ts checks the shipped profile is what this produces.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtinCalibration, BUILTIN_PROFILE_FILE } from '../src/calibrate/paper/builtin.js';
import { formatPaperReport } from '../src/calibrate/paper/report-table.js';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const { json, fit } = builtinCalibration((rel) => readFileSync(path.join(root, rel), 'utf8'));
process.stderr.write(`${formatPaperReport(fit.report)}\n`);
const target = path.join(root, BUILTIN_PROFILE_FILE);
if (process.argv.includes('--check')) {
  const same = readFileSync(target, 'utf8') === json;
  process.stderr.write(
    same
      ? `${BUILTIN_PROFILE_FILE} is up to date\n`
      : `${BUILTIN_PROFILE_FILE} differs: run npm run calibrate:builtin\n`,
  );
  process.exitCode = same ? 0 : 1;
} else {
  writeFileSync(target, json);
  process.stderr.write(`wrote ${BUILTIN_PROFILE_FILE}\n`);
}
