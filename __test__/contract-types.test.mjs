// The public types: the seed's TypeScript example and a tour of the whole surface
// type-check under --strict with node16 module resolution; a wrong option type does not.

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { runNode } from './helpers/server.mjs';

const TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const FLAGS = ['--noEmit', '--strict', '--module', 'node16', '--moduleResolution', 'node16', '--target', 'es2022', '--pretty', 'false'];

const tsc = (...files) => runNode([TSC, ...FLAGS, ...files], { env: process.env, timeoutMs: 60_000 });

test('examples/agent.ts and a program using the whole public surface type-check with tsc --strict', async () => {
  const run = await tsc('examples/agent.ts', '__test__/types/usage.ts');
  assert.equal(run.code, 0, `tsc failed:\n${run.stdout}${run.stderr}`);
});

test('a wrong option type or ownerFilter value is a type error', async () => {
  const run = await tsc('__test__/types/wrong-option-type.ts');
  assert.notEqual(run.code, 0, 'tsc accepted a wrong option type');
  assert.match(run.stdout, /wrong-option-type\.ts\(4,\d+\): error TS2322/, 'timeout: string is refused');
  assert.match(run.stdout, /wrong-option-type\.ts\(5,\d+\): error TS2322/, "ownerFilter: 'everyone' is refused");
});
