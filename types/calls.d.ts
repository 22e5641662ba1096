// The named calls of the original client 0.31 (and the data-mart/report CRUD of server
// 0.35), typed for people. Every call:
// - checks its arguments first: a wrong one rejects with `OWOXConfigError` and nothing is
//   sent (not even the token exchange);
// - rejects with `OWOXApiError` (`status`, `code`, `details` from the server's error body)
//   on an error answer, or when the answer's top-level shape is not the promised one
//   (message `<API> returned an unexpected response shape`, the body as `details`);
// - takes `{ signal, timeout, maxRetries }` (OWOXRequestOptions): in its options object
//   where it has one, else as one extra last argument.
// Results are what `JSON.parse` gives for the server's body. Only the envelope is checked,
// so fields and enum values a newer server adds pass through: hence the `string & {}`
// members of the enums and the index signatures.
// Times are ISO-8601 strings; `limit`/`offset` count items.

import type { OWOXRequestOptions, OWOXUser } from '../index';

/** An enum that may grow: the known values, and any string a newer server sends. */
type Open<T extends string> = T | (string & {});

/** A page window: `limit` >= 1 items from `offset` >= 0 (integers). */
export interface OWOXPageOptions extends OWOXRequestOptions {
  limit?: number | undefined;
  offset?: number | undefined;
}

// ---------------------------------------------------------------- runs

export type OWOXRunStatus = Open<'PENDING' | 'RUNNING' | 'SUCCESS' | 'FAILED' | 'CANCELLED' | 'INTERRUPTED' | 'RESTRICTED'>;
export type OWOXRunType = Open<
  | 'CONNECTOR'
  | 'GOOGLE_SHEETS_EXPORT'
  | 'LOOKER_STUDIO'
  | 'EXCEL'
  | 'EMAIL'
  | 'SLACK'
  | 'MS_TEAMS'
  | 'GOOGLE_CHAT'
  | 'INSIGHT'
  | 'INSIGHT_TEMPLATE'
  | 'AI_ASSISTANT'
  | 'HTTP_DATA'
  | 'MCP_QUERY'
  | 'DATA_QUALITY'
>;

/** One run of a data mart (a connector import, a report export, an HTTP data read, ...). */
export interface OWOXDataMartRun {
  id: string;
  status: OWOXRunStatus;
  type: OWOXRunType;
  /** `manual` or `scheduled`. */
  runType: Open<'manual' | 'scheduled'>;
  dataMartId: string;
  /** The definition as it was run (secrets masked), or null for old runs. */
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
  createdByUser: OWOXUser | null;
  additionalParams: Record<string, unknown> | null;
  totals: Record<string, number | string | boolean | null> | null;
  /** The data-quality summary of the run, when it checked quality. */
  qualitySummary?: Record<string, unknown> | null;
  [field: string]: unknown;
}

/** A run in the project-wide history: the run plus its data mart's id and title. */
export interface OWOXProjectDataMartRun extends OWOXDataMartRun {
  dataMart: { id: string; title: string; [field: string]: unknown };
}

/** `runs.forDataMart(id).get()`: the run with its data-quality detail (null when none). */
export interface OWOXDataMartRunDetail extends OWOXDataMartRun {
  dataQuality?: Record<string, unknown> | null;
}

/**
 * `runs.forDataMart(id).start()`'s options, as in the original client 0.31: sent as
 * `{ payload: <these options> }`. `data` is allowed only with `runType: 'MANUAL_BACKFILL'`.
 * At most 1 MB as JSON.
 */
export interface OWOXDataMartRunStartOptions {
  /** `'INCREMENTAL'` (the default when left out) or `'MANUAL_BACKFILL'`. */
  runType?: 'INCREMENTAL' | 'MANUAL_BACKFILL' | undefined;
  /** The connector's backfill fields, e.g. `{ StartDate: '2026-07-01', EndDate: '2026-07-31' }`; MANUAL_BACKFILL only. */
  data?: Record<string, unknown> | undefined;
  payload?: never;
}

