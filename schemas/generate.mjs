#!/usr/bin/env node
/**
 * Generates the strict JSON Schemas (draft-07) that opex validates manifests against, from upstream sources
 * read out of local git snapshots of their repositories (no network access here):
 *
 *   - built-in kinds from the Kubernetes OpenAPI v3 documents (`api/openapi-spec/v3/*_openapi.json`);
 *   - CRDs from the upstream CRD manifests' `openAPIV3Schema` (VPA, Velero, Chaos Mesh).
 *
 * Strict means what `kubectl apply` field validation does: an unknown field is an error (objects get
 * `additionalProperties: false`), except where the schema says `x-kubernetes-preserve-unknown-fields`.
 * Writes schemas/kubernetes.json, schemas/crds/*.json, schemas/index.json and schemas/PROVENANCE.md.
 *
 * Usage: node schemas/generate.mjs [--mirrors DIR]
 *   DIR holds bare git snapshots as `<owner>+<name>/repo` (default: $OPEX_MIRRORS or /work/.mirror).
 * The commits are pinned below; the output is deterministic for them.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as YAML from 'yaml';

const HERE = dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const MIRRORS = argv.includes('--mirrors') ? argv[argv.indexOf('--mirrors') + 1] : process.env.OPEX_MIRRORS || '/work/.mirror';

// ---------------------------------------------------------------------------------------------------------
// Sources (pinned)

/**
 * Kubernetes v1.35. The files are kubernetes/kubernetes `api/openapi-spec/v3/<name>` of branch release-1.35,
 * read from the verbatim copy kept in kubernetes-sigs/kubectl-validate (its download-builtin-schemas tool
 * stores each file of that folder under `pkg/openapiclient/builtins/1.35/<api|apis/group>/<version>.json`).
 */
const KUBERNETES = {
  version: 'v1.35',
  upstream: { repo: 'kubernetes/kubernetes', ref: 'release-1.35', dir: 'api/openapi-spec/v3' },
  snapshot: { repo: 'kubernetes-sigs/kubectl-validate', commit: 'a97ccfaca20b164819afdae780392496f6ed6bbd', dir: 'pkg/openapiclient/builtins/1.35' },
  /** group/version → kinds opex validates. */
  kinds: {
    'v1': ['Pod', 'Service', 'ConfigMap', 'Secret', 'Namespace', 'ServiceAccount', 'PersistentVolumeClaim', 'PersistentVolume', 'LimitRange', 'ResourceQuota', 'ReplicationController'],
    'apps/v1': ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'],
    'batch/v1': ['Job', 'CronJob'],
    'autoscaling/v1': ['HorizontalPodAutoscaler'],
    'autoscaling/v2': ['HorizontalPodAutoscaler'],
    'policy/v1': ['PodDisruptionBudget'],
    'networking.k8s.io/v1': ['Ingress', 'IngressClass', 'NetworkPolicy'],
    'rbac.authorization.k8s.io/v1': ['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'],
    'scheduling.k8s.io/v1': ['PriorityClass'],
    'storage.k8s.io/v1': ['StorageClass'],
  },
};

const CRDS = [
  {
    id: 'vpa',
    title: 'Vertical Pod Autoscaler',
    repo: 'kubernetes/autoscaler',
    tag: 'vertical-pod-autoscaler-1.7.1',
    commit: '352365899477910018f40d89fa3ea30b2c5d0e78',
    files: ['vertical-pod-autoscaler/deploy/vpa-v1-crd-gen.yaml'],
  },
  {
    id: 'velero',
    title: 'Velero',
    repo: 'vmware-tanzu/velero',
    tag: 'v1.18.1',
    commit: '26ef8fa7df68dfa9ab8aa4669b8ac47340b0c510',
    files: [
      'backups', 'restores', 'schedules', 'backupstoragelocations', 'volumesnapshotlocations', 'backuprepositories',
      'deletebackuprequests', 'downloadrequests', 'podvolumebackups', 'podvolumerestores', 'serverstatusrequests',
    ].map((n) => `config/crd/v1/bases/velero.io_${n}.yaml`),
  },
  {
    id: 'chaos-mesh',
    title: 'Chaos Mesh',
    repo: 'chaos-mesh/chaos-mesh',
    tag: 'v2.8.3',
    commit: '60ec97f1fd5d5edb2fb5c722c8888e18b618d1a0',
    files: [
      'podchaos', 'networkchaos', 'stresschaos', 'iochaos', 'timechaos', 'kernelchaos', 'dnschaos', 'httpchaos', 'jvmchaos',
      'awschaos', 'gcpchaos', 'azurechaos', 'blockchaos', 'physicalmachinechaos', 'schedules', 'workflows', 'statuschecks',
    ].map((n) => `config/crd/bases/chaos-mesh.org_${n}.yaml`),
  },
];

