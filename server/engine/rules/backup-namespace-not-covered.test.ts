import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyFixes, lintRule, textAt } from '../testing';

const schedule = (template: string, name = 'task-api-production-daily', labels = '') => `apiVersion: velero.io/v1
kind: Schedule
metadata:
  name: ${name}
  namespace: velero${labels}
spec:
  schedule: "0 2 * * *"
  template:
${template}    ttl: 720h
`;

describe('backup-namespace-not-covered', () => {
  it('reports includedNamespaces without the namespace on its key, fixed by adding it', () => {
    const text = schedule('    includedNamespaces:\n      - prodution # typo\n');
    const [d, ...rest] = lintRule('backup-namespace-not-covered', text);
    assert.equal(rest.length, 0);
    assert.equal(textAt(text, d), 'includedNamespaces');
    assert.match(d.message, /looks meant for task-api but includes only prodution: nothing of namespace production is backed up/);
    const fixed = applyFixes(text, [d]);
    assert.equal(fixed, schedule('    includedNamespaces:\n      - prodution # typo\n      - production\n'));
    assert.deepEqual(lintRule('backup-namespace-not-covered', fixed), []);
  });

  it('adds to a flow list', () => {
    const text = schedule('    includedNamespaces: [staging]\n');
    assert.equal(applyFixes(text, lintRule('backup-namespace-not-covered', text)), schedule('    includedNamespaces: [staging, production]\n'));
  });

  it('reports an exclusion on the excluded entry, fixed by removing it', () => {
    const text = schedule('    excludedNamespaces:\n      - kube-system\n      - production\n');
    const [d] = lintRule('backup-namespace-not-covered', text);
    assert.equal(textAt(text, d), 'production');
    assert.match(d.message, /excludes production/);
    assert.equal(applyFixes(text, [d]), schedule('    excludedNamespaces:\n      - kube-system\n'));
  });

  it('removes the whole key when the namespace is its only entry', () => {
    const text = schedule('    includedNamespaces: ["*"]\n    excludedNamespaces:\n      - production\n');
    const fixed = applyFixes(text, lintRule('backup-namespace-not-covered', text));
    assert.equal(fixed, schedule('    includedNamespaces: ["*"]\n'));
    assert.deepEqual(lintRule('backup-namespace-not-covered', fixed), []);
  });

  it('reads namespace patterns as Velero does, and offers no fix for an excluding pattern', () => {
    assert.deepEqual(lintRule('backup-namespace-not-covered', schedule('    includedNamespaces: ["prod*"]\n')), []);
    assert.equal(lintRule('backup-namespace-not-covered', schedule('    includedNamespaces: ["prod-*"]\n')).length, 1);
    const [d] = lintRule('backup-namespace-not-covered', schedule('    excludedNamespaces: ["prod*"]\n'));
    assert.match(d.message, /with the pattern "prod\*"/);
    assert.equal(d.fix, undefined);
  });

  it('decides that a Schedule is meant for the service by its name, its labels or its database hook', () => {
    const template = '    includedNamespaces: [staging]\n';
    assert.equal(lintRule('backup-namespace-not-covered', schedule(template, 'nightly', '\n  labels: {app: task-api}')).length, 1);
    const hook = `    includedNamespaces: [staging]
    hooks:
      resources:
        - name: db
          labelSelector:
            matchLabels: {app: postgres}
          pre:
            - exec: {container: postgres, command: [pg_dumpall]}
`;
    assert.equal(lintRule('backup-namespace-not-covered', schedule(hook, 'nightly')).length, 1);
    assert.deepEqual(lintRule('backup-namespace-not-covered', schedule(template, 'nightly')), [], 'nothing points at the service: backup-missing');
  });

  it('stays quiet when another Schedule backs up the namespace, or without a spec', () => {
    const other = schedule('    includedNamespaces: [production]\n', 'platform');
    assert.deepEqual(lintRule('backup-namespace-not-covered', `${schedule('    includedNamespaces: [staging]\n')}---\n${other}`), []);
    assert.deepEqual(lintRule('backup-namespace-not-covered', schedule('    includedNamespaces: [staging]\n'), { spec: null }), []);
  });
});