/**
 * The body field itself, sent as given: `start({ payload })` sends `{ payload }` (or `{}`
 * without it). Cannot be mixed with `runType` or `data`.
 */
export interface OWOXRunStartRequest {
  /** The manual run's parameters, e.g. `{ runType: 'INCREMENTAL' }`. At most 1 MB as JSON. */
  payload?: Record<string, unknown> | undefined;
  runType?: never;
  data?: never;
}

export interface OWOXDataMartRunsScope {
  /**
   * Starts a manual run of a connector data mart. `POST /api/data-marts/{id}/manual-run`
   * with body `{}` without options, `{ payload: { runType, data } }` with the original's
   * options, or `{ payload }` as given. The server answers 400 for other definition types.
   * @throws OWOXConfigError before any request for an unknown key, another runType, `data`
   *   without `runType: 'MANUAL_BACKFILL'`, both forms at once, or more than 1 MB of JSON.
   */
  start(
    request?: OWOXDataMartRunStartOptions | OWOXRunStartRequest,
    options?: OWOXRequestOptions,
  ): Promise<{ runId: string; [field: string]: unknown }>;
  /** `GET /api/data-marts/{id}/runs?limit&offset`, newest first. */
  list(options?: OWOXPageOptions): Promise<{ runs: OWOXDataMartRun[]; [field: string]: unknown }>;
  /** `GET /api/data-marts/{id}/runs/{runId}`; 404 `Run not found` for an unknown run. */
  get(runId: string, options?: OWOXRequestOptions): Promise<OWOXDataMartRunDetail>;
  /**
   * `POST /api/data-marts/{id}/runs/{runId}/cancel` (no body). Resolves to undefined; the
   * server answers 400 for runs that cannot be cancelled (finished, or not a connector,
   * report or data-quality run).
   */
  cancel(runId: string, options?: OWOXRequestOptions): Promise<void>;
}

export interface OWOXRunsResource {
  /** The project's run history: `GET /api/data-marts/runs?limit&offset`, newest first. */
  list(options?: OWOXPageOptions): Promise<{ runs: OWOXProjectDataMartRun[]; [field: string]: unknown }>;
  /**
   * The runs of one data mart. Throws `OWOXConfigError` synchronously when the id is blank,
   * `.` or `..`, or holds `/`, `\` or `%` (it is percent-encoded into the path).
   */
  forDataMart(dataMartId: string): OWOXDataMartRunsScope;
}

// ---------------------------------------------------------------- project

export interface OWOXProjectSettings {
  description: string | null;
  [field: string]: unknown;
}

export interface OWOXProjectSetupStepState {
  done: boolean;
  completedAt: string | null;
}

export interface OWOXProjectSetupProgress {
  version: number;
  stepsSchemaVersion: number;
  /** Percent done, 0 to 100. */
  progress: number;
  /** `hasStorage`, `hasDraftDataMart`, `hasPublishedDataMart`, `hasDestination`, `hasReport`, ... */
  steps: Record<string, OWOXProjectSetupStepState>;
  [field: string]: unknown;
}

export interface OWOXProjectResource {
  /** `GET /api/projects/settings`. */
  getSettings(options?: OWOXRequestOptions): Promise<OWOXProjectSettings>;
  /** `PUT /api/projects/settings/description` with body `{ description }`; null clears it. */
  updateDescription(description: string | null, options?: OWOXRequestOptions): Promise<OWOXProjectSettings>;
  /** `GET /api/project-setup-progress`. */
  getSetupProgress(options?: OWOXRequestOptions): Promise<OWOXProjectSetupProgress>;
}

// ---------------------------------------------------------------- models

export interface OWOXModelCanvasNode {
  id: string;
  title: string;
  status: Open<'DRAFT' | 'PUBLISHED'>;
  description: string | null;
  fieldCount: number;
  [field: string]: unknown;
}

