// The generated request() layer: the committed outputs of scripts/generate-api-types.mjs are
// what the script produces from the committed OpenAPI document (so a changed document or
// generator cannot ship with stale types), and the request() types accept right calls and
// refuse wrong ones under tsc --strict.

import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { PACKAGE_ROOT, runNode } from './helpers/server.mjs';

const require = createRequire(import.meta.url);
const GENERATED = ['types/openapi.d.ts', 'types/routes.generated.d.ts', 'lib/routes.generated.js'];
const TSC = require.resolve('typescript/bin/tsc');
const FLAGS = ['--noEmit', '--strict', '--module', 'node16', '--moduleResolution', 'node16', '--target', 'es2022', '--pretty', 'false'];

const tsc = (...files) => runNode([TSC, ...FLAGS, ...files], { env: process.env, timeoutMs: 120_000 });

test('the committed generated files are what `npm run generate:types` produces now', async (t) => {
  const out = await mkdtemp(join(tmpdir(), 'owox-generated-'));
  t.after(() => rm(out, { recursive: true, force: true }));

  const run = await runNode(['scripts/generate-api-types.mjs', '--out', out], { env: process.env, timeoutMs: 120_000 });

  assert.equal(run.code, 0, `the generator failed:\n${run.stdout}${run.stderr}`);
  for (const file of GENERATED) {
    const committed = await readFile(join(PACKAGE_ROOT, file), 'utf8');
    const fresh = await readFile(join(out, file), 'utf8');
    assert.ok(committed === fresh, `${file} is stale: run \`npm run generate:types\` and commit the result`);
  }
});

test('the route table offers exactly the operations that list the API-key header', async () => {
  const { API_KEY_ROUTES, NOT_OFFERED } = require('../lib/routes.generated.js');
  const document = JSON.parse(await readFile(join(PACKAGE_ROOT, 'scripts/openapi-0.35.json'), 'utf8'));
  const declaresKey = (route) => {
    const [method, path] = route.split(' ');
    const parameters = document.paths[path][method.toLowerCase()].parameters ?? [];
    return parameters.some((p) => p.in === 'header' && p.name === 'X-OWOX-Api-Key-Id');
  };

  assert.equal(Object.keys(API_KEY_ROUTES).length, 194);
  assert.ok(Object.keys(API_KEY_ROUTES).every(declaresKey));
  assert.equal(Object.values(NOT_OFFERED).filter((reason) => reason === 'refuses-api-key').length, 34);
  assert.ok(!Object.keys(NOT_OFFERED).some(declaresKey));
  assert.deepEqual(API_KEY_ROUTES['GET /api/data-marts/{id}'], { method: 'GET', path: '/api/data-marts/{id}', pathParams: ['id'] });
  assert.equal(NOT_OFFERED['GET /api/project-member-api-keys'], 'refuses-api-key');
});

test('request() calls type-check under --strict: params and results follow the route', async () => {
  const run = await tsc('__test__/types/request-usage.ts');
  assert.equal(run.code, 0, `tsc failed:\n${run.stdout}${run.stderr}`);
});

test('a refused route, a missing path parameter or query, a body where none goes and a wrong result use are type errors', async () => {
  const run = await tsc('__test__/types/request-wrong.ts');
  assert.notEqual(run.code, 0, 'tsc accepted wrong request() calls');
  const errorLines = new Set([...run.stdout.matchAll(/request-wrong\.ts\((\d+),\d+\): error TS\d+/g)].map((m) => Number(m[1])));
  for (const [line, what] of [
    [5, 'a route that refuses API keys'],
    [6, 'a missing path parameter'],
    [7, 'a body on a route without one'],
    [8, 'a missing required query'],
    [9, 'a body field of the wrong type'],
    [11, 'a result used as the wrong type'],
  ]) {
    assert.ok(errorLines.has(line), `no type error for ${what} (line ${line}):\n${run.stdout}`);
  }
  assert.match(run.stdout, /request-wrong\.ts\(5,\d+\): error TS2345: Argument of type '"GET \/api\/members"' is not assignable/);
});
