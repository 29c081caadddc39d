/**
 * The client's plain parts without VS Code: the documents it serves, how it starts the server, and the extension
 * manifest (package.json) against what the client registers and the server reads.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { COMMANDS, DEBUG_PORT, DOCUMENT_SELECTOR, MARKDOWN_SPEC_GLOB, SERVER_MODULE, serverOptions, SETTING_KEYS, settingDefault } from '../../client/config';
import { VERIFY_COMMANDS } from '../../client/panel/text';
import { isSpecFile } from '../../server/engine/spec/specs';
import { normalizeSettings } from '../../server/lsp/workspace';
import { DEFAULT_SETTINGS } from '../../server/protocol';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const minimatch: (file: string, glob: string, opts?: object) => boolean = require('minimatch');

const ROOT = path.resolve(__dirname, '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

describe('client: documents and server', () => {
  it('serves YAML files and markdown specs on disk', () => {
    assert.deepEqual(DOCUMENT_SELECTOR, [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'file', language: 'markdown', pattern: MARKDOWN_SPEC_GLOB },
    ]);
  });

  it('the markdown spec pattern matches exactly the markdown specs the engine reads', () => {
    const names = ['task-api-opex-spec.md', 'opex-spec.md', 'services/order-service-opex-spec.md', 'README.md', 'opex-spec.md.bak', 'notes.md', 'myopex-spec.md', 'x/opex.md'];
    for (const name of names) {
      const abs = `/w/${name}`;
      assert.equal(minimatch(abs, MARKDOWN_SPEC_GLOB, { dot: true }), isSpecFile(abs), name);
    }
  });

  it('starts the bundled server over IPC, with an inspector under the debugger', () => {
    const opts = serverOptions('/ext/dist/server.js') as { run: any; debug: any };
    assert.deepEqual(opts.run, { module: '/ext/dist/server.js', transport: 1 });
    assert.equal(opts.debug.module, '/ext/dist/server.js');
    assert.equal(opts.debug.transport, 1);
    assert.deepEqual(opts.debug.options.execArgv, ['--nolazy', `--inspect=${DEBUG_PORT}`]);
    assert.equal(SERVER_MODULE, 'dist/server.js');
    const build = fs.readFileSync(path.join(ROOT, 'scripts/build.mjs'), 'utf8');
    assert.match(build, /in: 'server\/lsp\/main\.ts', out: 'server'/, 'the build writes dist/server.js');
    assert.match(build, /in: 'client\/extension\.ts', out: 'client'/, 'the build writes dist/client.js');
    assert.match(build, /external: \['vscode'\]/);
  });
});

describe('client: extension manifest', () => {
  it('activates narrowly: on YAML and on workspaces with a spec, never on *', () => {
    const events: string[] = pkg.activationEvents;
    assert.ok(!events.includes('*') && !events.includes('onStartupFinished'));
    assert.ok(events.includes('onLanguage:yaml'));
    assert.ok(events.includes('workspaceContains:**/*-opex-spec.md'));
    assert.ok(events.includes('workspaceContains:**/opex.yaml'));
    assert.equal(pkg.main, './dist/client.js');
    assert.match(pkg.engines.vscode, /^\^1\.100\./);
  });

  it('contributes every command the client registers, in the opex category', () => {
    const contributed = pkg.contributes.commands as Array<{ command: string; title: string; category: string }>;
    assert.deepEqual(contributed.map((c) => c.command).sort(), [...Object.values(COMMANDS), ...Object.values(VERIFY_COMMANDS)].sort());
    const titles = Object.fromEntries(contributed.map((c) => [c.command, `${c.category}: ${c.title}`]));
    assert.deepEqual(titles, {
      'opex.lintWorkspace': 'opex: Lint workspace',
      'opex.createSpec': 'opex: Create opex spec',
      'opex.scaffold': 'opex: Scaffold service from spec',
      'opex.showOutput': 'opex: Show output',
      'opex.restartServer': 'opex: Restart server',
      // the live checks (client/verify.ts)
      'opex.verify': 'opex: Verify against cluster',
      'opex.verifyOne': 'opex: Verify one criterion…',
      'opex.verifyDisruptive': 'opex: Verify against cluster, including disruptive checks…',
      'opex.verifyCancel': 'opex: Cancel verification',
      'opex.exportReport': 'opex: Export verification report…',
      'opex.verifyRefresh': 'opex: Reload contexts and spec',
    });
  });

  it('contributes every setting the server reads, described, with the server defaults', () => {
    const props = pkg.contributes.configuration.properties as Record<string, any>;
    assert.deepEqual(Object.keys(props).sort(), SETTING_KEYS.map((k) => `opex.${k}`).sort());
    for (const key of SETTING_KEYS) {
      const p = props[`opex.${key}`];
      assert.ok((p.markdownDescription ?? p.description ?? '').length > 30, `opex.${key} is described`);
      assert.deepEqual(p.default, settingDefault(key), `opex.${key} default`);
    }
    assert.deepEqual(props['opex.trace.server'].enum, ['off', 'messages', 'verbose']);
    assert.equal(props['opex.trace.server'].enumDescriptions.length, 3);
    assert.deepEqual(props['opex.rules'].additionalProperties.enum, ['error', 'warning', 'info', 'off']);
  });

  it('the defaults VS Code answers for section "opex" read as the server defaults', () => {
    // What workspace/configuration returns for `opex`: the contributed defaults, dotted keys nested.
    const section: Record<string, any> = {};
    for (const [key, p] of Object.entries(pkg.contributes.configuration.properties as Record<string, any>)) {
      const parts = key.split('.').slice(1);
      let at = section;
      for (const part of parts.slice(0, -1)) at = at[part] ??= {};
      at[parts[parts.length - 1]] = p.default;
    }
    assert.deepEqual(normalizeSettings(section), DEFAULT_SETTINGS);
    assert.deepEqual(
      normalizeSettings({ ...section, spec: 'specs/opex.yaml', rules: { 'probe-missing': 'off' }, exclude: ['charts/**'], trace: { server: 'verbose' } }),
      { ...DEFAULT_SETTINGS, spec: 'specs/opex.yaml', rules: { 'probe-missing': 'off' }, exclude: ['charts/**'], trace: { server: 'verbose' } },
    );
  });

  it('is limited in untrusted workspaces, with the reason, and off in virtual ones', () => {
    const caps = pkg.capabilities;
    assert.equal(caps.untrustedWorkspaces.supported, 'limited');
    assert.match(caps.untrustedWorkspaces.description, /Nothing from the workspace is executed/);
    assert.equal(caps.virtualWorkspaces.supported, false);
  });

  it('coexists with other YAML extensions: no YAML schema association, snippets for yaml', () => {
    assert.equal(pkg.contributes.yamlValidation, undefined);
    assert.equal(pkg.contributes.jsonValidation, undefined);
    assert.deepEqual(pkg.contributes.snippets, [{ language: 'yaml', path: './snippets/kubernetes.code-snippets' }]);
  });
});