export interface OWOXModelCanvasDataMartsPage {
  items: OWOXModelCanvasNode[];
  total: number;
  /** Pass it as the next call's `offset`; null on the last page. */
  nextOffset: number | null;
  [field: string]: unknown;
}

export interface OWOXModelCanvasEdge {
  id: string;
  sourceDataMartId: string;
  targetDataMartId: string;
  joinConditions: { sourceFieldName: string; targetFieldName: string; [field: string]: unknown }[];
  [field: string]: unknown;
}

export interface OWOXModelsResource {
  /**
   * One page of a storage's data marts on the model canvas:
   * `GET /api/model-canvas/data-marts?storageId&offset`. `offset` may be left out before the
   * options object: `getDataMarts(storageId, { signal })`.
   */
  getDataMarts(storageId: string, offset?: number, options?: OWOXRequestOptions): Promise<OWOXModelCanvasDataMartsPage>;
  getDataMarts(storageId: string, options?: OWOXRequestOptions): Promise<OWOXModelCanvasDataMartsPage>;
  /** The relationships between them: `GET /api/model-canvas/edges?storageId`; resolves to the `edges` array. */
  getEdges(storageId: string, options?: OWOXRequestOptions): Promise<OWOXModelCanvasEdge[]>;
}

// ---------------------------------------------------------------- insights

export interface OWOXProjectInsightTemplate {
  id: string;
  title: string;
  sourcesCount: number;
  lastRenderedTemplateUpdatedAt: string | null;
  createdById: string;
  createdAt: string;
  modifiedAt: string;
  createdByUser?: OWOXUser | null;
  dataMart: { id: string; title: string; [field: string]: unknown };
  canDelete: boolean;
  [field: string]: unknown;
}

export interface OWOXInsightsResource {
  /** The project's insight templates: `GET /api/data-marts/insight-templates?limit&offset`. */
  getTemplates(options?: OWOXPageOptions): Promise<{ insights: OWOXProjectInsightTemplate[]; [field: string]: unknown }>;
}

// ---------------------------------------------------------------- search

export type OWOXSearchEntityType = Open<'DATA_MART' | 'DATA_STORAGE' | 'DATA_DESTINATION'>;

export interface OWOXSearchOptions extends OWOXRequestOptions {
  /** At most this many results (integer >= 1). */
  limit?: number | undefined;
  /** Only these kinds; sent comma-separated, left out when empty. */
  entityTypes?: OWOXSearchEntityType[] | undefined;
  /** Leave out draft data marts. */
  excludeDrafts?: boolean | undefined;
}

export interface OWOXSearchResult {
  entityType: OWOXSearchEntityType;
  entityId: string;
  title: string;
  description: string | null;
  /** Scores: higher is a better match. `vecScore` is null without semantic search. */
  finalScore: number;
  kwScore: number;
  vecScore: number | null;
  [field: string]: unknown;
}

export interface OWOXSearchResource {
  /** `GET /api/search?q&limit&entityTypes&excludeDrafts`, best match first. */
  query(q: string, options?: OWOXSearchOptions): Promise<OWOXSearchResult[]>;
}

// ---------------------------------------------------------------- markdown

export interface OWOXMarkdownResource {
  /**
   * Renders Markdown the way OWOX shows it: `POST /api/markdown/parse-to-html` with body
   * `{ markdown }` and `accept: text/html`. Resolves to the HTML string (inline styles,
   * scripts removed by the server).
   */
  parseToHtml(request: { markdown: string }, options?: OWOXRequestOptions): Promise<string>;
}

// ---------------------------------------------------------------- plugins

export type OWOXPluginPublicationScope = Open<'deployment' | 'project' | 'member'>;

export interface OWOXPublishPluginInput {
  /** GitHub repository, as a URL or owner/name. */
  repository: string;
  scope: OWOXPluginPublicationScope;
  /** Deployment scope: exactly one of `projectIds` and `allProjects`. */
  projectIds?: string[] | undefined;
  allProjects?: boolean | undefined;
}

