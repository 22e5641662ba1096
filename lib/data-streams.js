'use strict';
// The calls that open NDJSON data streams: `dataMarts.traverseData(id, options)`,
// `reports.traverseData(id, options)` (the original client's, with its options, request
// and argument checks) and the low-level `getStream(path, query?, options?)`, which hands
// the body over as a standard `Response`. Each opens the stream on the native request path
// (safe-path check, token, 401 rule, retries only before the body, the usual error mapping);
// a failure before the first row rejects the call itself.

const { OWOXApiError, OWOXConfigError, abortError } = require('./errors.js');
const { callOptions, checkArgumentCount } = require('./options.js');
const { abortGuard, unwrap } = require('./call.js');
const { queryString } = require('./http.js');
const check = require('./arguments.js');
const {
  HttpNdjsonTraversal,
  DATA_MART_SOURCE,
  REPORT_SOURCE,
  CREATED_BY_CLIENT,
  withSourceContext,
} = require('./ndjson.js');

/** `dataMarts.traverseData()`'s query options, in the order the original appends them. */
const DATA_MART_QUERY_OPTIONS = ['columns', 'column', 'filter', 'sort', 'aggregation', 'dateTrunc', 'limit'];
/** The rules sent as base64url of their JSON. */
const RULE_OPTIONS = ['filter', 'sort', 'aggregation', 'dateTrunc'];

function base64UrlJson(value, what, name) {
  return Buffer.from(check.jsonText(value, `${what}: ${name}`), 'utf8').toString('base64url');
}

/** The data-mart stream's query (URLSearchParams, `column` repeated), or undefined when empty. */
function dataMartQuery(options, what) {
  const query = new URLSearchParams();
  const { columns, column } = options;
  if (columns !== undefined) {
    if (columns !== '*' && columns !== '**') check.refuse(what, `columns must be '*' or '**'`);
    query.append('columns', columns);
  }
  if (column !== undefined) {
    check.stringArray(column, what, 'column');
    if (columns === '**' && column.length > 0) check.refuse(what, 'columns "**" cannot be combined with exact column values');
    for (const name of column) query.append('column', name);
  }
  for (const name of RULE_OPTIONS) {
    const rules = options[name];
    // null means "no rules", as in the original.
    if (rules === undefined || rules === null) continue;
    if (!Array.isArray(rules)) check.refuse(what, `${name} must be an array of rules (or null)`);
    query.append(name, base64UrlJson(rules, what, name));
  }
  if (options.limit !== undefined) {
    check.positiveInteger(options.limit, what, 'limit');
    query.append('limit', String(options.limit));
  }
  return query.size === 0 ? undefined : query.toString();
}

function reportQuery(options, what) {
  if (options.limit === undefined) return undefined;
  check.positiveInteger(options.limit, what, 'limit');
  return new URLSearchParams({ limit: String(options.limit) }).toString();
}

/**
 * Opens one stream: `{ stream, status, runId, contentType, callId, guard }`. The guard
 * watches the signal for the life of the stream (the caller disposes of it); a failure
 * before the body rejects here with the public error, an abort with the signal's reason.
 */
async function openStream(native, request, { signal, timeout, maxRetries }) {
  if (signal?.aborted) throw abortError(signal);
  // Every stream gets a call id when it has a signal, so an abort reaches it in Rust.
  const callId = signal ? native.beginCall() : undefined;
  const guard = abortGuard(signal, native, callId);
  let opening;
  try {
    opening = native.openStream(request, { callId, timeout, maxRetries });
  } catch (error) {
    guard.dispose();
    if (callId !== undefined) native.cancel(callId);
    throw new OWOXConfigError(error.message);
  }
  let reply;
  try {
    reply = unwrap(await Promise.race([opening, guard.aborted]), signal);
  } catch (error) {
    guard.dispose();
    // A stream that opens after the abort won the race is closed at once.
    opening.then(
      (late) => late?.stream?.cancel(),
      () => {},
    );
    throw error;
  }
  if (!reply.stream) {
    guard.dispose();
    throw new OWOXApiError(`${request.subject} data stream could not be opened`);
  }
  return {
    stream: reply.stream,
    status: reply.status,
    runId: reply.runId ?? undefined,
    contentType: reply.contentType ?? undefined,
    callId,
    guard,
  };
}

/** `traverseData(id, options)` of one source (a data mart or a report). */
function traverseDataCall(native, { callName, source, path, queryOptions, buildQuery }) {
  const what = `${callName}()`;
  return async function traverseData(...args) {
    checkArgumentCount(args, callName, [source.idKey, 'options?']);
    const [id, options] = args;
    check.pathId(source.label.replace(/^OWOX /, ''))(id, what, source.idKey);
    const { signal, timeout, maxRetries, ...query } = callOptions(options, callName, queryOptions);
    const request = {
      path: path(encodeURIComponent(id)),
      query: buildQuery(query, what),
      subject: source.label,
      raw: false,
    };
    let opened;
    try {
      opened = await openStream(native, request, { signal, timeout, maxRetries });
    } catch (error) {
      throw withSourceContext(error, source, id, undefined);
    }
    return new HttpNdjsonTraversal(CREATED_BY_CLIENT, { ...opened, native, signal, source, sourceId: id });
  };
}

