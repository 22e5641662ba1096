// Issue 10: the types of the stream surface (index.d.ts, "NDJSON data streams") type-check
// under --strict and exactOptionalPropertyTypes, and wrong options are type errors.

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { runNode } from './helpers/server.mjs';

const TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const FLAGS = ['--noEmit', '--strict', '--module', 'node16', '--moduleResolution', 'node16', '--target', 'es2022', '--pretty', 'false'];
const tsc = (...args) => runNode([TSC, ...FLAGS, ...args], { env: process.env, timeoutMs: 60_000 });

test('traverseData, the traversal, saveTo and getStream type-check as documented', async () => {
  const run = await tsc('--exactOptionalPropertyTypes', '__test__/types/stream-usage.ts');
  assert.equal(run.code, 0, `tsc failed:\n${run.stdout}${run.stderr}`);
});

test('a wrong columns value, an option a stream call does not take and a wrong format are type errors', async () => {
  const run = await tsc('__test__/types/stream-wrong.ts');
  const lines = new Set([...run.stdout.matchAll(/stream-wrong\.ts\((\d+),\d+\): error/g)].map((m) => Number(m[1])));
  assert.deepEqual([...lines].sort((a, b) => a - b), [5, 6, 7, 8, 9], run.stdout);
});
