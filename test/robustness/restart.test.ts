/**
 * The client's answer to a crashed language server (client/restart.ts), without VS Code: restarts after 1, 2, 4,
 * 8, 16 s, saying so; after 5 crashes within 3 minutes no more restarts, and the user is told how to restart.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { crashHandler, RestartPolicy } from '../../client/restart';

function setup() {
  let now = 0;
  const policy = new RestartPolicy(undefined, () => now);
  const logs: string[] = [];
  const notes: Array<[string, string]> = [];
  const scheduled: Array<{ fn: () => void; ms: number }> = [];
  let restarts = 0;
  const handler = crashHandler(
    policy,
    async () => {
      restarts++;
    },
    { log: (m) => logs.push(m), notify: (m, s) => notes.push([s, m]) },
    (fn, ms) => scheduled.push({ fn, ms }),
  );
  return { policy, handler, logs, notes, scheduled, restarts: () => restarts, advance: (ms: number) => (now += ms) };
}

describe('restarting a crashed server', () => {
  it('restarts after a growing delay and says so: a notification the first time, the output every time', async () => {
    const s = setup();
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await s.handler.closed();
      assert.equal(r.action, 1, 'DoNotRestart: opex restarts it itself, later');
      assert.equal(r.handled, true);
      delays.push(s.scheduled[i].ms);
      s.scheduled[i].fn();
      s.advance(1000);
    }
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(delays, [1000, 2000, 4000, 8000, 16000]);
    assert.equal(s.restarts(), 5);
    assert.equal(s.notes.length, 1);
    assert.deepEqual(s.notes[0], ['warning', 'opex: the language server stopped unexpectedly; restarting in 1 s (attempt 1 of 5).']);
    assert.match(s.logs.join('\n'), /restarting in 16 s \(attempt 5 of 5\)/);
    assert.match(s.logs.join('\n'), /the language server is running again/);
  });

  it('gives up after 5 crashes within 3 minutes and tells the user how to restart it', async () => {
    const s = setup();
    for (let i = 0; i < 5; i++) {
      await s.handler.closed();
      s.advance(10_000);
    }
    const r = await s.handler.closed();
    assert.equal(r.action, 1);
    assert.equal(s.scheduled.length, 5, 'no sixth restart');
    assert.deepEqual(s.notes.at(-1), ['error', 'opex: the language server stopped 6 times within 3 minutes and will not be restarted. See the opex output, then run "opex: Restart server".']);
  });

  it('crashes older than 3 minutes are forgotten: a server that crashes now and then is always restarted, after 1 s', async () => {
    const s = setup();
    for (let i = 0; i < 10; i++) {
      await s.handler.closed();
      s.advance(4 * 60_000);
    }
    assert.equal(s.scheduled.length, 10);
    assert.ok(s.scheduled.every((x) => x.ms === 1000));
  });

  it('a restart that fails is logged, not thrown', async () => {
    const logs: string[] = [];
    const scheduled: Array<() => void> = [];
    const h = crashHandler(new RestartPolicy(), () => Promise.reject(new Error('spawn ENOENT')), { log: (m) => logs.push(m), notify: () => undefined }, (fn) => scheduled.push(fn));
    await h.closed();
    scheduled[0]();
    await new Promise((r) => setImmediate(r));
    assert.match(logs.join('\n'), /did not restart: spawn ENOENT/);
  });

  it('connection errors are tolerated three times in a row, then the connection is shut down (as vscode-languageclient does)', async () => {
    const s = setup();
    assert.equal((await s.handler.error(new Error('x'), undefined, 1)).action, 1);
    assert.equal((await s.handler.error(new Error('x'), undefined, 3)).action, 1);
    assert.equal((await s.handler.error(new Error('x'), undefined, 4)).action, 2);
  });

  it('the extension passes the handler to its LanguageClient', async () => {
    const { readFileSync } = await import('node:fs');
    const src = readFileSync(require.resolve('../../client/extension.ts'), 'utf8');
    assert.match(src, /errorHandler: crashHandler\(restarts,/);
  });
});
