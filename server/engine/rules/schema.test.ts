import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lintFiles, lintRule, textAt } from '../testing';

/** The chapter's manifests (task-api), re-indented into valid YAML. */
const CHAPTER = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: task-api
  namespace: production
  labels:
    team: product-team
    app: task-api
    environment: production
    cost-center: engineering
spec:
  replicas: 3
  selector:
    matchLabels:
      app: task-api
  template:
    metadata:
      labels:
        team: product-team
        app: task-api
        environment: production
        cost-center: engineering
    spec:
      containers:
        - name: task-api
          image: ghcr.io/panaversity/task-api:1.0.0
          ports:
            - containerPort: 8000
              name: http
          resources:
            requests:
              cpu: 250m
              memory: 512Mi
            limits:
              cpu: 500m
              memory: 1Gi
          livenessProbe:
            httpGet:
              path: /health
              port: 8000
            initialDelaySeconds: 10
            periodSeconds: 10
          readinessProbe:
            httpGet:
              path: /health
              port: 8000
            initialDelaySeconds: 5
            periodSeconds: 5
---
apiVersion: v1
kind: Service
metadata:
  name: task-api
  namespace: production
spec:
  selector:
    app: task-api
  ports:
    - port: 8000
      targetPort: 8000
      name: http
---
apiVersion: autoscaling.k8s.io/v1
kind: VerticalPodAutoscaler
metadata:
  name: task-api-vpa
  namespace: production
spec:
  targetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: task-api
  updatePolicy:
    updateMode: "Off" # SC-003: Recommendations only
  resourcePolicy:
    containerPolicies:
      - containerName: task-api
        minAllowed:
          cpu: 100m
          memory: 128Mi
        maxAllowed:
          cpu: 2000m
          memory: 2Gi
        controlledResources: ["cpu", "memory"]
---
apiVersion: velero.io/v1
kind: Schedule
metadata:
  name: task-api-production-daily
  namespace: velero
spec:
  schedule: "0 2 * * *"
  useOwnerReferencesInBackup: false
  template:
    includedNamespaces:
      - production
    includedResources:
      - "*"
    excludedResources:
      - events
      - replicasets
    snapshotVolumes: true
    storageLocation: default
    ttl: 720h
    metadata:
      labels:
        team: product-team
        backup-type: daily
    hooks:
      resources:
        - name: postgres-consistency
          includedNamespaces:
            - production
          labelSelector:
            matchLabels:
              app: postgres
          pre:
            - exec:
                container: postgres
                command:
                  - /bin/bash
                  - -c
                  - |
                    pg_dump -U "$POSTGRES_USER" -d "$POSTGRES_DB" > /var/lib/postgresql/data/backup.sql
                onError: Fail
                timeout: 120s
---
apiVersion: chaos-mesh.org/v1alpha1
kind: PodChaos
metadata:
  name: task-api-pod-kill
  namespace: chaos-mesh
spec:
  action: pod-kill
  mode: one
  selector:
    namespaces:
      - staging
    labelSelectors:
      app: task-api
  duration: "60s"
