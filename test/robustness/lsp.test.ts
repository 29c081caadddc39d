/**
 * The language server's resilience, over stdio: a rule that crashes is one diagnostic (in a test build that makes
 * two rules throw), long requests can be cancelled, hostile files in the workspace and in the editor are answered,
 * and positions past the end of a line are read as its end.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { FileChangeType, LSPErrorCodes } from 'vscode-languageserver-protocol/node';
import type { CompletionList } from 'vscode-languageserver-protocol/node';
import { CancellationTokenSource, copyFixture, ROOT, TestClient } from '../lsp/harness';
import { rangeProblem } from '../fuzz/corpus';
import { withTimeout } from '../fuzz/lsp-fuzz';
import { caseNamed } from './hostile-inputs';

const DEPLOYMENT = 'task-api-deployment.yaml';

/** Starts a server with extra environment (set for the child only while it is spawned). */
async function startWith(env: Record<string, string>, folder: string): Promise<TestClient> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return await TestClient.start({ folder });
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

describe('a rule that crashes (test build with an injected fault)', () => {
  let c: TestClient;
  before(async () => {
    // --require (not --import): NODE_OPTIONS also reaches tsx's loader thread, which must not load TypeScript itself.
    const tsx = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cjs', 'index.cjs');
    const preload = path.join(ROOT, 'test', 'robustness', 'inject-crash.ts');
    c = await startWith({ OPEX_LSP_SERVER: 'source', NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${tsx} --require ${preload}`.trim() }, copyFixture());
    await c.ready();
  });
  after(() => c.stop());

  it('is one internal-error diagnostic on the file; the other rules still report, the server still answers', async () => {
    await c.open(DEPLOYMENT);
    // Crash both rules on this file, and make another rule fire so that we see the others still run.
    await c.replace(DEPLOYMENT, '  namespace: production\n', '  namespace: production\n  annotations:\n    opex-test/crash: "yes"\n');
    await c.replace(DEPLOYMENT, '        cost-center: engineering\n', '', '  template:');
    const list = await c.waitForDiagnostics(DEPLOYMENT, 'an internal error', (d) => d.some((x) => x.code === 'internal-error') && d.some((x) => x.code === 'cost-labels-missing'));
    const internal = list.filter((d) => d.code === 'internal-error');
    assert.equal(internal.length, 2, internal.map((d) => d.message).join('\n'));
    assert.match(internal[0].message, /^opex rule (label-syntax|selector-overlap) failed on this file and was skipped: injected crash in \1\. Please report this with the file attached\.$/);
    assert.equal(internal[0].codeDescription, undefined, 'no docs link for internal errors');
    const symbols = await c.request<unknown[]>('textDocument/documentSymbol', { textDocument: { uri: c.uri(DEPLOYMENT) } });
    assert.ok(symbols.length > 0, 'the server still answers');
    assert.equal(c.proc.exitCode, null);
    // Once the trigger is gone, so is the internal error.
    await c.replace(DEPLOYMENT, '  annotations:\n    opex-test/crash: "yes"\n', '');
    await c.waitForDiagnostics(DEPLOYMENT, 'no internal error', (d) => !d.some((x) => x.code === 'internal-error'));
  });
});

describe('cancellation and positions', () => {
  let c: TestClient;
  let folder: string;
  before(async () => {
    folder = copyFixture();
    // Enough files that a rescan takes a while.
    const deployment = fs.readFileSync(path.join(folder, DEPLOYMENT), 'utf8');
    fs.mkdirSync(path.join(folder, 'many'));
    for (let i = 0; i < 1500; i++) fs.writeFileSync(path.join(folder, 'many', `d${i}.yaml`), deployment.replaceAll('task-api', `app-${i}`));
    c = await TestClient.start({ folder });
    await c.ready();
  });
  after(() => c.stop());

  it('a rescan of the workspace (opex/lintWorkspace) cancelled at once is answered as cancelled, and the server goes on', async () => {
    const token = new CancellationTokenSource();
    const pending = c.request('opex/lintWorkspace', {}, token);
    token.cancel();
    await assert.rejects(pending, (e: { code?: number }) => e.code === LSPErrorCodes.RequestCancelled);
    const symbols = await withTimeout(c.request<unknown[]>('textDocument/documentSymbol', { textDocument: { uri: c.uri(DEPLOYMENT) } }), 10_000, 'documentSymbol');
    assert.ok(symbols.length > 0);
    const totals = await withTimeout(c.request<{ files: number }>('opex/lintWorkspace', { rescan: false }), 60_000, 'lintWorkspace');
    assert.ok(totals.files > 1500);
  });

  it('completion at a character past the end of its line answers with an edit inside the line', async () => {
    await c.open('fresh.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\n  labels:\n    ap\n');
    const list = await c.request<CompletionList | null>('textDocument/completion', { textDocument: { uri: c.uri('fresh.yaml') }, position: { line: 5, character: 80 } });
    for (const item of list?.items ?? []) {
      const range = (item.textEdit as { range: { start: { line: number; character: number }; end: { line: number; character: number } } } | undefined)?.range;
      if (range) assert.equal(rangeProblem(c.text('fresh.yaml'), range), undefined, item.label);
    }
  });
});

/** Peak resident memory of a process (Linux), in MB. */
function peakRssMB(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : -1;
}

describe('hostile files in the workspace and in the editor', () => {
  let c: TestClient;
  let folder: string;
  let readyMs = 0;
  before(async () => {
    folder = copyFixture();
    const put = (name: string, data: string | Buffer) => fs.writeFileSync(path.join(folder, name), data);
    for (const name of ['binary', 'invalid-utf8', 'alias-bomb', 'merge-bomb', 'nesting-flow-10k', 'nesting-seq-10k', 'nesting-block-10k', 'line-1mb-flow', '10mb-distinct']) put(`${name}.yaml`, caseNamed(name).make());
    const fd = fs.openSync(path.join(folder, 'huge.yaml'), 'w');
    fs.ftruncateSync(fd, 17 * 1024 * 1024);
    fs.closeSync(fd);
    execFileSync('mkfifo', [path.join(folder, 'pipe.yaml')]);
    fs.symlinkSync('/dev/zero', path.join(folder, 'zero.yaml'));
    fs.symlinkSync('.', path.join(folder, 'loop'));
    fs.symlinkSync('self.yaml', path.join(folder, 'self.yaml'));
    const t0 = Date.now();
    c = await TestClient.start({ folder });
    await c.ready();
    readyMs = Date.now() - t0;
  });
  after(() => c.stop());

  it('indexes the workspace within bounds: hostile files get their diagnostics, special files and loops are skipped', () => {
    const has = (file: string, re: RegExp) => (c.diags(file) ?? []).some((d) => re.test(d.message));
    assert.ok(has('binary.yaml', /not a text file/));
    assert.ok(has('invalid-utf8.yaml', /not valid UTF-8/));
    assert.ok(has('alias-bomb.yaml', /expanded at most 1000 times/));
    assert.ok(has('nesting-flow-10k.yaml', /nests maps and lists too deeply/));
    assert.ok(has('nesting-block-10k.yaml', /nests maps and lists too deeply/));
    assert.deepEqual(c.diags('huge.yaml'), [], 'over 16 MB: not read');
    for (const f of ['pipe.yaml', 'zero.yaml', 'self.yaml']) assert.equal(c.diagnostics.has(c.uri(f)), false, f);
    assert.ok(![...c.diagnostics.keys()].some((u) => u.includes('/loop/')), 'the symlink loop was not followed');
    assert.equal(c.logs.filter((l) => /failed|unexpected error/i.test(l)).length, 0, c.logs.join('\n'));
    assert.ok(readyMs < 90_000, `indexed in ${readyMs} ms`);
    const rss = peakRssMB(c.proc.pid!);
    assert.ok(rss > 0 && rss < 1500, `peak RSS ${rss} MB`);
  });

  it('every hostile document opened in the editor is answered: hover, completion, symbols, code actions', async () => {
    for (const name of ['binary', 'invalid-utf8', 'alias-bomb', 'nesting-flow-10k', 'nesting-seq-10k', 'line-1mb-flow']) {
      const rel = `${name}.yaml`;
      await c.open(rel, fs.readFileSync(path.join(folder, rel), 'utf8'));
      for (const position of [{ line: 0, character: 0 }, { line: 5, character: 3 }, { line: 5, character: 100_000 }]) {
        for (const method of ['hover', 'completion', 'definition']) {
          await withTimeout(c.request(`textDocument/${method}`, { textDocument: { uri: c.uri(rel) }, position }), 20_000, `${method} in ${rel}`);
        }
        await withTimeout(c.request('textDocument/codeAction', { textDocument: { uri: c.uri(rel) }, range: { start: position, end: position }, context: { diagnostics: [] } }), 20_000, `codeAction in ${rel}`);
      }
      await withTimeout(c.request('textDocument/documentSymbol', { textDocument: { uri: c.uri(rel) } }), 20_000, `symbols in ${rel}`);
      await c.close(rel);
    }
    assert.equal(c.logs.filter((l) => /failed|unexpected error/i.test(l)).length, 0, c.logs.join('\n'));
    assert.equal(c.proc.exitCode, null);
  });

  it('FIFOs that appear in the workspace do not block the server\'s file reads; files deleted before they are read are dropped', async () => {
    const fifos = [1, 2, 3, 4, 5].map((i) => path.join(folder, `late-pipe-${i}.yaml`));
    for (const f of fifos) execFileSync('mkfifo', [f]);
    // One event each: handled concurrently, each blocked open would hold one of libuv's 4 threads.
    for (const f of fifos) await c.filesChanged([{ uri: pathToFileURL(f).href, type: FileChangeType.Created }]);
    // A file announced and deleted at once (read after it is gone), then a real one: the real one must be read.
    const gone = path.join(folder, 'gone.yaml');
    fs.writeFileSync(gone, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: gone}\n');
    await c.filesChanged([{ uri: pathToFileURL(gone).href, type: FileChangeType.Created }]);
    fs.rmSync(gone);
    const real = path.join(folder, 'after-pipes.yaml');
    fs.writeFileSync(real, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: [unclosed\n');
    await c.filesChanged([{ uri: pathToFileURL(real).href, type: FileChangeType.Created }]);
    await c.waitForDiagnostics('after-pipes.yaml', 'the file created after the FIFOs is read', (d) => d.some((x) => x.code === 'yaml-syntax'));
    assert.equal(c.diagnostics.get(c.uri('gone.yaml'))?.length ?? 0, 0);
  });
});
