/** The CLI's name for the output streams every command writes to (shared with the probe in src/io.ts). */
export { type OutputStreams as CliIo, processIo, memoryIo } from '../io.js';
