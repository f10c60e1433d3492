import { Command, CommanderError } from 'commander';
import { IbvfError } from '../errors.js';
import { type CliIo, processIo } from './io.js';
import { commands } from './commands/index.js';

/**
 * Builds the `ibvf` program. Every command is a file in `commands/` that registers
 * itself; this function only wires output and error handling shared by all.
 */
export function buildProgram(io: CliIo): Command {
  const program = new Command('ibvf')
    .description(
      'Measure, model and predict MPI performance on virtualized InfiniBand (SR-IOV) clusters.\n' +
        'Times are in microseconds (us), sizes in bytes, bandwidth in MB/s (10^6 bytes/s), as OSU prints.',
    )
    .version(process.env.npm_package_version ?? '0.1.0')
    .exitOverride()
    .showSuggestionAfterError()
    .configureOutput({
      writeOut: (s) => io.stdout(s),
      writeErr: (s) => io.stderr(s),
      outputError: (s, write) => write(`ibvf: ${s.replace(/^error: /, '')}`),
    })
    .addHelpText(
      'after',
      '\nExamples:\n' +
        "  ibvf whatif                                  compare VM layouts for the paper's Figure 5 setting\n" +
        '  ibvf predict --path vf --op send             point-to-point latency over an SR-IOV VF\n' +
        '  ibvf profiles                                list built-in profiles\n' +
        '\nRun `ibvf COMMAND --help` for the options of a command.\n',
    );
  for (const register of commands) register(program, io);
  return program;
}

/**
 * `IBVF_DEBUG=1` (any value but empty or 0) prints the stack trace behind a usage or
 * input error too, for bug reports; errors that are bugs always have theirs.
 */
function debugEnabled(): boolean {
  const v = process.env.IBVF_DEBUG;
  return v !== undefined && v !== '' && v !== '0';
}

/** Runs the CLI and returns its exit code: 0 ok, 2 usage or input error, 3 a run that failed. */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const program = buildProgram(io);
  if (argv.length === 0) {
    // Run bare, ibvf was not asked for help: the usage goes to stderr with the usage-error
    // status, as git does; `ibvf --help` prints it on stdout and exits 0.
    program.outputHelp({ error: true });
    return 2;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof IbvfError) {
      io.stderr(`ibvf: ${e.message}\n`);
      // For bug reports: where in ibvf the error was raised.
      if (debugEnabled() && e.stack) io.stderr(`${e.stack}\n`);
      return e.exitCode;
    }
    throw e;
  }
}
