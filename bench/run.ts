/**
 * `npm run bench`: runs every bench/*.bench.ts in turn (or those named on the command line,
 * e.g. `npm run bench -- fft kmc`). Each bench file measures its baseline in the same run and
 * prints a markdown section; figures are copied into bench/RESULTS.md by hand with the date,
 * the machine and the command.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const want = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => want.length === 0 || want.some((w) => f.startsWith(w)))
  .sort();
for (const f of files) {
  process.stdout.write(`\n## ${f}\n\n`);
  const mod = (await import(pathToFileURL(join(here, f)).href)) as { main?: () => Promise<void> };
  if (mod.main) await mod.main();
}