/** Formats kept (validated by ajv-formats or by opex itself); every other format is dropped. */
const FORMATS = new Set(['int32', 'int64', 'date-time', 'byte']);

/**
 * Loose shape of a resource.Quantity string (the API server reports "quantities must match the regular
 * expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'").
 */
const QUANTITY_PATTERN = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';

/**
 * Enumerations the OpenAPI document states only in prose, as the API server's validation enforces them
 * ("Unsupported value: ... supported values: ..."). The empty string is allowed too: it means "unset",
 * and the server defaults it.
 */
const K8S_ENUMS = {
  'io.k8s.api.core.v1.Container': { imagePullPolicy: ['Always', 'IfNotPresent', 'Never'] },
  'io.k8s.api.core.v1.EphemeralContainer': { imagePullPolicy: ['Always', 'IfNotPresent', 'Never'] },
  'io.k8s.api.core.v1.PodSpec': { restartPolicy: ['Always', 'OnFailure', 'Never'], dnsPolicy: ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'] },
  'io.k8s.api.core.v1.ContainerPort': { protocol: ['TCP', 'UDP', 'SCTP'] },
  'io.k8s.api.core.v1.ServicePort': { protocol: ['TCP', 'UDP', 'SCTP'] },
  'io.k8s.api.core.v1.ServiceSpec': {
    type: ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'],
    sessionAffinity: ['ClientIP', 'None'],
    externalTrafficPolicy: ['Cluster', 'Local'],
    internalTrafficPolicy: ['Cluster', 'Local'],
  },
  'io.k8s.api.core.v1.Toleration': { operator: ['Exists', 'Equal'], effect: ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] },
  'io.k8s.api.apps.v1.DeploymentStrategy': { type: ['Recreate', 'RollingUpdate'] },
  'io.k8s.api.apps.v1.StatefulSetSpec': { podManagementPolicy: ['OrderedReady', 'Parallel'] },
  'io.k8s.api.apps.v1.StatefulSetUpdateStrategy': { type: ['OnDelete', 'RollingUpdate'] },
  'io.k8s.api.apps.v1.DaemonSetUpdateStrategy': { type: ['OnDelete', 'RollingUpdate'] },
  'io.k8s.api.batch.v1.CronJobSpec': { concurrencyPolicy: ['Allow', 'Forbid', 'Replace'] },
  'io.k8s.api.networking.v1.HTTPIngressPath': { pathType: ['Exact', 'Prefix', 'ImplementationSpecific'] },
};

// ---------------------------------------------------------------------------------------------------------
// Reading the snapshots

function gitDir(repo) {
  return join(MIRRORS, repo.replace('/', '+'), 'repo');
}

function gitShow(repo, commit, path) {
  try {
    return execFileSync('git', ['--git-dir', gitDir(repo), 'show', `${commit}:${path}`], { encoding: 'utf8', maxBuffer: 64 << 20 });
  } catch (err) {
    throw new Error(`cannot read ${repo}@${commit}:${path} from ${gitDir(repo)} (fetch the repository snapshot first): ${err.message.split('\n')[0]}`);
  }
}

function gitCommitDate(repo, commit) {
  return execFileSync('git', ['--git-dir', gitDir(repo), 'log', '-1', '--format=%cs', commit], { encoding: 'utf8' }).trim();
}

function gitBlob(repo, commit, path) {
  return execFileSync('git', ['--git-dir', gitDir(repo), 'rev-parse', `${commit}:${path}`], { encoding: 'utf8' }).trim();
}

// ---------------------------------------------------------------------------------------------------------
// Kubernetes OpenAPI v3 → strict JSON Schema

const K8S_REF = '#/components/schemas/';

function k8sFileFor(groupVersion) {
  const [group, version] = groupVersion.includes('/') ? groupVersion.split('/') : ['', groupVersion];
  return {
    snapshotPath: group ? `apis/${group}/${version}.json` : `api/${version}.json`,
    upstreamName: group ? `apis__${group}__${version}_openapi.json` : `api__${version}_openapi.json`,
  };
}