export interface OWOXPluginPublication {
  publicationId: string;
  pluginId: string;
  /** Canonical owner/name. */
  repository: string;
  scope: OWOXPluginPublicationScope;
  isActive: boolean;
  allProjects: boolean;
  audienceProjectIds: string[];
  currentSemver: string | null;
  diagnostics: Record<string, unknown>;
  [field: string]: unknown;
}

export interface OWOXPluginUpdateResult {
  pluginId: string;
  repository: string;
  currentVersionId: string | null;
  currentSemver: string | null;
  outcome: Open<'updated' | 'up_to_date' | 'already_running' | 'failed'>;
  updated: boolean;
  /** When the deployment checks again on its own. */
  nextCheckAt: string | null;
  diagnostics: Record<string, unknown> | null;
  [field: string]: unknown;
}

export interface OWOXPluginSuspension {
  pluginId: string;
  suspended: boolean;
  note: string | null;
  [field: string]: unknown;
}

export interface OWOXPluginsResource {
  /** `POST /api/plugins/publications` with the input as the body. */
  publish(input: OWOXPublishPluginInput, options?: OWOXRequestOptions): Promise<OWOXPluginPublication>;
  /** `POST /api/plugins/publications/unpublish` with the input as the body. Installations are untouched. */
  unpublish(input: OWOXPublishPluginInput, options?: OWOXRequestOptions): Promise<OWOXPluginPublication>;
  /** `GET /api/plugins/publications?scope`: the publications the caller may manage at that scope. */
  listPublications(scope: OWOXPluginPublicationScope, options?: OWOXRequestOptions): Promise<OWOXPluginPublication[]>;
  /** Runs the managed update check now: `POST /api/plugins/update` with body `{ repository }`. */
  update(repository: string, options?: OWOXRequestOptions): Promise<OWOXPluginUpdateResult>;
  /** `POST /api/plugins/suspend` with body `{ repository, note? }`. `note` may be left out before the options. */
  suspend(repository: string, note?: string, options?: OWOXRequestOptions): Promise<OWOXPluginSuspension>;
  suspend(repository: string, options?: OWOXRequestOptions): Promise<OWOXPluginSuspension>;
  /** `POST /api/plugins/resume` with body `{ repository, note? }`. */
  resume(repository: string, note?: string, options?: OWOXRequestOptions): Promise<OWOXPluginSuspension>;
  resume(repository: string, options?: OWOXRequestOptions): Promise<OWOXPluginSuspension>;
}

// ---------------------------------------------------------------- data marts and reports (server 0.35)

/** One data mart as `GET /api/data-marts/{id}` returns it: the list item's fields and its definition. */
export interface OWOXDataMartDetail {
  id: string;
  title: string;
  status: Open<'DRAFT' | 'PUBLISHED'>;
  storage: { id: string; title: string | null; type: string; [field: string]: unknown };
  definitionType?: Open<'SQL' | 'TABLE' | 'VIEW' | 'TABLE_PATTERN' | 'CONNECTOR'> | null;
  definition: Record<string, unknown> | null;
  description: string | null;
  schema: Record<string, unknown> | null;
  createdAt: string;
  modifiedAt: string;
  [field: string]: unknown;
}

export interface OWOXReport {
  id: string;
  title: string;
  dataMart: { id: string; title: string; [field: string]: unknown };
  destinationConfig: { type: string; [field: string]: unknown };
  lastRunAt: string | null;
  lastRunStatus: string | null;
  runsCount: number;
  createdAt: string;
  modifiedAt: string;
  [field: string]: unknown;
}

export interface OWOXReportListOptions extends OWOXPageOptions {
  ownerFilter?: 'has_owners' | 'no_owners' | undefined;
}

