/**
 * What the client does when the language server process dies: it starts it again after a growing delay (1 s, 2 s,
 * 4 s, 8 s, 16 s) and says so in the output and, the first time, in a notification; after 5 crashes within 3
 * minutes it stops trying and tells the user how to restart it by hand. vscode-languageclient's own handler restarts
 * at once, 4 times, silently. No run-time import of `vscode`, so this is testable without an editor.
 */
import type { CloseAction, CloseHandlerResult, ErrorAction, ErrorHandler, ErrorHandlerResult, Message } from 'vscode-languageclient';

// The enums' values (vscode-languageclient imports `vscode` at run time, which only exists inside the editor).
const CONTINUE = 1 as ErrorAction.Continue;
const SHUTDOWN = 2 as ErrorAction.Shutdown;
const DO_NOT_RESTART = 1 as CloseAction.DoNotRestart;

export interface RestartOptions {
  /** Delay before each restart, by attempt; the last one repeats. */
  delaysMs: readonly number[];
  /** Crashes counted within this window. */
  windowMs: number;
  /** More crashes than this within the window: no more restarts. */
  maxCrashes: number;
}

export const DEFAULT_RESTART: RestartOptions = { delaysMs: [1000, 2000, 4000, 8000, 16000], windowMs: 3 * 60_000, maxCrashes: 5 };

/** Crash bookkeeping: when to restart next, or not at all. */
export class RestartPolicy {
  private crashes: number[] = [];

  constructor(
    readonly options: RestartOptions = DEFAULT_RESTART,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a crash; answers the delay before the next start and its attempt number, or undefined to give up. */
  onCrash(): { delayMs: number; attempt: number } | undefined {
    const t = this.now();
    this.crashes = [...this.crashes.filter((c) => t - c < this.options.windowMs), t];
    const attempt = this.crashes.length;
    if (attempt > this.options.maxCrashes) return undefined;
    const { delaysMs } = this.options;
    return { delayMs: delaysMs[Math.min(attempt - 1, delaysMs.length - 1)], attempt };
  }
}

export interface CrashReporter {
  /** A line in the output channel. */
  log(message: string): void;
  /** A notification; `error` also offers the output. */
  notify(message: string, severity: 'warning' | 'error'): void;
}

/**
 * An ErrorHandler for the LanguageClient: errors on the connection are tolerated as by default (3 in a row, then
 * shut down); a closed connection (the process died) is restarted by `restart` after the policy's delay.
 */
export function crashHandler(
  policy: RestartPolicy,
  restart: () => Promise<unknown>,
  reporter: CrashReporter,
  schedule: (fn: () => void, ms: number) => unknown = (fn, ms) => setTimeout(fn, ms),
): ErrorHandler {
  return {
    error(_error: Error, _message: Message | undefined, count: number | undefined): ErrorHandlerResult {
      return { action: count !== undefined && count <= 3 ? CONTINUE : SHUTDOWN };
    },
    closed(): CloseHandlerResult {
      const next = policy.onCrash();
      const { maxCrashes, windowMs } = policy.options;
      if (!next) {
        const message = `opex: the language server stopped ${maxCrashes + 1} times within ${Math.round(windowMs / 60_000)} minutes and will not be restarted. See the opex output, then run "opex: Restart server".`;
        reporter.log(message);
        reporter.notify(message, 'error');
        return { action: DO_NOT_RESTART, handled: true };
      }
      const seconds = next.delayMs / 1000;
      const message = `opex: the language server stopped unexpectedly; restarting in ${seconds} s (attempt ${next.attempt} of ${maxCrashes}).`;
      reporter.log(message);
      if (next.attempt === 1) reporter.notify(message, 'warning');
      schedule(() => {
        restart().then(
          () => reporter.log('opex: the language server is running again.'),
          (err: unknown) => reporter.log(`opex: the language server did not restart: ${err instanceof Error ? err.message : String(err)}`),
        );
      }, next.delayMs);
      return { action: DO_NOT_RESTART, handled: true };
    },
  };
}