function convertK8s(s, defs) {
  if (s === true || s === false) return s;
  if (s.$ref) return { $ref: `#/definitions/${s.$ref.slice(K8S_REF.length)}` };
  if (Array.isArray(s.allOf) && s.allOf.length === 1 && s.allOf[0].$ref && !s.properties) {
    const out = { $ref: `#/definitions/${s.allOf[0].$ref.slice(K8S_REF.length)}` };
    if (s.description) out.description = s.description;
    return out;
  }
  const out = {};
  if (s.description) out.description = s.description;
  if (s.type) out.type = s.type;
  if (s.format && FORMATS.has(s.format)) out.format = s.format;
  if (s.enum) out.enum = s.enum;
  for (const k of ['pattern', 'minimum', 'maximum', 'minLength', 'maxLength', 'minItems', 'maxItems']) if (s[k] !== undefined) out[k] = s[k];
  if (s.properties) {
    out.properties = {};
    for (const key of Object.keys(s.properties).sort()) out.properties[key] = convertK8s(s.properties[key], defs);
  }
  if (s.additionalProperties !== undefined) out.additionalProperties = convertK8s(s.additionalProperties, defs);
  if (s.items) out.items = convertK8s(s.items, defs);
  if (Array.isArray(s.required) && s.required.length > 0) out.required = [...s.required];
  for (const k of ['oneOf', 'anyOf']) if (s[k]) out[k] = s[k].map((x) => convertK8s(x, defs));
  if (out.properties && out.additionalProperties === undefined && !s['x-kubernetes-preserve-unknown-fields']) out.additionalProperties = false;
  return out;
}

function refsOf(node, out = new Set()) {
  if (Array.isArray(node)) node.forEach((n) => refsOf(n, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith('#/definitions/')) out.add(v.slice('#/definitions/'.length));
      else refsOf(v, out);
    }
  }
  return out;
}

function shortName(defName) {
  return defName.slice(defName.lastIndexOf('.') + 1);
}

function generateKubernetes() {
  const k = KUBERNETES;
  const raw = new Map(); // definition name → upstream schema
  const kindDefs = new Map(); // `${apiVersion}\u0000${kind}` → definition name
  const files = [];
  for (const [groupVersion, kinds] of Object.entries(k.kinds)) {
    const { snapshotPath, upstreamName } = k8sFileFor(groupVersion);
    const path = `${k.snapshot.dir}/${snapshotPath}`;
    const doc = JSON.parse(gitShow(k.snapshot.repo, k.snapshot.commit, path));
    files.push({ groupVersion, snapshotPath: path, upstreamPath: `${k.upstream.dir}/${upstreamName}`, blob: gitBlob(k.snapshot.repo, k.snapshot.commit, path) });
    const schemas = doc.components.schemas;
    for (const [name, schema] of Object.entries(schemas)) {
      if (!raw.has(name)) raw.set(name, schema);
    }
    const [group, version] = groupVersion.includes('/') ? groupVersion.split('/') : ['', groupVersion];
    for (const kind of kinds) {
      const name = Object.keys(schemas).find((n) =>
        (schemas[n]['x-kubernetes-group-version-kind'] ?? []).some((g) => g.group === group && g.version === version && g.kind === kind));
      if (!name) throw new Error(`${groupVersion} ${kind}: no definition in ${path}`);
      kindDefs.set(`${groupVersion}\u0000${kind}`, name);
    }
  }

  const kindNames = new Set(kindDefs.values());
  const defs = {};
  const queue = [...kindNames];
  const seen = new Set();
  while (queue.length > 0) {
    const name = queue.shift();
    if (seen.has(name)) continue;
    seen.add(name);
    const upstream = raw.get(name);
    if (!upstream) throw new Error(`unresolved definition ${name}`);
    const def = convertSpecial(name, upstream) ?? convertK8s(upstream, defs);
    def.title = shortName(name);
    if (kindNames.has(name) && def.properties?.status) {
      // Status is written by the cluster; manifests may carry one (exported objects) and it is not checked.
      def.properties.status = { description: def.properties.status.description, type: 'object' };
    }
    const enums = K8S_ENUMS[name];
    if (enums) {
      for (const [prop, values] of Object.entries(enums)) {
        if (!def.properties?.[prop]) throw new Error(`${name}.${prop}: no such property for the enum override`);
        def.properties[prop].enum = ['', ...values];
      }
    }
    defs[name] = orderKeys(def);
    for (const r of refsOf(def)) if (!seen.has(r)) queue.push(r);
  }
  const sorted = Object.fromEntries(Object.keys(defs).sort().map((n) => [n, defs[n]]));
  const schema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'kubernetes.json',
    title: `Kubernetes ${k.version} built-in kinds (strict)`,
    definitions: sorted,
  };
  const index = {};
  for (const [key, name] of kindDefs) {
    const [apiVersion, kind] = key.split('\u0000');
    (index[apiVersion] ??= {})[kind] = `kubernetes.json#/definitions/${name}`;
  }
  return { schema, index, files };
}

