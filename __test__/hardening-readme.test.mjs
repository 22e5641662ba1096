// Issue 8, items 16 and 17: every JavaScript and TypeScript snippet of the README runs
// verbatim, in the module system it is written for, against the bundled server; the
// TypeScript ones and the Quick start (which the README says is valid TypeScript too)
// type-check under `strict` and `exactOptionalPropertyTypes`.
//
// A snippet that uses `client` or `server` without creating it is a fragment of an earlier
// one: the test runs it after a prelude that creates the missing object (`client` from the
// OWOX_* variables, which point at a bundled server; `server` as a fresh bundled server).
// Fragments may also name an existing item of the server's sample data: `martId` and `id`
// (a data mart), `storageId`, `destinationId`. The snippet text itself is never changed.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test, before, after } from 'node:test';
import { PACKAGE_ROOT, envWithout, runNode, useServer } from './helpers/server.mjs';

const TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc');

/** The ```js / ```mjs / ```cjs / ```ts blocks of the README, with the heading above each. */
function readmeSnippets() {
  const text = readFileSync(path.join(PACKAGE_ROOT, 'README.md'), 'utf8');
  const snippets = [];
  let heading = '(top)';
  const fence = /^(#{1,4}) (.+)$|^```(js|mjs|cjs|ts|javascript|typescript)\n([\s\S]*?)^```$/gm;
  for (const match of text.matchAll(fence)) {
    if (match[1]) heading = match[2];
    else snippets.push({ heading, lang: match[3], code: match[4], line: text.slice(0, match.index).split('\n').length });
  }
  return snippets;
}

/** Names a fragment may use for an item of the sample data, and how the prelude finds it. */
const SAMPLE_IDS = {
  martId: '(await preludeClient.dataMarts.list())[0].id',
  id: '(await preludeClient.dataMarts.list())[0].id',
  storageId: '(await preludeClient.storages.list())[0].id',
  destinationId: '(await preludeClient.destinations.list())[0].id',
};

const declares = (code, name) => new RegExp(`\\b(const|let|var)\\s+(\\{[^}]*\\b${name}\\b[^}]*\\}|${name}\\b)`).test(code);
// A free use: not a property (`mart.id`), not an object key (`{ id: 1 }`), not in a string.
const uses = (code, name) => new RegExp(`(?<![.\\w$'"\`])${name}\\b(?!\\s*:)`).test(code);
const isCommonJs = (code) => /\brequire\(/.test(code) && !/^\s*import\s/m.test(code);

/** The snippet as a module file, with a prelude for what it uses but does not create. */
function moduleSource({ code }) {
  const prelude = [];
  const postlude = [];
  const needsServer = uses(code, 'server') && !declares(code, 'server');
  const needsClient = uses(code, 'client') && !declares(code, 'client');
  if (isCommonJs(code)) {
    // A CommonJS snippet runs as written; the README has none that is a fragment.
    assert.ok(!needsServer && !needsClient, 'a CommonJS fragment needs a prelude this test does not have');
    return code;
  }
  if (needsServer) {
    prelude.push("import { startTestServer as startPreludeServer } from '@owox/api-client/testing';");
    prelude.push('const server = await startPreludeServer();');
    postlude.push('await server.close();');
  }
  const sampleIds = Object.keys(SAMPLE_IDS).filter((name) => uses(code, name) && !declares(code, name));
  if (needsClient || sampleIds.length > 0) {
    prelude.push("import { OWOXApiClient as PreludeClient } from '@owox/api-client';");
    prelude.push('const preludeClient = new PreludeClient();');
  }
  if (needsClient) prelude.push('const client = preludeClient;');
  for (const name of sampleIds) prelude.push(`const ${name} = ${SAMPLE_IDS[name]};`);
  // `export {}` keeps a snippet without imports a module (for top-level await and tsc).
  return [...prelude, '// --- the README snippet, verbatim ---', code, '// ---', ...postlude, 'export {};', ''].join('\n');
}

const snippets = readmeSnippets();
let work;

before(() => {
  // A project folder outside the repository whose node_modules holds this package, as a
  // user's would.
  work = mkdtempSync(path.join(tmpdir(), 'owox-readme-'));
  mkdirSync(path.join(work, 'node_modules', '@owox'), { recursive: true });
  symlinkSync(PACKAGE_ROOT, path.join(work, 'node_modules', '@owox', 'api-client'), process.platform === 'win32' ? 'junction' : 'dir');
});
after(() => rmSync(work, { recursive: true, force: true }));

test('the README has JavaScript snippets to check', () => {
  assert.ok(snippets.length >= 5, `found ${snippets.length}`);
});

describe('every README snippet runs verbatim against the bundled server', () => {
  snippets.forEach((snippet, index) => {
    test(`README line ${snippet.line} (${snippet.heading})`, async (t) => {
      const server = await useServer(t);
      const file = path.join(work, `snippet-${index}.${isCommonJs(snippet.code) ? 'cjs' : 'mjs'}`);
      writeFileSync(file, moduleSource(snippet));
      const env = envWithout({ OWOX_API_ORIGIN: server.origin, OWOX_API_KEY_ID: server.apiKeyId, OWOX_API_KEY_SECRET: server.apiKeySecret });
      const run = await runNode([file], { env, cwd: work, timeoutMs: 30_000 });
      assert.equal(run.killed, false, 'the snippet did not finish within 30 s');
      assert.equal(run.code, 0, `the snippet failed:\n${snippet.code}\n--- stderr:\n${run.stderr}`);
    });
  });
});

test('the TypeScript snippets and the Quick start type-check under strict and exactOptionalPropertyTypes', async () => {
  const typed = snippets.filter((snippet) => snippet.lang === 'ts' || snippet.lang === 'typescript' || snippet.heading === 'Quick start');
  assert.ok(typed.some((snippet) => snippet.heading === 'Quick start'), 'the README has no Quick start snippet');
  const files = typed
    .filter((snippet) => !isCommonJs(snippet.code))
    .map((snippet, index) => {
      const file = path.join(work, `typed-${index}.mts`);
      writeFileSync(file, moduleSource(snippet));
      return file;
    });
  const flags = ['--noEmit', '--strict', '--exactOptionalPropertyTypes', '--module', 'node16', '--moduleResolution', 'node16', '--target', 'es2022', '--pretty', 'false'];
  const typeRoots = ['--typeRoots', path.join(PACKAGE_ROOT, 'node_modules', '@types'), '--types', 'node'];
  const run = await runNode([TSC, ...flags, ...typeRoots, ...files], { env: process.env, cwd: work, timeoutMs: 120_000 });
  assert.equal(run.code, 0, `tsc failed:\n${run.stdout}${run.stderr}`);
});
