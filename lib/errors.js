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

/** An error named `AbortError`, as `fetch` gives, keeping a custom abort reason as `cause`. */
function abortError(signal) {
  const reason = signal.reason;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  const error = new Error('The operation was aborted', reason === undefined ? undefined : { cause: reason });
  error.name = 'AbortError';
  return error;
}

/**
 * Builds the public error for a native failure. Its strings arrive as JSON literals
 * (`messageJson`, `codeJson`, `detailsJson`) so server text reaches the caller exactly.
 */
function fromFailure(failure) {
  const message = JSON.parse(failure.messageJson);
  if (failure.kind === 'config') return new OWOXConfigError(message);
  if (failure.kind === 'abort') {
    const error = new Error(message);
    error.name = 'AbortError';
    return error;
  }
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
