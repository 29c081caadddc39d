/**
 * A synthetic workspace shaped like a platform repository: one folder per service with its own opex.yaml,
 * a Deployment + Service, a VPA, a PDB, a ConfigMap, a Velero Schedule and a PodChaos, each in its own file.
 * Deterministic: the same count gives the same files.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const FILES_PER_SERVICE = 8;

function service(i: number): Record<string, string> {
  const name = `svc-${String(i).padStart(4, '0')}`;
  const ns = `team-${i % 40}`;
  const team = `team-${i % 40}`;
  const labels = `team: ${team}\n        app: ${name}\n        environment: production\n        cost-center: cc-${i % 7}`;
  return {
    'opex.yaml': `service: ${name}\nnamespace: ${ns}\ncostLabels: {team: ${team}, app: ${name}, environment: production, cost-center: cc-${i % 7}}\nrecovery:\n  rto: 30m\n  rpo: 24h\n  retention: 720h\n  database: {selector: {app: ${name}-db}, container: postgres, hookTimeout: 120s}\nresilience: {podKillRecovery: 30s, max5xx: 0, p95LatencyMs: 500}\nconstraints: {vpaUpdateMode: "Off", chaosNamespaces: [staging]}\n`,
    'deployment.yaml': `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: ${ns}\n  labels:\n    app: ${name}\nspec:\n  replicas: ${i % 5 === 0 ? 1 : 3}\n  selector:\n    matchLabels:\n      app: ${name}\n  template:\n    metadata:\n      labels:\n        ${i % 9 === 0 ? `app: ${name}` : labels}\n    spec:\n      containers:\n        - name: ${name}\n          image: registry.example/${name}:1.${i % 10}.0\n          ports:\n            - containerPort: 8080\n              name: http\n          resources:\n            requests: {cpu: 100m, memory: 128Mi}\n          readinessProbe:\n            httpGet: {path: /ready, port: http}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  selector:\n    app: ${name}\n  ports:\n    - port: 80\n      targetPort: http\n`,
    'database.yaml': `apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: ${name}-db\n  namespace: ${ns}\nspec:\n  serviceName: ${name}-db\n  selector:\n    matchLabels: {app: ${name}-db}\n  template:\n    metadata:\n      labels: {app: ${name}-db, team: ${team}}\n    spec:\n      containers:\n        - name: postgres\n          image: postgres:16\n          resources:\n            requests: {cpu: 250m, memory: 512Mi}\n`,
    'vpa.yaml': `apiVersion: autoscaling.k8s.io/v1\nkind: VerticalPodAutoscaler\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  targetRef: {apiVersion: apps/v1, kind: Deployment, name: ${name}}\n  updatePolicy:\n    updateMode: ${i % 11 === 0 ? 'Auto' : '"Off"'}\n`,
    'pdb.yaml': `apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  minAvailable: 1\n  selector:\n    matchLabels: {app: ${name}}\n`,
    'configmap.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}-config\n  namespace: ${ns}\ndata:\n  LOG_LEVEL: info\n  FEATURE_X: "true"\n  config.yaml: |\n    server:\n      port: 8080\n      timeout: 30s\n`,
    'schedule.yaml': `apiVersion: velero.io/v1\nkind: Schedule\nmetadata:\n  name: ${name}-daily\n  namespace: velero\nspec:\n  schedule: "${i % 13 === 0 ? '0 0 * * 1-5' : '0 2 * * *'}"\n  template:\n    includedNamespaces: [${ns}]\n    ttl: 720h\n    hooks:\n      resources:\n        - name: db\n          includedNamespaces: [${ns}]\n          labelSelector:\n            matchLabels: {app: ${name}-db}\n          pre:\n            - exec:\n                container: postgres\n                command: [/bin/sh, -c, "pg_dump > /tmp/dump.sql"]\n                onError: Fail\n                timeout: 120s\n`,
    'podchaos.yaml': `apiVersion: chaos-mesh.org/v1alpha1\nkind: PodChaos\nmetadata:\n  name: ${name}-kill\n  namespace: chaos-mesh\nspec:\n  action: pod-kill\n  mode: one\n  selector:\n    namespaces: [staging]\n    labelSelectors: {app: ${name}}\n`,
  };
}

/** Writes a workspace of about `files` YAML files under `dir` (emptied first); returns the file paths. */
export function generateWorkspace(dir: string, files: number): string[] {
  fs.rmSync(dir, { recursive: true, force: true });
  const out: string[] = [];
  const services = Math.ceil(files / FILES_PER_SERVICE);
  for (let i = 0; i < services && out.length < files; i++) {
    const folder = path.join(dir, `svc-${String(i).padStart(4, '0')}`);
    fs.mkdirSync(folder, { recursive: true });
    for (const [name, text] of Object.entries(service(i))) {
      if (out.length >= files) break;
      const file = path.join(folder, name);
      fs.writeFileSync(file, text);
      out.push(file);
    }
  }
  return out;
}
