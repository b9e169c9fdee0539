#!/usr/bin/env node
// Thin launcher: the CLI is compiled to build/ by `npm run build` (tsconfig.build.json).
'use strict';
let main;
try {
  ({ main } = require('../build/lib/cli/main.js'));
} catch (e) {
  if (e && e.code === 'MODULE_NOT_FOUND') {
    process.stderr.write('pab: the CLI is not built yet — run `npm run build` first.\n');
    process.exit(2);
  }
  throw e;
}
main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
