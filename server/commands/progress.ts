// A progress bar on stderr for long runs on a terminal. Request lines go to stdout; when
// both are the same terminal, the bar is wiped before a line is written and redrawn after.

export interface Progress {
  /** One more task finished. */
  tick(): void;
  /** Set the amount done (bytes read, for example). */
  set(done: number): void;
  /** Write a line to `out` without tearing the bar. */
  line(text: string): void;
  /** Remove the bar. */
  done(): void;
}

export interface ProgressOptions {
  total: number;
  label: string;
  out?: NodeJS.WriteStream;
  err?: NodeJS.WriteStream;
  /** Show the bar from this many tasks (default 50); a TTY on stderr is required too. */
  threshold?: number;
}

export function createProgress(options: ProgressOptions): Progress {
  const out = options.out ?? process.stdout;
  const err = options.err ?? process.stderr;
  const enabled = Boolean(err.isTTY) && options.total >= (options.threshold ?? 50);
  const started = performance.now();
  let finished = 0;
  let lastDraw = 0;
  let drawn = false;

  function draw(force = false): void {
    if (!enabled) return;
    const now = performance.now();
    if (!force && now - lastDraw < 100) return; // ten frames a second is plenty
    lastDraw = now;
    const width = 30;
    const share = options.total === 0 ? 1 : finished / options.total;
    const filled = Math.round(share * width);
    const rate = finished / Math.max((now - started) / 1000, 0.001);
    err.write(`\r\x1b[K${options.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${finished}/${options.total} ${Math.round(share * 100)}% ${rate.toFixed(0)}/s`);
    drawn = true;
  }

  function wipe(): void {
    if (drawn) err.write('\r\x1b[K');
    drawn = false;
  }

  return {
    tick() {
      finished++;
      draw(finished === options.total);
    },
    set(done) {
      finished = done;
      draw(finished === options.total);
    },
    line(text) {
      if (enabled && out.isTTY) wipe();
      out.write(text + '\n');
      if (enabled && out.isTTY) draw(true);
    },
    done() {
      wipe();
    },
  };
}
