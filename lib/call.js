'use strict';
// Runs native calls: wires an AbortSignal to the native cancel, and turns replies into
// values (one JSON.parse per chunk) or into the public errors.

const { abortError, fromFailure } = require('./errors.js');

/** Registers an abort listener that cancels native call `callId`; returns the remover. */
function onAbort(signal, native, callId, reject) {
  if (!signal) return () => {};
  const listener = () => {
    native.cancel(callId);
    reject(abortError(signal));
  };
  signal.addEventListener('abort', listener, { once: true });
  return () => signal.removeEventListener('abort', listener);
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
  let removeListener;
  const aborted = new Promise((_, reject) => {
    removeListener = onAbort(signal, native, call.callId, reject);
  });
  try {
    return unwrap(await Promise.race([start(call), aborted]));
  } finally {
    removeListener();
  }
}

function unwrap(reply) {
  if (reply.failure) throw fromFailure(reply.failure);
  return reply;
}

/** The JSON value of a reply. */
function value(reply) {
  return JSON.parse(reply.text);
}

module.exports = { run, unwrap, value, onAbort };
