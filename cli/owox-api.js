#!/usr/bin/env node
'use strict';
// The `owox-api` command (package.json "bin"). See main.js; `owox-api --help` for usage.

const { main } = require('./main.js');

// Everything has been written when main resolves; a handle left open by mistake must not
// keep a finished command alive, so the process exits shortly after at the latest.
const EXIT_WATCHDOG_MS = 1000;

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
  setTimeout(() => process.exit(code), EXIT_WATCHDOG_MS).unref();
});
