/**
 * `@owox/api-client/testing`: a local, OWOX-compatible HTTP server and realistic fixtures,
 * for testing and benchmarking code that talks to the OWOX Data Marts API.
 *
 * The server speaks the same wire contract as the real backend for the endpoints the
 * client uses (token exchange, data marts, storages, destinations, auth context), with the
 * real status codes and NestJS-style error bodies, and adds test hooks: a request log,
 * fault injection and token expiry. It only listens on loopback addresses.
 *
 * @example
 * const { startTestServer } = require('@owox/api-client/testing');
 * const server = await startTestServer();
 * const client = new OWOXApiClient(server.credentials);
 * await client.dataMarts.list();
 * await server.close();
 */

/** A user reference as the real backend embeds it in list items. */
export interface UserProjection {
  userId: string;
  fullName: string | null;
  email: string | null;
  avatar: string | null;
}

/** One item of `GET /api/data-marts`, as produced by {@link generateDataMarts}. */
export interface DataMartItem {
  id: string;
  title: string;
  status: 'DRAFT' | 'PUBLISHED';
  storage: { type: string; title: string };
  description: string | null;
  definitionType: 'SQL' | 'TABLE' | 'VIEW' | 'TABLE_PATTERN' | 'CONNECTOR' | null;
  /** Present only when `definitionType` is `'CONNECTOR'`. */
  connectorSourceName?: string;
  triggersCount: number;
  reportsCount: number;
  createdByUser: UserProjection | null;
  businessOwnerUsers: UserProjection[];
  technicalOwnerUsers: UserProjection[];
  createdAt: string;
  modifiedAt: string;
  contexts: { id: string; name: string }[];
  availableForReporting: boolean;
  availableForMaintenance: boolean;
  dataLastUpdated: {
    dataLastUpdatedAt: string | null;
    computedAt: string;
    coverage: 'complete' | 'partial' | 'unavailable';
  } | null;
}

/** One item of `GET /api/data-storages`, as produced by {@link generateStorages}. */
export interface StorageItem {
  id: string;
  title: string;
  type: string;
  createdAt: string;
  modifiedAt: string;
  publishedDataMartsCount: number;
  draftDataMartsCount: number;
  createdByUser: UserProjection | null;
  ownerUsers: UserProjection[];
  contexts: { id: string; name: string }[];
  availableForUse: boolean;
  availableForMaintenance: boolean;
}

/** One item of `GET /api/data-destinations`, as produced by {@link generateDestinations}. */
export interface DestinationItem {
  id: string;
  title: string;
  type: string;
  projectId: string;
  credentials: { type: string; [key: string]: unknown };
  createdAt: string;
  modifiedAt: string;
  credentialId: string | null;
  createdByUser: UserProjection | null;
  ownerUsers: UserProjection[];
  availableForUse: boolean;
  availableForMaintenance: boolean;
  contexts: object[];
  config: object | null;
}

/** The body of `GET /api/auth/context` on the real server. */
export interface AuthContextBody {
  apiKeyId?: string | null;
  authFlow?: string | null;
  projectId: string;
  projectTitle?: string | null;
  userId: string;
  email?: string | null;
  fullName?: string | null;
  avatar?: string | null;
  roles?: string[];
  [key: string]: unknown;
}

/** The three-value credential form, ready to pass to `new OWOXApiClient(...)`. */
export interface Credentials {
  apiOrigin: string;
  apiKeyId: string;
  apiKeySecret: string;
}

/**
 * Items are served exactly as given (serialized with `JSON.stringify`), so tests can seed
 * unusual values: unknown fields, new enum values, `__proto__` keys, huge numbers.
 */
export interface SeedCollections {
  dataMarts?: readonly object[];
  storages?: readonly object[];
  destinations?: readonly object[];
  context?: object;
}

export interface TestServerOptions extends SeedCollections {
  /** Loopback only: `127.x.x.x`, `::1` or `localhost`; anything else throws. Default `'127.0.0.1'`. */
  host?: string;
  /** Default `0`: a random free port (read it from {@link TestServer.origin}). */
  port?: number;
  /** Default: a random, validly shaped id (`pmk_` + 22 base64url chars). */
  apiKeyId?: string;
  /** Default: a random, validly shaped secret (43 base64url chars). */
  apiKeySecret?: string;
  /**
   * Token lifetime in seconds, sent as `accessTokenExpiresIn` and enforced (an expired token
   * gets a 401). `null` omits the field and tokens never expire, like the self-hosted
   * "none" identity provider. Fractions are allowed, e.g. `0.2`. Default `900`.
   */
  tokenExpiresIn?: number | null;
  /** Data-mart page size. The real server's is fixed at 1000. Default `1000`. */
  pageSize?: number;
  /** Print one line per request to stderr. Default `false`. */
  log?: boolean;
  /**
   * Keep every request in {@link TestServer.requests}. Turn off in benchmarks;
   * {@link TestServer.count} keeps working either way. Default `true`.
   */
  recordRequests?: boolean;
  /** Gzip JSON bodies of 1 KiB or more when the request accepts gzip. Default `false`. */
  compression?: boolean;
}

/** One request as the server saw it. */
export interface RecordedRequest {
  method: string;
  /** The path without the query string. */
  path: string;
  /** Decoded query parameters; a repeated parameter becomes an array. */
  query: Record<string, string | string[]>;
  /** Request headers, names lower-cased. */
  headers: Record<string, string | string[] | undefined>;
  /** The request body as UTF-8 text; `''` when there was none. */
  body: string;
  /** Arrival time, `Date.now()` milliseconds. */
  at: number;
}

