import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parseFile } from './parse';
import type { Resource } from './resource';
import {
  compiledValidatorCount,
  editDistance,
  expectedTypeAt,
  expectedTypeFor,
  formatPath,
  hasSchema,
  knownKinds,
  schemaRefFor,
  suggestField,
  validateResource,
  type SchemaProblem,
} from './schema';

function resources(text: string): Resource[] {
  return parseFile('/ws/manifests.yaml', text).resources;
}

function one(text: string): Resource {
  const [r] = resources(text);
  assert.ok(r, 'a resource');
  return r;
}

function textOf(text: string, p: SchemaProblem): string {
  const lines = text.split('\n');
  assert.equal(p.range.start.line, p.range.end.line, 'one-line range');
  return lines[p.range.start.line].slice(p.range.start.character, p.range.end.character);
}

const deployment = (container: string, extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop${extra}
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx:1.27
${container}`;

describe('schema index', () => {
  it('has a schema for every kind opex deals with', () => {
    const required: Array<[string, string]> = [
      ['v1', 'Pod'], ['apps/v1', 'Deployment'], ['apps/v1', 'StatefulSet'], ['apps/v1', 'DaemonSet'], ['apps/v1', 'ReplicaSet'],
      ['batch/v1', 'Job'], ['batch/v1', 'CronJob'], ['v1', 'Service'], ['v1', 'ConfigMap'], ['v1', 'Secret'], ['v1', 'Namespace'],
      ['v1', 'ServiceAccount'], ['v1', 'PersistentVolumeClaim'], ['autoscaling/v2', 'HorizontalPodAutoscaler'],
      ['autoscaling/v1', 'HorizontalPodAutoscaler'], ['policy/v1', 'PodDisruptionBudget'], ['networking.k8s.io/v1', 'Ingress'],
      ['networking.k8s.io/v1', 'NetworkPolicy'], ['rbac.authorization.k8s.io/v1', 'Role'], ['rbac.authorization.k8s.io/v1', 'RoleBinding'],
      ['rbac.authorization.k8s.io/v1', 'ClusterRole'], ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding'],
      ['autoscaling.k8s.io/v1', 'VerticalPodAutoscaler'], ['velero.io/v1', 'Schedule'], ['velero.io/v1', 'Backup'], ['velero.io/v1', 'Restore'],
      ['chaos-mesh.org/v1alpha1', 'PodChaos'], ['chaos-mesh.org/v1alpha1', 'NetworkChaos'], ['chaos-mesh.org/v1alpha1', 'StressChaos'],
      ['chaos-mesh.org/v1alpha1', 'IOChaos'], ['chaos-mesh.org/v1alpha1', 'Schedule'],
    ];
    for (const [apiVersion, kind] of required) assert.ok(schemaRefFor(apiVersion, kind), `${apiVersion} ${kind}`);
    assert.ok(knownKinds().length >= required.length);
  });

  it('knows no kind by another version, group or name, and nothing from Object.prototype', () => {
    assert.equal(schemaRefFor('apps/v1beta1', 'Deployment'), undefined);
    assert.equal(schemaRefFor('extensions/v1beta1', 'Ingress'), undefined);
    assert.equal(schemaRefFor('argoproj.io/v1alpha1', 'Application'), undefined);
    assert.equal(schemaRefFor('apps/v1', 'toString'), undefined);
    assert.equal(schemaRefFor('constructor', 'Deployment'), undefined);
  });

  it('records where every generated schema comes from', () => {
    const root = path.resolve(__dirname, '../../schemas');
    const provenance = fs.readFileSync(path.join(root, 'PROVENANCE.md'), 'utf8');
    for (const needle of ['kubernetes/kubernetes', 'release-1.35', 'kubernetes/autoscaler', 'vpa-v1-crd-gen.yaml', 'vmware-tanzu/velero', 'chaos-mesh/chaos-mesh']) {
      assert.ok(provenance.includes(needle), needle);
    }
    assert.match(provenance, /commit `[0-9a-f]{40}`/);
    const index = JSON.parse(fs.readFileSync(path.join(root, 'index.json'), 'utf8'));
    for (const file of Object.values(index.files) as string[]) assert.ok(fs.existsSync(path.join(root, file)), file);
  });
});

describe('validateResource', () => {
  it('accepts the chapter manifests and the bundled examples', () => {
    const root = path.resolve(__dirname, '../../examples');
    let checked = 0;
    for (const dir of fs.readdirSync(root)) {
      for (const file of fs.readdirSync(path.join(root, dir)).filter((f) => f.endsWith('.yaml'))) {
        for (const res of parseFile(file, fs.readFileSync(path.join(root, dir, file), 'utf8')).resources) {
          const result = validateResource(res);
          assert.deepEqual(result.problems.map((p) => p.message), [], `${dir}/${file} ${res.kind}`);
          if (result.checked) checked++;
        }
      }
    }
    assert.ok(checked >= 10, `checked ${checked}`);
  });

  it('reports an unknown field on its key, suggesting the field meant', () => {
    const text = deployment('          imagePullPolicyy: Always\n          livenessprobe:\n            httpGet: {path: /, port: 80}\n');
    const { problems } = validateResource(one(text));
    assert.equal(problems.length, 2);
    const [a, b] = problems;
    assert.equal(a.kind, 'unknown-field');
    assert.equal(textOf(text, a), 'imagePullPolicyy');
    assert.equal(a.suggestion, 'imagePullPolicy');
    assert.match(a.message, /^Unknown field `imagePullPolicyy` in a container of Deployment web \(`spec\.template\.spec\.containers\[0\]`\); did you mean `imagePullPolicy`\?/);
    assert.equal(textOf(text, b), 'livenessprobe');
    assert.match(b.message, /did you mean `livenessProbe`\?/);
    assert.deepEqual(b.path, ['spec', 'template', 'spec', 'containers', 0, 'livenessprobe']);
  });

  it('reports a wrong type on the value, with a hint', () => {
    const text = deployment('          env:\n            - name: PORT\n              value: 8080\n          ports:\n            - containerPort: "80"\n').replace('replicas: 2', 'replicas: "3"');
    const problems = validateResource(one(text)).problems;
    const byText = Object.fromEntries(problems.map((p) => [textOf(text, p), p]));
    assert.match(byText['"3"'].message, /^`replicas` in Deployment web \(`spec\.replicas`\) must be an integer, got the string "3"; remove the quotes\.$/);
    assert.match(byText['8080'].message, /`value` in Deployment web \(`spec\.template\.spec\.containers\[0\]\.env\[0\]\.value`\) must be a string, got the number 8080; quote it: "8080"\./);
    assert.deepEqual(byText['8080'].expected, ['string']);
    assert.match(byText['"80"'].message, /`containerPort` .* must be an integer/);
    assert.equal(problems.length, 3);
  });

  it('checks enumerations, quantities, base64 and 32-bit ranges', () => {
    const text = `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  restartPolicy: always
  containers:
    - name: c
      image: busybox
      resources:
        limits: {cpu: 1 core, memory: 2Gi}
        requests: {cpu: 0.5, memory: 512Mi}
      ports: [{containerPort: 99999999999}]
---
apiVersion: v1
kind: Secret
metadata: {name: s}
data:
  ok: aGVsbG8=
  wrapped: |
    aGVs
    bG8=
  bad: hello world
`;
    const [pod, secret] = resources(text);
    const pp = validateResource(pod).problems;
    const enumP = pp.find((p) => p.kind === 'enum')!;
    assert.equal(textOf(text, enumP), 'always');
    assert.match(enumP.message, /must be one of `Always`, `OnFailure`, `Never`; got the string "always"\. Did you mean `Always`\?/);
    const q = pp.find((p) => p.kind === 'pattern')!;
    assert.equal(textOf(text, q), '1 core');
    assert.match(q.message, /not a valid quantity/);
    const range = pp.find((p) => p.kind === 'format')!;
    assert.equal(textOf(text, range), '99999999999');
    assert.match(range.message, /32-bit/);
    assert.equal(pp.length, 3);
    const sp = validateResource(secret).problems;
    assert.equal(sp.length, 1);
    assert.equal(textOf(text, sp[0]), 'hello world');
    assert.match(sp[0].message, /not valid base64.*stringData/);
  });

  it('reports a missing required field on the key of the object that lacks it', () => {
    const text = deployment('        - image: sidecar:1\n          ports:\n            - name: http\n');
    const problems = validateResource(one(text)).problems;
    const missing = problems.filter((p) => p.kind === 'required');
    assert.deepEqual(missing.map((p) => [p.missing, textOf(text, p)]), [['name', 'image'], ['containerPort', 'name']]);
    assert.match(missing[0].message, /^A container of Deployment web \(`spec\.template\.spec\.containers\[1\]`\) lacks the required field `name`/);
  });

  it('accepts IntOrString, Quantity as a number, status, null fields and empty enum values', () => {
    const text = `apiVersion: v1
kind: Service
metadata:
  name: s
  creationTimestamp: null
  annotations:
spec:
  type: ""
  selector: {app: s}
  ports:
    - {port: 80, targetPort: http}
    - {port: 81, targetPort: 8081, protocol: UDP}
status:
  loadBalancer: {}
  anything: [1, 2]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
        - name: db
          image: postgres:16
          resources: {requests: {cpu: 1, memory: 1e9}}
          livenessProbe: {tcpSocket: {port: 5432}}
          readinessProbe: {httpGet: {port: web}}
  volumeClaimTemplates:
    - apiVersion: v1
      kind: PersistentVolumeClaim
      metadata: {name: data}
      spec:
        accessModes: [ReadWriteOnce]
        resources: {requests: {storage: 10Gi}}
`;
    for (const r of resources(text)) assert.deepEqual(validateResource(r).problems, [], r.kind);
  });

  it('gives one diagnostic for an int-or-string or a quantity of the wrong type, not one per alternative', () => {
    const text = `apiVersion: v1
kind: Service
metadata: {name: s}
spec:
  ports:
    - port: 80
      targetPort: {name: http}
---
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
    - name: c
      image: busybox
      resources: {limits: {cpu: [1]}}
`;
    const [svc, pod] = resources(text);
    const sp = validateResource(svc).problems;
    assert.equal(sp.length, 1);
    assert.equal(sp[0].range.start.line, 6);
    assert.match(sp[0].message, /`targetPort` .* must be an integer or a string, got a map\./);
    const pp = validateResource(pod).problems;
    assert.equal(pp.length, 1);
    assert.match(pp[0].message, /`cpu` .* must be a string or a number, got a list/);
  });

  it('is strict in metadata and at the top level', () => {
    const text = `apiVersion: v1
kind: ConfigMap
metadata:
  name: c
  label: {app: c}
dat: {a: b}
spec: {}
`;
    const problems = validateResource(one(text)).problems;
    assert.deepEqual(problems.map((p) => [textOf(text, p), p.suggestion]).sort(), [['dat', 'data'], ['label', 'labels'], ['spec', undefined]]);
    assert.ok(problems.find((p) => p.suggestion === 'data')!.message.startsWith('Unknown field `dat` in the top level of ConfigMap c; did you mean `data`?'));
    assert.ok(problems.find((p) => p.suggestion === 'labels')!.message.includes('in metadata of ConfigMap c'));
  });

  it('validates CRDs strictly, except under x-kubernetes-preserve-unknown-fields', () => {
    const text = `apiVersion: autoscaling.k8s.io/v1
kind: VerticalPodAutoscaler
metadata: {name: v, namespace: production}
spec:
  targetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  updatePolicy:
    updateMode: Manual
    minReplica: 2
  resourcePolicy:
    containerPolicies:
      - containerName: web
        minAllowed: {cpu: 100m, memory: 128Mi}
        maxAllowed: {cpu: 2, memory: 2Gi}
---
apiVersion: velero.io/v1
kind: Schedule
metadata: {name: daily, namespace: velero}
spec:
  schedule: "0 2 * * *"
  template:
    includedNamespaces: [production]
    ttl: 720h
    snapshotVolume: true
    hooks:
      resources:
        - name: pg
          pre:
            - exec: {container: postgres, command: [/bin/sh, -c, "pg_dump"], onError: Fail, timeout: 120s}
---
apiVersion: chaos-mesh.org/v1alpha1
kind: Schedule
metadata: {name: kill, namespace: staging}
spec:
  schedule: "@every 1h"
  type: PodChaos
  historyLimit: 2
  concurrencyPolicy: Forbid
  podChaos:
    action: pod-kill
    mode: one
    selector: {namespaces: [staging], labelSelectors: {app: web}}
    gracePeriod: 0
    duraton: 30s
`;
    const [vpa, velero, chaos] = resources(text);
    const vp = validateResource(vpa).problems;
    assert.deepEqual(vp.map((p) => [p.kind, textOf(text, p)]).sort(), [['enum', 'Manual'], ['unknown-field', 'minReplica']]);
    assert.equal(vp.find((p) => p.kind === 'unknown-field')!.suggestion, 'minReplicas');
    const bp = validateResource(velero).problems;
    assert.deepEqual(bp.map((p) => [textOf(text, p), p.suggestion]), [['snapshotVolume', 'snapshotVolumes']]);
    const cp = validateResource(chaos).problems;
    assert.deepEqual(cp.map((p) => [textOf(text, p), p.suggestion]), [['duraton', 'duration']]);
  });

  it('skips kinds it has no schema for, quietly', () => {
    const text = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: a}
spec: {whatever: [1]}
---
apiVersion: velero.io/v2alpha1
kind: DataUpload
metadata: {name: d}
spec: {x: 1}
---
apiVersion: chaos-mesh.org/v1alpha1
kind: FutureChaos
metadata: {name: f}
spec: {y: 2}
---
apiVersion: extensions/v1beta1
kind: Deployment
metadata: {name: old}
spec: {replicas: "x"}
`;
    for (const r of resources(text)) {
      assert.equal(hasSchema(r), false, r.kind);
      assert.deepEqual(validateResource(r), { checked: false, problems: [] });
    }
  });

  it('compiles each kind once and caches results per resource', () => {
    const a = one(deployment(''));
    validateResource(a);
    const count = compiledValidatorCount();
    const b = one(deployment('          imagePullPolicy: Always\n'));
    validateResource(b);
    assert.equal(compiledValidatorCount(), count);
    assert.equal(validateResource(a), validateResource(a));
  });

  it('follows merge keys and reports the node where it is written', () => {
    const text = `apiVersion: v1
kind: ConfigMap
metadata:
  <<: {name: base}
  labels: {app: x}
  namespce: prod
data: {a: b}
`;
    const problems = validateResource(one(text)).problems;
    assert.deepEqual(problems.map((p) => [textOf(text, p), p.suggestion]), [['namespce', 'namespace']]);
  });
});

