// Issue 8, items 12 and 17: the public types under the settings users have. The examples
// type-check under `exactOptionalPropertyTypes`; `error.cause` is declared for `lib` older
// than es2022; the testing subpath needs no `@types/node` (TypeScript 7 includes no ambient
// types by default); options and arguments a call does not take are type errors, as they
// are OWOXConfigErrors at run time.

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { runNode } from './helpers/server.mjs';

const TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const NODE16 = ['--noEmit', '--strict', '--module', 'node16', '--moduleResolution', 'node16', '--pretty', 'false'];

const tsc = (...args) => runNode([TSC, ...args], { env: process.env, timeoutMs: 60_000 });

test('the examples and a tour of the whole surface type-check under exactOptionalPropertyTypes', async () => {
  const run = await tsc(...NODE16, '--target', 'es2022', '--exactOptionalPropertyTypes', 'examples/agent.ts', '__test__/types/usage.ts');
  assert.equal(run.code, 0, `tsc failed:\n${run.stdout}${run.stderr}`);
});

test('error.cause type-checks on every error class with lib es2020', async () => {
  const run = await tsc(...NODE16, '--target', 'es2020', '--lib', 'es2020', '__test__/types/error-cause.ts');
  assert.equal(run.code, 0, `tsc failed:\n${run.stdout}${run.stderr}`);
});

test('@owox/api-client/testing type-checks with no @types/node and no DOM lib', async () => {
  const run = await tsc('-p', '__test__/types/tsconfig.no-node-types.json', '--pretty', 'false');
  assert.equal(run.code, 0, `tsc failed:\n${run.stdout}${run.stderr}`);
});

test('an option a call does not take, an unknown constructor option, an extra argument and a signal in place of the options are type errors', async () => {
  const run = await tsc(...NODE16, '--target', 'es2022', '__test__/types/wrong-option-type.ts');
  assert.notEqual(run.code, 0, 'tsc accepted every line');
  const errorLines = new Set([...run.stdout.matchAll(/wrong-option-type\.ts\((\d+),\d+\): error/g)].map((m) => Number(m[1])));
  assert.ok(errorLines.has(6), `storages.list({ offset }) was accepted:\n${run.stdout}`);
  assert.ok(errorLines.has(7), `dataMarts.list(undefined, { signal }) was accepted:\n${run.stdout}`);
  assert.ok(errorLines.has(8), `new OWOXApiClient({ retries }) was accepted:\n${run.stdout}`);
  assert.ok(errorLines.has(9), `storages.list(signal) (a signal in place of the options) was accepted:\n${run.stdout}`);
});
