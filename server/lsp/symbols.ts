/** Document and workspace symbols: one per Kubernetes object (`Deployment production/task-api`), containers below. */
import {
  SymbolKind,
  type DocumentSymbol,
  type DocumentSymbolParams,
  type SymbolInformation,
  type WorkspaceSymbol,
  type WorkspaceSymbolParams,
} from 'vscode-languageserver/node';
import { workloadOf } from '../engine/model';
import type { Resource } from '../engine/resource';
import type { ServerContext } from './context';
import { uriToPath } from './project';

/** How a resource is named in symbol lists, as people write it. */
export function symbolName(res: Resource): string {
  const name = res.name || '<unnamed>';
  return res.namespace ? `${res.kind} ${res.namespace}/${name}` : `${res.kind} ${name}`;
}

function symbolKind(res: Resource): SymbolKind {
  if (workloadOf(res)) return SymbolKind.Class;
  if (res.kind === 'Service' || res.kind === 'Ingress') return SymbolKind.Interface;
  if (res.kind === 'ConfigMap' || res.kind === 'Secret') return SymbolKind.Object;
  if (res.kind === 'Namespace') return SymbolKind.Namespace;
  return SymbolKind.Struct;
}

function resourceSymbol(res: Resource): DocumentSymbol {
  const range = res.range;
  const selectionRange = res.name ? res.rangeOf(['metadata', 'name']) : res.anchorRange();
  const children: DocumentSymbol[] = [];
  const w = workloadOf(res);
  if (w) {
    for (const c of [...w.initContainers, ...w.containers]) {
      const nameRange = res.rangeOf([...c.path, 'name']);
      const l = res.lookup(c.path);
      const whole = l.node?.range ? res.nodeRange(l.node) : nameRange;
      children.push({
        name: c.name || '<unnamed>',
        detail: c.init ? 'init container' : 'container',
        kind: SymbolKind.Field,
        range: whole,
        selectionRange: nameRange,
      });
    }
  }
  return { name: symbolName(res), detail: res.apiVersion, kind: symbolKind(res), range, selectionRange, children };
}

export function documentSymbols(ctx: ServerContext, params: DocumentSymbolParams): DocumentSymbol[] | SymbolInformation[] {
  const file = uriToPath(params.textDocument.uri);
  if (!file) return [];
  ctx.project.flush();
  const parsed = ctx.project.index.file(file);
  if (!parsed) return [];
  ctx.project.index.resources(); // resolves namespaces
  const symbols = parsed.resources.map(resourceSymbol);
  if (ctx.features.hierarchicalSymbols) return symbols;
  const uri = params.textDocument.uri;
  return symbols.map((s) => ({ name: s.name, kind: s.kind, location: { uri, range: s.range } }));
}

/** Case-insensitive subsequence match, as editors filter symbol lists. */
export function fuzzyMatch(query: string, name: string): boolean {
  const q = query.toLowerCase().replace(/\s+/g, '');
  const n = name.toLowerCase();
  let i = 0;
  for (const ch of n) {
    if (i < q.length && ch === q[i]) i++;
  }
  return i === q.length;
}

export const MAX_WORKSPACE_SYMBOLS = 500;

export function workspaceSymbols(ctx: ServerContext, params: WorkspaceSymbolParams): WorkspaceSymbol[] {
  ctx.project.flush();
  const out: WorkspaceSymbol[] = [];
  for (const res of ctx.project.index.resources()) {
    const name = symbolName(res);
    if (!fuzzyMatch(params.query, name)) continue;
    out.push({
      name,
      kind: symbolKind(res),
      containerName: ctx.project.relative(res.file),
      location: { uri: ctx.project.uriOf(res.file), range: res.name ? res.rangeOf(['metadata', 'name']) : res.anchorRange() },
    });
    if (out.length >= MAX_WORKSPACE_SYMBOLS) break;
  }
  return out;
}
