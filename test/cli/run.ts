import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';

/** Runs `ibvf ARGS` in-process and returns its exit code and output. */
export async function runIbvf(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo();
  const code = await main(args, io);
  return { code, out: io.out, err: io.err };
}
