/**
 * `@owox/api-client/testing`: a local, OWOX-compatible HTTP server and realistic fixtures,
 * for testing and benchmarking code that talks to the OWOX Data Marts API.
 *
 * The server serves every call of the client (and of the original TypeScript client 0.31)
 * from seeded collections: the token exchange, data marts (list, get, create, delete),
 * storages, destinations, the auth context, runs, project settings and setup progress, the
 * model canvas, insight templates, search, markdown, plugin publications, reports, and the
 * NDJSON data streams of data marts and reports. Shapes, status codes and error bodies are
 * the real server 0.35's. It adds test hooks: a request log, fault injection (stream faults
 * included) and token expiry. It only listens on loopback addresses.
 *
 * @example
 * import { startTestServer } from '@owox/api-client/testing';
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
  /** Matched by `type` and `title` against the `storages` collection (for the mart's detail and the model canvas). */
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
  /** Secrets appear as `'<redacted>'`, as the real server sends them. */
  credentials: { type?: string; [key: string]: unknown };
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

/**
 * One run, in the shape of `GET /api/data-marts/{id}/runs/{runId}`. The lists leave out
 * `dataQuality`; `GET /api/data-marts/runs` adds `dataMart: { id, title }` (title looked
 * up in `dataMarts`). Runs are listed in the order of the collection (newest first by
 * convention); the server adds new ones at the front.
 */
export interface RunItem {
  id: string;
  status: 'PENDING' | 'RUNNING' | 'SUCCESS' | 'FAILED' | 'CANCELLED' | 'INTERRUPTED' | 'RESTRICTED' | (string & {});
  type: string;
  runType: 'manual' | 'scheduled';
  dataMartId: string;
  definitionRun: Record<string, unknown> | null;
  reportId: string | null;
  reportDefinition: Record<string, unknown> | null;
  insightId: string | null;
  insightDefinition: Record<string, unknown> | null;
  insightTemplateId: string | null;
  insightTemplateDefinition: Record<string, unknown> | null;
  aiSourceDefinition: Record<string, unknown> | null;
  logs: string[] | null;
  errors: string[] | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  createdByUser: UserProjection | null;
  additionalParams: Record<string, unknown> | null;
  totals: Record<string, number | string | boolean | null> | null;
  qualitySummary: Record<string, unknown> | null;
  dataQuality?: Record<string, unknown> | null;
  [key: string]: unknown;
}

/**
 * `GET /api/data-marts/{id}`: built from the list item and its storage, or taken from
 * `dataMartDetails[id]` when seeded there.
 */
export interface DataMartDetail {
  id: string;
  title: string;
  status: 'DRAFT' | 'PUBLISHED';
  storage: Record<string, unknown>;
  /** Left out for a draft that has no definition yet, as the real server does. */
  definitionType?: string;
  definition: Record<string, unknown> | null;
  description: string | null;
  schema: Record<string, unknown> | null;
  [key: string]: unknown;
}

/** One item of `GET /api/reports` / `GET /api/reports/{id}`: the data mart and destination embedded in full. */
export interface ReportItem {
  id: string;
  title: string;
  /** `dataMart.id` picks the rows the report streams. */
  dataMart: DataMartDetail;
  dataDestinationAccess: DestinationItem;
  destinationConfig: Record<string, unknown>;
  /** When an array, the report streams only these columns, in this order. */
  columnConfig: string[] | null;
  filterConfig: object[] | null;
  sortConfig: object[] | null;
  /** When set, the report streams at most this many rows. */
  limitConfig: number | null;
  aggregationConfig: object[] | null;
  dateTruncConfig: object[] | null;
  uniqueCountConfig: boolean | string[] | null;
  lastRunAt: string | null;
  lastRunStatus: string | null;
  lastRunError: string | null;
  runsCount: number;
  createdAt: string;
  modifiedAt: string;
  createdByUser: UserProjection | null;
  ownerUsers: UserProjection[];
  canRun: boolean;
  canManageTriggers: boolean;
  canEditConfig: boolean;
  [key: string]: unknown;
}

/**
 * One item of `GET /api/data-marts/insight-templates`. `GET /api/data-marts/{id}/insight-templates`
 * lists those whose `dataMart.id` is that mart, without `dataMart` and `canDelete`.
 */
