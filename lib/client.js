'use strict';
// OWOXApiClient: validates options synchronously, owns the native client, and exposes the
// resources. The native handle sits in a private field, so neither `util.inspect` nor
// `JSON.stringify` can reach credentials or tokens.

const util = require('node:util');
const { NativeClient } = require('./binding.js');
const { OWOXConfigError } = require('./errors.js');
const { callOptions, checkArgumentCount, clientOptions } = require('./options.js');
const { run, value } = require('./call.js');
const { DataMarts } = require('./data-marts.js');

/** A resource whose one call returns a JSON value: `list()` or `getContext()`. */
function jsonCall(native, method, callName) {
  return async function call(options) {
    checkArgumentCount(arguments, callName, ['options?']);
    return value(await run(native, callOptions(options, callName), (c) => native[method](c)));
  };
}

class Storages {
  constructor(native) {
    this.list = jsonCall(native, 'listStorages', 'storages.list');
  }
}

class Destinations {
  constructor(native) {
    this.list = jsonCall(native, 'listDestinations', 'destinations.list');
  }
}

class Auth {
  constructor(native) {
    this.getContext = jsonCall(native, 'authContext', 'auth.getContext');
  }
}

class OWOXApiClient {
  #native;

  /**
   * @param {object} [options] `{ apiKey }` or `{ apiOrigin, apiKeyId, apiKeySecret }`, plus
   *   `timeout`, `maxRetries`, `maxResponseBytes`, `userAgent`. Without credentials, reads
   *   OWOX_API_KEY, else OWOX_API_ORIGIN + OWOX_API_KEY_ID + OWOX_API_KEY_SECRET.
   */
  constructor(options) {
    checkArgumentCount(arguments, 'new OWOXApiClient', ['options?']);
    const resolved = clientOptions(options);
    try {
      this.#native = new NativeClient(resolved);
    } catch (error) {
      throw new OWOXConfigError(error.message);
    }
    const native = this.#native;
    Object.defineProperties(this, {
      dataMarts: { value: new DataMarts(native), enumerable: true },
      storages: { value: new Storages(native), enumerable: true },
      destinations: { value: new Destinations(native), enumerable: true },
      auth: { value: new Auth(native), enumerable: true },
    });
  }

  /** The normalized API origin, e.g. `https://app.owox.com`. */
  get origin() {
    return this.#native.origin;
  }

  /** Exchanges the API key for an access token now (e.g. to check that a key works). */
  async authenticate(options) {
    checkArgumentCount(arguments, 'authenticate', ['options?']);
    const native = this.#native;
    await run(native, callOptions(options, 'authenticate'), (c) => native.authenticate(c));
  }

  toJSON() {
    return { origin: this.origin };
  }

  [util.inspect.custom]() {
    return `OWOXApiClient { origin: ${util.inspect(this.origin)} }`;
  }
}

module.exports = { OWOXApiClient };
