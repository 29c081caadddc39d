/**
 * The extension-host test module (VS Code's `extensionTestsPath` contract): `run()` runs every `*.test.js` next to
 * it with mocha (tdd UI) and resolves when all pass. The same module runs in desktop VS Code (`npm run test:vscode`,
 * @vscode/test-electron) and in code-server (`npm run test:e2e`). Each test's outcome is also appended to the file
 * named by OPEX_E2E_RESULTS, so a runner sees the results whatever happens to the host's console.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000, slow: 5_000, reporter: 'spec' });
  const grep = process.env.OPEX_E2E_GREP;
  if (grep) mocha.grep(grep);
  const files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort();
  for (const f of files) mocha.addFile(path.join(__dirname, f));
  const results = process.env.OPEX_E2E_RESULTS;
  const record = (entry: Record<string, unknown>) => {
    const line = JSON.stringify(entry);
    console.log(`opex-e2e ${line}`);
    if (results) fs.appendFileSync(results, line + '\n');
  };
  await new Promise<void>((resolve, reject) => {
    const runner = mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} extension test(s) failed`)) : resolve()));
    runner.on('pass', (t) => record({ event: 'pass', title: t.fullTitle(), ms: t.duration }));
    runner.on('fail', (t, err: Error) => record({ event: 'fail', title: t.fullTitle(), error: err?.stack ?? String(err) }));
    runner.on('pending', (t) => record({ event: 'pending', title: t.fullTitle() }));
    runner.on('end', () => record({ event: 'end', stats: runner.stats }));
  });
}
