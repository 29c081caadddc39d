/**
 * The snippets of snippets/: valid for VS Code (prefix, body, description; the syntax parses; tabstops are
 * consistent), contributed for YAML in package.json, and each one, expanded with its defaults, lints with 0
 * problems under the chapter's spec as a drop-in for the chapter's manifest of the same kind.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import * as YAML from 'yaml';
import { SPEC_TEMPLATE } from '../../server/engine/scaffold';
import { loadSpec } from '../../server/engine/spec/load';
import { describeDiagnostics, lintUnder, MARKDOWN_SPECS, REPO, TASK_API_YAML, type NamedSpec } from '../scaffold/specs';
import { bodyText, expandSnippet, parseSnippet, tabstops } from './expand';

interface Snippet {
  prefix: string | string[];
  body: string | string[];
  description: string;
  scope?: string;
  isFileTemplate?: boolean;
  include?: string[];
  exclude?: string[];
}

const SNIPPET_KEYS = new Set(['prefix', 'body', 'description', 'scope', 'isFileTemplate', 'include', 'exclude']);
const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
const contributed: Array<{ language: string; path: string }> = pkg.contributes?.snippets ?? [];
const SNIPPET_FILE = path.join(REPO, 'snippets/kubernetes.code-snippets');
const snippets: Record<string, Snippet> = JSON.parse(fs.readFileSync(SNIPPET_FILE, 'utf8'));
const byPrefix = (prefix: string): [string, Snippet] => {
  const found = Object.entries(snippets).find(([, s]) => ([] as string[]).concat(s.prefix)[0] === prefix);
  assert.ok(found, `a snippet with prefix ${prefix}`);
  return found;
};

const TASK_API_MD = MARKDOWN_SPECS.find((s) => s.file === 'task-api-opex-spec.md')!;
const ORDER_MD = MARKDOWN_SPECS.find((s) => s.file === 'order-service-opex-spec.md')!;
const TASK_API_OPEX: NamedSpec = { name: 'task-api (opex.yaml)', file: 'opex.yaml', text: TASK_API_YAML };

/** A document's identity: kind/namespace/name. */
function idOf(doc: any): string | undefined {
  if (!doc || typeof doc !== 'object' || !doc.kind) return undefined;
  return `${doc.kind}/${doc.metadata?.namespace ?? 'default'}/${doc.metadata?.name}`;
}

/** The manifests of an example folder, without the documents whose identity is in `replace`. */
function exampleWorkspace(folder: string, replace: Set<string>): Record<string, string> {
  const dir = path.join(REPO, 'examples', folder);
  const out: Record<string, string> = {};
  for (const name of fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
    const docs = fs.readFileSync(path.join(dir, name), 'utf8').split(/^---[ \t]*$/m);
    const kept = docs.filter((text) => {
      const id = idOf(YAML.parse(text));
      return !id || !replace.has(id);
    });
    if (kept.some((t) => idOf(YAML.parse(t)))) out[name] = kept.join('---');
  }
  return out;
}

function expandedDocs(text: string): any[] {
  const docs = YAML.parseAllDocuments(text);
  for (const d of docs) assert.deepEqual(d.errors.map((e) => e.message), [], 'the expansion is valid YAML');
  return docs.map((d) => d.toJS());
}

/** Lints the expansion as `snippet.yaml` in place of the example's documents of the same identity. */
function lintDropIn(text: string, folder: string, spec: NamedSpec) {
  const replace = new Set(expandedDocs(text).map(idOf).filter((x): x is string => !!x));
  return lintUnder(spec, { ...exampleWorkspace(folder, replace), 'snippet.yaml': text });
}

