/**
 * Importers of other tools' output. `importBenchmarkText` recognises which tool printed
 * a text by lines only that tool prints, and hands it to that tool's reader;
 * `importBenchmarkFile` reads the text from a file first.
 */
import { readTextFile } from '../../read-text.js';
import { InputError } from '../../errors.js';
import { stripBom } from '../../text.js';
import { importOsu } from './osu.js';
import { importPerftest } from './perftest.js';
import { importQperf } from './qperf.js';
import { importSockperf, type SockperfImportOptions } from './sockperf.js';
import type { ImportedRun, ImportTool } from './types.js';

export * from './types.js';
export { importOsu, importPerftest, importQperf, importSockperf, type SockperfImportOptions };

/** What some tools leave out of their output and the caller knows. */
export interface ImportOptions {
  /** The tool, when it should not be recognised from the text. */
  tool?: ImportTool;
  /** sockperf ping-pong does not print its -m message size: one for all runs, or one per run. */
  msgSize?: number | number[];
}

const READERS: Record<ImportTool, (text: string, file: string, options: ImportOptions) => ImportedRun[]> = {
  osu: importOsu,
  perftest: importPerftest,
  qperf: importQperf,
  sockperf: (text, file, options) => importSockperf(text, file, { msgSize: options.msgSize }),
};

/** Lines by which each tool's output is known (checked in this order). */
const SIGNATURES: [ImportTool, RegExp][] = [
  ['osu', /^\s*#\s*OSU\s.*\bTest\b/m],
  ['sockperf', /^sockperf:/m],
  ['perftest', /^\s*#bytes\s+#iterations|^\s+[\w ]*(?:Latency|BW) Test\s*$/m],
  ['qperf', /^(?:tcp|udp|sctp|sdp|rds|rc|uc|ud|xrc|ver_rc)_\w+:\s*$/m],
];

/** Which tool printed `text`, or undefined. */
export function detectTool(text: string): ImportTool | undefined {
  const body = stripBom(text);
  return SIGNATURES.find(([, re]) => re.test(body))?.[0];
}

/**
 * Reads the output of OSU Micro-Benchmarks, perftest, qperf or sockperf (`options.tool`
 * names it; by default it is recognised from the text).
 */
export function importBenchmarkText(text: string, file: string, options: ImportOptions = {}): ImportedRun[] {
  const which = options.tool ?? detectTool(text);
  if (!which) {
    throw new InputError(
      'not output of a tool ibvf imports (OSU Micro-Benchmarks, perftest, qperf, sockperf): import the text the benchmark printed, or name the tool with --tool',
      file,
    );
  }
  return READERS[which](text, file, options);
}

/** `importBenchmarkText` of a file's text; a file that cannot be read is an input error naming it. */
export function importBenchmarkFile(file: string, options: ImportOptions = {}): ImportedRun[] {
  return importBenchmarkText(readTextFile(file), file, options);
}
