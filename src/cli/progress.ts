/**
 * Progress for long CLI runs, on stderr through the {@link CliIO}: a cli-progress bar when stderr is
 * a terminal, a plain line now and then otherwise. Nothing is shown for runs that finish within
 * about a second, so quick commands and tests stay quiet.
 */
import cliProgress from 'cli-progress';
import type { CliIO } from './io.js';

export interface ProgressReporter {
  /** Report `done` of `total` units (replicate networks, steps...). */
  update(done: number, total: number): void;
  /** Finish: stop the bar (and end its line) if one was shown. */
  stop(): void;
}

export interface ProgressOptions {
  /** Label before the bar, e.g. `check`. */
  label: string;
  /** Show nothing until this much time has passed (default 1000 ms). */
  delayMs?: number;
  /** Without a terminal, print at most one line per this interval (default 5000 ms). */
  plainIntervalMs?: number;
  /** Clock, injectable for tests (default performance.now). */
  now?: () => number;
}

/**
 * A minimal writable the cli-progress terminal can drive: readline's cursor helpers only call
 * `write` with ANSI escapes, so forwarding to `io.stderr` keeps all output on the injected stream.
 */
function terminalStream(io: CliIO): NodeJS.WritableStream {
  const stream = {
    isTTY: true,
    columns: process.stderr.columns || 80,
    write(chunk: string | Uint8Array, encodingOrCallback?: unknown, callback?: unknown): boolean {
      io.stderr(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      const done = typeof encodingOrCallback === 'function' ? encodingOrCallback : callback;
      if (typeof done === 'function') (done as () => void)();
      return true;
    },
  };
  return stream as unknown as NodeJS.WritableStream;
}

/** Creates a reporter for one run. */
export function createProgress(io: CliIO, options: ProgressOptions): ProgressReporter {
  const now = options.now ?? (() => performance.now());
  const delayMs = options.delayMs ?? 1000;
  const plainIntervalMs = options.plainIntervalMs ?? 5000;
  const started = now();
  let bar: cliProgress.SingleBar | undefined;
  let lastPlain = -Infinity;
  let shown = false;
  return {
    update(done, total) {
      const elapsed = now() - started;
      if (elapsed < delayMs) return;
      if (io.isTTY) {
        if (!bar) {
          bar = new cliProgress.SingleBar(
            {
              format: `${options.label} [{bar}] {value}/{total} | {duration_formatted} elapsed | eta {eta_formatted}`,
              stream: terminalStream(io),
              hideCursor: true,
              clearOnComplete: true,
              etaBuffer: 20,
            },
            cliProgress.Presets.shades_classic,
          );
          bar.start(total, done);
        } else {
          bar.setTotal(total);
          bar.update(done);
        }
        return;
      }
      if (elapsed - lastPlain >= plainIntervalMs || (done >= total && shown)) {
        lastPlain = elapsed;
        shown = true;
        io.stderr(`${options.label}: ${done}/${total} (${(elapsed / 1000).toFixed(1)} s)\n`);
      }
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}
