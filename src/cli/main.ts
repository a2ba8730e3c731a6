/**
 * The cathode-twin executable: runs src/cli/cli.ts on the process arguments and exits with its status (0 success,
 * 2 bad input, 1 other errors). Errors raised outside a verb's own flow (a rejected promise nobody awaited, an
 * exception in a timer or a worker's message handler) are reported the same way: one line, no stack unless
 * CATHODE_TWIN_DEBUG=1.
 */
import { hideBin } from 'yargs/helpers';
import { formatError, runCli } from './cli.js';

const fatal = (err: unknown): void => {
  const { line, status } = formatError(err);
  process.stderr.write(`${line}\n`);
  process.exit(status);
};
process.on('uncaughtException', fatal);
process.on('unhandledRejection', fatal);

const status = await runCli(hideBin(process.argv));
if (status !== 0) process.exit(status);
