/**
 * The engine under fuzzed input (fixed seed, a few seconds per property; `npm run fuzz` runs the same
 * properties on ≥100,000 documents): parseFile and the whole rule catalog never throw, no rule crashes
 * (no internal-error diagnostic), every range lies inside its document, and the same input gives the same output,
 * from a fresh workspace or from one that linted other inputs before (the linter's caches).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { TEST_SPEC } from '../../server/engine/testing';
import { caseArb, documentArb, MANIFEST_SEEDS, mutate, suiteParams, WRONG_VALUES } from './corpus';
import { lintCase, parseProblems, type FuzzWorkspace } from './engine-harness';

describe('engine fuzzing', () => {
  it('parseFile never throws and keeps every range inside the text', () => {
    fc.assert(
      fc.property(documentArb, (text) => {
        assert.deepEqual(parseProblems(text), []);
      }),
      suiteParams(600, 4000),
    );
  });

  it('the whole catalog: no exception, no internal error, every range (diagnostic, related, fix) inside its document', () => {
    let reused: FuzzWorkspace | undefined;
    fc.assert(
      fc.property(caseArb, (c) => {
        const fresh = lintCase(c);
        assert.deepEqual(fresh.problems, []);
        // The same input gives the same output: again from scratch, and through a linter that linted other inputs before.
        const again = lintCase(c);
        assert.deepEqual(again.diagnostics, fresh.diagnostics);
        const incremental = lintCase(c, reused);
        reused = incremental.ws;
        assert.deepEqual(incremental.diagnostics, fresh.diagnostics);
      }),
      suiteParams(250, 6000),
    );
  });

  it('every seed with one wrong-typed node, for a sample of nodes and values (the full sweep is in npm run fuzz)', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: MANIFEST_SEEDS.length - 1 }),
        fc.nat(),
        fc.nat({ max: WRONG_VALUES.length - 1 }),
        (seed, at, value) => {
          const text = mutate(MANIFEST_SEEDS[seed].text, { op: 'wrongType', at, value });
          assert.deepEqual(lintCase({ manifest: text, spec: { name: 'opex.yaml', text: TEST_SPEC } }).problems, []);
        },
      ),
      suiteParams(250, 4000),
    );
  });
});
