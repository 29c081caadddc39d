/**
 * Each rule's documented examples, kept as YAML files in examples/<rule-id>/ (bad.yaml, good.yaml, and the specs
 * spec.opex.yaml / good-spec.opex.yaml where a rule needs its own). The rule docs are generated from them and every
 * rule's test runs them, so the docs show what the rule really does. Read by the docs script and the tests only: the
 * server and CLI bundles never include them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface RuleExamples {
  /** Manifests (one YAML file, documents separated by ---) that this rule reports. */
  bad: string;
  /** The same manifests corrected: this rule reports nothing. */
  good: string;
  /** opex.yaml text the examples are checked against; the chapter's task-api spec when absent. */
  spec?: string;
  /** opex.yaml text for the good example, when the fix is in the spec itself. */
  goodSpec?: string;
}

const DIR = path.join(__dirname, 'examples');

function read(id: string, name: string): string | undefined {
  try {
    return fs.readFileSync(path.join(DIR, id, name), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export function ruleExamples(id: string): RuleExamples {
  const bad = read(id, 'bad.yaml');
  const good = read(id, 'good.yaml');
  if (bad === undefined || good === undefined) throw new Error(`rule ${id}: examples/${id}/bad.yaml and good.yaml are required`);
  return { bad, good, spec: read(id, 'spec.opex.yaml'), goodSpec: read(id, 'good-spec.opex.yaml') };
}
