'use strict';
// OWOXApiClient: validates options synchronously, owns the native client (or the caller's
// transport, in the `{ transport }` form), and exposes the resources. The native handle
// sits in a private field, so neither `util.inspect` nor `JSON.stringify` can reach
// credentials or tokens.

const util = require('node:util');
const { NativeClient } = require('./binding.js');
const { OWOXConfigError } = require('./errors.js');
const { callOptions, checkArgumentCount, clientOptions } = require('./options.js');
const { run, value } = require('./call.js');
const { DataMarts } = require('./data-marts.js');
const { buildResources } = require('./resources.js');
const { dataMartPages } = require('./data-mart-pages.js');
const {
  authenticateOver,
  guardedTransportStream,
  lowLevelMethods,
  nativeExchange,
  suppliedTransport,
  transportExchange,
} = require('./transport.js');
const { requestRouteOver } = require('./request-route.js');
const { nativeDataStreams, transportDataStreams } = require('./data-streams.js');

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
  #transport;
  #lowLevel;
  #exchange;
  #dataStreams;

  /**
   * @param {object} [options] `{ apiKey }` or `{ apiOrigin, apiKeyId, apiKeySecret }`, plus
   *   `timeout`, `maxRetries`, `maxResponseBytes`, `userAgent`. Without credentials, reads
   *   OWOX_API_KEY, else OWOX_API_ORIGIN + OWOX_API_KEY_ID + OWOX_API_KEY_SECRET.
   *   Or `{ transport }`: every call goes through the caller's object (lib/transport.js).
   */
  constructor(options) {
    checkArgumentCount(arguments, 'new OWOXApiClient', ['options?']);
    const transport = suppliedTransport(options);
    let exchange;
    let resources;
    if (transport) {
      this.#transport = transport;
      exchange = transportExchange(transport);
      resources = buildResources(exchange);
      resources.dataMarts = Object.assign(dataMartPages(exchange), resources.dataMarts);
    } else {
      const resolved = clientOptions(options);
      try {
        this.#native = new NativeClient(resolved);
      } catch (error) {
        throw new OWOXConfigError(error.message);
      }
      const native = this.#native;
      exchange = nativeExchange(native);
      // The seed's calls keep their native fast paths; the table's calls join them.
      resources = buildResources(exchange, { skipNativeFastPath: true });
      resources.dataMarts = Object.assign(new DataMarts(native), resources.dataMarts);
      resources.storages = new Storages(native);
      resources.destinations = new Destinations(native);
      resources.auth = new Auth(native);
    }
    this.#lowLevel = lowLevelMethods(exchange);
    this.#exchange = exchange;
    // NDJSON data streams (lib/data-streams.js): traverseData on both resources, getStream here.
    this.#dataStreams = this.#native ? nativeDataStreams(this.#native) : transportDataStreams(transport);
    if (transport) this.#dataStreams.getStream = guardedTransportStream(this.#dataStreams.getStream);
    resources.dataMarts.traverseData = this.#dataStreams.traverseDataMart;
    (resources.reports ??= {}).traverseData = this.#dataStreams.traverseReport;
    const order = ['dataMarts', 'storages', 'destinations', 'auth'];
    const names = [...order, ...Object.keys(resources).filter((name) => !order.includes(name))];
    for (const name of names) {
      Object.defineProperty(this, name, { value: resources[name], enumerable: true });
    }
  }

  /** The normalized API origin, e.g. `https://app.owox.com`; undefined in the `{ transport }` form. */
  get origin() {
    return this.#native?.origin;
  }

  /**
   * Exchanges the API key for an access token now (e.g. to check that a key works). In the
   * `{ transport }` form, calls the transport's `authenticate()` when it has one. An aborted
   * signal rejects with its reason in both forms.
   */
  async authenticate(options) {
    checkArgumentCount(arguments, 'authenticate', ['options?']);
    const checked = callOptions(options, 'authenticate');
    if (this.#transport) return authenticateOver(this.#transport, checked);
    const native = this.#native;
    await run(native, checked, (c) => native.authenticate(c));
  }

  // The original's low-level methods (lib/transport.js), each with a last options object.
  getJson(path, query, options) {
    return this.#lowLevel.getJson(...arguments);
  }

  postJson(path, body, accept, options) {
    return this.#lowLevel.postJson(...arguments);
  }

  putJson(path, body, options) {
    return this.#lowLevel.putJson(...arguments);
  }

  patchJson(path, body, options) {
    return this.#lowLevel.patchJson(...arguments);
  }

  deleteJson(path, options) {
    return this.#lowLevel.deleteJson(...arguments);
  }

  /** A raw data stream as a standard `Response` (lib/data-streams.js). */
  getStream(path, query, options) {
    return this.#dataStreams.getStream(...arguments);
  }

  /** Any API-key operation by its OpenAPI route, e.g. `request('GET /api/data-marts/{id}', { id })` (lib/request-route.js). */
  async request(route, params, options) {
    checkArgumentCount(arguments, 'request', ['route', 'params?', 'options?']);
    return requestRouteOver(this.#exchange, route, params, options);
  }

  toJSON() {
    return { origin: this.origin };
  }

  [util.inspect.custom]() {
    if (this.#transport) return 'OWOXApiClient { transport: [caller-supplied] }';
    return `OWOXApiClient { origin: ${util.inspect(this.origin)} }`;
  }
}

module.exports = { OWOXApiClient };
