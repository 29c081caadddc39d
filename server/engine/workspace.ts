import * as path from 'node:path';
import { dependOn, WORKLOADS_BY_NAMESPACE } from './deps';
import { workloadOf, type Workload } from './model';
import { parseFile, type ParsedFile } from './parse';
import type { Resource } from './resource';

/** Kinds that live outside namespaces: their identity is kind/name only. */
export const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition',
  'StorageClass', 'PriorityClass', 'RuntimeClass', 'IngressClass', 'CSIDriver', 'CSINode', 'VolumeAttachment',
  'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding', 'APIService', 'ClusterIssuer', 'VolumeSnapshotClass', 'PodSecurityPolicy',
  'ClusterRoleBindingList', 'FlowSchema', 'PriorityLevelConfiguration', 'CertificateSigningRequest',
]);

export interface IndexOptions {
  /** Namespace for objects that name none and no kustomization sets one (Kubernetes: `default`). */
  defaultNamespace?: string;
}

/**
 * Every parsed file of a workspace and every Kubernetes object in it. Files are replaced one at a time
 * (the language server calls setFile on each keystroke); derived views are rebuilt lazily on first use.
 */
export class WorkspaceIndex {
  private readonly entries = new Map<string, ParsedFile>();
  private flat: Resource[] | undefined;
  private kinds: Map<string, Resource[]> | undefined;
  private workloadList: Workload[] | undefined;
  private nsResolved = false;
  /** Each file's place in the index order (files keep theirs when replaced; a file added again goes last). */
  private readonly seqs = new Map<string, number>();
  private nextSeq = 0;
  /** The file changed at each recent generation (null: namespaces changed, everything may differ). */
  private journal: Array<{ generation: number; file: string | null }> = [];
  /** Generations up to this one are no longer in the journal. */
  private journalFloor = 0;
  /** Increments on every change; caches compare it. */
  generation = 0;
  /** Increments when namespaces may have changed for files other than the one edited (a kustomization changed). */
  namespaceGeneration = 0;

  constructor(private options: IndexOptions = {}) {}

  setOptions(options: IndexOptions): void {
    this.options = options;
    this.invalidate(true, null);
  }

  setFile(file: string, text: string): ParsedFile {
    const abs = path.resolve(file);
    const previous = this.entries.get(abs);
    const parsed = parseFile(abs, text);
    if (!previous) this.seqs.set(abs, this.nextSeq++);
    this.entries.set(abs, parsed);
    this.invalidate(Boolean(parsed.kustomization || previous?.kustomization), abs);
    if (!this.nsResolved) return parsed;
    for (const r of parsed.resources) r.namespace = this.namespaceFor(r);
    return parsed;
  }

  removeFile(file: string): boolean {
    const abs = path.resolve(file);
    const previous = this.entries.get(abs);
    if (!previous) return false;
    this.entries.delete(abs);
    this.seqs.delete(abs);
    this.invalidate(Boolean(previous.kustomization), abs);
    return true;
  }

  /** A file's place in the index order: files() and resources() list files by increasing seq. */
  seqOf(file: string): number | undefined {
    return this.seqs.get(file);
  }

  /**
   * The files changed since a generation (each once), or undefined when that is not known any more or namespaces
   * changed meanwhile (then everything may differ).
   */
  changesSince(generation: number): string[] | undefined {
    if (generation === this.generation) return [];
    if (generation < this.journalFloor || generation > this.generation) return undefined;
    const files = new Set<string>();
    for (let i = this.journal.length - 1; i >= 0 && this.journal[i].generation > generation; i--) {
      const f = this.journal[i].file;
      if (f === null) return undefined;
      files.add(f);
    }
    return [...files];
  }

  /** Gives every resource the namespace Kubernetes would (done before rules read them; cheap when nothing changed). */
  resolve(): void {
    this.resolveNamespaces();
  }

  file(file: string): ParsedFile | undefined {
    const found = this.entries.get(file) ?? this.entries.get(path.resolve(file));
    dependOn(`file:${found?.file ?? path.resolve(file)}`);
    return found;
  }

  files(): IterableIterator<ParsedFile> {
    dependOn('*');
    return this.entries.values();
  }

  get fileCount(): number {
    return this.entries.size;
  }

  resources(): Resource[] {
    dependOn('*');
    return this.allResources();
  }

  private allResources(): Resource[] {
    this.resolveNamespaces();
    if (!this.flat) {
      this.flat = [];
      for (const f of this.entries.values()) for (const r of f.resources) this.flat.push(r);
    }
    return this.flat;
  }

  byKind(kind: string): Resource[] {
    dependOn(`kind:${kind}`);
    return this.ofKind(kind);
  }

  private ofKind(kind: string): Resource[] {
    if (!this.kinds) {
      this.kinds = new Map();
      for (const r of this.allResources()) {
        let list = this.kinds.get(r.kind);
        if (!list) this.kinds.set(r.kind, (list = []));
        list.push(r);
      }
    }
    return this.kinds.get(kind) ?? [];
  }

  find(kind: string, namespace: string, name: string): Resource | undefined {
    dependOn(`obj:${kind}|${namespace}|${name}`);
    return this.ofKind(kind).find((r) => r.name === name && r.namespace === namespace);
  }

  workloads(): Workload[] {
    dependOn('workloads');
    return this.allWorkloads();
  }

  private allWorkloads(): Workload[] {
    if (!this.workloadList) {
      this.workloadList = [];
      for (const r of this.allResources()) {
        const w = workloadOf(r);
        if (w) this.workloadList.push(w);
      }
    }
    return this.workloadList;
  }

  /** The workloads of one namespace, in index order. */
  workloadsIn(namespace: string): Workload[] {
    return WORKLOADS_BY_NAMESPACE.get(this, namespace).slice();
  }

  private invalidate(namespacesChanged: boolean, file: string | null): void {
    this.generation++;
    this.journal.push({ generation: this.generation, file: namespacesChanged ? null : file });
    if (this.journal.length > 4096) {
      const dropped = this.journal.splice(0, 2048);
      this.journalFloor = dropped[dropped.length - 1].generation;
    }
    this.flat = undefined;
    this.kinds = undefined;
    this.workloadList = undefined;
    if (namespacesChanged) {
      this.nsResolved = false;
      this.namespaceGeneration++;
    }
  }

  private resolveNamespaces(): void {
    if (this.nsResolved) return;
    for (const f of this.entries.values()) for (const r of f.resources) r.namespace = this.namespaceFor(r);
    this.nsResolved = true;
  }

  private namespaceFor(r: Resource): string {
    if (CLUSTER_SCOPED_KINDS.has(r.kind)) return '';
    if (r.declaredNamespace) return r.declaredNamespace;
    return this.kustomizationNamespace(r.file) ?? this.options.defaultNamespace ?? 'default';
  }

  /** The namespace set by the nearest kustomization that lists this file or one of its folders. */
  private kustomizationNamespace(file: string): string | undefined {
    for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
      for (const name of ['kustomization.yaml', 'kustomization.yml', 'Kustomization']) {
        const k = this.entries.get(path.join(dir, name))?.kustomization;
        if (!k) continue;
        const listed = k.resources.some((entry) => {
          const target = path.resolve(dir, entry);
          return target === file || file.startsWith(target + path.sep);
        });
        if (listed && k.namespace) return k.namespace;
      }
      if (path.dirname(dir) === dir) return undefined;
    }
  }
}
