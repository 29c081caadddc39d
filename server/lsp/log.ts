/** Logging to the client's output channel, and the guard every handler runs in: the server never crashes on bad input. */
import { ResponseError, type Connection } from 'vscode-languageserver/node';
import type { TraceSetting } from '../protocol';

export class Log {
  level: TraceSetting = 'off';

  constructor(private readonly connection: Connection) {}

  error(message: string, err?: unknown): void {
    const detail = err === undefined ? '' : `: ${describe(err)}`;
    this.connection.console.error(`${message}${detail}`);
  }

  warn(message: string): void {
    this.connection.console.warn(message);
  }

  info(message: string): void {
    this.connection.console.info(message);
  }

  /** Only with `opex.trace.server: verbose`: timings and what the server does on each change. */
  verbose(message: () => string): void {
    if (this.level === 'verbose') this.connection.console.log(message());
  }
}

export function describe(err: unknown): string {
  if (err instanceof Error) return err.stack ?? `${err.name}: ${err.message}`;
  return String(err);
}

/**
 * Runs a handler; a throw (or a rejected promise) is logged and answered with `fallback`. Cancellation errors
 * (ResponseError) pass through, so the client sees them as such.
 */
export function guard<P extends unknown[], R>(log: Log, name: string, fallback: R, fn: (...args: P) => R | Promise<R>): (...args: P) => Promise<R> {
  return async (...args: P) => {
    try {
      return await fn(...args);
    } catch (err) {
      if (err instanceof ResponseError) throw err;
      log.error(`opex: ${name} failed`, err);
      return fallback;
    }
  };
}

/** The same for notifications and events: nothing to answer, only to log. */
export function guardVoid<P extends unknown[]>(log: Log, name: string, fn: (...args: P) => void | Promise<void>): (...args: P) => void {
  return (...args: P) => {
    try {
      const r = fn(...args);
      if (r && typeof (r as Promise<void>).catch === 'function') {
        (r as Promise<void>).catch((err) => log.error(`opex: ${name} failed`, err));
      }
    } catch (err) {
      log.error(`opex: ${name} failed`, err);
    }
  };
}