describe('expectedTypeAt', () => {
  it('answers the type, description and enum the schema expects at a path', () => {
    const vpa = one(`apiVersion: autoscaling.k8s.io/v1
kind: VerticalPodAutoscaler
metadata: {name: v}
spec: {}
`);
    const mode = expectedTypeAt(vpa, ['spec', 'updatePolicy', 'updateMode']);
    assert.deepEqual(mode?.types, ['string']);
    assert.ok(mode?.enum?.includes('Off'));
    assert.match(mode?.description ?? '', /autoscaler applies changes/);
    const labels = expectedTypeFor('apps/v1', 'Deployment', ['spec', 'template', 'metadata', 'labels', 'anything']);
    assert.deepEqual(labels?.types, ['string']);
    const container = expectedTypeFor('apps/v1', 'Deployment', ['spec', 'template', 'spec', 'containers', 0]);
    assert.equal(container?.title, 'Container');
    assert.ok(container?.properties?.includes('livenessProbe'));
    assert.equal(container?.openEnded, false);
    assert.deepEqual(expectedTypeFor('apps/v1', 'Deployment', ['spec', 'template', 'spec', 'containers', 0, 'ports', 0, 'containerPort'])?.types, ['integer']);
    assert.deepEqual(expectedTypeFor('v1', 'Service', ['spec', 'ports', 0, 'targetPort'])?.types, ['integer', 'string']);
    assert.deepEqual(expectedTypeFor('v1', 'Pod', ['spec', 'hostNetwork'])?.types, ['boolean']);
    assert.deepEqual(expectedTypeFor('v1', 'ConfigMap', ['data', 'enabled'])?.types, ['string']);
    assert.match(expectedTypeFor('velero.io/v1', 'Schedule', ['spec', 'template', 'ttl'])?.description ?? '', /TTL/i);
  });

  it('is undefined for unknown kinds, unknown fields and free-form places', () => {
    assert.equal(expectedTypeFor('example.com/v1', 'Widget', ['spec']), undefined);
    assert.equal(expectedTypeFor('apps/v1', 'Deployment', ['spec', 'nope']), undefined);
    assert.deepEqual(expectedTypeFor('apps/v1', 'Deployment', ['status'])?.types, ['object']);
    assert.equal(expectedTypeFor('apps/v1', 'Deployment', ['status', 'replicas']), undefined);
  });
});

describe('helpers', () => {
  it('suggests close field names', () => {
    const schema = { properties: { livenessProbe: {}, readinessProbe: {}, image: {}, imagePullPolicy: {} } };
    assert.equal(suggestField('livenessprobe', schema), 'livenessProbe');
    assert.equal(suggestField('imagePullPolicyy', schema), 'imagePullPolicy');
    assert.equal(suggestField('imgae', schema), 'image');
    assert.equal(suggestField('somethingElse', schema), undefined);
    assert.equal(editDistance('contianers', 'containers'), 1);
    assert.equal(formatPath(['spec', 'containers', 0, 'env', 2, 'value']), 'spec.containers[0].env[2].value');
  });
});
