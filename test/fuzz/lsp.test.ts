/**
 * The language server under fuzzed documents (fixed seed, a small budget; `npm run fuzz` runs more): documents
 * opened and edited, every feature asked at random positions; every request answered, every range inside its
 * document, no failure in the server's log, the server alive.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { copyFixture, TestClient } from '../lsp/harness';
import { SEED } from './corpus';
import { lspStepArb, runLspSteps, type LspStats } from './lsp-fuzz';

let c: TestClient;
before(async () => {
  c = await TestClient.start({ folder: copyFixture() });
  await c.ready();
});
after(() => c.stop());

describe('language server fuzzing', () => {
  it('answers every request on fuzzed documents, with ranges inside them, and logs no failure', async () => {
    const steps = fc.sample(fc.array(lspStepArb, { minLength: 40, maxLength: 40 }), { seed: SEED, numRuns: 1 })[0];
    const stats: LspStats = { documents: 0, changes: 0, requests: 0, worstMs: 0 };
    const problems = await runLspSteps(c, steps, stats);
    assert.deepEqual(problems, []);
    assert.ok(stats.requests >= 40, JSON.stringify(stats));
  });
});
