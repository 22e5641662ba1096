'use strict';
// The public error classes, and how a failure reported by the native core becomes one.
// They are plain JavaScript classes so `instanceof` works and stacks point at the caller.

class OWOXApiError extends Error {
  /**
   * @param {string} message
   * @param {{ status?: number, code?: string, details?: unknown, cause?: unknown, attempts?: number }} [options]
   */
  constructor(message, options = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = options.status;
    this.code = options.code;
    this.details = options.details;
    if (options.attempts !== undefined) this.attempts = options.attempts;
  }
}

class OWOXAuthError extends OWOXApiError {}

class OWOXConfigError extends Error {}

// `name` lives on the prototype: right in stacks and `err.name`, without cluttering
// `util.inspect` output with an own property.
for (const ErrorClass of [OWOXApiError, OWOXAuthError, OWOXConfigError]) {
  Object.defineProperty(ErrorClass.prototype, 'name', {
    value: ErrorClass.name,
    writable: true,
    configurable: true,
  });
}

// The abort rule follows `fetch`: a call rejects with `signal.reason` as it is. A plain
// `abort()` gives the DOMException named AbortError, `abort(reason)` gives `reason`, and
// `AbortSignal.timeout()` gives the DOMException named TimeoutError, so code ported from
// `fetch` that checks `error.name` keeps working.
const abortedWithoutReason = () => new DOMException('This operation was aborted', 'AbortError');

/** What a call aborted by `signal` rejects with: its reason, as `fetch` does. */
function abortError(signal) {
  const reason = signal?.reason;
  return reason === undefined ? abortedWithoutReason() : reason;
}

/**
 * Builds the public error for a native failure. Its strings arrive as JSON literals
 * (`messageJson`, `codeJson`, `detailsJson`) so server text reaches the caller exactly.
 */
function fromFailure(failure) {
  const message = JSON.parse(failure.messageJson);
  if (failure.kind === 'config') return new OWOXConfigError(message);
  // The native side aborts a call on its own only when the Node environment that made it
  // is torn down (calls aborted by a signal are rejected with the signal's reason first).
  if (failure.kind === 'abort') return abortedWithoutReason();
  const ErrorClass = failure.kind === 'auth' ? OWOXAuthError : OWOXApiError;
  return new ErrorClass(message, {
    status: failure.status ?? undefined,
    code: failure.codeJson == null ? undefined : JSON.parse(failure.codeJson),
    details: failure.detailsJson == null ? undefined : JSON.parse(failure.detailsJson),
    cause: failure.cause == null ? undefined : new Error(failure.cause),
    attempts: failure.attempts ?? undefined,
  });
}

module.exports = { OWOXApiError, OWOXAuthError, OWOXConfigError, abortError, fromFailure };
