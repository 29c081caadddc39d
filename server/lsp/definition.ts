/**
 * Go to definition and find references between the objects that reach workloads (Service/PDB selectors,
 * VPA/HPA target refs, Velero hook selectors, Chaos Mesh selectors) and the workloads they reach; and between
 * the container names VPA policies and Velero hooks write and the containers they name.
 */
import type { Location, ReferenceParams, TextDocumentPositionParams } from 'vscode-languageserver/node';
import { workloadOf, type Workload } from '../engine/model';
import type { NodePath, Resource } from '../engine/resource';
import type { ServerContext } from './context';
import { containersNamed, linksOf, linksTo, type Link } from './links';
import { uriToPath } from './project';
import { locate, type Located } from './yamlPath';

function startsWith(path: readonly (string | number)[], prefix: NodePath): boolean {
  return prefix.length <= path.length && prefix.every((seg, i) => String(seg) === String(path[i]));
}

function samePath(a: readonly (string | number)[], b: NodePath): boolean {
  return a.length === b.length && startsWith(a, b);
}

export function locateAt(ctx: ServerContext, params: TextDocumentPositionParams): Located | undefined {
  const file = uriToPath(params.textDocument.uri);
  if (!file) return undefined;
  ctx.project.flush();
  const parsed = ctx.project.index.file(file);
  return parsed ? locate(parsed, params.position) : undefined;
}

function location(ctx: ServerContext, res: Resource, path: NodePath, part: 'key' | 'value' = 'key'): Location {
  return { uri: ctx.project.uriOf(res.file), range: res.rangeOf(path, part) };
}

/** Where a link's target is best shown: the pod template's labels for selectors, the name for references. */
function targetLocation(ctx: ServerContext, link: Link, w: Workload): Location {
  if (link.kind === 'target-ref') return location(ctx, w.resource, ['metadata', 'name'], 'value');
  return location(ctx, w.resource, w.podLabelsPath, 'key');
}

function containerLocations(ctx: ServerContext, link: Link, name: string): Location[] {
  const out: Location[] = [];
  for (const w of link.targets) {
    const named = name === '*' ? [...w.containers] : containersNamed(w, name);
    for (const c of named) out.push(location(ctx, w.resource, [...c.path, 'name'], 'value'));
  }
  return out;
}

export function definition(ctx: ServerContext, params: TextDocumentPositionParams): Location[] {
  const at = locateAt(ctx, params);
  if (!at) return [];
  const index = ctx.project.index;
  const links = linksOf(index, at.resource);
  for (const link of links) {
    const c = link.containers.find((x) => samePath(at.path, x.path));
    if (c) return containerLocations(ctx, link, c.name);
  }
  for (const link of links) {
    if (startsWith(at.path, link.path)) return dedupe(link.targets.map((w) => targetLocation(ctx, link, w)));
  }
  return [];
}

export function references(ctx: ServerContext, params: ReferenceParams): Location[] {
  const at = locateAt(ctx, params);
  if (!at) return [];
  const index = ctx.project.index;
  const includeDeclaration = params.context?.includeDeclaration ?? true;
  const w = workloadOf(at.resource);
  if (w) {
    // On a container's name: the policies and hooks that name it.
    const container = [...w.containers, ...w.initContainers].find((c) => samePath(at.path, [...c.path, 'name']));
    if (container) {
      const out: Location[] = includeDeclaration ? [location(ctx, w.resource, [...container.path, 'name'], 'value')] : [];
      for (const link of linksTo(index, w)) {
        for (const c of link.containers) if (c.name === container.name) out.push(location(ctx, link.from, c.path, 'value'));
      }
      return dedupe(out);
    }
    const out: Location[] = includeDeclaration ? [location(ctx, w.resource, ['metadata', 'name'], 'value')] : [];
    for (const link of linksTo(index, w)) out.push(location(ctx, link.from, link.path, 'key'));
    return dedupe(out);
  }
  for (const link of linksOf(index, at.resource)) {
    const c = link.containers.find((x) => samePath(at.path, x.path));
    if (c) {
      const out = includeDeclaration ? [location(ctx, link.from, c.path, 'value')] : [];
      return dedupe([...out, ...containerLocations(ctx, link, c.name)]);
    }
    if (startsWith(at.path, link.path)) {
      const out = includeDeclaration ? [location(ctx, link.from, link.path, 'key')] : [];
      return dedupe([...out, ...link.targets.map((t) => targetLocation(ctx, link, t))]);
    }
  }
  return [];
}

function dedupe(list: Location[]): Location[] {
  const seen = new Set<string>();
  return list.filter((l) => {
    const key = `${l.uri}#${l.range.start.line}:${l.range.start.character}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
