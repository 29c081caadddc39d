/**
 * One JSON Schema (draft-07) for every kind opex validates, built from the project's own schemas (schemas/index.json,
 * kubernetes.json and the CRD schemas): each document is checked against its kind's definition, chosen by apiVersion
 * and kind with if/then. Given to yaml-language-server in the LSP benchmark (`yaml.schemas`), so that both servers
 * validate the same workspace against the same, local schemas.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const SCHEMAS = path.resolve(__dirname, '..', 'schemas');

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** `file.json#/definitions/x` and `#/definitions/x` both become `#/definitions/x` (all definitions live in one file). */
function localRefs(node: Json): Json {
  if (Array.isArray(node)) return node.map(localRefs);
  if (node && typeof node === 'object') {
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(node)) out[k] = k === '$ref' && typeof v === 'string' ? v.slice(v.indexOf('#')) : localRefs(v);
    return out;
  }
  return node;
}

export function kubernetesSchema(): Record<string, Json> {
  const index = JSON.parse(fs.readFileSync(path.join(SCHEMAS, 'index.json'), 'utf8')) as { files: Record<string, string>; kinds: Record<string, Record<string, string>> };
  const definitions: Record<string, Json> = {};
  for (const file of Object.values(index.files)) {
    const schema = JSON.parse(fs.readFileSync(path.join(SCHEMAS, file), 'utf8')) as { definitions: Record<string, Json> };
    for (const [name, def] of Object.entries(schema.definitions)) definitions[name] = localRefs(def);
  }
  const allOf: Json[] = [];
  for (const [apiVersion, kinds] of Object.entries(index.kinds)) {
    for (const [kind, ref] of Object.entries(kinds)) {
      allOf.push({
        if: { properties: { apiVersion: { const: apiVersion }, kind: { const: kind } }, required: ['apiVersion', 'kind'] },
        then: { $ref: ref.slice(ref.indexOf('#')) },
      });
    }
  }
  return { $schema: 'http://json-schema.org/draft-07/schema#', title: 'Kubernetes objects (opex schemas)', allOf, definitions };
}

export function writeKubernetesSchema(file: string): string {
  fs.writeFileSync(file, JSON.stringify(kubernetesSchema()));
  return file;
}
