/**
 * The panel's document and its Content-Security-Policy, the manifest entries of the view, the bundle's inputs,
 * and a type check of the page script (it is compiled with DOM types, outside the root tsconfig).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { contentSecurityPolicy, nonceFrom, panelHtml } from '../../client/panel/html';
import { emptyState } from '../../client/panel/model';
import { VERIFY_COMMANDS, VIEW_CONTAINER_ID, VIEW_ID } from '../../client/panel/text';
import { fixtureState, ROOT } from './preview';

const ASSETS = {
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  script: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/panel/panel.js',
  style: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/panel/panel.css',
  codicons: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/panel/codicon.css',
};

function csp(html: string): Map<string, string[]> {
  const m = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html);
  assert.ok(m, 'a CSP meta tag');
  const policy = m[1].replace(/&#39;/g, "'").replace(/&quot;/g, '"');
  return new Map(policy.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
}

describe('Content-Security-Policy', () => {
  const nonce = nonceFrom(randomBytes(18));
  const html = panelHtml(ASSETS, nonce, fixtureState(), new Set(['SC-008']));
  const policy = csp(html);

  it('denies everything by default and allows scripts only with the nonce', () => {
    assert.deepEqual(policy.get('default-src'), ["'none'"]);
    assert.deepEqual(policy.get('script-src'), [`'nonce-${nonce}'`]);
    assert.deepEqual(policy.get('style-src'), [ASSETS.cspSource, `'nonce-${nonce}'`]);
    assert.deepEqual(policy.get('font-src'), [ASSETS.cspSource]);
    assert.deepEqual(policy.get('base-uri'), ["'none'"]);
    assert.deepEqual(policy.get('form-action'), ["'none'"]);
    assert.equal(policy.has('connect-src'), false, 'the page fetches nothing');
  });

  it('has no unsafe-inline, unsafe-eval, wildcard or remote source', () => {
    const all = [...policy.values()].flat();
    for (const v of all) {
      assert.doesNotMatch(v, /unsafe-(inline|eval|hashes)|wasm-unsafe-eval/, v);
      assert.notEqual(v, '*');
      assert.ok(!/^(https?:|data:|blob:|\*)/.test(v) || v === ASSETS.cspSource, `remote or broad source ${v}`);
    }
    // Outside the policy too: nothing in the page points at http(s) except the webview's own resource origin.
    const urls = [...html.matchAll(/(?:src|href)="([^"#][^"]*)"/g)].map((m) => m[1]);
    assert.deepEqual(urls.filter((u) => !u.startsWith(`${ASSETS.cspSource}/`)), []);
    assert.equal(urls.length, 3, 'the script, the page CSS and the codicons');
  });

  it('gives the nonce to every script and stylesheet, and has no inline script or style', () => {
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.equal(scripts.length, 1);
    assert.match(scripts[0][1], new RegExp(`nonce="${nonce}" src="${ASSETS.script.replace(/[.+]/g, '\\$&')}"`));
    assert.equal(scripts[0][2], '', 'no inline script');
    const links = [...html.matchAll(/<link rel="stylesheet"[^>]*>/g)].map((m) => m[0]);
    assert.equal(links.length, 2);
    for (const l of links) assert.match(l, new RegExp(`nonce="${nonce}"`));
    assert.match(links[0], /id="vscode-codicon-stylesheet"/, 'vscode-icon finds the codicons by this id');
    assert.doesNotMatch(html, /<style/);
    assert.doesNotMatch(html, /\sstyle="/);
    assert.doesNotMatch(html, /\son[a-z]+="/i);
  });

  it('draws the first paint from the state (the open rows included)', () => {
    assert.match(html, /<details class="row status-fail" data-id="SC-008" open>/);
    assert.match(panelHtml(ASSETS, nonce, emptyState(false)), /Live checks are off in Restricted Mode/);
  });

  it('uses a fresh, well-formed nonce each time and refuses a weak one', () => {
    const a = nonceFrom(randomBytes(18));
    const b = nonceFrom(randomBytes(18));
    assert.notEqual(a, b);
    assert.match(a, /^[A-Za-z0-9_-]{24}$/);
    assert.throws(() => nonceFrom(randomBytes(8)), /at least 16 random bytes/);
    assert.throws(() => panelHtml(ASSETS, 'abc', emptyState(true)), /invalid nonce/);
    assert.throws(() => panelHtml(ASSETS, `${a}" onload="x`, emptyState(true)), /invalid nonce/);
    assert.equal(contentSecurityPolicy('vscode-resource:', a).includes(`'nonce-${a}'`), true);
  });
});

describe('manifest and bundle', () => {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

  it('puts the panel in its own activity-bar container', () => {
    const container = pkg.contributes.viewsContainers.activitybar.find((c: any) => c.id === VIEW_CONTAINER_ID);
    assert.ok(container, 'an activity bar container "opex"');
    assert.equal(container.icon, 'dist/panel/opex.svg');
    assert.deepEqual(pkg.contributes.views[VIEW_CONTAINER_ID].map((v: any) => [v.type, v.id]), [['webview', VIEW_ID]]);
    assert.ok(existsSync(path.join(ROOT, 'client', 'panel', 'media', 'opex.svg')), 'the icon the build copies');
  });

  it('contributes the verify commands, and the view title actions', () => {
    const titles = Object.fromEntries(pkg.contributes.commands.map((c: any) => [c.command, `${c.category}: ${c.title}`]));
    assert.equal(titles[VERIFY_COMMANDS.verify], 'opex: Verify against cluster');
    assert.equal(titles[VERIFY_COMMANDS.verifyOne], 'opex: Verify one criterion…');
    for (const id of Object.values(VERIFY_COMMANDS)) assert.ok(titles[id], `${id} is contributed`);
    const actions = pkg.contributes.menus['view/title'].filter((m: any) => m.when.includes(`view == ${VIEW_ID}`)).map((m: any) => m.command);
    assert.deepEqual(actions.sort(), [VERIFY_COMMANDS.verify, VERIFY_COMMANDS.cancel, VERIFY_COMMANDS.exportReport, VERIFY_COMMANDS.refresh].sort());
  });

  it('bundles the page, its CSS and the codicons from local files only', async () => {
    const { panelOptions } = (await import(path.join(ROOT, 'scripts', 'build-panel.mjs'))) as { panelOptions: (p?: boolean) => any };
    const options = panelOptions(true);
    assert.equal(options.outdir, 'dist/panel');
    assert.equal(options.platform, 'browser');
    for (const e of options.entryPoints) assert.ok(existsSync(path.join(ROOT, e.in)), e.in);
    assert.ok(options.entryPoints.some((e: any) => e.in.endsWith('@vscode/codicons/dist/codicon.css')));
    const css = readFileSync(path.join(ROOT, 'client', 'panel', 'page', 'panel.css'), 'utf8');
    assert.doesNotMatch(css, /@import|url\(/, 'the page CSS loads nothing');
    assert.doesNotMatch(css, /#[0-9a-f]{3,8}\s*;/i, 'colours come from theme variables (hex only as fallbacks)');
  });

  it('type-checks the page script with DOM types', () => {
    const tsc = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(ROOT, 'client', 'panel', 'page')], { encoding: 'utf8' });
    assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
  });
});
