/**
 * VS Code's server build (the npm package `code-server`, which bundles VS Code 1.100.3) for the end-to-end tests:
 * started on 127.0.0.1 with `--auth none` and throwaway user-data, extensions, config and XDG folders, so a run
 * reads nothing from the user's own VS Code and leaves nothing behind. The workbench is opened in Chromium by
 * `browser.ts`; what the workbench loads (the folder, the extension under development, the test module) is in
 * its URL (`workbenchUrl`).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const E2E = path.resolve(__dirname, '..');
export const ROOT = path.resolve(E2E, '..', '..');
export const CODE_SERVER = path.join(E2E, 'node_modules', 'code-server', 'out', 'node', 'entry.js');

export interface CodeServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** The remote authority the workbench gives `vscode-remote://` URIs: `127.0.0.1:<port>`. */
  authority: string;
  dirs: SandboxDirs;
  /** code-server's own output (stdout and stderr), for a failure report. */
  output: string[];
  stop(): Promise<void>;
}

export interface SandboxDirs {
  root: string;
  userData: string;
  extensions: string;
  config: string;
  xdg: string;
}

/** Default user settings: no welcome page, no telemetry, no auto-save (tests save what they mean to save), no tips. */
export const TEST_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'files.autoSave': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'remote.autoForwardPorts': false,
  'editor.codeLens': true,
  'window.commandCenter': false,
  'chat.commandCenter.enabled': false,
  'workbench.colorTheme': 'Default Light Modern',
};

/** Fresh folders under the OS temp dir for one code-server: user data (with settings.json), extensions, config. */
export function sandbox(settings: Record<string, unknown> = {}): SandboxDirs {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'opex-e2e-'));
  const dirs: SandboxDirs = {
    root,
    userData: path.join(root, 'user-data'),
    extensions: path.join(root, 'extensions'),
    config: path.join(root, 'config.yaml'),
    xdg: path.join(root, 'xdg'),
  };
  fs.mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  fs.mkdirSync(dirs.extensions, { recursive: true });
  fs.mkdirSync(dirs.xdg, { recursive: true });
  fs.writeFileSync(path.join(dirs.userData, 'User', 'settings.json'), JSON.stringify({ ...TEST_SETTINGS, ...settings }, null, 2));
  // An explicit config file, so code-server neither reads nor writes ~/.config/code-server/config.yaml.
  fs.writeFileSync(dirs.config, 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n');
  return dirs;
}

function env(dirs: SandboxDirs, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {
    ...process.env,
    // code-server keeps its logs and default config under the XDG folders: keep them in the sandbox too.
    XDG_DATA_HOME: path.join(dirs.xdg, 'data'),
    XDG_CONFIG_HOME: path.join(dirs.xdg, 'config'),
    XDG_CACHE_HOME: path.join(dirs.xdg, 'cache'),
    // No extension gallery: the tests need none, and the workbench then makes no request to one.
    EXTENSIONS_GALLERY: '{}',
    ...extra,
  };
  // Variables of an enclosing VS Code would make code-server think it runs inside one.
  for (const k of Object.keys(out)) if (k.startsWith('VSCODE_') || k === 'ELECTRON_RUN_AS_NODE') delete out[k];
  return out;
}

export function checkInstalled(): void {
  if (!fs.existsSync(CODE_SERVER)) {
    throw new Error(`code-server is not installed in test/e2e: run \`npm run e2e:install\` (or \`npm ci\` in test/e2e) first`);
  }
}

/** `code-server --install-extension <vsix>` into the sandbox's extensions folder. */
export function installVsix(dirs: SandboxDirs, vsix: string): string {
  const result = spawnSync(
    process.execPath,
    [CODE_SERVER, '--config', dirs.config, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions, '--force', '--install-extension', vsix],
    { env: env(dirs), encoding: 'utf8', timeout: 120_000 },
  );
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.status !== 0) throw new Error(`code-server --install-extension ${vsix} failed (${result.status ?? result.signal}):\n${output}`);
  return output.trim();
}

/**
 * Starts code-server on 127.0.0.1 (a free port) and resolves once it listens. `env` reaches the extension host
 * and, through it, the opex language server.
 */
export async function startCodeServer(dirs: SandboxDirs, opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<CodeServer> {
  checkInstalled();
  const args = [
    CODE_SERVER,
    '--config', dirs.config,
    '--bind-addr', '127.0.0.1:0',
    '--auth', 'none',
    '--user-data-dir', dirs.userData,
    '--extensions-dir', dirs.extensions,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
  ];
  const child: ChildProcess = spawn(process.execPath, args, { env: env(dirs, opts.env), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const output: string[] = [];
  const origin = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not start within ${opts.timeoutMs ?? 60_000} ms:\n${output.join('')}`)), opts.timeoutMs ?? 60_000);
    const onData = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      output.push(text);
      const m = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output.join(''));
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited (${code ?? signal}) before listening:\n${output.join('')}`));
    });
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    origin,
    authority: new URL(origin).host,
    dirs,
    output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      // code-server runs the workbench's server and extension hosts as children: end the whole group it leads.
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        child.kill('SIGTERM');
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // gone already
        }
      }, 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export interface WorkbenchOptions {
  /** Absolute path of the folder to open. */
  folder: string;
  /** Absolute path of an extension folder to load as under development (F5). */
  extensionDevelopmentPath?: string;
  /** Absolute path of a module exporting `run()`: the workbench runs it in the extension host and reports its result. */
  extensionTestsPath?: string;
}

/**
 * The workbench URL: the folder to open, and the development extension and test module as `vscode-remote` URIs on
 * this server, passed through the `payload` parameter (pairs of [name, value]) that VS Code's web workbench reads.
 */
export function workbenchUrl(server: CodeServer, opts: WorkbenchOptions): string {
  const remote = (p: string) => `vscode-remote://${server.authority}${p}`;
  const payload: Array<[string, string]> = [];
  if (opts.extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(opts.extensionDevelopmentPath)]);
  if (opts.extensionTestsPath) payload.push(['extensionTestsPath', remote(opts.extensionTestsPath)]);
  const url = new URL(server.origin + '/');
  url.searchParams.set('folder', opts.folder);
  if (payload.length > 0) url.searchParams.set('payload', JSON.stringify(payload));
  return url.toString();
}

/** A fresh copy of a fixture workspace (code-server saves what the tests change, so every run starts from the original). */
export function copyWorkspace(dirs: SandboxDirs, name: string, sources: string[]): string {
  const dest = path.join(dirs.root, name);
  fs.mkdirSync(dest, { recursive: true });
  for (const src of sources) fs.cpSync(src, dest, { recursive: true });
  return dest;
}
