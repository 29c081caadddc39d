import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { loadSpec } from './load';

const FIXTURES = path.join(__dirname, '../../../test/fixtures/specs');
const read = (name: string) => {
  const file = path.join(FIXTURES, name);
  return loadSpec(file, readFileSync(file, 'utf8'));
};

describe('the two spec forms load to the same spec', () => {
  for (const service of ['task-api', 'order-service']) {
    it(`${service}: the markdown spec and its opex.yaml twin are deeply equal`, () => {
      const md = read(`${service}-opex-spec.md`);
      const yaml = read(`${service}/opex.yaml`);
      assert.equal(md.format, 'markdown');
      assert.equal(yaml.format, 'yaml');
      assert.deepEqual(md.diagnostics, []);
      assert.deepEqual(yaml.diagnostics, []);
      assert.deepStrictEqual(md.spec, yaml.spec);
    });

    it(`${service}: both forms record a location for the same fields`, () => {
      const md = read(`${service}-opex-spec.md`);
      const yaml = read(`${service}/opex.yaml`);
      const fields = (l: typeof md) => Object.keys(l.locations).filter((k) => !['cost', 'recovery', 'resilience', 'constraints', 'criteria', 'costLabels'].includes(k)).sort();
      const onlyMd = fields(md).filter((k) => !fields(yaml).includes(k) && !k.startsWith('recovery.database.'));
      const onlyYaml = fields(yaml).filter((k) => !fields(md).includes(k) && !k.startsWith('recovery.database.'));
      assert.deepEqual(onlyMd, []);
      // The yaml form names the defaults it states (timezone, namespace) where the markdown leaves them implied.
      assert.deepEqual(onlyYaml.filter((k) => !['namespace', 'recovery.timezone', 'constraints.vpaUpdateMode', 'constraints.chaosNamespaces', 'constraints.stableSelectorLabels'].includes(k)), []);
    });
  }

  it('order-service: the chapter\'s final skill test (RTO 15m, RPO 4h, team=commerce, cost-center=revenue)', () => {
    const { spec } = read('order-service-opex-spec.md');
    assert.equal(spec.service, 'order-service');
    assert.equal(spec.recovery?.rto, 15 * 60);
    assert.equal(spec.recovery?.rpo, 4 * 3600);
    assert.equal(spec.recovery?.schedule, undefined);
    assert.deepEqual(spec.costLabels, { team: 'commerce', app: 'order-service', environment: 'production', 'cost-center': 'revenue' });
    assert.equal(spec.resilience?.max5xx, 0);
  });
});