/** Which requests an injection or {@link TestServer.count} applies to. */
export interface RequestFilter {
  /** Case-insensitive. */
  method?: string;
  /** Matched against the path without the query string: exact string or RegExp. */
  path?: string | RegExp;
}

export interface InjectMatch extends RequestFilter {
  /** How many matching requests to take. `Infinity` allowed. Default `1`. */
  times?: number;
  /** Let the first N matching requests through untouched. Default `0`. */
  after?: number;
}

export interface Delay {
  /** Wait this long before playing the rest of the response. */
  delayMs?: number;
}

/**
 * An arbitrary response. A string or Buffer `body` is sent byte for byte (content type
 * `text/plain; charset=utf-8` unless `headers` say otherwise); any other value is sent as
 * JSON with `application/json; charset=utf-8`. No `body` means an empty body.
 */
export interface StatusResponse extends Delay {
  status?: number;
  headers?: Record<string, string | number | string[]>;
  body?: unknown;
}

/** Accept the request and never answer; the socket stays open until the client gives up or `close()`. */
export interface HangResponse extends Delay {
  hang: true;
}

/** Send the head (e.g. a `content-length` larger than what follows) and `partialBody`, then never finish. */
export interface StallResponse extends Delay {
  stall: true;
  status?: number;
  headers?: Record<string, string | number | string[]>;
  partialBody?: string | Uint8Array;
}

/** Destroy the connection (TCP reset where supported) without any response. */
export interface ResetResponse extends Delay {
  reset: true;
}

/**
 * 200 with an `application/json` body of exactly `bytes` bytes (a valid JSON array of
 * strings, `bytes >= 2`), streamed in 64 KiB chunks: fine for 100 MB and more.
 */
export interface BytesResponse extends Delay {
  bytes: number;
}

/** Route normally, after `delayMs`. (`{ delayMs }` alone does the same.) */
export interface PassthroughResponse extends Delay {
  passthrough: true;
}

export type InjectResponse =
  | StatusResponse
  | HangResponse
  | StallResponse
  | ResetResponse
  | BytesResponse
  | PassthroughResponse;

/** Returned by {@link TestServer.inject}; live, so tests can assert an injection was used up. */
export interface Injection {
  readonly match: InjectMatch;
  readonly response: InjectResponse;
  /** Uses left; `0` once consumed or after `clearInjections()`. */
  readonly remaining: number;
  /** How many requests it has answered. */
  readonly hits: number;
}

export interface TestServer {
  /** e.g. `'http://127.0.0.1:43127'`. */
  readonly origin: string;
  readonly apiKeyId: string;
  readonly apiKeySecret: string;
  /** The same credentials as one `owox_key_...` value. */
  readonly apiKey: string;
  /** `{ apiOrigin, apiKeyId, apiKeySecret }`, ready for `new OWOXApiClient(...)`. */
  readonly credentials: Credentials;

  /**
   * Every request seen, in arrival order (empty when `recordRequests` is off). Injected and
   * failed requests are recorded too. The array is cleared in place by `clearRequests()`.
   */
  readonly requests: RecordedRequest[];
  /** Every access token issued so far, e.g. to check none leaks into logs or errors. */
  readonly issuedTokens: string[];
  /** Currently open sockets, e.g. to check a client released its connection after an abort. */
  readonly connections: number;

  /** Replace the given collections (others keep their value). Returns the server. */
  seed(collections: SeedCollections): this;
  /**
   * Serialize every data-mart page of the unfiltered list now (pages are otherwise built
   * on first request and cached until the next `seed({ dataMarts })`). Benchmarks call it
   * so the first measured walk does not include the server's own JSON work (about 7 ms per
   * page of 1000 items). Returns the server.
   */
  warm(): this;
  /** Number of requests matching the filter since start or the last `clearRequests()`. */
  count(filter?: RequestFilter): number;
  clearRequests(): void;

  /**
   * Make matching requests misbehave. Checked before normal routing, in the order added;
   * each match uses up one of its `times`.
   *
   * @example
   * server.inject({ path: '/api/data-marts', times: 2 }, { status: 503, headers: { 'retry-after': '0' } });
   * server.inject({ path: '/api/auth/api-keys/exchange' }, { hang: true });
   * server.inject({ path: /^\/api\/data-/ }, { bytes: 100 * 1024 * 1024 });
   */
  inject(match: InjectMatch, response: InjectResponse): Injection;
  clearInjections(): void;

  /** Invalidate every token issued so far: the next authenticated request gets a 401. */
  expireTokens(): void;

  /** Stop listening and destroy every open socket, hung ones included. Idempotent. */
  close(): Promise<void>;
}

/** Start a server on a loopback address. Resolves once it is listening. */
export function startTestServer(options?: TestServerOptions): Promise<TestServer>;

export interface GenerateOptions {
  /** Same `n` and `seed` give the same items. Default `1`. */
  seed?: number;
}

/**
 * `n` realistic data marts, newest first: UUID-shaped ids from a counter, DRAFT and
 * PUBLISHED, several storage types, Cyrillic/Japanese/emoji titles, about 900 bytes each as
 * JSON, roughly one in six with no owners. 100,000 take well under a second.
 * The embedded user objects are shared between items and frozen; clone an item before
 * changing its users.
 */
export function generateDataMarts(n: number, options?: GenerateOptions): DataMartItem[];

/** `n` realistic data storages, newest first. */
export function generateStorages(n: number, options?: GenerateOptions): StorageItem[];

/** `n` realistic data destinations (Looker Studio and email), newest first. */
export function generateDestinations(n: number, options?: GenerateOptions): DestinationItem[];

/** Build the `owox_key_` + unpadded base64url(JSON) single-value form of the credentials. */
export function encodeApiKey(credentials: Credentials): string;
