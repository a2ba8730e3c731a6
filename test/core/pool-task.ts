/** Worker task of pool.test.ts: what the task sees of its own module and of a module it imports. */
import { SCENARIOS_DIR } from '../../src/twin/scenario/load.js';

export default function poolTestTask(x: number): { twice: number; url: string; scenariosDir: string; stack: string; execArgv: string[] } {
  return { twice: 2 * x, url: import.meta.url, scenariosDir: SCENARIOS_DIR, stack: new Error('where').stack ?? '', execArgv: process.execArgv };
}
