// Public types of @owox/api-client, written for people. The native binding's generated
// types (native.d.ts) are an implementation detail and not part of this surface.

import type {
  OWOXDataMartCrud,
  OWOXInsightsResource,
  OWOXMarkdownResource,
  OWOXModelsResource,
  OWOXPluginsResource,
  OWOXProjectResource,
  OWOXQuery,
  OWOXReportsResource,
  OWOXRunsResource,
  OWOXSearchResource,
  OWOXTransport,
} from './types/calls';

// The named calls' types (runs, project, models, ...): written for people, in ./types/calls.d.ts.
export * from './types/calls';
import type { OWOXRequestArgs, OWOXRoute, OWOXRouteResult } from './types/request';
// client.request()'s types, derived from the server's OpenAPI document: ./types/request.d.ts.
export * from './types/request';

/** Credentials as three values, as the OWOX Data Marts UI shows them. */
// Optional properties also accept `undefined` (read as "not given"), so passing
// `process.env.X` type-checks under `exactOptionalPropertyTypes` too.
export interface OWOXApiKeyParts {
  /** e.g. `https://app.owox.com`: scheme, host and optional port only. */
  apiOrigin?: string | undefined;
  /** The key id, `pmk_...` (not secret). */
  apiKeyId?: string | undefined;
  /** The key secret. Keep it out of code: read it from the environment. */
  apiKeySecret?: string | undefined;
}

/** Transport settings shared by every call of a client. */
export interface OWOXTransportOptions {
  /** Milliseconds per attempt before the call fails with code `TIMEOUT`. Default 60000. */
  timeout?: number | undefined;
  /** Extra attempts for transient failures (GET and token exchange only). 0 to 10, default 2. */
  maxRetries?: number | undefined;
  /** Largest response body accepted, in bytes. Default 64 MiB, at most 1 GiB. */
  maxResponseBytes?: number | undefined;
  /** Appended to the default user agent (`@owox/api-client/<version> node/<version>`). */
  userAgent?: string | undefined;
}

/**
 * Options of `new OWOXApiClient()`. Pass `apiKey`, or the three parts, or nothing: then
 * `OWOX_API_KEY` is read, else `OWOX_API_ORIGIN`, `OWOX_API_KEY_ID` and `OWOX_API_KEY_SECRET`.
 * A part not passed is read from its own variable (`OWOX_API_KEY_ID` for `apiKeyId`, ...).
 * Any other property, or a second argument, throws `OWOXConfigError`.
 */
export interface OWOXApiClientOptions extends OWOXApiKeyParts, OWOXTransportOptions {
  /** The single copyable key, `owox_key_...`. Together with any of the three parts it throws `OWOXConfigError`. */
  apiKey?: string | undefined;
}

/**
 * Options every call accepts as its only argument. A property the call does not list, a
 * second argument, or options that are not a plain object reject with `OWOXConfigError`
 * before anything is sent.
 */
export interface OWOXRequestOptions {
  /**
   * Aborting rejects the call at once with `signal.reason`, as `fetch` does (a plain
   * `abort()` gives the `DOMException` named `AbortError`, `AbortSignal.timeout()` the one
   * named `TimeoutError`), and stops its request and pending retries.
   */
  signal?: AbortSignal | undefined;
  /** Overrides the client's `timeout` for this call (milliseconds per attempt). */
  timeout?: number | undefined;
  /** Overrides the client's `maxRetries` for this call. */
  maxRetries?: number | undefined;
}

export interface OWOXDataMartListOptions extends OWOXRequestOptions {
  /** Start at this offset instead of the first data mart. */
  offset?: number | undefined;
  /** Only data marts with owners, or only those without. */
  ownerFilter?: 'has_owners' | 'no_owners' | undefined;
}

/** A user as the API embeds it in other objects. */
export interface OWOXUser {
  userId: string;
  fullName: string | null;
  email: string | null;
  avatar: string | null;
  [field: string]: unknown;
}

/**
 * A data mart as `GET /api/data-marts` lists it. Fields a newer server adds are passed
 * through untouched, hence the index signature.
 */
export interface OWOXDataMart {
  id: string;
  title: string;
  status: string;
  storage: { type: string; title: string; [field: string]: unknown };
  description: string | null;
  definitionType: string | null;
  triggersCount: number;
  reportsCount: number;
  createdByUser: OWOXUser | null;
  businessOwnerUsers: OWOXUser[];
  technicalOwnerUsers: OWOXUser[];
  createdAt: string;
  modifiedAt: string;
  contexts: unknown[];
  availableForReporting: boolean;
  availableForMaintenance: boolean;
  dataLastUpdated: string | null;
  [field: string]: unknown;
}

