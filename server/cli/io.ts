import * as fs from 'node:fs';
import * as path from 'node:path';

/** What a command may touch of the process: tests pass their own. */
export interface CliIO {
  cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Colour the text output (a TTY without NO_COLOR, or FORCE_COLOR). */
  color: boolean;
  /** Standard error is a terminal: progress lines are welcome. */
  interactive: boolean;
}

export function processIO(): CliIO {
  const env = process.env;
  const forced = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0';
  return {
    cwd: process.cwd(),
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    color: forced || (Boolean(process.stdout.isTTY) && env.NO_COLOR === undefined && env.TERM !== 'dumb'),
    interactive: Boolean(process.stderr.isTTY),
  };
}

/**
 * Replaces a file's content all at once: a temporary file beside it, with the same mode, renamed over it.
 * A reader (or a crash) never sees half a file.
 */
export function writeFileAtomic(file: string, text: string): void {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.opex-${process.pid}-${Date.now().toString(36)}.tmp`);
  let mode: number | undefined;
  try {
    mode = fs.statSync(file).mode & 0o7777;
  } catch {
    mode = undefined;
  }
  const fd = fs.openSync(tmp, 'w', mode ?? 0o644);
  try {
    fs.writeFileSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    if (mode !== undefined) fs.chmodSync(tmp, mode);
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}
