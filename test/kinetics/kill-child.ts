/**
 * Child process for the kill -9 test (not a test file): runs vacancy-fcc on a ramp with a
 * checkpoint after every window, slowed down by a busy wait per window so the parent can kill it
 * mid-run. Args: checkpoint path.
 */
import { Rng } from '../../src/core/index.js';
import { KmcEngine } from '../../src/kinetics/index.js';
import { killTestSetup } from './kill-setup.js';

const path = process.argv[2]!;
const { model, program } = killTestSetup();
const engine = new KmcEngine(model, program, { rng: Rng.stream(31), window_K: 2 });
engine.run({
  checkpoint: { path, everyWindows: 1 },
  onProgress: () => {
    const until = Date.now() + 15;
    while (Date.now() < until);
  },
});
process.stdout.write('finished\n');
