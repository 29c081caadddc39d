/**
 * Memory of a long-running server. The first lint of a large workspace needs every file's syntax tree and allocates
 * hundreds of MB of short-lived objects; V8 keeps the heap it grew to and an idle server never shrinks it. So after
 * a pass over much of the workspace the server keeps only the syntax trees of the files used last (the others are
 * parsed again when a hover, a fix or a range needs them) and runs one compacting collection, which gives the pages
 * back to the system.
 */
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { setSyntaxTreeLimit } from '../engine/resource';
import type { WorkspaceIndex } from '../engine/workspace';

/** Files whose syntax trees stay in memory after the first lint (the most recently used). */
export const SYNTAX_TREES_KEPT = 256;

let collect: (() => void) | null | undefined;
let timer: NodeJS.Timeout | undefined;

function gcFunction(): (() => void) | null {
  if (collect === undefined) {
    const exposed = (globalThis as { gc?: () => void }).gc;
    if (typeof exposed === 'function') collect = exposed;
    else {
      try {
        v8.setFlagsFromString('--expose-gc');
        collect = vm.runInNewContext('gc') as () => void;
      } catch {
        collect = null;
      }
    }
  }
  return collect;
}

/** One compacting collection (the heap is moved together so that whole pages can be returned). */
function compact(): void {
  const gc = gcFunction();
  if (!gc) return;
  try {
    v8.setFlagsFromString('--compact-on-every-full-gc');
    gc();
  } finally {
    v8.setFlagsFromString('--no-compact-on-every-full-gc');
  }
}

/** Quiet time before the compacting collection (it pauses the server for 100-200 ms in a large workspace). */
const QUIET_MS = 1500;

function arm(): void {
  if (timer) clearTimeout(timer);
  timer = setTimeout(() => {
    timer = undefined;
    compact();
  }, QUIET_MS);
  timer.unref();
}

/** After a pass over much of the workspace: keep few syntax trees, and compact the heap once the user pauses. */
export function afterLargePass(index: WorkspaceIndex): void {
  setSyntaxTreeLimit(SYNTAX_TREES_KEPT);
  for (const parsed of index.files()) for (const r of parsed.resources) r.releaseSyntaxTree();
  arm();
}

/** The user is typing: a pending compaction waits until they pause. */
export function postponeCompaction(): void {
  if (timer) arm();
}
