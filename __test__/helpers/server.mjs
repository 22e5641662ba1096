// Shared test helpers: a local OWOX-compatible server per test, clients that fail fast,
// raw JSON injections, environment swaps and child processes.

import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { OWOXApiClient } from '@owox/api-client';
import { startTestServer } from '@owox/api-client/testing';

/** The package root (where package.json is), e.g. to run examples from. */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Starts a test server that is closed when test `t` ends. */
export async function useServer(t, options) {
  const server = await startTestServer(options);
  t.after(() => server.close());
  return server;
}

/** A client of `server` that does not retry, so failures surface at once. */
export function clientOf(server, options = {}) {
  return new OWOXApiClient({ ...server.credentials, maxRetries: 0, ...options });
}

/** An injected response whose body is sent byte for byte as `application/json`. */
export function rawJson(body, status = 200) {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8' }, body };
}

/** The error `promise` rejects with; fails the test when it resolves instead. */
export async function rejectionOf(promise) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject, but it resolved');
}

/** The error `fn()` throws synchronously; fails the test when it returns instead. */
export function thrownBy(fn) {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the function to throw, but it returned');
}

const OWOX_ENV = ['OWOX_API_KEY', 'OWOX_API_ORIGIN', 'OWOX_API_KEY_ID', 'OWOX_API_KEY_SECRET'];

/**
 * Runs `fn` with the OWOX_* variables of `process.env` replaced by `vars` (missing ones
 * unset), and restores them afterwards.
 */
export function withOwoxEnv(vars, fn) {
  const saved = OWOX_ENV.map((name) => [name, process.env[name]]);
  try {
    for (const name of OWOX_ENV) delete process.env[name];
    Object.assign(process.env, vars);
    return fn();
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

/** `process.env` without any OWOX_* variable, plus `extra`: for child processes. */
export function envWithout(extra = {}) {
  const env = { ...process.env };
  for (const name of OWOX_ENV) delete env[name];
  return { ...env, ...extra };
}

/**
 * Runs `file ...args` in the package root without blocking the event loop (so a test server
 * in this process keeps answering). Resolves `{ code, signal, stdout, stderr, killed }`;
 * a process still running after `timeoutMs` is killed (`killed: true`).
 */
export function runCommand(file, args, { env = envWithout(), timeoutMs = 20_000, cwd = PACKAGE_ROOT } = {}) {
  return new Promise((resolve) => {
    const child = execFile(
      file,
      args,
      { cwd, env, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        resolve({
          code: child.exitCode,
          signal: child.signalCode,
          killed: Boolean(error?.killed),
          stdout,
          stderr,
        });
      },
    );
  });
}

/** `runCommand` for `node ...args` with this process's Node. */
export function runNode(args, options) {
  return runCommand(process.execPath, args, options);
}
