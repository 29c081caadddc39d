import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { looksLikeHelmTemplate, parseFile } from './parse';
import { LineMap } from './text';

const svc = (name: string, ns = 'production') => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  selector: {app: ${name}}\n  ports: [{port: 80}]\n`;

function slice(text: string, range: { start: { line: number; character: number }; end: { line: number; character: number } }) {
  const lines = new LineMap(text);
  return text.slice(lines.offset(range.start), lines.offset(range.end));
}

describe('parseFile', () => {
  it('reads every document of a multi-document file, with comments and empty documents', () => {
    const text = `# leading comment\n${svc('a')}---\n---\n# only a comment\n---\n${svc('b', 'staging')}...\n`;
    const f = parseFile('/w/x.yaml', text);
    assert.deepEqual(f.syntax, []);
    assert.deepEqual(f.resources.map((r) => `${r.kind} ${r.declaredNamespace}/${r.name} #${r.docIndex}`), [
      'Service production/a #0',
      'Service staging/b #3',
    ]);
  });

  it('gives exact ranges for keys and values, including in the second document', () => {
    const text = `${svc('a')}---\n${svc('b')}`;
    const b = parseFile('/w/x.yaml', text).resources[1];
    assert.equal(slice(text, b.rangeOf(['metadata', 'name'])), 'b');
    assert.equal(slice(text, b.keyRange(['metadata', 'name'])), 'name');
    assert.equal(b.rangeOf(['metadata', 'name']).start.line, 12);
    // A missing key is reported on the nearest existing parent key.
    assert.equal(slice(text, b.rangeOf(['spec', 'type'])), 'spec');
    assert.equal(slice(text, b.rangeOf(['metadata', 'labels', 'team'])), 'metadata');
  });

  it('resolves anchors, aliases and merge keys like kubectl', () => {
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels: &l\n    team: a\n  annotations:\n    <<: *l\n    x: "1"\ndata:\n  k: v\n`;
    const [r] = parseFile('/w/x.yaml', text).resources;
    assert.deepEqual(r.get(['metadata', 'annotations']), { team: 'a', x: '1' });
    assert.equal(slice(text, r.rangeOf(['metadata', 'annotations', 'team'])), 'a');
  });

  it('handles CRLF and a byte-order mark with ranges on the right characters', () => {
    const text = '\ufeff' + svc('crlf').replace(/\n/g, '\r\n');
    const [r] = parseFile('/w/x.yaml', text).resources;
    const range = r.rangeOf(['metadata', 'name']);
    assert.deepEqual(range.start, { line: 3, character: 8 });
    assert.equal(slice(text, range), 'crlf');
  });

  it('reports syntax errors at the parser position and keeps the good documents', () => {
    const text = `${svc('good')}---\napiVersion: v1\nkind: Service\nmetadata:\n\tname: bad\n`;
    const f = parseFile('/w/x.yaml', text);
    assert.equal(f.resources.length, 1);
    assert.ok(f.syntax.length >= 1);
    assert.equal(f.syntax[0].ruleId, 'yaml-syntax');
    assert.equal(f.syntax[0].range.start.line, 12);
    assert.match(f.syntax[0].message, /[Tt]ab/);
  });

  it('reports duplicate keys, as kubectl rejects them', () => {
    const f = parseFile('/w/x.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n  name: b\n');
    assert.equal(f.syntax.length, 1);
    assert.equal(f.syntax[0].range.start.line, 4);
  });

  it('bounds alias expansion: a billion-laughs document is one diagnostic, quickly', () => {
    const rows = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: lol}', 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      rows.push(`${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const started = process.hrtime.bigint();
    const f = parseFile('/w/bomb.yaml', rows.join('\n') + '\n');
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    assert.equal(f.resources.length, 0);
    assert.equal(f.syntax.length, 1);
    assert.match(f.syntax[0].message, /alias/i);
    assert.ok(ms < 5000, `took ${ms} ms`);
  });

  it('skips files that are not Kubernetes objects without any diagnostic', () => {
    const workflow = 'name: ci\non:\n  push:\n    branches: [main]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n';
    const values = 'replicaCount: 2\nimage:\n  repository: nginx\n';
    const chart = 'apiVersion: v2\nname: x\nversion: 0.1.0\n';
    for (const text of [workflow, values, chart, '', '# just a comment\n']) {
      const f = parseFile('/w/x.yaml', text);
      assert.deepEqual(f.syntax, []);
      assert.deepEqual(f.resources, []);
      assert.ok(f.skipped, `skipped: ${JSON.stringify(text.slice(0, 20))}`);
    }
  });

  it('reads a kustomization for its namespace instead of checking it', () => {
    const f = parseFile('/w/kustomization.yaml', 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: shop\nresources:\n  - deploy.yaml\n  - base/\n');
    assert.deepEqual(f.resources, []);
    assert.deepEqual(f.kustomization, { namespace: 'shop', resources: ['deploy.yaml', 'base/'] });
  });

  it('skips Helm templates but not Prometheus templates inside strings', () => {
    const helm = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ include "x.fullname" . }}\nspec:\n  replicas: {{ .Values.replicaCount }}\n';
    assert.equal(parseFile('/w/t.yaml', helm).skipped, 'helm-template');
    assert.equal(parseFile('/w/t.yaml', '{{- if .Values.enabled }}\napiVersion: v1\n{{- end }}\n').skipped, 'helm-template');
    const rule = 'apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata:\n  name: r\nspec:\n  groups:\n    - name: g\n      rules:\n        - alert: Down\n          expr: up == 0\n          annotations:\n            summary: "{{ $labels.instance }} is down"\n';
    assert.equal(looksLikeHelmTemplate(rule), false);
    assert.equal(parseFile('/w/r.yaml', rule).resources.length, 1);
  });

  it('reports binary and non-UTF-8 content instead of parsing it', () => {
    const bin = parseFile('/w/b.yaml', 'apiVersion: v1\u0000\u0001\u0002');
    assert.equal(bin.syntax.length, 1);
    assert.match(bin.syntax[0].message, /not a text file/);
    const latin1 = parseFile('/w/l.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: caf\ufffd}\n');
    assert.match(latin1.syntax[0].message, /UTF-8/);
    assert.equal(latin1.syntax[0].range.start.line, 2);
  });
});

describe('kind: List', () => {
  it('reads each item of a v1 List as an object, with ranges inside the item', () => {
    const text = 'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Service\n    metadata: {name: a, namespace: p}\n    spec: {ports: [{port: 80}]}\n  - apiVersion: apps/v1\n    kind: Deployment\n    metadata:\n      name: b\n    spec: {}\n';
    const f = parseFile('/w/list.yaml', text);
    assert.deepEqual(f.resources.map((r) => `${r.kind}/${r.name}`), ['Service/a', 'Deployment/b']);
    const b = f.resources[1];
    assert.equal(slice(text, b.rangeOf(['metadata', 'name'])), 'b');
    assert.equal(slice(text, b.anchorRange()), 'Deployment');
    assert.equal(slice(text, b.rangeOf(['spec', 'replicas'])), 'spec');
    assert.equal(b.rangeOf(['spec', 'replicas']).start.line, 11);
  });
});
