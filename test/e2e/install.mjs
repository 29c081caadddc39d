#!/usr/bin/env node
// `npm run e2e:install`: installs test/e2e's own dependencies (code-server 4.100.3 — VS Code 1.100.3's server build,
// ~300 MB —, playwright-core, mocha, @vscode/test-electron) from its lockfile, apart from the root's `npm ci`.
//
// What code-server's install needs here, learnt on Debian with Node 20:
//   - Debian packages: chromium (the browser the tests drive), ripgrep (below) and libkrb5-dev (headers for the
//     `kerberos` native module VS Code builds from source; g++, make and python3 too). `.ci/run` installs them with
//     apt-get; this script only checks and says what is missing.
//   - As root, npm_config_unsafe_perm=true (code-server's postinstall stops without it) and npm_config_yes=true.
//   - @vscode/ripgrep's postinstall downloads `rg` from the internet. Its download cache
//     (<os.tmpdir()>/vscode-ripgrep-cache-<version>/ripgrep-<tag>-<target>.tar.gz) is filled with Debian's `rg` first,
//     so nothing is downloaded. code-server 4.100.3 pins @vscode/ripgrep 1.15.11, which fetches ripgrep v13.0.0-10.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const RIPGREP = { version: '1.15.11', tag: 'v13.0.0-10' };
const TARGETS = { x64: 'x86_64-unknown-linux-musl', arm64: 'aarch64-unknown-linux-musl' };

function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

const missing = [];
if (!['/usr/bin/chromium', '/usr/bin/chromium-browser', process.env.CHROMIUM_PATH].some((p) => p && fs.existsSync(p))) missing.push('chromium');
const rg = which('rg');
if (!rg) missing.push('ripgrep');
if (process.platform === 'linux' && !fs.existsSync('/usr/include/gssapi/gssapi.h')) missing.push('libkrb5-dev');
for (const tool of ['g++', 'make', 'python3']) if (!which(tool)) missing.push(tool === 'g++' ? 'g++' : tool);
if (missing.length) {
  console.error(`e2e:install: missing ${missing.join(', ')}. On Debian/Ubuntu: sudo apt-get install -y ${missing.join(' ')}`);
  process.exit(1);
}

// Pre-seed @vscode/ripgrep's download cache with the system's rg.
const target = process.platform === 'linux' ? TARGETS[process.arch] : undefined;
if (target) {
  const cache = path.join(os.tmpdir(), `vscode-ripgrep-cache-${RIPGREP.version}`);
  const archive = path.join(cache, `ripgrep-${RIPGREP.tag}-${target}.tar.gz`);
  if (!fs.existsSync(archive)) {
    const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'opex-rg-'));
    fs.copyFileSync(rg, path.join(stage, 'rg'));
    fs.chmodSync(path.join(stage, 'rg'), 0o755);
    fs.mkdirSync(cache, { recursive: true });
    execFileSync('tar', ['czf', archive, '-C', stage, 'rg']);
    fs.rmSync(stage, { recursive: true, force: true });
    console.log(`e2e:install: seeded ${archive} with ${rg}`);
  }
}

const started = Date.now();
const env = { ...process.env, npm_config_unsafe_perm: 'true', npm_config_yes: 'true', npm_config_fund: 'false', npm_config_audit: 'false' };
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const result = spawnSync(npm, ['ci'], { cwd: here, env, stdio: 'inherit' });
if (result.status !== 0) {
  console.error('e2e:install: npm ci in test/e2e failed (see above). Native modules need g++, make, python3 and libkrb5-dev.');
  process.exit(result.status ?? 1);
}
console.log(`e2e:install: test/e2e installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
