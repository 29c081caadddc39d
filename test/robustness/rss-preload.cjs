// Preloaded (node --require) into a CLI run by test/robustness/cli.test.ts: reports the process's peak RSS on exit.
'use strict';
process.on('exit', () => {
  try {
    require('node:fs').writeSync(2, `\nOPEX_TEST_MAXRSS_KB=${process.resourceUsage().maxRSS}\n`);
  } catch {
    // stderr closed
  }
});
