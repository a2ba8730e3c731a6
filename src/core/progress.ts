/**
 * Progress reporting: a bar on an interactive terminal (cli-progress), a few plain log lines
 * elsewhere (CI, pipes, files), nothing with `quiet`. Everything goes to stderr so that
 * `--json` output on stdout stays machine-readable.
 */
import cliProgress from 'cli-progress';

export interface Progress {
  /** Set the absolute progress and optional payload values shown after the bar. */
  update(done: number, payload?: Record<string, string | number>): void;
  /** Finish (clears the bar, or logs the final line). */
  stop(): void;
}

export interface ProgressOptions {
  /** What is being done, e.g. "KMC" or "imaging". */
  label: string;
  /** Total units of work. */
  total: number;
  /** Suppress all output. */
  quiet?: boolean;
  /** Force the bar on or off (default: only when stderr is a TTY and CI is not set). */
  tty?: boolean;
  /** Extra payload keys shown after the bar: e.g. ['T_C', 'events_per_s']. */
  fields?: string[];
}

export function createProgress(opts: ProgressOptions): Progress {
  if (opts.quiet) return { update() {}, stop() {} };
  const tty = opts.tty ?? (Boolean(process.stderr.isTTY) && !process.env.CI);
  if (tty) {
    const extra = (opts.fields ?? []).map((f) => ` ${f}={${f}}`).join('');
    const bar = new cliProgress.SingleBar(
      { format: `${opts.label} [{bar}] {percentage}% {value}/{total} eta {eta_formatted}${extra}`, stream: process.stderr, hideCursor: true, clearOnComplete: false },
      cliProgress.Presets.shades_classic,
    );
    bar.start(opts.total, 0);
    return {
      update: (done, payload) => bar.update(done, payload),
      stop: () => bar.stop(),
    };
  }
  // Quiet logs: at most ~10 lines per task.
  let nextPct = 10;
  const t0 = Date.now();
  return {
    update(done, payload) {
      const pct = opts.total > 0 ? (100 * done) / opts.total : 100;
      if (pct >= nextPct) {
        const p = payload ? ' ' + Object.entries(payload).map(([k, v]) => `${k}=${v}`).join(' ') : '';
        process.stderr.write(`[${opts.label}] ${Math.floor(pct)}% (${done}/${opts.total}, ${((Date.now() - t0) / 1000).toFixed(1)} s)${p}\n`);
        while (nextPct <= pct) nextPct += 10;
      }
    },
    stop() {},
  };
}
