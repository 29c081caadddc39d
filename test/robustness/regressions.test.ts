/**
 * Regression tests for the bugs the robustness work found in the engine (README.md, "Reliability"):
 * quadratic duplicate-key checks, deep nesting, parser warnings on the terminal, n² diagnostics and cubic
 * lookups when many workloads share one selector.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEdits, combineFixes } from '../../server/engine/edit';
import { MAX_NESTING, parseFile } from '../../server/engine/parse';
import { podIndex } from '../../server/engine/selection';
import { applyFixes, lintFiles, lintRule, testWorkspace, textAt } from '../../server/engine/testing';
import { LineMap } from '../../server/engine/text';

const HEAD = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n';

function deployment(name: string, app: string, extra = ''): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: production
spec:
  replicas: 2
  selector:
    matchLabels:
      app: ${app}
  template:
    metadata:
      labels:
        app: ${app}
    spec:
      containers:
        - name: main
          image: registry.example/main:1
          ports:
            - containerPort: 8000
              name: http
${extra}`;
}

function service(name: string, app: string, targetPort: string): string {
  return `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: production
spec:
  selector:
    app: ${app}
  ports:
    - name: web
      port: 80
      targetPort: ${targetPort}
`;
}

describe('duplicate keys (found in linear time, not by the parser)', () => {
  it('are still reported, on the repeated key, in block and flow maps', () => {
    const text = `${HEAD}data:\n  a: 1\n  b: 2\n  a: 3\nbinaryData: {k: v, k: w}\n`;
    const p = parseFile('/w/a.yaml', text);
    const dups = p.syntax.filter((d) => d.message === 'Map keys must be unique');
    assert.equal(dups.length, 2);
    assert.deepEqual(dups.map((d) => [d.range.start.line, d.range.start.character]).sort((a, b) => a[0] - b[0]), [[7, 2], [8, 19]]);
    assert.equal(p.resources.length, 0, 'a document with a duplicate key is not checked further, as before');
  });

  it('merge keys and different scalar types are not duplicates', () => {
    const text = `${HEAD}data:\n  base: &b {x: 1}\n  m:\n    <<: *b\n    "1": one\n    1: number\n`;
    const p = parseFile('/w/a.yaml', text);
    assert.deepEqual(p.syntax, []);
    assert.equal(p.resources.length, 1);
  });

  it('a map of 100,000 keys on one line parses in linear time (was 32 s for 80,000)', () => {
    const text = `${HEAD}data: {${Array.from({ length: 100_000 }, (_, i) => `k${i}: v`).join(', ')}}\n`;
    const t0 = Date.now();
    const p = parseFile('/w/a.yaml', text);
    const ms = Date.now() - t0;
    assert.deepEqual(p.syntax, []);
    assert.ok(ms < 15_000, `${ms} ms`);
  });
});

describe('deep nesting', () => {
  const flow = (n: number) => `${HEAD}data:\n  k: ${'['.repeat(n)}${']'.repeat(n)}\n`;
  const block = (n: number) => `${HEAD}data:\n${Array.from({ length: n }, (_, i) => `${' '.repeat(2 + i)}k:`).join('\n')}\n${' '.repeat(2 + n)}v\n`;
  const seq = (n: number) => `${HEAD}data:\n  k:\n    ${'- '.repeat(n)}x\n`;

  for (const [name, make] of [['flow', flow], ['block', block], ['compact sequences', seq]] as const) {
    it(`10,000 levels (${name}): one clear yaml-syntax diagnostic, nothing else read`, () => {
      const p = parseFile('/w/a.yaml', make(10_000));
      assert.equal(p.syntax.length, 1, p.syntax.map((d) => d.message).join('\n'));
      assert.match(p.syntax[0].message, /nests maps and lists too deeply to be read \(opex reads up to 256 levels\)/);
      assert.doesNotMatch(p.syntax[0].message, /call stack/);
      assert.equal(p.resources.length, 0);
    });
  }

  it(`${MAX_NESTING} levels are read; one more is reported, on the collection that is too deep`, () => {
    // The document's root map and data are 2 levels: the brackets make up the rest.
    const ok = parseFile('/w/a.yaml', flow(MAX_NESTING - 2));
    assert.deepEqual(ok.syntax, []);
    assert.equal(ok.resources.length, 1);
    const text = flow(MAX_NESTING - 1);
    const deep = parseFile('/w/a.yaml', text);
    assert.equal(deep.syntax.length, 1);
    assert.equal(textAt(text, deep.syntax[0]), '[');
  });

  it('the whole catalog runs on a document at the limit without an internal error', () => {
    const diags = lintFiles({ 'a.yaml': flow(MAX_NESTING - 2), 'b.yaml': block(200) });
    assert.deepEqual(diags.filter((d) => d.ruleId === 'internal-error' || d.ruleId === 'yaml-syntax'), []);
  });
});

describe('parser warnings', () => {
  it('a collection as a key or an unknown tag prints no Node warning (they reached the CLI user\'s terminal)', () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      const p = parseFile('/w/a.yaml', `${HEAD}data:\n  ? [a, b]\n  : c\n  d: !custom x\n`);
      assert.equal(p.resources.length, 1);
    } finally {
      process.off('warning', onWarning);
    }
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        assert.deepEqual(warnings, []);
        resolve();
      }),
    );
  });
});

describe('many workloads with one selector', () => {
  it('selector-overlap: one diagnostic per workload (not one per pair), naming at most 10 others', () => {
    const docs = Array.from({ length: 30 }, (_, i) => deployment(`web-${i}`, 'web')).join('---\n');
    const diags = lintRule('selector-overlap', docs, { spec: null });
    assert.equal(diags.length, 30, 'n workloads, n diagnostics (was n·(n−1) = 870)');
    for (const d of diags) assert.ok(d.related!.length <= 10);
    assert.match(diags[0].message, /also selects the pods of Deployment web-\d+ \(and at least 10 other workloads\)/);
  });

  it('selector-overlap: two or three workloads are counted exactly', () => {
    const three = Array.from({ length: 3 }, (_, i) => deployment(`web-${i}`, 'web')).join('---\n');
    const diags = lintRule('selector-overlap', three, { spec: null });
    assert.equal(diags.length, 3);
    assert.match(diags[0].message, /\(and 1 other workload\)/);
    assert.equal(diags[0].related!.length, 2);
    const two = lintRule('selector-overlap', [deployment('a', 'web'), deployment('b', 'web')].join('---\n'), { spec: null });
    assert.equal(two.length, 2);
    assert.doesNotMatch(two[0].message, /other workload/);
  });

  it('service-target-port-unknown lists at most 5 of the selected workloads in its message', () => {
    const docs = [...Array.from({ length: 12 }, (_, i) => deployment(`web-${i}`, 'web')), service('web', 'web', 'metrics')].join('---\n');
    const [d, ...rest] = lintRule('service-target-port-unknown', docs, { spec: null });
    assert.equal(rest.length, 0);
    assert.match(d.message, /targets the named port metrics/);
    assert.equal((d.message.match(/declares 8000 \(http\)/g) ?? []).length, 5);
    assert.match(d.message, /; and 7 more\)/);
  });

  it('servicesSelecting answers what a scan of every Service answers, in the Services\' order', () => {
    const files = {
      'a.yaml': [deployment('web', 'web'), deployment('api', 'api'), deployment('lone', 'lone')].join('---\n'),
      'b.yaml': [service('s1', 'web', 'http'), service('s2', 'api', 'http'), service('s3', 'web', '8000')].join('---\n'),
    };
    const ws = testWorkspace(files, { spec: null });
    const pods = podIndex(ws.index);
    for (const w of ws.index.workloads()) {
      const naive = [...pods.services()].filter(([, sel]) => sel.includes(w)).map(([svc]) => svc.resource.name);
      assert.deepEqual(pods.servicesSelecting(w).map((s) => s.resource.name), naive, w.resource.name);
    }
    assert.deepEqual(pods.servicesSelecting(ws.index.workloads().find((w) => w.resource.name === 'web')!).map((s) => s.resource.name), ['s1', 's3']);
    // Answers are copies: a caller changing one does not change the next answer.
    const first = pods.selectedBy('production', { matchLabels: { app: 'web' }, matchExpressions: [] });
    first.length = 0;
    assert.equal(pods.selectedBy('production', { matchLabels: { app: 'web' }, matchExpressions: [] }).length, 1);
  });

  it('1,500 copies of a Deployment and its Service in one namespace lint in seconds (was minutes and gigabytes)', () => {
    const copies = Array.from({ length: 1500 }, (_, i) => [deployment(`web-${i}`, 'web'), service(`web-${i}`, 'web', 'http')].join('---\n')).join('---\n');
    const t0 = Date.now();
    const diags = lintFiles({ 'a.yaml': copies });
    const ms = Date.now() - t0;
    assert.equal(diags.filter((d) => d.ruleId === 'selector-overlap').length, 1500);
    assert.deepEqual(diags.filter((d) => d.ruleId === 'internal-error'), []);
    assert.ok(ms < 30_000, `${ms} ms`);
  });
});

describe('fixes found unsafe by the fuzzer', () => {
  const SCHEDULE = `apiVersion: velero.io/v1
kind: Schedule
metadata:
  name: task-api-daily
  namespace: velero
spec:
  schedule: "0 2 * * *"
`;

  /** Applies every fix, as `opex lint --fix` does, until nothing changes; returns the text and the passes. */
  function fixEverything(text: string): { text: string; passes: number } {
    let current = text;
    for (let pass = 1; pass <= 10; pass++) {
      const diags = lintFiles({ 'a.yaml': current });
      const { edits } = combineFixes(diags.map((d) => d.fix));
      const next = applyEdits(current, new LineMap(current), edits);
      if (next === current) return { text: current, passes: pass - 1 };
      current = next;
    }
    throw new Error('no fixpoint');
  }

  it('two fixes that each add the missing `template:` are applied one per pass (they wrote it twice)', () => {
    const diags = lintFiles({ 'a.yaml': SCHEDULE }).filter((d) => d.fix);
    assert.ok(diags.length >= 2, diags.map((d) => d.ruleId).join());
    const inserts = diags.filter((d) => d.fix!.edits.some((e) => e.newText.includes('template:')));
    assert.ok(inserts.length >= 2, 'ttl and hooks both create template:');
    const { edits, applied } = combineFixes(diags.map((d) => d.fix));
    assert.equal(applied.length, diags.length - inserts.length + 1);
    const once = applyEdits(SCHEDULE, new LineMap(SCHEDULE), edits);
    assert.equal((once.match(/^ {2}template:/gm) ?? []).length, 1);
    const { text, passes } = fixEverything(SCHEDULE);
    assert.ok(passes >= 2);
    assert.deepEqual(parseFile('/w/a.yaml', text).syntax, []);
    assert.equal((text.match(/^ {2}template:/gm) ?? []).length, 1);
    assert.deepEqual(lintFiles({ 'a.yaml': text }).filter((d) => d.fix), []);
  });

  it('combineFixes takes whole fixes: identical edits once, overlapping or same-point insertions left for the next pass', () => {
    const at = (line: number, character: number) => ({ line, character });
    const edit = (l: number, c1: number, c2: number, newText: string) => ({ file: '/f', range: { start: at(l, c1), end: at(l, c2) }, newText });
    const a = { title: 'a', edits: [edit(0, 0, 3, 'x')] };
    const same = { title: 'same', edits: [edit(0, 0, 3, 'x')] };
    const overlapping = { title: 'o', edits: [edit(0, 2, 5, 'y'), edit(4, 0, 0, 'far')] };
    const insert1 = { title: 'i1', edits: [edit(2, 1, 1, 'p')] };
    const insert2 = { title: 'i2', edits: [edit(2, 1, 1, 'q')] };
    const touching = { title: 't', edits: [edit(0, 3, 3, 'after')] };
    const r = combineFixes([a, same, overlapping, insert1, insert2, touching, undefined]);
    assert.deepEqual(r.applied.map((f) => f.title), ['a', 'same', 'i1', 't']);
    assert.deepEqual(r.edits.map((e) => e.newText), ['x', 'p', 'after'], 'no half of the overlapping fix is applied');
  });

  it('a key written after its anchor (`&a app: x`) keeps its column when keys are added beside it', () => {
    const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: task-api
  namespace: production
spec:
  selector:
    matchLabels:
      app: task-api
  template:
    metadata:
      labels:
        &a app: task-api
    spec:
      containers:
        - name: task-api
          image: ghcr.io/panaversity/task-api:1.0.0
`;
    const [d] = lintRule('cost-labels-missing', text);
    const fixed = applyFixes(text, [d]);
    assert.match(fixed, /\n {8}&a app: task-api\n {8}team: product-team\n/);
    assert.deepEqual(parseFile('/w/a.yaml', fixed).syntax, []);
  });

  it('replicas: 2 goes before the anchor of the key it is written above (`&s selector:` keeps its anchor)', () => {
    const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: task-api
  namespace: production
spec:
  &s selector:
    matchLabels:
      app: task-api
  template:
    metadata:
      labels:
        app: task-api
        team: product-team
        environment: production
        cost-center: engineering
    spec:
      containers:
        - name: task-api
          image: ghcr.io/panaversity/task-api:1.0.0
`;
    const [d] = lintRule('replicas-too-low', text);
    const fixed = applyFixes(text, [d]);
    assert.match(fixed, /\nspec:\n {2}replicas: 2\n {2}&s selector:\n/);
  });

  it('a file that starts with a byte order mark gets new top-level keys at column 0', () => {
    const text = `\ufeffapiVersion: velero.io/v1\nkind: Schedule\nmetadata:\n  name: task-api-daily\n  namespace: velero\n`;
    const diags = lintFiles({ 'a.yaml': text }).filter((d) => d.ruleId === 'backup-ttl-mismatch' || d.ruleId === 'backup-namespace-not-covered');
    assert.ok(diags.length > 0);
    const fixed = applyFixes(text, diags.slice(0, 1));
    assert.match(fixed, /\nspec:\n/);
    assert.deepEqual(parseFile('/w/a.yaml', fixed).syntax, []);
  });

  it('a quoted empty value (`template: \'\'`) is a value: no fix writes keys into it', () => {
    const text = `apiVersion: velero.io/v1\nkind: Schedule\nmetadata:\n  name: task-api-daily\n  namespace: velero\nspec:\n  schedule: "0 2 * * *"\n  template:\n    ''\n`;
    for (const d of lintFiles({ 'a.yaml': text }).filter((x) => x.fix)) {
      const fixed = applyFixes(text, [d]);
      assert.doesNotMatch(fixed, /720h''/, d.ruleId);
      assert.deepEqual(parseFile('/w/a.yaml', fixed).syntax, [], d.ruleId);
    }
  });

  it('a lone CR is a line break, as kubectl reads it: `ttl: 720h\\r` at the end of a file is 720h', () => {
    const text = 'apiVersion: velero.io/v1\r\nkind: Schedule\r\nmetadata:\r\n  name: task-api-daily\r\n  namespace: velero\r\nspec:\r\n  schedule: "0 2 * * *"\r\n  template:\r\n    includedNamespaces: [production]\r\n    ttl: 720h\r';
    assert.deepEqual(lintRule('backup-ttl-mismatch', text), []);
  });

  it('a position at the LF of a CRLF stays at the end of the line\'s content', () => {
    const lines = new LineMap('ab\r\ncd\r\n');
    assert.deepEqual(lines.position(3), { line: 0, character: 2 });
    assert.deepEqual(lines.position(2), { line: 0, character: 2 });
    assert.deepEqual(lines.position(4), { line: 1, character: 0 });
  });

  it('a fix that would edit text an alias shares (anchor, merge key) is withdrawn: it changed the other place too, and two rules undid each other forever', () => {
    const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: task-api
  namespace: production
spec:
  replicas: 2
  selector:
    matchLabels:
      app: &fz task-api
  template:
    metadata:
      labels:
        app: task-api
        team: product-team
        environment: production
        cost-center: *fz
    spec:
      containers:
        - name: task-api
          image: ghcr.io/panaversity/task-api:1.0.0
`;
    const [d] = lintRule('cost-label-value-mismatch', text);
    assert.match(d.message, /cost-center: task-api, but the spec requires cost-center: engineering/);
    assert.equal(d.fix, undefined, 'replacing the anchored value would change the selector too');
    // Without the alias the same finding keeps its fix.
    const [plain] = lintRule('cost-label-value-mismatch', text.replace('&fz ', '').replace('*fz', 'task-api'));
    assert.ok(plain.fix);
    // A merge key shares the whole map it merges.
    const merged = text.replace('      labels:\n        app: task-api\n', '      labels:\n        <<: &base {app: task-api}\n').replace('&fz ', '').replace('*fz', 'platform');
    for (const x of lintFiles({ 'a.yaml': merged })) {
      for (const e of x.fix?.edits ?? []) assert.doesNotMatch(textAt(merged, { ...x, range: e.range }), /app: task-api/, x.ruleId);
    }
  });

  it('replacing a block scalar (`container: >-`) keeps the next key on its own line', () => {
    const text = `apiVersion: velero.io/v1
kind: Schedule
metadata:
  name: task-api-daily
  namespace: velero
spec:
  schedule: "0 2 * * *"
  template:
    includedNamespaces: [production]
    ttl: 720h
    hooks:
      resources:
        - name: postgres-consistency
          includedNamespaces: [production]
          labelSelector:
            matchLabels: {app: postgres}
          pre:
            - exec:
                container: >-
                  folded
                command: ["/bin/sh", "-c", "pg_dump > /tmp/x"]
                onError: Fail
                timeout: 120s
`;
    const [d] = lintRule('backup-hook-missing', text);
    assert.ok(d?.fix, 'the wrong container is fixable');
    const fixed = applyFixes(text, [d]);
    assert.match(fixed, /\n {16}container: postgres\n {16}command: /);
    assert.equal(textAt(text, d).trim().startsWith('>-'), true);
    assert.doesNotMatch(textAt(text, d), /\n$/, 'the range ends at the last character of the scalar');
  });

  it('no key is added to a map written with explicit keys (`? key`): where it would land is unclear', () => {
    const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: task-api
  namespace: production
spec:
  selector:
    matchLabels:
      app: task-api
  template:
    metadata:
      labels:
        ? app
        : task-api
    spec:
      containers:
        - name: task-api
          image: ghcr.io/panaversity/task-api:1.0.0
`;
    const [d] = lintRule('cost-labels-missing', text);
    assert.ok(d);
    assert.equal(d.fix, undefined);
  });
});


