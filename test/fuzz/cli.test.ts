/**
 * `opex lint` on fuzzed folders (fixed seed, a small budget: each run is a process; `npm run fuzz` runs more):
 * exit status 0, 1 or 2, never a stack trace or a Node warning, JSON with every range inside its file, the same
 * output for the same input; `--fix` keeps every file readable.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { parseFile } from '../../server/engine/parse';
import { documentArb, specArb, suiteParams } from './corpus';
import { lintRunProblems, runCli, tempFolder, writeFiles } from './cli-harness';

const folders: string[] = [];
after(() => folders.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const folderArb = fc.record({
  manifests: fc.array(documentArb, { minLength: 1, maxLength: 3 }),
  spec: specArb,
  nested: fc.boolean(),
});

describe('opex lint on fuzzed folders', () => {
  it('exits 0/1/2 with JSON whose ranges lie inside the files, no stack trace, the same output twice; --fix keeps files readable', () => {
    let runs = 0;
    fc.assert(
      fc.property(folderArb, (c) => {
        const dir = tempFolder();
        folders.push(dir);
        const files: Record<string, string> = {};
        c.manifests.forEach((text, i) => (files[`${c.nested && i > 0 ? 'sub/' : ''}m${i}.yaml`] = text));
        if (c.spec) files[c.spec.name] = c.spec.text;
        writeFiles(dir, files);
        const texts = new Map(Object.entries(files).map(([name, text]) => [path.join(dir, name), text]));
        const first = runCli(['lint', '--format', 'json', '.'], dir);
        assert.deepEqual(lintRunProblems(first, texts, dir), []);
        const second = runCli(['lint', '--format', 'json', '.'], dir);
        assert.equal(second.stdout, first.stdout, 'the same input gives the same output');
        assert.equal(second.code, first.code);
        const fixed = runCli(['lint', '--fix', '--format', 'json', '.'], dir);
        assert.ok([0, 1, 2].includes(fixed.code ?? -1), `--fix exit ${fixed.code}: ${fixed.stderr}`);
        for (const [file, before] of texts) {
          const now = fs.readFileSync(file, 'utf8');
          if (now === before || !file.endsWith('.yaml')) continue;
          assert.ok(parseFile(file, now).syntax.length <= parseFile(file, before).syntax.length, `--fix broke ${path.basename(file)}:\n${now}`);
        }
        assert.deepEqual(fs.readdirSync(dir).filter((n) => n.includes('.opex-') && n.endsWith('.tmp')), [], 'no temporary file left behind');
        runs++;
      }),
      suiteParams(12, 15_000),
    );
    assert.ok(runs > 0);
  });
});
