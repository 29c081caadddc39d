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
 * Replaces a file's content all at once: a temporary file beside it, with the same mode (and owner, where the
 * process may set it), renamed over it. A reader (or a crash) never sees half a file; a failure leaves the file as it
 * was and no temporary file behind. A symbolic link is written through: its target changes, the link stays.
 */
export function writeFileAtomic(file: string, text: string): void {
  let target = file;
  try {
    target = fs.realpathSync(file);
  } catch {
    target = file; // a new file
  }
  const dir = path.dirname(target);
  const tmp = path.join(dir, `.${path.basename(target)}.opex-${process.pid}-${Date.now().toString(36)}.tmp`);
  let st: fs.Stats | undefined;
  try {
    st = fs.statSync(target);
  } catch {
    st = undefined;
  }
  const mode = st ? st.mode & 0o7777 : 0o644;
  try {
    const fd = fs.openSync(tmp, 'wx', mode);
    try {
      fs.writeFileSync(fd, text);
      fs.fsyncSync(fd);
      if (st) {
        fs.fchmodSync(fd, mode); // the umask may have narrowed it
        try {
          if (st.uid !== process.getuid?.() || st.gid !== process.getgid?.()) fs.fchownSync(fd, st.uid, st.gid);
        } catch {
          // not allowed to give the file away: it keeps the writer's owner
        }
      }
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, target);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}
