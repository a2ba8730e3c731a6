/**
 * V8's heap growing factor, raised for the duration of a job that allocates many short-lived typed arrays.
 *
 * After each full (mark-compact) collection V8 sets the next old-generation and global (old generation + array
 * buffers) limits from the live size times a growing factor, which for the small heaps of a dataset worker (~15 MB
 * live) is small: such a worker ran ~3 full collections per 64-sample bundle, started near those limits by the
 * specimens' and spectra's array buffers, with concurrent marking on V8's helper threads. `--heap-growing-percent=P`
 * makes the factor 1 + P/100 (V8 reads the flag whenever it sets the limits, so it applies at once, to every isolate of
 * the process: the worker threads as well). The flag is process-wide, so holders are counted: the first raises it,
 * the last one out puts back the value the process started with (its command line, else V8's default 0 = adaptive).
 * Only collection frequency and memory change (a few tens of MB per thread), never a result.
 */
import { setFlagsFromString } from 'node:v8';

/** The growing percent the process started with (0: V8's adaptive default). */
function startingPercent(argv: readonly string[]): number {
  for (const a of argv) {
    const m = /^--heap[-_]growing[-_]percent=(\d+)$/.exec(a);
    if (m) return Number(m[1]);
  }
  return 0;
}

let holders = 0;

/**
 * Raises V8's heap growing factor to 1 + percent/100 until the returned release function is called (once per hold;
 * later calls do nothing). Nested holds keep the first hold's percent. `setFlags` and `argv` are for tests.
 */
export function holdHeapGrowth(percent: number, setFlags: (flags: string) => void = setFlagsFromString, argv: readonly string[] = process.execArgv): () => void {
  if (!Number.isInteger(percent) || percent < 1 || percent > 1000) throw new RangeError(`heap growing percent ${percent}: an integer 1…1000`);
  if (holders++ === 0) setFlags(`--heap-growing-percent=${percent}`);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--holders === 0) setFlags(`--heap-growing-percent=${startingPercent(argv)}`);
  };
}