/** The calls `dataMarts` has beside `list()` and `iterate()`. */
export interface OWOXDataMartCrud {
  /** `GET /api/data-marts/{id}`. The id rules are those of `runs.forDataMart()`. */
  get(id: string, options?: OWOXRequestOptions): Promise<OWOXDataMartDetail>;
  /** A draft data mart: `POST /api/data-marts` with body `{ title, storageId }`. */
  create(input: { title: string; storageId: string }, options?: OWOXRequestOptions): Promise<{ id: string; title: string; [field: string]: unknown }>;
  /** `DELETE /api/data-marts/{id}`. Resolves to undefined. */
  delete(id: string, options?: OWOXRequestOptions): Promise<void>;
}

export interface OWOXReportsResource {
  /**
   * The project's reports: `GET /api/reports?ownerFilter&limit&offset`. An array; with
   * `limit` the server may page (an object with `items`), which is returned as it is.
   */
  list(options?: OWOXReportListOptions): Promise<OWOXReport[] | { items: OWOXReport[]; [field: string]: unknown }>;
  /** `GET /api/reports/{id}`. */
  get(id: string, options?: OWOXRequestOptions): Promise<OWOXReport>;
}

// ---------------------------------------------------------------- low level and transport

/** A query for `getJson`: each key set once, or URLSearchParams for repeated keys. */
export type OWOXQuery = Record<string, string | number | boolean | undefined> | URLSearchParams;

/**
 * The original's low-level methods. On the native path `path` must be a safe `/api/...` path
 * (checked before any token exchange: at most 2048 characters, no backslash, no `%25`/`%2F`/
 * `%5C` or bad `%`, no `.`/`..` segment, the same origin), else `OWOXConfigError`. The result
 * is the parsed JSON body, the text for other content types, undefined for an empty body.
 * GET, PUT and DELETE are retried on transient failures; POST and PATCH only when the
 * request provably never left.
 */
export interface OWOXLowLevelMethods {
  getJson<T = unknown>(path: string, query?: OWOXQuery, options?: OWOXRequestOptions): Promise<T>;
  /** `accept` (e.g. `text/html`) may be left out before the options object. */
  postJson<T = unknown>(path: string, body: unknown, accept?: string, options?: OWOXRequestOptions): Promise<T>;
  postJson<T = unknown>(path: string, body: unknown, options?: OWOXRequestOptions): Promise<T>;
  putJson<T = unknown>(path: string, body: unknown, options?: OWOXRequestOptions): Promise<T>;
  patchJson<T = unknown>(path: string, body: unknown, options?: OWOXRequestOptions): Promise<T>;
  deleteJson<T = void>(path: string, options?: OWOXRequestOptions): Promise<T>;
}

/**
 * A caller-supplied transport (`new OWOXApiClient({ transport })`), as the original's plugin
 * SDK passes one: it holds the credentials, the client holds none. Bodies reach it as JSON
 * values; when the call has options they come as one extra last argument.
 */
export interface OWOXTransport {
  getJson<T>(path: string, query?: Record<string, string> | URLSearchParams, options?: OWOXRequestOptions): Promise<T>;
  postJson<T>(path: string, jsonBody: unknown, accept?: string, options?: OWOXRequestOptions): Promise<T>;
  putJson<T>(path: string, jsonBody: unknown, options?: OWOXRequestOptions): Promise<T>;
  /** Optional: without it `patchJson` rejects with `OWOXConfigError`. */
  patchJson?<T>(path: string, jsonBody: unknown, options?: OWOXRequestOptions): Promise<T>;
  /** Optional: without it `deleteJson` and `dataMarts.delete` reject with `OWOXConfigError`. */
  deleteJson?<T = void>(path: string, options?: OWOXRequestOptions): Promise<T>;
  /**
   * Optional: what `client.authenticate()` calls; with `{ signal, timeout, maxRetries }`
   * (only those set) when the call has options, so the transport can stop its own work.
   */
  authenticate?(options?: OWOXRequestOptions): Promise<void>;
  /** The original's streaming method, for NDJSON data reads. */
  getStream?(path: string, query?: URLSearchParams): Promise<unknown>;
}