/** The `getStream()` path check the low-level methods make; the native side checks it is a safe `/api/` path. */
function checkStreamArguments(path, query) {
  const what = 'getStream()';
  if (typeof path !== 'string') check.refuse(what, 'path must be a string such as /api/external/http-data/data-marts/<id>.ndjson');
  if (query === undefined || query === null || query instanceof URLSearchParams) return;
  const scalar = (value) => value === undefined || ['string', 'number', 'boolean'].includes(typeof value);
  if (!check.isPlainObject(query) || !Object.values(query).every(scalar)) {
    check.refuse(
      what,
      'query must be a plain object of strings or a URLSearchParams; call options go in the last argument, ' +
        'e.g. getStream(path, undefined, { signal })',
    );
  }
}

// Statuses whose Response may not have a body.
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/**
 * `getStream(path, query?, options?)`: a standard `Response` whose body is a
 * `ReadableStream` of the raw bytes, pulled from the native stream only as it is read.
 * A non-2xx answer rejects with the usual typed error; a failure in the body (cut, idle
 * timeout) errors the body stream with an OWOXApiError; cancelling the body closes the socket.
 */
function getStreamCall(native) {
  return async function getStream(...args) {
    checkArgumentCount(args, 'getStream', ['path', 'query?', 'options?']);
    const [path, query, options] = args;
    checkStreamArguments(path, query);
    const { signal, timeout, maxRetries } = callOptions(options, 'getStream');
    const request = { path, query: queryString(query ?? undefined), subject: 'OWOX API', raw: true };
    const { stream, status, runId, contentType, callId, guard } = await openStream(native, request, {
      signal,
      timeout,
      maxRetries,
    });
    let closed = false;
    // Ends the read in progress when the body is cancelled or the signal aborts (a race
    // against the long-lived abort promise would keep every chunk read; see lib/ndjson.js).
    let wake;
    const close = () => {
      if (closed) return;
      closed = true;
      stream.cancel();
      if (callId !== undefined) native.cancel(callId);
      guard.dispose();
      wake?.(undefined);
    };
    let controllerOf;
    const body = new ReadableStream(
      {
        start(controller) {
          controllerOf = controller;
        },
        async pull(controller) {
          for (;;) {
            let reply;
            try {
              if (signal?.aborted) throw abortError(signal);
              if (closed) return;
              const read = stream.next();
              reply = await new Promise((resolve, reject) => {
                wake = resolve;
                read.then(resolve, reject);
              });
              wake = undefined;
              if (reply === undefined) return;
              reply = unwrap(reply, signal);
            } catch (error) {
              close();
              controller.error(error);
              return;
            }
            if (reply.bytes && reply.bytes.length > 0) {
              controller.enqueue(new Uint8Array(reply.bytes.buffer, reply.bytes.byteOffset, reply.bytes.length));
              return;
            }
            if (!reply.bytes) {
              closed = true;
              guard.dispose();
              controller.close();
              return;
            }
          }
        },
        cancel() {
          close();
        },
      },
      // Nothing is read ahead of the consumer: each read pulls one native chunk.
      { highWaterMark: 0 },
    );
    // An abort closes the socket and errors the body at once, whether or not a read waits.
    guard.aborted.catch((reason) => {
      close();
      try {
        controllerOf.error(reason);
      } catch {
        // Already closed or errored.
      }
    });
    const headers = new Headers();
    if (contentType !== undefined) headers.set('content-type', contentType);
    if (runId !== undefined) headers.set('x-owox-run-id', runId);
    if (NULL_BODY_STATUSES.has(status)) {
      close();
      return new Response(null, { status, headers });
    }
    return new Response(body, { status: status ?? 200, headers });
  };
}

/** The data-stream calls of a native client: `{ traverseDataMart, traverseReport, getStream }`. */
function nativeDataStreams(native) {
  return {
    traverseDataMart: traverseDataCall(native, {
      callName: 'dataMarts.traverseData',
      source: DATA_MART_SOURCE,
      path: (id) => `/api/external/http-data/data-marts/${id}.ndjson`,
      queryOptions: DATA_MART_QUERY_OPTIONS,
      buildQuery: dataMartQuery,
    }),
    traverseReport: traverseDataCall(native, {
      callName: 'reports.traverseData',
      source: REPORT_SOURCE,
      path: (id) => `/api/external/http-data/reports/${id}.ndjson`,
      queryOptions: ['limit'],
      buildQuery: reportQuery,
    }),
    getStream: getStreamCall(native),
  };
}

/**
 * Over a caller-supplied transport: `getStream` is the transport's own when it has one (the
 * original's requester interface); the traversals need the native reader, so they say so.
 */
function transportDataStreams(transport) {
  const needsNative = (callName) =>
    async function unavailable() {
      throw new OWOXConfigError(
        `${callName}() reads the stream natively and is not available with new OWOXApiClient({ transport }); ` +
          'use a client made with an API key',
      );
    };
  return {
    traverseDataMart: needsNative('dataMarts.traverseData'),
    traverseReport: needsNative('reports.traverseData'),
    async getStream(...args) {
      if (typeof transport.getStream !== 'function') {
        throw new OWOXConfigError('getStream() needs a transport with a getStream(path, query) method');
      }
      checkArgumentCount(args, 'getStream', ['path', 'query?', 'options?']);
      const [path, query, options] = args;
      checkStreamArguments(path, query);
      callOptions(options, 'getStream');
      return transport.getStream(path, query ?? undefined);
    },
  };
}

module.exports = { nativeDataStreams, transportDataStreams };
