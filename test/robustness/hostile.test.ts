/**
 * Hostile input through the engine (parseFile and the whole catalog, with the spec), each in a fresh process so that
 * its time and peak memory can be measured: alias and merge-key bombs, 10 MB files, 10,000 levels of nesting, 1 MB
 * lines, binary files, invalid UTF-8. Each gets a clear diagnostic (or is read normally) within its bounds
 * (test/robustness/hostile-inputs.ts); never an exception, an internal error or a range outside the file.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../fuzz/corpus';
import { HOSTILE } from './hostile-inputs';

interface Measured {
  name: string;
  bytes: number;
  ms: number;
  rssMB: number;
  byRule: Record<string, number>;
  messages: string[];
  problems: string[];
}

export function measureEngine(name: string, timeoutMs: number): Measured {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test', 'robustness', 'measure-engine.ts'), name], { cwd: ROOT, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  assert.equal(r.signal, null, `${name}: killed after ${timeoutMs} ms (a hang?)\n${r.stderr}`);
  assert.equal(r.status, 0, `${name}: exit ${r.status}\n${r.stderr}`);
  assert.doesNotMatch(r.stderr, /Warning|Error|at .+:\d+:\d+/, `${name}: stderr ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Measured;
}

describe('hostile input through the engine', () => {
  for (const c of HOSTILE) {
    it(`${c.name}: ${c.what}`, () => {
      const m = measureEngine(c.name, c.bounds.ms * 2 + 30_000);
      assert.deepEqual(m.problems, []);
      assert.equal(m.byRule['internal-error'], undefined);
      if (c.expect) assert.ok(m.messages.some((x) => c.expect!.test(x)), `${c.name}: no message matches ${c.expect}: ${m.messages.join(' | ')}`);
      else assert.equal(m.byRule['yaml-syntax'], undefined, `${c.name} is read normally: ${m.messages.join(' | ')}`);
      assert.ok(m.ms <= c.bounds.ms, `${c.name}: ${m.ms} ms > ${c.bounds.ms} ms`);
      assert.ok(m.rssMB <= c.bounds.rssMB, `${c.name}: peak RSS ${m.rssMB} MB > ${c.bounds.rssMB} MB`);
    });
  }
});