export interface InsightTemplateItem {
  id: string;
  title: string;
  sourcesCount: number;
  lastRenderedTemplateUpdatedAt: string | null;
  createdById: string;
  createdAt: string;
  modifiedAt: string;
  createdByUser?: UserProjection | null;
  dataMart: { id: string; title: string };
  canDelete: boolean;
  [key: string]: unknown;
}

/** One edge of `GET /api/model-canvas/edges` (served when either end is a mart on the asked storage). */
export interface ModelCanvasEdge {
  id: string;
  sourceDataMartId: string;
  targetDataMartId: string;
  joinConditions: { sourceFieldName: string; targetFieldName: string }[];
}

/** `GET /api/project-setup-progress` as seeded (otherwise derived from the collections). */
export interface SetupProgress {
  version: number;
  stepsSchemaVersion: number;
  /** 0..100. */
  progress: number;
  steps: Record<string, { done: boolean; completedAt: string | null }>;
  [key: string]: unknown;
}

/** One plugin publication (`/api/plugins/publications`). */
export interface PluginPublication {
  publicationId: string;
  pluginId: string;
  /** Canonical `owner/name`. */
  repository: string;
  scope: 'deployment' | 'project' | 'member';
  isActive: boolean;
  allProjects: boolean;
  audienceProjectIds: string[];
  currentSemver: string | null;
  diagnostics: Record<string, unknown>;
}

/** One row of an NDJSON stream: any JSON object, sent as `JSON.stringify(row)`. */
export type Row = Record<string, unknown>;

/**
 * Rows that exist only as a count and a function, made by {@link generateRows}: the server
 * streams `lineAt(i)` (the JSON text of row `i`, no newline) without building objects, so
 * a million rows cost no memory. Iterating gives parsed rows.
 */
export interface RowSource extends Iterable<Row> {
  readonly length: number;
  lineAt(index: number): string;
}

/** The three-value credential form, ready to pass to `new OWOXApiClient(...)`. */
export interface Credentials {
  apiOrigin: string;
  apiKeyId: string;
  apiKeySecret: string;
}

/**
 * What the server answers from. Items are served exactly as given (serialized with
 * `JSON.stringify`), so tests can seed unusual values: unknown fields, new enum values,
 * `__proto__` keys, huge numbers. A collection not given holds a small sample project that
 * agrees with itself ({@link generateSampleData}). `runs`, `reports` and `insightTemplates`
 * that were never given follow the data marts: seeding `dataMarts` rebuilds them for the
 * new marts. Requests that change data (create or delete a mart, start or cancel a run,
 * update the description, publish a plugin, read a stream) change these collections, as
 * {@link TestServer.collection} shows.
 */