/** A data storage (BigQuery, Athena, Snowflake, ...). */
export interface OWOXStorage {
  id: string;
  title: string | null;
  type: string;
  createdAt: string;
  modifiedAt: string;
  [field: string]: unknown;
}

/** A data destination (Looker Studio, Google Sheets, email, ...). */
export interface OWOXDestination {
  id: string;
  title: string;
  type: string;
  createdAt: string;
  modifiedAt: string;
  [field: string]: unknown;
}

/** Who the API key acts as: `auth.getContext()`. */
export interface OWOXAuthContext {
  apiKeyId: string;
  authFlow: string;
  project: { id: string; title: string | null };
  member: {
    userId: string;
    email: string | null;
    fullName: string | null;
    avatar: string | null;
    roles: string[];
  };
}

/** `list()` and `iterate()` walk the pages; `get()`, `create()` and `delete()` are single requests (./types/calls.d.ts). */
export interface OWOXDataMartsResource extends OWOXDataMartCrud {
  /** Every data mart, all pages (1000 per page), in server order (newest first). */
  list(options?: OWOXDataMartListOptions): Promise<OWOXDataMart[]>;
  /**
   * Data marts one by one, as the loop consumes them. While a page is handed out, the next
   * one is already being fetched (one page ahead, never more).
   */
  iterate(options?: OWOXDataMartListOptions): AsyncIterableIterator<OWOXDataMart>;
  /** The data mart's rows as an NDJSON stream: see "NDJSON data streams" below. */
  traverseData(dataMartId: string, options?: OWOXTraverseDataOptions): Promise<HttpNdjsonTraversal>;
}

export interface OWOXStoragesResource {
  list(options?: OWOXRequestOptions): Promise<OWOXStorage[]>;
}

export interface OWOXDestinationsResource {
  list(options?: OWOXRequestOptions): Promise<OWOXDestination[]>;
}

export interface OWOXAuthResource {
  getContext(options?: OWOXRequestOptions): Promise<OWOXAuthContext>;
}

/**
 * `new OWOXApiClient({ transport })`: every call goes through `transport` (the original's
 * plugin-SDK form); the client holds no credential and needs none. No other option may
 * come with it. Paths pass the same safe-path check as on the native path before the
 * transport sees them (else `OWOXConfigError`); an aborted `signal` rejects with its reason;
 * `timeout`/`maxRetries` are handed to the transport, which does its own timing and
 * retrying. `dataMarts.traverseData` and `reports.traverseData` are not available.
 */
export interface OWOXTransportClientOptions {
  transport: OWOXTransport;
}

export declare class OWOXApiClient {
  /** Throws `OWOXConfigError` synchronously when the options or credentials are unusable. */
  constructor(options?: OWOXApiClientOptions | OWOXTransportClientOptions);
  /** The normalized origin, e.g. `https://app.owox.com` (undefined in the `{ transport }` form). */
  readonly origin: string;
  readonly dataMarts: OWOXDataMartsResource;
  readonly storages: OWOXStoragesResource;
  readonly destinations: OWOXDestinationsResource;
  readonly auth: OWOXAuthResource;
  readonly runs: OWOXRunsResource;
  readonly project: OWOXProjectResource;
  readonly models: OWOXModelsResource;
  readonly insights: OWOXInsightsResource;
  readonly search: OWOXSearchResource;
  readonly markdown: OWOXMarkdownResource;
  readonly plugins: OWOXPluginsResource;
  readonly reports: OWOXReportsResource & OWOXReportDataResource;
  /**
   * Exchanges the API key for an access token now (e.g. to check a key): `POST
   * /api/auth/api-keys/exchange`. In the `{ transport }` form, calls `transport.authenticate()`
   * when it has one. Rejects with `signal.reason` when the signal aborts (at once when it
   * already has), in both forms.
   */
  authenticate(options?: OWOXRequestOptions): Promise<void>;
  /**
   * The original's low-level methods, for any safe `/api/...` path: checked before any
   * token exchange (at most 2048 characters, no backslash, no `%25`/`%2F`/`%5C` or bad `%`,
   * no `.`/`..` segment, the same origin), else `OWOXConfigError`. They resolve to the
   * parsed JSON body, the text for other content types, undefined for an empty body. GET,
   * PUT and DELETE are retried on transient failures; POST and PATCH only when the request
   * provably never left. Over a `{ transport }` they call its same-named methods, after the
   * same path check.
   */
  getJson<T = unknown>(path: string, query?: OWOXQuery, options?: OWOXRequestOptions): Promise<T>;
  /** `accept` (e.g. `text/html`) may be left out before the options object. */
  postJson<T = unknown>(path: string, body: unknown, accept?: string, options?: OWOXRequestOptions): Promise<T>;
  postJson<T = unknown>(path: string, body: unknown, options?: OWOXRequestOptions): Promise<T>;
  putJson<T = unknown>(path: string, body: unknown, options?: OWOXRequestOptions): Promise<T>;
  patchJson<T = unknown>(path: string, body: unknown, options?: OWOXRequestOptions): Promise<T>;
  deleteJson<T = void>(path: string, options?: OWOXRequestOptions): Promise<T>;
  /**
   * Any operation of the server that accepts an API key, by its OpenAPI route:
   * `request('GET /api/data-marts/{id}', { id })`. Sends the route's method to its path with
   * each `{placeholder}` filled from `params` (percent-encoded), `params.query` as the query
   * string and `params.body` as the JSON body; resolves to the parsed 2xx body (text for
   * non-JSON content, undefined when empty). `OWOXConfigError` before any request for a
   * route that refuses API keys or is unknown, or params that do not fit it. See ./types/request.d.ts.
   */
  request<R extends OWOXRoute>(route: R, ...args: OWOXRequestArgs<R>): Promise<OWOXRouteResult<R>>;
  /** A raw data stream as a standard `Response`: see "NDJSON data streams" below. */
  getStream(path: string, query?: OWOXQuery, options?: OWOXRequestOptions): Promise<Response>;
  toJSON(): { origin: string };
}