describe('snippets: VS Code format', () => {
  it('are contributed for YAML in package.json', () => {
    assert.ok(contributed.length > 0, 'contributes.snippets is set');
    for (const c of contributed) {
      assert.equal(c.language, 'yaml');
      assert.ok(fs.existsSync(path.join(REPO, c.path)), `${c.path} exists`);
    }
    assert.ok(contributed.some((c) => path.resolve(REPO, c.path) === SNIPPET_FILE));
    assert.ok(pkg.files.includes('snippets'), 'the snippets are packaged');
  });

  it('each has a prefix, a body and a description, and nothing VS Code does not know', () => {
    const prefixes = new Set<string>();
    for (const [name, s] of Object.entries(snippets)) {
      for (const key of Object.keys(s)) assert.ok(SNIPPET_KEYS.has(key), `${name}: unknown key ${key}`);
      const list = ([] as unknown[]).concat(s.prefix);
      assert.ok(list.length > 0 && list.every((p) => typeof p === 'string' && /^[a-z0-9][a-z0-9.-]*$/.test(p)), `${name}: prefix`);
      for (const p of list as string[]) {
        assert.ok(!prefixes.has(p), `${name}: prefix ${p} is unique`);
        prefixes.add(p);
      }
      assert.ok(typeof s.description === 'string' && s.description.length > 20, `${name}: description`);
      assert.ok(typeof s.body === 'string' || (Array.isArray(s.body) && s.body.every((l) => typeof l === 'string')), `${name}: body`);
      assert.ok(!bodyText(s.body).includes('\t'), `${name}: YAML is indented with spaces`);
      if (s.include) assert.ok(Array.isArray(s.include) && s.include.every((g) => typeof g === 'string'), `${name}: include`);
    }
    assert.equal(Object.keys(snippets).length, 9);
  });

  it('parse as VS Code snippets with consistent tabstops', () => {
    for (const [name, s] of Object.entries(snippets)) {
      const stops = tabstops(parseSnippet(bodyText(s.body)));
      assert.equal(stops.filter((t) => t.index === 0).length, 1, `${name}: one final tabstop`);
      const defaults = new Map<number, number>();
      for (const t of stops) if (t.hasDefault) defaults.set(t.index, (defaults.get(t.index) ?? 0) + 1);
      for (const t of stops) {
        if (t.index === 0) continue;
        assert.equal(defaults.get(t.index), 1, `${name}: tabstop ${t.index} has exactly one default`);
      }
      const indexes = [...defaults.keys()].sort((a, b) => a - b);
      assert.deepEqual(indexes, indexes.map((_, i) => i + 1), `${name}: tabstops are numbered 1..n`);
      const text = expandSnippet(s.body);
      assert.doesNotMatch(text, /\$\{|\$\d|\$[A-Z_]+(?<!\$POSTGRES_USER|\$POSTGRES_DB)\b/, `${name}: nothing unexpanded`);
      assert.ok(text.endsWith('\n') || text.endsWith('\n') === false, 'expands');
    }
  });

  it('escape the shell variables of the hook commands', () => {
    const text = expandSnippet(byPrefix('opex-velero-schedule')[1].body);
    assert.match(text, /pg_dump -U "\$POSTGRES_USER" -d "\$POSTGRES_DB" > /);
  });

  it('offer the opex.yaml spec as a file template for opex.yaml', () => {
    const [, spec] = byPrefix('opex-spec');
    assert.equal(spec.isFileTemplate, true);
    assert.deepEqual(spec.include, ['**/opex.yaml', '**/opex.yml']);
  });
});

describe('snippets: expanded with their defaults, they lint clean', () => {
  const kubernetes = Object.entries(snippets).filter(([, s]) => !s.isFileTemplate);
  for (const [name, s] of kubernetes) {
    for (const spec of [TASK_API_MD, TASK_API_OPEX]) {
      it(`${name} under ${spec.name}`, () => {
        const problems = lintDropIn(expandSnippet(s.body), 'task-api', spec);
        assert.equal(problems.length, 0, describeDiagnostics(problems));
      });
    }
  }

  it('the bundle with the database it backs up, on its own', () => {
    const bundle = expandSnippet(byPrefix('opex-bundle')[1].body);
    const postgres = expandSnippet(byPrefix('opex-postgres')[1].body);
    const problems = lintUnder(TASK_API_MD, { 'bundle.yaml': bundle, 'postgres.yaml': postgres });
    assert.equal(problems.length, 0, describeDiagnostics(problems));
    assert.deepEqual(expandedDocs(bundle).map((d) => d.kind), ['Deployment', 'Service', 'PodDisruptionBudget', 'VerticalPodAutoscaler', 'Schedule', 'PodChaos']);
  });

  it("the bundle filled in for the chapter's order-service", () => {
    const [, bundle] = byPrefix('opex-bundle');
    const text = expandSnippet(bundle.body, { values: { 1: 'order-service', 3: 'commerce', 5: 'revenue', 7: 'ghcr.io/example/order-service:1.0.0', 8: '8080', 15: '0 */4 * * *' } });
    assert.ok(!text.includes('task-api') && !text.includes('product-team'), 'every mirror follows the typed values');
    const problems = lintUnder(ORDER_MD, { 'bundle.yaml': text, 'postgres.yaml': fs.readFileSync(path.join(REPO, 'examples/order-service/postgres.yaml'), 'utf8') });
    assert.equal(problems.length, 0, describeDiagnostics(problems));
  });

  it('a different VPA choice is reported: the choices matter', () => {
    const [, vpa] = byPrefix('opex-vpa');
    const problems = lintDropIn(expandSnippet(vpa.body, { values: { 7: 'Recreate' } }), 'task-api', TASK_API_MD);
    assert.deepEqual(problems.map((d) => d.ruleId), ['vpa-update-mode']);
  });

  it('the opex.yaml spec loads without a problem and the chapter manifests meet it', () => {
    const text = expandSnippet(byPrefix('opex-spec')[1].body);
    assert.equal(text, SPEC_TEMPLATE, 'the snippet and the template of "opex: Create opex spec" are the same');
    const loaded = loadSpec('/w/opex.yaml', text);
    assert.deepEqual(loaded.diagnostics, []);
    const fromMarkdown = loadSpec('/w/task-api-opex-spec.md', TASK_API_MD.text).spec;
    assert.equal(loaded.spec.service, fromMarkdown.service);
    assert.deepEqual(loaded.spec.costLabels, fromMarkdown.costLabels);
    assert.equal(loaded.spec.recovery?.rpo, fromMarkdown.recovery?.rpo);
    assert.equal(loaded.spec.recovery?.schedule, fromMarkdown.recovery?.schedule);
    assert.equal(loaded.spec.recovery?.retention, fromMarkdown.recovery?.retention);
    const problems = lintUnder({ name: 'opex.yaml snippet', file: 'opex.yaml', text }, exampleWorkspace('task-api', new Set()));
    assert.equal(problems.length, 0, describeDiagnostics(problems));
  });
});
