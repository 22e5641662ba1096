// Helpers for the owox-api tests: run the CLI as a real child process, in an empty folder
// (so no stray .env is read), with the credentials of a test server.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT, envWithout, runNode } from './server.mjs';

/** The bin script, as package.json names it. */
export const CLI = join(PACKAGE_ROOT, 'cli', 'owox-api.js');

// The default working folder of every run: empty, so no .env is read unless a test puts one.
const EMPTY_DIR = mkdtempSync(join(tmpdir(), 'owox-api-cwd-'));
process.on('exit', () => rmSync(EMPTY_DIR, { recursive: true, force: true }));

/** A fresh empty folder, removed when test `t` ends. */
export function tempDir(t) {
  const dir = mkdtempSync(join(tmpdir(), 'owox-api-cli-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The environment without OWOX_* variables (and without OWOX_LOG), plus `extra`. */
export function cleanEnv(extra = {}) {
  const env = envWithout();
  delete env.OWOX_LOG;
  return { ...env, ...extra };
}

/** The three credential variables of `server`, plus `extra`. */
export function serverEnv(server, extra = {}) {
  return cleanEnv({ OWOX_API_ORIGIN: server.origin, OWOX_API_KEY_ID: server.apiKeyId, OWOX_API_KEY_SECRET: server.apiKeySecret, ...extra });
}

/** Runs `owox-api ...args`; resolves `{ code, signal, stdout, stderr, killed }`. */
export function runCli(args, { env = cleanEnv(), cwd, timeoutMs = 30_000 } = {}) {
  return runNode([CLI, ...args], { env, cwd: cwd ?? EMPTY_DIR, timeoutMs });
}

/** `text` as one single-quoted shell word. */
export const shellQuote = (text) => `'${text.replaceAll("'", "'\\''")}'`;

/** Runs a shell pipeline with bash's pipefail, so the status is the CLI's when head exits 0. */
export function runPipeline(script, { env = cleanEnv(), cwd, timeoutMs = 30_000 } = {}) {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', `set -o pipefail; ${script}`], { env, cwd: cwd ?? EMPTY_DIR });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Starts `owox-api ...args` and hands back the child, its output so far and its end. */
export function startCli(args, { env = cleanEnv(), cwd } = {}) {
  const child = spawn(process.execPath, [CLI, ...args], { env, cwd: cwd ?? EMPTY_DIR });
  const result = { stdout: '', stderr: '' };
  child.stdout.setEncoding('utf8').on('data', (chunk) => (result.stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk) => (result.stderr += chunk));
  const exited = new Promise((resolve) => child.on('close', (code, signal) => resolve({ ...result, code, signal })));
  return { child, result, exited };
}

/** The `{"error": ...}` body printed on stderr (the whole of stderr must be that JSON). */
export function errorOf(run) {
  return JSON.parse(run.stderr).error;
}