export interface OWOXApiErrorOptions {
  status?: number | undefined;
  code?: string | undefined;
  details?: unknown;
  cause?: unknown;
  attempts?: number | undefined;
}

/** A request that failed: an HTTP error, a bad response, a timeout or a network failure. */
export declare class OWOXApiError extends Error {
  constructor(message: string, options?: OWOXApiErrorOptions);
  /** HTTP status, when the server answered. */
  status: number | undefined;
  /**
   * The server's `code` (or `error`), or one of the client's: `NETWORK_ERROR`, `TIMEOUT`,
   * `RESPONSE_TOO_LARGE`, `INVALID_RESPONSE`.
   */
  code: string | undefined;
  /** The server's `details` (or `errorDetails`), else its whole body. */
  details: unknown;
  /** How many attempts were made, when the error comes from a call; after retries the message ends with "(after N attempts)". */
  attempts?: number;
  /**
   * What caused it, e.g. the transport error behind `NETWORK_ERROR`. Declared here as well
   * as on `Error`, whose `cause` exists only from `lib` es2022 on.
   */
  cause?: unknown;
}

/** The API key was refused: the token exchange failed, or a request got a 401 twice. */
export declare class OWOXAuthError extends OWOXApiError {}

/** Unusable options or credentials; thrown before any request is made. */
export declare class OWOXConfigError extends Error {
  constructor(message: string);
  /** Declared for `lib` older than es2022, where `Error` has no `cause`. */
  cause?: unknown;
}

/** `'owox_key_'`: how every single-value API key starts. */
export declare const API_KEY_PREFIX: 'owox_key_';

/**
 * Splits an `owox_key_...` value into its parts (values trimmed, origin normalized), as the
 * constructor reads it. Throws `OWOXConfigError` with the reason (never the key) when it is
 * not one: a missing prefix, a payload that is not base64url JSON of an object, a missing
 * field, or an origin that is not a bare http(s) origin.
 */
export declare function parseOWOXApiKey(value: string): { apiOrigin: string; apiKeyId: string; apiKeySecret: string };

// ---------------------------------------------------------------- NDJSON data streams

/**
 * Options of `dataMarts.traverseData(id, options)`: the original client's query options
 * plus `signal`, `timeout` and `maxRetries`. Each rule list is sent as base64url of its JSON.
 * The request: `GET /api/external/http-data/data-marts/{id}.ndjson?columns&column...&filter&sort&aggregation&dateTrunc&limit`.
 */
export interface OWOXTraverseDataOptions extends OWOXRequestOptions {
  /** `'*'`: the data mart's columns; `'**'`: with the hidden ones too (not with `column`). */
  columns?: '*' | '**' | undefined;
  /** Exact columns, in the order the rows should have them (sent as repeated `column`). */
  column?: readonly string[] | undefined;
  /** Filter rules, e.g. `[{ column: 'Country', operator: 'in', value: ['DE'] }]`; null sends none. */
  filter?: readonly unknown[] | null | undefined;
  /** Sort rules, e.g. `[{ column: 'Revenue', direction: 'desc' }]`; null sends none. */
  sort?: readonly unknown[] | null | undefined;
  /** Aggregation rules, e.g. `[{ column: 'Revenue', function: 'SUM' }]`; null sends none. */
  aggregation?: readonly unknown[] | null | undefined;
  /** Date truncation rules, e.g. `[{ column: 'Date', unit: 'MONTH' }]`; null sends none. */
  dateTrunc?: readonly unknown[] | null | undefined;
  /** At most this many rows: an integer >= 1. */
  limit?: number | undefined;
}