describe('backup-missing scaffolding', () => {
  it('appends its Schedule only to a file without syntax errors (a broken last document swallowed it)', () => {
    const broken = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: task-api
  namespace: production
spec:
  selector:
    matchLabels: {app: task-api}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: x, namespace: production}
data: {a: [unclosed
`;
    const only = lintFiles({ 'a.yaml': broken }).filter((d) => d.ruleId === 'backup-missing');
    assert.equal(only.length, 1);
    assert.equal(only[0].fix, undefined, 'the only manifest is broken: no fix');
    const ok = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: task-api-worker\n  namespace: production\nspec:\n  selector:\n    matchLabels: {app: task-api}\n`;
    const both = lintFiles({ 'a.yaml': broken, 'b.yaml': ok }).filter((d) => d.ruleId === 'backup-missing');
    assert.equal(both.length, 1);
    assert.ok(both[0].fix?.edits.every((e) => e.file.endsWith('b.yaml')));
  });
});

describe('opex.yaml with anchors the parser accepts but that have no value', () => {
  for (const [what, text] of [
    ['a merge of a scalar', '&mz service: order-service\ncostLabels:\n  <<: *mz\n  team: commerce\n'],
    ['an alias before its anchor', 'service: x\ncostLabels: *later\nnamespace: &later production\n'],
    ['an alias bomb', `service: x\nlive:\n${['a0: &a0 [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 6 }, (_, i) => `a${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(', ')}]`)].map((l) => `  ${l}`).join('\n')}\n`],
  ] as const) {
    it(`${what}: a yaml-syntax diagnostic on the spec, not an internal error`, () => {
      const diags = lintFiles({}, { spec: text });
      assert.deepEqual(diags.filter((d) => d.ruleId === 'internal-error'), []);
      const syntax = diags.filter((d) => d.ruleId === 'yaml-syntax' && d.file === 'opex.yaml');
      assert.equal(syntax.length, 1, JSON.stringify(diags.map((d) => d.message)));
      assert.match(syntax[0].message, /^This spec cannot be read: /);
    });
  }
});

