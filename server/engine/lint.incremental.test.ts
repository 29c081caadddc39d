/**
 * Incremental linting: after any sequence of edits, the Linter that has followed them answers exactly what a fresh
 * Linter over the same index answers (property test over workspaces made of the examples and every rule's examples,
 * with names, namespaces and labels swapped so that files relate to each other in changing ways).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Linter } from './lint';
import { setSyntaxTreeLimit } from './resource';
import { RULES } from './rules/index';
import { ruleExamples } from './rules/rule-examples';
import { SpecSet } from './spec/specs';
import { TEST_SPEC } from './testing';
import type { Diagnostic } from './types';
import { WorkspaceIndex } from './workspace';

const ROOT = path.resolve(__dirname, '..', '..');
const SEED = Number(process.env.OPEX_FUZZ_SEED ?? 20240607);

function exampleFiles(): string[] {
  const out: string[] = [];
  const dir = path.join(ROOT, 'examples');
  for (const ex of fs.readdirSync(dir).sort()) {
    for (const f of fs.readdirSync(path.join(dir, ex)).sort()) if (/\.ya?ml$/.test(f)) out.push(fs.readFileSync(path.join(dir, ex, f), 'utf8'));
  }
  return out;
}

/** Manifests: the examples and every rule's examples, whole and one document at a time. */
const SEEDS: string[] = (() => {
  const texts = [...exampleFiles(), ...RULES.flatMap((r) => {
    const ex = ruleExamples(r.meta.id);
    return [ex.bad, ex.good];
  })];
  const docs = texts.flatMap((t) => t.split(/^---\s*$/m)).map((d) => d.trim()).filter((d) => d.length > 0 && /kind:/.test(d));
  return [...new Set([...texts, ...docs.map((d) => `${d}\n`)])];
})();

/** Words swapped in the seeds: each swap can make a selector match or miss, a target vanish, a namespace move. */
const SWAPS: Array<[RegExp, string[]]> = [
  [/\bproduction\b/g, ['staging', 'default', 'shop']],
  [/\bstaging\b/g, ['production', 'default']],
  [/\btask-api\b/g, ['order-service', 'task-apl', 'web']],
  [/\bpostgres\b/g, ['postgresql', 'mysql', 'task-api']],
  [/\bapp: /g, ['tier: ', 'app.kubernetes.io/name: ']],
  [/\breplicas: \d+/g, ['replicas: 1', 'replicas: 3']],
  [/\bDeployment\b/g, ['StatefulSet']],
  [/\bnamespace: [a-z-]+\n/g, ['\n']],
  [/"0 2 \* \* \*"/g, ['"0 */6 * * *"', '"0 0 * * 1-5"']],
  [/\b720h\b/g, ['168h', '24h']],
];

const PATHS = ['/w/a/one.yaml', '/w/a/two.yaml', '/w/a/deep/three.yaml', '/w/a/deep/four.yaml', '/w/b/five.yaml', '/w/b/six.yaml', '/w/c/seven.yaml', '/w/c/eight.yaml'];

const SPEC_B = TEST_SPEC.replace('service: task-api', 'service: order-service').replace('app: task-api', 'app: order-service').replace('rpo: 24h', 'rpo: 4h').replace('namespace: production', 'namespace: shop');
const SPECS = [
  TEST_SPEC,
  SPEC_B,
  TEST_SPEC.replace('namespace: production', 'namespace: staging').replace('chaosNamespaces: [staging]', 'chaosNamespaces: [staging, production]'),
  `${TEST_SPEC}rules:\n  replicas-too-low: error\n  probe-missing: "off"\n  duplicate-resource: info\n`,
  TEST_SPEC.replace('rpo: 24h', 'rpo: 4h').replace('retention: 720h', 'retention: 168h').replace('app: task-api}', 'app: web}'),
];

const text = fc.record({
  seed: fc.nat({ max: SEEDS.length - 1 }),
  swaps: fc.array(fc.tuple(fc.nat({ max: SWAPS.length - 1 }), fc.nat({ max: 2 })), { maxLength: 3 }),
}).map(({ seed, swaps }) => {
  let t = SEEDS[seed];
  for (const [i, j] of swaps) {
    const [re, to] = SWAPS[i];
    t = t.replace(re, to[j % to.length]);
  }
  return t;
});