/** Options of `reports.traverseData(id, options)`: `GET /api/external/http-data/reports/{id}.ndjson?limit`. */
export interface OWOXTraverseReportDataOptions extends OWOXRequestOptions {
  /** At most this many rows: an integer >= 1 (the report's own limit still applies). */
  limit?: number | undefined;
}

export interface OWOXReportDataResource {
  /** The report's rows as an NDJSON stream (its columns, its limit). */
  traverseData(reportId: string, options?: OWOXTraverseReportDataOptions): Promise<HttpNdjsonTraversal>;
}

/** One row of a data stream: keys in the server's (requested) column order, values as `JSON.parse` makes them. */
export type OWOXDataRow = Record<string, unknown>;

/** What `saveTo()` wrote: rows, and bytes in the file. */
export interface OWOXSavedExport {
  rows: number;
  bytes: number;
}

/**
 * The rows of one data stream, from `dataMarts.traverseData()` or `reports.traverseData()`
 * (which reject with the usual typed errors when the server fails before the first row:
 * 424 `STORAGE_READ_FAILED`, 400 with `LICENSE_REQUIRED`, 404, or a 200 that is not
 * `application/x-ndjson`). The body is read, split, checked and batched natively, only as
 * fast as it is consumed; there is no total timeout, but the call's `timeout` is the idle
 * time allowed between bytes.
 *
 * It is read once, by one of `rowChunks()`, `for await`, `toReadable()` or `saveTo()`; a
 * second read throws `OWOXApiError('<label> data stream can only be traversed once')`.
 * A failure in the body surfaces where the rows are read, after every complete row before
 * it, as an `OWOXApiError` whose `details` start with `dataMartId` (or `reportId`) and
 * `runId`: code `STREAM_INTERRUPTED` (the body ended without its terminating chunk, the
 * connection was reset, or a line was cut), `TIMEOUT` (nothing arrived for `timeout` ms),
 * `RESPONSE_TOO_LARGE` (one line longer than `maxResponseBytes`), or no code with
 * `Malformed NDJSON line <n> in <label> data stream` (`details.lineNumber`,
 * `details.linePreview`: its first 200 characters) or `NDJSON line <n> is not a JSON object`.
 * Line numbers count non-blank lines. An aborted signal rejects the read with
 * `signal.reason`, as `fetch` does, and closes the connection.
 */
export declare class HttpNdjsonTraversal implements AsyncIterable<OWOXDataRow> {
  /** Made by the client only; `new` throws `OWOXConfigError`. */
  private constructor();
  /** The server's `x-owox-run-id` for this read, when it sent one. */
  readonly runId: string | undefined;
  /** Arrays of rows, one per batch (a few dozen KiB of JSON each), in server order. */
  rowChunks(): AsyncIterableIterator<OWOXDataRow[]>;
  /** Rows one by one; `break` closes the connection. */
  [Symbol.asyncIterator](): AsyncIterator<OWOXDataRow>;
  /**
   * A Node object-mode `Readable` of the rows for `stream.pipeline()`: it reads one batch
   * ahead at most; destroying it closes the connection; a stream failure destroys it with
   * the error after the rows before it.
   */
  toReadable(): import('node:stream').Readable;
  /**
   * Writes the rest of the stream to `path` natively, without a JavaScript object per row:
   * `ndjson` (default) as the lines came, or `csv` (a header of the first row's keys in
   * server order, RFC 4180 quoting, `null` empty, numbers as sent, nested values as JSON).
   * The file is written under a temporary name beside `path` and renamed over it at the
   * end; on any failure the temporary file is removed and `path` is left as it was.
   * Rejects with the stream's errors, code `STREAM_CANCELLED` when `cancel()` is called
   * meanwhile, an `OWOXApiError` naming the path when the file cannot be written, or
   * `OWOXConfigError` for a bad path or format (the stream stays unread).
   */
  saveTo(path: string | URL, options?: { format?: 'ndjson' | 'csv' | undefined }): Promise<OWOXSavedExport>;
  /** Closes the connection now (the server sees it); a read in progress ends without error. */
  cancel(): Promise<void>;
  toJSON(): { dataMartId?: string; reportId?: string; runId: string | undefined };
}

/** The original client's name for the traversal class. */
export declare const DataMartDataTraversal: typeof HttpNdjsonTraversal;
export type DataMartDataTraversal = HttpNdjsonTraversal;