`;

describe('schema', () => {
  it("stays quiet on the chapter's manifests", () => {
    assert.deepEqual(lintRule('schema', CHAPTER), []);
  });

  it('reports typos of field names on the key, with the field meant', () => {
    const text = CHAPTER.replace('          livenessProbe:', '          livenessprobe:').replace('          ports:\n', '          imagePullPolicyy: Always\n          ports:\n');
    const diags = lintRule('schema', text);
    assert.deepEqual(diags.map((d) => textAt(text, d)), ['imagePullPolicyy', 'livenessprobe']);
    assert.match(diags[1].message, /^Unknown field `livenessprobe` in a container of Deployment task-api \(`spec\.template\.spec\.containers\[0\]`\); did you mean `livenessProbe`\?/);
    assert.equal(diags[1].severity, 'error');
    assert.deepEqual(diags[1].range, { start: { line: 37, character: 10 }, end: { line: 37, character: 23 } });
  });

  it('reports wrong types and values on the value', () => {
    const text = CHAPTER.replace('  replicas: 3', '  replicas: "3"').replace('      targetPort: 8000', '      targetPort: 8000\n      protocol: tcp');
    const diags = lintRule('schema', text);
    assert.deepEqual(diags.map((d) => textAt(text, d)), ['"3"', 'tcp']);
    assert.match(diags[0].message, /`replicas` .* must be an integer, got the string "3"; remove the quotes/);
    assert.match(diags[1].message, /`protocol` .* must be one of `TCP`, `UDP`, `SCTP`; got the string "tcp"\. Did you mean `TCP`\?/);
  });

  it('reports CRD typos and invalid values (Velero, Chaos Mesh, VPA)', () => {
    const text = CHAPTER.replace('    snapshotVolumes: true', '    snapshotVolume: true')
      .replace('  mode: one', '  mode: single')
      .replace('  updatePolicy:\n', '  updatePolicy:\n    minReplica: 1\n');
    const diags = lintRule('schema', text);
    assert.deepEqual(diags.map((d) => textAt(text, d)), ['minReplica', 'snapshotVolume', 'single']);
    assert.match(diags[1].message, /Unknown field `snapshotVolume` in `template` of Schedule task-api-production-daily \(`spec\.template`\); did you mean `snapshotVolumes`\?/);
    assert.match(diags[2].message, /`mode` in PodChaos task-api-pod-kill \(`spec\.mode`\) must be one of `one`, `all`, `fixed`, `fixed-percent`, `random-max-percent`/);
  });

  it('reports an updateMode that is no mode at all, and leaves valid modes to vpa-update-mode', () => {
    const invalid = CHAPTER.replace('updateMode: "Off"', 'updateMode: Manual');
    const [d, ...rest] = lintRule('schema', invalid);
    assert.equal(rest.length, 0);
    assert.equal(textAt(invalid, d), 'Manual');
    assert.match(d.message, /must be one of `Off`, `Initial`, `Recreate`/);
    assert.deepEqual(lintRule('schema', CHAPTER.replace('updateMode: "Off"', 'updateMode: Auto')), []);
  });

  it('leaves unquoted Off/yes/no to yaml-boolean-trap: one cause, one diagnostic', () => {
    const text = CHAPTER.replace('updateMode: "Off"', 'updateMode: off').replace('  replicas: 3', '  replicas: 3\n  paused: yes');
    const all = lintFiles({ 'm.yaml': text }, { only: ['schema', 'yaml-boolean-trap'] });
    assert.deepEqual(all.map((d) => [d.ruleId, textAt(text, d)]), [['yaml-boolean-trap', 'off']]);
  });

  it('leaves invalid VPA bound quantities to vpa-bounds-invalid', () => {
    const text = CHAPTER.replace('          memory: 2Gi', '          memory: 2GB');
    assert.deepEqual(lintRule('schema', text), []);
  });

  it('reports a number where a label value, env value or annotation must be a string', () => {
    const text = CHAPTER.replace('    cost-center: engineering\nspec:\n  replicas', '    cost-center: engineering\n    version: 1.0\n  annotations:\n    revision: 7\nspec:\n  replicas');
    const diags = lintRule('schema', text);
    assert.deepEqual(diags.map((d) => textAt(text, d)), ['1.0', '7']);
    assert.match(diags[0].message, /`version` .* must be a string, got the number 1; quote it: "1\.0"/);
  });

  it('stays quiet on kinds, versions and CRDs it has no schema for', () => {
    const text = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: app, namespace: argocd}
spec: {project: default, sourcez: {}}
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: m}
spec: {endpointz: []}
---
apiVersion: chaos-mesh.org/v1alpha1
kind: FutureChaos
metadata: {name: f}
spec: {anything: 1}
---
apiVersion: batch/v1beta1
kind: CronJob
metadata: {name: old}
spec: {schedule: "* * * * *", jobTemplatez: {}}
`;
    assert.deepEqual(lintRule('schema', text), []);
  });

  it('stays quiet on kustomize patches and bases that leave out required top-level fields', () => {
    const patch = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: task-api
spec:
  replicas: 5
  template:
    spec:
      containers:
        - name: task-api
          image: ghcr.io/panaversity/task-api:1.1.0
          $patch: replace
      $setElementOrder/containers:
        - name: task-api
`;
    assert.deepEqual(lintRule('schema', patch), []);
    const hpaPatch = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: task-api}
spec: {minReplicas: 3}
`;
    assert.deepEqual(lintRule('schema', hpaPatch), []);
  });

  it('reports fields missing below the top-level objects: a targetRef without its kind', () => {
    const text = CHAPTER.replace('    apiVersion: apps/v1\n    kind: Deployment\n    name: task-api\n  updatePolicy', '    name: task-api\n  updatePolicy');
    const [d, ...rest] = lintRule('schema', text);
    assert.equal(rest.length, 0);
    assert.equal(textAt(text, d), 'targetRef');
    assert.match(d.message, /^`targetRef` of VerticalPodAutoscaler task-api-vpa \(`spec\.targetRef`\) lacks the required field `kind`/);
  });

  it('still reports fields missing in list items', () => {
    const text = CHAPTER.replace('            - containerPort: 8000\n              name: http', '            - name: http');
    const [d, ...rest] = lintRule('schema', text);
    assert.equal(rest.length, 0);
    assert.equal(textAt(text, d), 'name');
    assert.match(d.message, /A container port of Deployment task-api .* lacks the required field `containerPort`/);
  });

  it('accepts output of kubectl create --dry-run (null timestamps, empty status)', () => {
    const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  creationTimestamp: null
  labels:
    app: web
  name: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  strategy: {}
  template:
    metadata:
      creationTimestamp: null
      labels:
        app: web
    spec:
      containers:
      - image: nginx
        name: nginx
        resources: {}
status: {}
`;
    assert.deepEqual(lintRule('schema', text), []);
  });

  it('stays quiet on values left for a template engine', () => {
    const text = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: \${REPLICAS}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: nginx
          ports: [{containerPort: <PORT>}]
---
apiVersion: v1
kind: Secret
metadata: {name: s}
data:
  token: <base64 of the token>
  region: [YOUR_BASE64_REGION_ID]
`;
    assert.deepEqual(lintRule('schema', text), []);
  });
});