describe('explicit YAML tags', () => {
  it('`!!binary`, `!!timestamp`, `!!set` stay strings: the same input gives the same output (a Buffer\'s pool offset leaked into a message)', () => {
    const text = `apiVersion: chaos-mesh.org/v1alpha1
kind: PodChaos
metadata:
  name: kill
  namespace: staging
spec:
  action: pod-kill
  mode: one
  selector:
    namespaces: [staging]
    labelSelectors: !!binary aGVsbG8=
  scheduler: !!timestamp 2001-12-14
  extra: !!set {a, b}
`;
    const p = parseFile('/w/a.yaml', text);
    assert.equal(p.resources[0].value.spec.selector.labelSelectors, 'aGVsbG8=');
    assert.equal(p.resources[0].value.spec.scheduler, '2001-12-14');
    const runs = [0, 1, 2, 3].map(() => JSON.stringify(lintFiles({ 'a.yaml': text })));
    assert.equal(new Set(runs).size, 1);
    assert.doesNotMatch(runs[0], /offset|byteLength|\[object/);
  });

  it('a value that is only a tag (`app: !`) is replaced with its tag, not glued to it (the fix grew `!task-api…` forever)', () => {
    const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: task-api
  namespace: production
spec:
  selector:
    matchLabels:
      app: task-api
  template:
    metadata:
      labels:
        app: !
    spec:
      containers:
        - name: task-api
          image: ghcr.io/panaversity/task-api:1.0.0
`;
    const [d] = lintRule('selector-template-mismatch', text, { spec: null });
    const fixed = applyFixes(text, [d]);
    assert.match(fixed, /\n {8}app: task-api\n/);
    assert.deepEqual(lintRule('selector-template-mismatch', fixed, { spec: null }), []);
  });

  it('an empty value with a tag (`resources: !`) is no place to fill, and keys after an anchored key keep their column', () => {
    const text = `apiVersion: velero.io/v1
kind: Schedule
metadata:
  name: task-api-daily
  namespace: velero
spec:
  schedule: "0 2 * * *"
  template:
    includedNamespaces: [production]
    ttl: 720h
    hooks:
      &h resources:
        !
`;
    for (const d of lintFiles({ 'a.yaml': text }).filter((x) => x.fix)) {
      const fixed = applyFixes(text, [d]);
      assert.deepEqual(parseFile('/w/a.yaml', fixed).syntax, [], `${d.ruleId}:\n${fixed}`);
    }
  });
});