/** Definitions whose upstream form is an OpenAPI idiom rather than a plain schema. */
function convertSpecial(name, upstream) {
  const description = upstream.description;
  switch (name) {
    case 'io.k8s.apimachinery.pkg.util.intstr.IntOrString':
      return { description, type: ['integer', 'string'] };
    case 'io.k8s.apimachinery.pkg.api.resource.Quantity':
      return { description, type: ['string', 'number'], pattern: QUANTITY_PATTERN };
    case 'io.k8s.apimachinery.pkg.runtime.RawExtension':
    case 'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1':
      return { description, type: 'object' };
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------
// CRD openAPIV3Schema → strict JSON Schema

const OBJECT_META_REF = 'kubernetes.json#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

function convertCrd(s, isRoot = false) {
  if (s === true || s === false || !s || typeof s !== 'object') return s;
  const out = {};
  if (s.description) out.description = s.description;
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  if (s['x-kubernetes-int-or-string']) {
    out.type = ['integer', 'string'];
  } else if (s.type) {
    out.type = s.type;
  }
  if (s.nullable && out.type) out.type = [...new Set([...(Array.isArray(out.type) ? out.type : [out.type]), 'null'])];
  if (s.format && FORMATS.has(s.format)) out.format = s.format;
  if (s.enum) out.enum = s.enum;
  for (const k of ['pattern', 'minLength', 'maxLength', 'minItems', 'maxItems', 'uniqueItems', 'minProperties', 'maxProperties', 'multipleOf']) {
    if (s[k] !== undefined) out[k] = s[k];
  }
  if (s.minimum !== undefined) {
    if (s.exclusiveMinimum === true) out.exclusiveMinimum = s.minimum;
    else out.minimum = s.minimum;
  }
  if (s.maximum !== undefined) {
    if (s.exclusiveMaximum === true) out.exclusiveMaximum = s.maximum;
    else out.maximum = s.maximum;
  }
  let props = s.properties ? { ...s.properties } : undefined;
  if (s['x-kubernetes-embedded-resource']) {
    props = { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }, ...props };
  }
  if (props) {
    out.properties = {};
    for (const key of Object.keys(props).sort()) {
      if (isRoot && key === 'metadata') out.properties.metadata = { $ref: OBJECT_META_REF };
      else if (isRoot && key === 'status') out.properties.status = { description: props.status.description, type: 'object' };
      else out.properties[key] = convertCrd(props[key]);
    }
  }
  if (s.additionalProperties !== undefined) out.additionalProperties = convertCrd(s.additionalProperties);
  if (s.items) out.items = convertCrd(s.items);
  if (Array.isArray(s.required) && s.required.length > 0) out.required = [...s.required];
  if (!s['x-kubernetes-int-or-string']) {
    for (const k of ['oneOf', 'anyOf', 'allOf']) if (Array.isArray(s[k])) out[k] = s[k].map((x) => convertCrd(x));
    if (s.not) out.not = convertCrd(s.not);
  }
  if (out.properties && out.additionalProperties === undefined && !preserve) out.additionalProperties = false;
  return orderKeys(out);
}

function generateCrds(source) {
  const definitions = {};
  const index = {};
  const files = [];
  const kinds = [];
  for (const file of source.files) {
    const text = gitShow(source.repo, source.commit, file);
    files.push({ path: file, blob: gitBlob(source.repo, source.commit, file) });
    for (const doc of YAML.parseAllDocuments(text)) {
      const crd = doc.toJS();
      if (!crd || crd.kind !== 'CustomResourceDefinition') continue;
      const { group, names } = crd.spec;
      for (const v of crd.spec.versions ?? []) {
        if (!v.served || !v.schema?.openAPIV3Schema) continue;
        const apiVersion = `${group}/${v.name}`;
        const name = `${group}.${v.name}.${names.kind}`;
        const root = convertCrd(v.schema.openAPIV3Schema, true);
        root.title = names.kind;
        root.properties ??= {};
        root.properties.apiVersion ??= { type: 'string' };
        root.properties.kind ??= { type: 'string' };
        root.properties.metadata ??= { $ref: OBJECT_META_REF };
        if (root.additionalProperties === undefined) root.additionalProperties = false;
        definitions[name] = orderKeys(root);
        (index[apiVersion] ??= {})[names.kind] = `${source.id}.json#/definitions/${name}`;
        kinds.push(`${apiVersion} ${names.kind}`);
      }
    }
  }
  const shared = hoistDuplicates(definitions, `${source.id}.json`);
  const schema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `${source.id}.json`,
    title: `${source.title} ${source.tag} CRDs (strict)`,
    definitions: { ...sortKeys(definitions), ...sortKeys(shared) },
  };
  return { schema, index, files, kinds };
}

