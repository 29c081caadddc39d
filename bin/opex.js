#!/usr/bin/env node
'use strict';
// The built CLI (npm ci runs the build through `prepare`); from a source checkout without a build, say how to get one.
const path = require('node:path');
const fs = require('node:fs');
const bundle = path.join(__dirname, '..', 'dist', 'cli.js');
if (!fs.existsSync(bundle)) {
  process.stderr.write('opex: the CLI is not built yet; run `npm ci` (or `npm run build`) in ' + path.join(__dirname, '..') + '\n');
  process.exit(2);
}
require(bundle).main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write('opex: ' + ((err && err.message) || String(err)) + '\n');
    process.exitCode = 2;
  },
);
