/**
 * The cathode-twin CLI: one verb per job. Each verb lives in `src/cli/commands/<verb>.ts` and
 * default-exports a yargs CommandModule; this file discovers them, so adding a verb touches no
 * other file.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import yargs, { type CommandModule } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { InputError } from '../core/errors.js';

const here = dirname(fileURLToPath(import.meta.url));
const dir = join(here, 'commands');
const files = readdirSync(dir)
  .filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts') && !f.startsWith('_'))
  .sort();
const commands: CommandModule[] = [];
for (const f of files) {
  const mod = (await import(pathToFileURL(join(dir, f)).href)) as { default: CommandModule };
  commands.push(mod.default);
}

let cli = yargs(hideBin(process.argv))
  .scriptName('cathode-twin')
  .usage(
    '$0 <command> [options]\n\n' +
      'Physics simulation and digital twin of Ni-rich layered oxide cathodes heated in the STEM.\n' +
      'Physical options take unit strings ("175 degC", "1.2e-5 Pa", "5 min", "2.872 Å", "15.07 mrad"),\n' +
      'converted once to Å, K, Pa, s, mrad, V, eV.',
  )
  .strict()
  .demandCommand(1, 'Name a command (see --help).')
  .recommendCommands()
  .wrap(Math.min(110, process.stdout.columns ?? 100))
  .fail((msg, err, y) => {
    if (err instanceof InputError) {
      process.stderr.write(`cathode-twin: invalid input: ${err.message}\n`);
      process.exit(2);
    }
    if (err) {
      process.stderr.write(`cathode-twin: ${err.stack ?? err.message}\n`);
      process.exit(1);
    }
    process.stderr.write(`${y.help()}\n\n${msg}\n`);
    process.exit(2);
  })
  .help()
  .alias('h', 'help')
  .version();
for (const c of commands) cli = cli.command(c);
try {
  await cli.parseAsync();
} catch (err) {
  // Errors thrown synchronously by a handler bypass .fail(): report them the same way.
  if (err instanceof InputError) {
    process.stderr.write(`cathode-twin: invalid input: ${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`cathode-twin: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
}