type Command =
  | { op: 'set'; file: number; text: string }
  | { op: 'remove'; file: number }
  | { op: 'spec'; which: number; text: number | null }
  | { op: 'kustomization'; namespace: string | null };

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 12, arbitrary: fc.record({ op: fc.constant('set' as const), file: fc.nat({ max: PATHS.length - 1 }), text }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('remove' as const), file: fc.nat({ max: PATHS.length - 1 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('spec' as const), which: fc.nat({ max: 1 }), text: fc.option(fc.nat({ max: SPECS.length - 1 }), { freq: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('kustomization' as const), namespace: fc.option(fc.constantFrom('production', 'staging', 'shop')) }) },
);

function apply(index: WorkspaceIndex, specs: SpecSet, c: Command): void {
  switch (c.op) {
    case 'set':
      index.setFile(PATHS[c.file], c.text);
      break;
    case 'remove':
      index.removeFile(PATHS[c.file]);
      break;
    case 'spec': {
      const file = ['/w/a/opex.yaml', '/w/b/opex.yaml'][c.which];
      if (c.text === null) specs.removeFile(file);
      else specs.setFile(file, SPECS[c.text]);
      break;
    }
    case 'kustomization':
      if (c.namespace === null) index.removeFile('/w/c/kustomization.yaml');
      else index.setFile('/w/c/kustomization.yaml', `kind: Kustomization\nnamespace: ${c.namespace}\nresources: [seven.yaml, eight.yaml]\n`);
      break;
  }
}

function sorted(results: Map<string, Diagnostic[]>): Array<[string, Diagnostic[]]> {
  return [...results].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

describe('incremental linting', () => {
  it('after any edits, equals a fresh lint of the same workspace', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat({ max: PATHS.length - 1 }), text), { minLength: 1, maxLength: PATHS.length }), fc.array(command, { minLength: 1, maxLength: 12 }), (initial, commands) => {
        const index = new WorkspaceIndex();
        const specs = new SpecSet();
        specs.setFile('/w/a/opex.yaml', TEST_SPEC);
        specs.setFile('/w/b/opex.yaml', SPEC_B);
        for (const [file, t] of initial) index.setFile(PATHS[file], t);
        const linter = new Linter(index, specs);
        linter.lintAll();
        for (const c of commands) {
          apply(index, specs, c);
          // File rules run ahead (as the language server does while it reads a workspace) are used when still valid.
          if (c.op === 'set' && c.file % 2 === 0) linter.prepareFiles(PATHS);
          const incremental = linter.lintAll();
          const fresh = new Linter(index, specs).lintAll();
          if (process.env.OPEX_DEBUG) for (const [f, l] of fresh) { const a = JSON.stringify(incremental.get(f)); const b = JSON.stringify(l); if (a !== b) console.log('DIFF', f, '\nINC', a, '\nFRESH', b); }
          assert.deepStrictEqual(sorted(incremental), sorted(fresh), `after ${JSON.stringify({ ...c, text: c.op === 'set' ? c.text.slice(0, 200) : undefined })}`);
        }
      }),
      { seed: SEED, numRuns: Number(process.env.OPEX_INCREMENTAL_RUNS ?? 60), endOnFailure: true },
    );
  });

  it('edits made while a pass is cut into slices are taken into account: the finished pass equals a fresh lint', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: PATHS.length - 1 }), text), { minLength: 1, maxLength: PATHS.length }),
        fc.array(fc.tuple(command, fc.nat({ max: 4 })), { minLength: 1, maxLength: 10 }),
        (initial, steps) => {
          const index = new WorkspaceIndex();
          const specs = new SpecSet();
          specs.setFile('/w/a/opex.yaml', TEST_SPEC);
          specs.setFile('/w/b/opex.yaml', SPEC_B);
          for (const [file, t] of initial) index.setFile(PATHS[file], t);
          const linter = new Linter(index, specs);
          for (const [c, slices] of steps) {
            apply(index, specs, c);
            // A few slices of one job or file each: the pass is left unfinished when the next edit comes.
            for (let i = 0; i < slices; i++) linter.lintSlice(0);
          }
          let result: Map<string, Diagnostic[]> | undefined;
          while (!(result = linter.lintSlice(0)));
          assert.deepStrictEqual(sorted(result), sorted(new Linter(index, specs).lintAll()));
        },
      ),
      { seed: SEED, numRuns: Number(process.env.OPEX_INCREMENTAL_RUNS ?? 60) / 2 },
    );
  });

  it('syntax trees dropped and parsed again (setSyntaxTreeLimit) give the same diagnostics, fixes included', () => {
    const lintEverything = () => {
      const index = new WorkspaceIndex();
      const specs = new SpecSet();
      specs.setFile('/w/a/opex.yaml', TEST_SPEC);
      SEEDS.forEach((t, i) => index.setFile(`/w/a/f${i}.yaml`, t));
      return sorted(new Linter(index, specs).lintAll());
    };
    const kept = lintEverything();
    try {
      setSyntaxTreeLimit(1);
      assert.deepStrictEqual(lintEverything(), kept);
    } finally {
      setSyntaxTreeLimit(Infinity);
    }
  });

  it('re-runs only what an edit can change and keeps the lists of untouched files', () => {
    const index = new WorkspaceIndex();
    const specs = new SpecSet();
    specs.setFile('/w/a/opex.yaml', TEST_SPEC);
    const svc = (i: number, app: string) => `apiVersion: v1\nkind: Service\nmetadata: {name: s${i}, namespace: ns${i}}\nspec:\n  selector: {app: ${app}}\n  ports: [{port: 80, targetPort: 8080}]\n`;
    const deploy = (i: number, app: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d${i}, namespace: ns${i}}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: ${app}}}\n  template:\n    metadata: {labels: {app: ${app}}}\n    spec:\n      containers: [{name: c, image: x, ports: [{containerPort: 8080}]}]\n`;
    for (let i = 0; i < 20; i++) {
      index.setFile(`/w/a/svc${i}.yaml`, svc(i, `app${i}`));
      index.setFile(`/w/a/deploy${i}.yaml`, deploy(i, `app${i}`));
    }
    const linter = new Linter(index, specs);
    const first = linter.lintAll();
    assert.equal(linter.lastRun.full, true);
    index.setFile('/w/a/deploy3.yaml', deploy(3, 'app3x'));
    const second = linter.lintAll();
    assert.equal(linter.lastRun.full, false);
    assert.equal(linter.lastRun.changedFiles, 1);
    assert.ok(linter.lastRun.unitsRun < 40, `ran ${linter.lastRun.unitsRun} units for one edit`);
    assert.ok(linter.lastRun.filesAssembled <= 3, `assembled ${linter.lastRun.filesAssembled} files`);
    assert.equal(second.get('/w/a/svc7.yaml'), first.get('/w/a/svc7.yaml'), 'an untouched file keeps its list object');
    assert.ok(second.get('/w/a/svc3.yaml')!.some((d) => d.ruleId === 'service-selector-unmatched'), 'the Service of the edited Deployment is checked again');
    assert.deepStrictEqual(sorted(second), sorted(new Linter(index, specs).lintAll()));
  });
});