/**
 * Moves subtrees that occur more than once (Chaos Mesh's Schedule and Workflow embed every experiment's spec)
 * into shared definitions referenced by `$ref`, so the file holds each of them once.
 */
function hoistDuplicates(definitions, fileId) {
  const MIN = 1500;
  const counts = new Map();
  const canon = (node) => JSON.stringify(node);
  /** Calls fn(child schema, name) for each subschema of a schema node (not for maps such as `properties`). */
  const eachChild = (node, name, fn) => {
    const out = { ...node };
    if (node.properties) out.properties = Object.fromEntries(Object.entries(node.properties).map(([k, v]) => [k, fn(v, k)]));
    for (const k of ['items', 'additionalProperties', 'not']) {
      if (node[k] && typeof node[k] === 'object') out[k] = fn(node[k], name);
    }
    for (const k of ['anyOf', 'oneOf', 'allOf']) if (Array.isArray(node[k])) out[k] = node[k].map((x) => fn(x, name));
    return out;
  };
  const count = (node) => {
    if (!node || typeof node !== 'object' || Array.isArray(node)) return node;
    const c = canon(node);
    if (c.length >= MIN) counts.set(c, (counts.get(c) ?? 0) + 1);
    return eachChild(node, '', count);
  };
  for (const def of Object.values(definitions)) eachChild(def, '', count);
  const shared = {};
  const names = new Map();
  let next = 0;
  const replace = (node, name) => {
    if (!node || typeof node !== 'object' || Array.isArray(node)) return node;
    const c = canon(node);
    if (c.length >= MIN && (counts.get(c) ?? 0) > 1) {
      let id = names.get(c);
      if (!id) {
        id = `shared.${String(name).replace(/[^A-Za-z0-9]/g, '') || 'schema'}${++next}`;
        names.set(c, id);
        shared[id] = null;
        shared[id] = eachChild(node, name, replace);
      }
      return { $ref: `${fileId}#/definitions/${id}` };
    }
    return eachChild(node, name, replace);
  };
  for (const [name, def] of Object.entries(definitions)) definitions[name] = eachChild(def, name, replace);
  return shared;
}

// ---------------------------------------------------------------------------------------------------------
// Output

const KEY_ORDER = ['$ref', 'title', 'description', 'type', 'format', 'enum', 'pattern', 'properties', 'additionalProperties', 'items', 'required'];

function orderKeys(o) {
  const keys = Object.keys(o).sort((a, b) => {
    const ia = KEY_ORDER.indexOf(a);
    const ib = KEY_ORDER.indexOf(b);
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b);
  });
  return Object.fromEntries(keys.map((k) => [k, o[k]]));
}

function sortKeys(o) {
  return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
}

function write(rel, data) {
  const path = join(HERE, rel);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, typeof data === 'string' ? data : `${JSON.stringify(data)}\n`);
  return path;
}

function main() {
  const index = {};
  const merge = (part) => {
    for (const [apiVersion, kinds] of Object.entries(part)) Object.assign((index[apiVersion] ??= {}), kinds);
  };
  const k8s = generateKubernetes();
  write('kubernetes.json', k8s.schema);
  merge(k8s.index);
  const crdResults = CRDS.map((source) => {
    const result = generateCrds(source);
    write(`crds/${source.id}.json`, result.schema);
    merge(result.index);
    return { source, ...result };
  });
  const files = { kubernetes: 'kubernetes.json', ...Object.fromEntries(CRDS.map((s) => [s.id, `crds/${s.id}.json`])) };
  write('index.json', `${JSON.stringify({ files, kinds: sortKeys(index) }, null, 2)}\n`);
  write('PROVENANCE.md', provenance(k8s, crdResults));
  const total = Object.values(index).reduce((n, kinds) => n + Object.keys(kinds).length, 0);
  console.log(`wrote ${total} kinds: schemas/kubernetes.json (${Object.keys(k8s.schema.definitions).length} definitions), ${crdResults.map((r) => `crds/${r.source.id}.json`).join(', ')}`);
}

