// Worker entry of src/core/pool.ts for task modules run from TypeScript sources: registers tsx's ESM hooks in this
// thread (on Node 20 `--import tsx` registers only its CommonJS hook in worker threads, and piscina would then
// require() the task, transpiling the whole module graph to CommonJS, where every imported binding becomes a getter:
// kinetic Monte Carlo ran 2.5–3× slower in the pool than in the main thread), then imports the task as ESM and
// exports its handler.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const task = await import(workerData.cathodeTwinTask);
export default task.default;
