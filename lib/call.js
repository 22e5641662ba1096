'use strict';
// Runs native calls: wires an AbortSignal to the native cancel, and turns replies into
// values (one JSON.parse per reply) or into the public errors.

const { abortError, fromFailure } = require('./errors.js');

/**
 * Watches `signal` for one native call: on abort, cancels call `callId` in Rust and rejects
 * `aborted` at once with the signal's reason (the abort rule: see errors.js). `dispose()`
 * stops watching.
 */
function abortGuard(signal, native, callId) {
  let reject;
  const aborted = new Promise((_, rejectAborted) => {
    reject = rejectAborted;
  });
  // Only ever raced against the call; never left unhandled when the call wins.
  aborted.catch(() => {});
  if (!signal) return { aborted, dispose() {} };
  const listener = () => {
    native.cancel(callId);
    reject(abortError(signal));
  };
  signal.addEventListener('abort', listener, { once: true });
  return { aborted, dispose: () => signal.removeEventListener('abort', listener) };
}

/**
 * Awaits `start(callOptions)` (a native call), rejecting at once when `signal` aborts.
 * Returns the reply, or throws its failure as the public error.
 */
async function run(native, { signal, timeout, maxRetries }, start) {
  if (signal?.aborted) throw abortError(signal);
  const call = { timeout, maxRetries };
  if (!signal) return unwrap(await start(call));
  call.callId = native.beginCall();
  const guard = abortGuard(signal, native, call.callId);
  try {
    return unwrap(await Promise.race([start(call), guard.aborted]), signal);
  } finally {
    guard.dispose();
  }
}

/**
 * The reply, or its failure thrown as the public error. A call whose `signal` has aborted
 * rejects with the signal's reason, whatever the native side reported meanwhile.
 */
function unwrap(reply, signal) {
  if (signal?.aborted) throw abortError(signal);
  if (reply.failure) throw fromFailure(reply.failure);
  return reply;
}

/** The JSON value of a reply. */
function value(reply) {
  return JSON.parse(reply.text);
}

module.exports = { run, unwrap, value, abortGuard };