function provenance(k8s, crds) {
  const k = KUBERNETES;
  const lines = [];
  lines.push('# Where the schemas come from');
  lines.push('');
  lines.push('Generated by `node schemas/generate.mjs` (do not edit the JSON files by hand). The script reads the');
  lines.push('upstream files below from local git snapshots of their repositories at the pinned commits and converts');
  lines.push('them into strict JSON Schemas (draft-07): every object that lists its properties rejects unknown fields');
  lines.push('(`additionalProperties: false`), as `kubectl apply` field validation does, except where the upstream');
  lines.push('schema says `x-kubernetes-preserve-unknown-fields`. Conversions: `x-kubernetes-int-or-string` and');
  lines.push('IntOrString → integer or string; Quantity → string (in the quantity syntax) or number; `status` of each');
  lines.push('kind → any object (it is written by the cluster); the metadata of custom resources → ObjectMeta;');
  lines.push('`x-kubernetes-embedded-resource` → apiVersion/kind/metadata allowed; OpenAPI 3.0 `nullable` and boolean');
  lines.push('`exclusiveMinimum`/`exclusiveMaximum` → their JSON Schema forms; `default`, CEL rules and list/map-type');
  lines.push('markers dropped; formats other than int32, int64, date-time and byte dropped. Only the definitions');
  lines.push('reachable from the kinds listed are kept; CRD subtrees that occur more than once are stored once');
  lines.push('(`shared.*` definitions).');
  lines.push('');
  lines.push(`## Kubernetes ${k.version} (schemas/kubernetes.json)`);
  lines.push('');
  lines.push(`- Upstream: \`${k.upstream.repo}\`, branch \`${k.upstream.ref}\`, folder \`${k.upstream.dir}/\` (the OpenAPI v3 document of each group/version).`);
  lines.push(`- Read from: \`${k.snapshot.repo}\` at commit \`${k.snapshot.commit}\` (${gitCommitDate(k.snapshot.repo, k.snapshot.commit)}), folder \`${k.snapshot.dir}/\`, a verbatim copy of that upstream folder at release-1.35 made by its \`download-builtin-schemas\` tool.`);
  lines.push('');
  lines.push('| group/version | upstream file | file read (git blob) | kinds |');
  lines.push('|---|---|---|---|');
  for (const f of k8s.files) {
    lines.push(`| ${f.groupVersion} | \`${f.upstreamPath}\` | \`${f.snapshotPath}\` (\`${f.blob.slice(0, 12)}\`) | ${k.kinds[f.groupVersion].join(', ')} |`);
  }
  lines.push('');
  lines.push('Enumerations that the OpenAPI document states only in prose were added from the API server\'s validation');
  lines.push('(the empty string is accepted too, meaning "unset"):');
  lines.push('');
  for (const [def, props] of Object.entries(K8S_ENUMS)) {
    for (const [prop, values] of Object.entries(props)) lines.push(`- \`${shortName(def)}.${prop}\`: ${values.join(', ')}`);
  }
  lines.push('');
  for (const r of crds) {
    const s = r.source;
    lines.push(`## ${s.title} ${s.tag} (schemas/crds/${s.id}.json)`);
    lines.push('');
    lines.push(`- Repository: \`${s.repo}\`, tag \`${s.tag}\`, commit \`${s.commit}\` (${gitCommitDate(s.repo, s.commit)}).`);
    lines.push(`- Served versions only: ${r.kinds.join(', ')}.`);
    lines.push('');
    lines.push('| file | git blob |');
    lines.push('|---|---|');
    for (const f of r.files) lines.push(`| \`${f.path}\` | \`${f.blob.slice(0, 12)}\` |`);
    lines.push('');
  }
  lines.push('## Regenerating');
  lines.push('');
  lines.push('Bring a snapshot of each repository above into `<dir>/<owner>+<name>/repo` (a bare git directory holding');
  lines.push('the pinned commits), then run `node schemas/generate.mjs --mirrors <dir>`. To move to a newer release, change');
  lines.push('the pinned commits and versions at the top of the script and run it again.');
  lines.push('');
  return lines.join('\n');
}

main();