export interface SeedCollections {
  /** `GET /api/data-marts` (pages of `pageSize`), `GET/DELETE /api/data-marts/{id}`, `POST /api/data-marts`, search, model canvas. */
  dataMarts?: readonly object[];
  /** `GET /api/data-storages`, `GET /api/data-storages/{id}`; a mart's storage is found here by type and title. */
  storages?: readonly object[];
  /** `GET /api/data-destinations`. */
  destinations?: readonly object[];
  /** `GET /api/auth/context`; its user is the creator of what requests create. */
  context?: object;
  /** Runs in the detail shape ({@link RunItem}): `GET /api/data-marts/runs`, `.../{id}/runs`, `.../{id}/runs/{runId}`, cancel. */
  runs?: readonly object[];
  /** Reports ({@link ReportItem}): `GET /api/reports`, `GET /api/reports/{id}`, the report NDJSON stream. */
  reports?: readonly object[];
  /** Insight templates ({@link InsightTemplateItem}): `GET /api/data-marts/insight-templates` and per mart. */
  insightTemplates?: readonly object[];
  /** Model canvas edges ({@link ModelCanvasEdge}). Default: none. */
  modelCanvasEdges?: readonly object[];
  /** `{ description }` of `GET /api/projects/settings`. Default `{ description: null }`. */
  projectSettings?: { description: string | null };
  /** The body of `GET /api/project-setup-progress`; `null` (default) derives it from the collections. */
  setupProgress?: SetupProgress | null;
  /** Plugin publications ({@link PluginPublication}). Default: none. */
  publications?: readonly object[];
  /**
   * Rows per data-mart id, streamed by `GET /api/external/http-data/data-marts/{id}.ndjson`
   * (and by the reports on that mart): an array of row objects or a {@link generateRows}
   * source. A published mart without rows streams the five rows the real server sent in
   * the captured fixture (unicode, escapes, null, `-2e+21`, `9007199254740992`).
   */
  rows?: Record<string, readonly Row[] | RowSource>;
  /** Full `GET /api/data-marts/{id}` bodies by id, replacing the one built from the list item. */
  dataMartDetails?: Record<string, object>;
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
  /** Gzip JSON bodies of 1 KiB or more when the request accepts gzip (never NDJSON streams). Default `false`. */
  compression?: boolean;
  /**
   * `false` behaves like the community edition: every data read (both NDJSON endpoints)
   * is 400 with `errorDetails.blockedReasons: ['LICENSE_REQUIRED']`. Default `true`.
   */
  licensed?: boolean;
  /**
   * Send NDJSON bodies in chunks of exactly this many bytes instead of one HTTP chunk per
   * row (e.g. `65536` for a large-chunk benchmark). Default: one chunk per row, as the
   * real server does.
   */
  streamChunkBytes?: number;
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
 * An arbitrary response. A string or byte-array `body` is sent byte for byte (content type
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

/**
 * How an NDJSON stream misbehaves. The request is routed normally (token, query checks,
 * lookups), then the rows are written with the fault applied. Line numbers count from 1.
 */
export interface StreamFault {
  /** Send this many complete lines, then destroy the socket: the body ends with `\n` but without the terminating chunk (how the real server reports a failure after rows were sent). */
  cutAfter?: number;
  /** Send this many bytes of the body (mid-line, even inside a UTF-8 character), then destroy the socket: a line cut in the middle. */
  cutAfterBytes?: number;
  /** Send this many complete lines, then reset the connection (TCP RST where the platform allows, else a plain close). */
  resetAfter?: number;
  /** Send this many lines, then nothing more; the connection stays open (until the client leaves or `close()`). */
  stallAfter?: number;
  /** Replace this line with `malformedLine`; the rest of the stream is normal. */
  malformedAt?: number;
  /** The replacing text, without line breaks. Default: an object cut off in the middle. Use e.g. `'[1,2]'` for a line that is JSON but not an object. */
  malformedLine?: string;
  /** Wait this long before each line (a slow trickle). */
  trickleMs?: number;
  /** Re-cut the body into chunks of exactly this many bytes (`65536`: large chunks; `1`-`3`: lines and UTF-8 characters split across chunks). */
  chunkBytes?: number;
  /** Fail before the first row, as the real server does: 424 `STORAGE_READ_FAILED` with `details.dependency: 'storage'`, or 400 with `errorDetails.blockedReasons: ['LICENSE_REQUIRED']`. */
  fail?: 'STORAGE_READ_FAILED' | 'LICENSE_REQUIRED';
}

/** A stream fault for the next matching NDJSON request. On a route that does not stream, the server answers 500 saying so. */
export interface StreamFaultResponse extends Delay {
  stream: StreamFault;
}

export type InjectResponse =
  | StatusResponse
  | HangResponse
  | StallResponse
  | ResetResponse
  | BytesResponse
  | PassthroughResponse
  | StreamFaultResponse;

/** Returned by {@link TestServer.inject}; live, so tests can assert an injection was used up. */
export interface Injection {
  readonly match: InjectMatch;
  readonly response: InjectResponse;
  /** Uses left; `0` once consumed or after `clearInjections()`. */
  readonly remaining: number;
  /** How many requests it has answered. */
  readonly hits: number;
}

/** What {@link TestServer.collection} returns for each name: the items as the server holds them. */
export interface Collections {
  dataMarts: DataMartItem[];
  storages: StorageItem[];
  destinations: DestinationItem[];
  context: AuthContextBody;
  runs: RunItem[];
  reports: ReportItem[];
  insightTemplates: InsightTemplateItem[];
  modelCanvasEdges: ModelCanvasEdge[];
  projectSettings: { description: string | null };
  setupProgress: SetupProgress | null;
  publications: PluginPublication[];
  rows: Record<string, Row[] | RowSource>;
  dataMartDetails: Record<string, object>;
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
  /** Every route served, as `{ method, path }` with OpenAPI-style patterns (`/api/data-marts/{id}`). */
  readonly routes: readonly { method: string; path: string }[];

  /** Replace the given collections (others keep their value). An unknown name throws. Returns the server. */
  seed(collections: SeedCollections): this;
  /** The live value of one collection, including what requests changed (a created mart, a started run). */
  collection<K extends keyof Collections>(name: K): Collections[K];
  /**
   * Serialize every data-mart page of the unfiltered list now (pages are otherwise built
   * on first request and cached until the data marts change). Benchmarks call it so the
   * first measured walk does not include the server's own JSON work (about 7 ms per page
   * of 1000 items). Returns the server.
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
   * server.inject({ path: /\.ndjson$/ }, { stream: { cutAfter: 1000 } });
   */
  inject(match: InjectMatch, response: InjectResponse): Injection;
  clearInjections(): void;

  /** Invalidate every token issued so far: the next authenticated request gets a 401. */
  expireTokens(): void;

  /** Stop listening and destroy every open socket, hung and stalled ones included. Idempotent. */
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
 * PUBLISHED, Cyrillic/Japanese/emoji titles, about 900 bytes each as JSON, roughly one in
 * six with no owners. A title that names a connector is a connector mart of that
 * connector. Each mart's storage is one of `storages` (default: the first two of
 * {@link generateStorages} with the same seed, so any storage list of two or more from
 * that seed contains it). 100,000 take well under a second. The embedded user objects are
 * shared between items and frozen; clone an item before changing its users.
 */
export function generateDataMarts(n: number, options?: GenerateOptions & { storages?: readonly { type: string; title: string }[] }): DataMartItem[];

/** `n` realistic data storages, newest first. A shorter list is a prefix of a longer one (same seed). */
export function generateStorages(n: number, options?: GenerateOptions): StorageItem[];

/** `n` realistic data destinations (Looker Studio and email, alternating), newest first; secrets redacted. */
export function generateDestinations(n: number, options?: GenerateOptions): DestinationItem[];

/** Runs of the first `marts` (default 3) published, defined marts, `perMart` (default 2) each, newest first. */
export function generateRuns(dataMarts: readonly DataMartItem[], options?: GenerateOptions & { marts?: number; perMart?: number }): RunItem[];

/** Up to `count` (default 3) reports of the first published marts on the Looker Studio destinations. */
export function generateReports(
  dataMarts: readonly DataMartItem[],
  destinations: readonly DestinationItem[],
  options?: GenerateOptions & { storages?: readonly StorageItem[]; count?: number },
): ReportItem[];

/** Insight templates of the first `count` (default 2) marts. */
export function generateInsightTemplates(dataMarts: readonly DataMartItem[], options?: GenerateOptions & { count?: number }): InsightTemplateItem[];

/**
 * `count` NDJSON rows of about 200 bytes each (`id` from 1, `date`, `channel`, `campaign`
 * with unicode and quotes, `country`, `sessions`, `revenue`, `currency`, `isNew`, `note`
 * with a null every 7th row), made on demand: seed a million rows for a benchmark with
 * `rows: { [martId]: generateRows(1_000_000) }`. Deterministic per `seed`.
 */
export function generateRows(count: number, options?: GenerateOptions): RowSource;

export interface SampleData {
  dataMarts: DataMartItem[];
  storages: StorageItem[];
  destinations: DestinationItem[];
  runs: RunItem[];
  reports: ReportItem[];
  insightTemplates: InsightTemplateItem[];
}

/**
 * A small project that agrees with itself, ready to pass to `startTestServer` or `seed`:
 * storages (their mart counts recomputed), marts on them, destinations, and runs, reports
 * and insight templates of those marts. The server's default collections are
 * `generateSampleData()`. Defaults: 5 marts, 3 storages, 2 destinations, seed 1.
 */
export function generateSampleData(options?: { dataMarts?: number; storages?: number; destinations?: number; seed?: number }): SampleData;

/** Build the `owox_key_` + unpadded base64url(JSON) single-value form of the credentials. */
export function encodeApiKey(credentials: Credentials): string;
