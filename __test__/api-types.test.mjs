// The named calls' public types: a script using every call, the low-level methods, the
// { transport } form and parseOWOXApiKey type-checks under --strict; wrong arguments do not.

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { runNode } from './helpers/server.mjs';

const TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const FLAGS = ['--noEmit', '--strict', '--module', 'node16', '--moduleResolution', 'node16', '--target', 'es2022', '--pretty', 'false'];

const tsc = (...args) => runNode([TSC, ...FLAGS, ...args], { env: process.env, timeoutMs: 60_000 });

test('every named call type-checks as a 0.31 script uses it, also with exactOptionalPropertyTypes', async () => {
  const run = await tsc('__test__/types/calls-usage.ts');
  assert.equal(run.code, 0, `tsc failed:\n${run.stdout}${run.stderr}`);
  const exact = await tsc('--exactOptionalPropertyTypes', '__test__/types/calls-usage.ts');
  assert.equal(exact.code, 0, `tsc failed:\n${exact.stdout}${exact.stderr}`);
});

test('wrong arguments are type errors, each on its own line', async () => {
  const run = await tsc('__test__/types/calls-wrong.ts');
  assert.notEqual(run.code, 0, 'tsc accepted wrong arguments');
  for (const line of [5, 6, 7, 8, 9, 10, 11]) {
    assert.match(run.stdout, new RegExp(`calls-wrong\\.ts\\(${line},\\d+\\): error TS`), `line ${line} is an error`);
  }
});
