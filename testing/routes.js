'use strict';

// The route table of the bundled server: every endpoint it serves, as method + path
// pattern + handler over the seeded collections (testing/store.js). A handler gets the
// request context and returns a reply (testing/replies.js) or throws an HttpError
// (testing/nest.js). Adding an endpoint is one entry here.
//
// Error messages taken from captured real responses (shared fixtures, v0.35): "Only data
// marts with connector definition type can be run manually", "Only connector, standard
// report, and Data Quality runs can be cancelled", "limit: limit must be ≥ 1", the
// license and STORAGE_READ_FAILED bodies; "Run not found" and "DataMart with id … and
// projectId … not found" come from the contract and the backend's source. Every other
// message here (409 cancel, unpublished manual run, unknown storage/report/plugin,
// plugin audience rules, the NDJSON query messages other than limit) is a plausible
// wording: the status and body shape are the real ones, the text was never captured.

const { randomUUID, createHash } = require('node:crypto');
const { json, cached, empty, html, stream } = require('./replies');
const { check, validate, validationFailed, badRequest, notFound, conflict, licenseRequired, storageReadFailed, dataReadError, isRecord } = require('./nest');
const { filterBy, hasOwnerUsers } = require('./store');
const shapes = require('./shapes');
const { renderMarkdown } = require('./markdown');
const { parseMartQuery, parseReportQuery, selectLines } = require('./ndjson');

const OWNER_FILTER = { type: 'string', optional: true, enum: ['has_owners', 'no_owners'] };
const PAGING = { limit: { type: 'number', optional: true }, offset: { type: 'number', optional: true } };
const SCOPES = ['deployment', 'project', 'member'];
const SEARCH_TYPES = ['DATA_MART', 'DATA_STORAGE', 'DATA_DESTINATION', 'REPORT'];
// Run types whose runs can be cancelled, per the real server's 400 message ("Only
// connector, standard report, and Data Quality runs can be cancelled").
const CANCELLABLE_TYPES = new Set(['CONNECTOR', 'DATA_QUALITY', 'GOOGLE_SHEETS_EXPORT', 'EMAIL', 'SLACK', 'MS_TEAMS', 'GOOGLE_CHAT']);
const ACTIVE_STATUSES = new Set(['PENDING', 'RUNNING']);
const SETUP_STEPS = [
  'hasStorage', 'hasDraftDataMart', 'hasPublishedDataMart', 'hasDestination', 'hasReport', 'hasReportRun',
  'hasTeammatesInvited', 'hasGoogleSheetsDestination', 'hasGoogleSheetsExtension', 'hasGoogleSheetsReportRun', 'hasMcpQuery',
];
const SEARCH_DEFAULT_LIMIT = 20;
const CANVAS_PAGE_SIZE = 1000;

// The real server stores times with whole seconds.
const nowIso = () => new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
const num = (v) => (v === undefined ? undefined : Number(Array.isArray(v) ? v[v.length - 1] : v));

function page(list, query, defaultLimit = Infinity) {
  const offset = num(query.offset) ?? 0;
  const limit = num(query.limit) ?? defaultLimit;
  return list.slice(Math.max(0, offset), Math.max(0, offset) + Math.max(0, limit));
}

function userOf(context) {
  return { userId: String(context.userId ?? '0'), fullName: context.fullName ?? null, email: context.email ?? null, avatar: context.avatar ?? null };
}

// ---- data marts -------------------------------------------------------------------------------

function martOr404(store, id) {
  const mart = store.martById(id);
  if (!mart) throw notFound(`DataMart with id ${id} and projectId ${shapes.PROJECT_ID} not found`);
  return mart;
}

function listDataMarts({ query, store, options }) {
  validate(query, { offset: { type: 'integer', optional: true, min: 0 }, ownerFilter: OWNER_FILTER }, { query: true });
  return cached(200, store.page(query.ownerFilter, num(query.offset) ?? 0, options.pageSize));
}

function createDataMart({ body, store }) {
  validate(body, { title: { type: 'string' }, storageId: { type: 'string' } });
  const storage = store.get('storages').find((s) => s?.id === body.storageId);
  if (!storage) throw notFound(`DataStorage with id ${body.storageId} and projectId ${shapes.PROJECT_ID} not found`);
  const at = nowIso();
  const me = userOf(store.get('context'));
  const item = {
    id: randomUUID(),
    title: body.title,
    status: 'DRAFT',
    storage: { type: storage.type, title: storage.title },
    description: null,
    definitionType: null,
    triggersCount: 0,
    reportsCount: 0,
    createdByUser: me,
    businessOwnerUsers: [],
    technicalOwnerUsers: [me],
    createdAt: at,
    modifiedAt: at,
    contexts: [],
    availableForReporting: true,
    availableForMaintenance: true,
    dataLastUpdated: null,
  };
  store.addMart(item);
  return json(201, { id: item.id, title: item.title });
}

const getDataMart = ({ params, store }) => json(200, store.martDetail(martOr404(store, params.id)));

function deleteDataMart({ params, store }) {
  martOr404(store, params.id);
  store.removeMart(params.id);
  return empty(200);
}

function getStorage({ params, store }) {
  const storage = store.get('storages').find((s) => s?.id === params.id);
  if (!storage) throw notFound(`DataStorage with id ${params.id} and projectId ${shapes.PROJECT_ID} not found`);
  return json(200, shapes.storageDetail(storage));
}

function listOwned(kind) {
  return ({ query, store }) => {
    validate(query, { ownerFilter: OWNER_FILTER }, { query: true });
    return cached(200, store.ownedList(kind, query.ownerFilter));
  };
}

// ---- runs ---------------------------------------------------------------------------------------

function listProjectRuns({ query, store }) {
  validate(query, PAGING, { query: true });
  const runs = page(store.get('runs'), query, 100);
  return json(200, { runs: runs.map((run) => shapes.projectRunItem(run, store.martById(run.dataMartId))) });
}

function listMartRuns({ params, query, store }) {
  validate(query, PAGING, { query: true });
  martOr404(store, params.id);
  const runs = page(store.get('runs').filter((run) => run?.dataMartId === params.id), query, 100);
  return json(200, { runs: runs.map(shapes.runListItem) });
}

function runOr404(store, martId, runId) {
  const run = store.get('runs').find((r) => r?.id === runId && r.dataMartId === martId);
  if (!run) throw notFound('Run not found');
  return run;
}

function getRun({ params, store }) {
  martOr404(store, params.id);
  return json(200, shapes.runDetail(runOr404(store, params.id, params.runId)));
}

const RUN_PAYLOAD = { runType: { type: 'string', optional: true, enum: ['INCREMENTAL', 'MANUAL_BACKFILL'] }, data: { type: 'object', optional: true } };

function startRun({ params, body, store }) {
  const errors = check(body ?? {}, { payload: { type: 'object', optional: true } });
  // Nested DTO errors carry the property path, as NestJS reports them.
  if (isRecord(body?.payload)) errors.push(...check(body.payload, RUN_PAYLOAD).map((message) => `payload.${message}`));
  if (errors.length > 0) throw validationFailed(errors);
  const mart = martOr404(store, params.id);
  if (mart.definitionType !== 'CONNECTOR') throw badRequest('Only data marts with connector definition type can be run manually');
  if (mart.status !== 'PUBLISHED') throw badRequest('Only published data marts can be run manually');
  const at = nowIso();
  const run = shapes.runRecord({
    id: randomUUID(),
    status: 'PENDING',
    type: 'CONNECTOR',
    runType: 'manual',
    dataMartId: mart.id,
    createdAt: at,
    createdByUser: userOf(store.get('context')),
    additionalParams: body?.payload === undefined ? null : { payload: body.payload },
  });
  store.get('runs').unshift(run);
  return json(201, { runId: run.id });
}

function cancelRun({ params, store }) {
  martOr404(store, params.id);
  const run = runOr404(store, params.id, params.runId);
  if (!CANCELLABLE_TYPES.has(run.type)) throw badRequest('Only connector, standard report, and Data Quality runs can be cancelled');
  if (!ACTIVE_STATUSES.has(run.status)) throw conflict('Run is no longer active');
  run.status = 'CANCELLED';
  run.finishedAt = nowIso();
  return empty(204);
}

// ---- project ---------------------------------------------------------------------------------

const getSettings = ({ store }) => json(200, { description: store.get('projectSettings').description ?? null });

function updateDescription({ body, store }) {
  validate(body, { description: { type: 'string', nullable: true, minLength: 1, maxLength: 10000 } });
  store.get('projectSettings').description = body.description;
  return json(200, { description: body.description });
}

function firstTime(items) {
  let first = null;
  for (const item of items) if (typeof item?.createdAt === 'string' && (first === null || item.createdAt < first)) first = item.createdAt;
  return first;
}

// Derived from the collections unless seeded, so it agrees with what the project holds.
function getSetupProgress({ store }) {
  const seeded = store.get('setupProgress');
  if (seeded) return json(200, seeded);
  const marts = store.get('dataMarts');
  const runs = store.get('runs');
  const destinations = store.get('destinations');
  const evidence = {
    hasStorage: store.get('storages'),
    hasDraftDataMart: marts,
    hasPublishedDataMart: marts.filter((m) => m?.status === 'PUBLISHED'),
    hasDestination: destinations,
    hasReport: store.get('reports'),
    hasReportRun: runs.filter((r) => r?.reportId),
    hasTeammatesInvited: [],
    hasGoogleSheetsDestination: destinations.filter((d) => d?.type === 'GOOGLE_SHEETS'),
    hasGoogleSheetsExtension: [],
    hasGoogleSheetsReportRun: runs.filter((r) => r?.type === 'GOOGLE_SHEETS_EXPORT'),
    hasMcpQuery: runs.filter((r) => r?.type === 'MCP_QUERY'),
  };
  const steps = {};
  let done = 0;
  for (const name of SETUP_STEPS) {
    const items = evidence[name];
    const isDone = items.length > 0;
    if (isDone) done++;
    steps[name] = { done: isDone, completedAt: isDone ? firstTime(items) : null };
  }
  return json(200, { version: 1, stepsSchemaVersion: 1, progress: Math.round((done * 100) / SETUP_STEPS.length), steps });
}

// ---- model canvas ---------------------------------------------------------------------------

function storageForCanvas(store, query) {
  validate(query, { storageId: { type: 'string' }, offset: { type: 'number', optional: true, min: 0 } }, { query: true });
  const storageId = Array.isArray(query.storageId) ? query.storageId.at(-1) : query.storageId;
  const storage = store.get('storages').find((s) => s?.id === storageId);
  if (!storage) throw notFound(`DataStorage with id ${storageId} and projectId ${shapes.PROJECT_ID} not found`);
  return storage;
}

const onStorage = (storage) => (m) => m?.storage?.type === storage.type && m?.storage?.title === storage.title;

function canvasDataMarts({ query, store }) {
  const storage = storageForCanvas(store, query);
  // Sorted by title, by UTF-16 code units, as the captured response is.
  const marts = store.get('dataMarts').filter(onStorage(storage)).sort((a, b) => (a.title < b.title ? -1 : a.title > b.title ? 1 : 0));
  const offset = num(query.offset) ?? 0;
  const items = marts.slice(offset, offset + CANVAS_PAGE_SIZE).map((m) => shapes.canvasNode(m, store.get('dataMartDetails')[m.id]));
  const next = offset + items.length;
  return json(200, { items, total: marts.length, nextOffset: next < marts.length ? next : null });
}

function canvasEdges({ query, store }) {
  const storage = storageForCanvas(store, query);
  const ids = new Set(store.get('dataMarts').filter(onStorage(storage)).map((m) => m.id));
  return json(200, { edges: store.get('modelCanvasEdges').filter((e) => ids.has(e?.sourceDataMartId) || ids.has(e?.targetDataMartId)) });
}

// ---- insight templates ------------------------------------------------------------------------

function listInsightTemplates({ query, store }) {
  validate(query, PAGING, { query: true });
  return json(200, { insights: page(store.get('insightTemplates'), query) });
}

function listMartInsightTemplates({ params, store }) {
  martOr404(store, params.dataMartId);
  const data = store.get('insightTemplates').filter((t) => t?.dataMart?.id === params.dataMartId).map(shapes.martInsightTemplate);
  return json(200, { data });
}

// ---- search ------------------------------------------------------------------------------------

function search({ query, store }) {
  validate(
    query,
    {
      q: { type: 'string', minLength: 1 },
      limit: { type: 'integer', optional: true, min: 1, max: 50 },
      entityTypes: { type: 'stringArray', optional: true, enum: SEARCH_TYPES },
      excludeDrafts: { type: 'boolean', optional: true },
    },
    { query: true },
  );
  const q = String(Array.isArray(query.q) ? query.q.at(-1) : query.q);
  const words = q.toLowerCase().split(/\s+/).filter(Boolean);
  const types = query.entityTypes === undefined ? SEARCH_TYPES : [query.entityTypes].flat().join(',').split(',');
  const excludeDrafts = [query.excludeDrafts].flat().at(-1) === 'true';
  const limit = num(query.limit) ?? SEARCH_DEFAULT_LIMIT;
  const candidates = [];
  const add = (entityType, entityId, title, description, extra) => {
    const text = `${title ?? ''} ${description ?? ''}`.toLowerCase();
    const hits = words.filter((w) => text.includes(w)).length;
    if (hits === 0) return;
    const kwScore = Math.round((hits * 100) / words.length);
    candidates.push({ entityType, entityId, title: title ?? '', description: description ?? null, finalScore: kwScore, kwScore, vecScore: null, ...extra });
  };
  if (types.includes('DATA_MART')) {
    for (const m of store.get('dataMarts')) if (!(excludeDrafts && m?.status === 'DRAFT')) add('DATA_MART', m.id, m.title, m.description);
  }
  if (types.includes('DATA_STORAGE')) for (const s of store.get('storages')) add('DATA_STORAGE', s.id, s.title, null);
  if (types.includes('DATA_DESTINATION')) for (const d of store.get('destinations')) add('DATA_DESTINATION', d.id, d.title, null);
  if (types.includes('REPORT')) {
    for (const r of store.get('reports')) {
      add('REPORT', r.id, r.title, null, {
        report: {
          dataMart: { id: r.dataMart?.id, title: r.dataMart?.title },
          dataDestination: { id: r.dataDestinationAccess?.id, title: r.dataDestinationAccess?.title, type: r.dataDestinationAccess?.type },
        },
      });
    }
  }
  candidates.sort((a, b) => b.finalScore - a.finalScore);
  return json(200, candidates.slice(0, limit));
}

// ---- markdown ----------------------------------------------------------------------------------

function parseMarkdown({ body }) {
  validate(body, { markdown: { type: 'string' } });
  return html(201, renderMarkdown(body.markdown));
}

// ---- plugins -----------------------------------------------------------------------------------

// "https://github.com/OWOX/example-plugin", "github.com/OWOX/example-plugin.git" and
// "OWOX/example-plugin" all name OWOX/example-plugin.
function canonicalRepository(value) {
  const m = /^(?:https?:\/\/)?(?:www\.)?(?:github\.com\/)?([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+?)(?:\.git)?\/?$/.exec(value.trim());
  if (!m) throw badRequest('repository must be a GitHub repository URL or owner/name');
  return `${m[1]}/${m[2]}`;
}

function stableUuid(text) {
  const h = createHash('sha1').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const PUBLISH_BODY = {
  repository: { type: 'string', minLength: 1 },
  scope: { type: 'string', enum: SCOPES },
  projectIds: { type: 'stringArray', optional: true },
  allProjects: { type: 'boolean', optional: true },
};

function checkAudience(body) {
  const hasIds = body.projectIds !== undefined;
  const hasAll = body.allProjects !== undefined;
  if (body.scope !== 'deployment') {
    if (hasIds || hasAll) throw badRequest('projectIds and allProjects are only allowed for the deployment scope');
    return;
  }
  if (hasIds && hasAll) throw badRequest('projectIds cannot be combined with allProjects');
  if (!hasIds && body.allProjects !== true) throw badRequest('A deployment publication needs projectIds or allProjects: true');
}

function newPublication(repository, scope) {
  return {
    publicationId: randomUUID(),
    pluginId: stableUuid(`plugin:${repository.toLowerCase()}`),
    repository,
    scope,
    isActive: true,
    allProjects: false,
    audienceProjectIds: [],
    currentSemver: '1.0.0',
    diagnostics: { deliveryUrl: null, commitSha: null, accessMode: 'anonymous', syncedAt: nowIso(), acceptedSemvers: ['1.0.0'], unchangedSemvers: [], rejections: [] },
  };
}

function findPublication(store, repository, scope) {
  return store.get('publications').find((p) => p?.scope === scope && String(p.repository).toLowerCase() === repository.toLowerCase());
}

function publish({ body, store }) {
  validate(body, PUBLISH_BODY);
  checkAudience(body);
  const repository = canonicalRepository(body.repository);
  let publication = findPublication(store, repository, body.scope);
  if (!publication) store.get('publications').push((publication = newPublication(repository, body.scope)));
  publication.isActive = true;
  if (body.allProjects === true) {
    publication.allProjects = true;
    publication.audienceProjectIds = [];
  } else if (body.projectIds) {
    publication.audienceProjectIds = [...new Set([...publication.audienceProjectIds, ...body.projectIds])];
  }
  return json(200, publication);
}

function unpublish({ body, store }) {
  validate(body, PUBLISH_BODY);
  const repository = canonicalRepository(body.repository);
  const publication = findPublication(store, repository, body.scope);
  if (!publication) throw notFound(`No ${body.scope} publication of ${repository}`);
  if (body.scope === 'deployment' && body.projectIds && !publication.allProjects) {
    publication.audienceProjectIds = publication.audienceProjectIds.filter((id) => !body.projectIds.includes(id));
    if (publication.audienceProjectIds.length === 0) publication.isActive = false;
  } else {
    publication.isActive = false;
    publication.allProjects = false;
    publication.audienceProjectIds = [];
  }
  return json(200, publication);
}

function listPublications({ query, store }) {
  validate(query, { scope: { type: 'string', enum: SCOPES } }, { query: true });
  return json(200, store.get('publications').filter((p) => p?.scope === query.scope));
}

function knownPlugin(store, raw) {
  const repository = canonicalRepository(raw);
  const any = store.get('publications').find((p) => String(p?.repository).toLowerCase() === repository.toLowerCase());
  if (!any) throw notFound(`Plugin ${repository} is not known to this deployment`);
  return any;
}

function updatePlugin({ body, store }) {
  validate(body, { repository: { type: 'string', minLength: 1 } });
  const p = knownPlugin(store, body.repository);
  const nextCheck = new Date(Date.now() + 86_400_000);
  return json(200, {
    pluginId: p.pluginId,
    repository: p.repository,
    currentVersionId: p.currentSemver === null ? null : stableUuid(`version:${p.pluginId}:${p.currentSemver}`),
    currentSemver: p.currentSemver,
    outcome: 'up_to_date',
    updated: false,
    nextCheckAt: nextCheck.toISOString(),
    diagnostics: null,
  });
}

function setSuspended(suspended) {
  return ({ body, store }) => {
    validate(body, { repository: { type: 'string', minLength: 1 }, note: { type: 'string', optional: true } });
    const p = knownPlugin(store, body.repository);
    return json(200, { pluginId: p.pluginId, suspended, note: body.note ?? null });
  };
}

// ---- reports ------------------------------------------------------------------------------------

function listReports({ query, store }) {
  validate(query, { ownerFilter: OWNER_FILTER, ...PAGING }, { query: true });
  return json(200, page(filterBy(store.get('reports'), query.ownerFilter, hasOwnerUsers), query));
}

function reportOr404(store, id) {
  const report = store.get('reports').find((r) => r?.id === id);
  if (!report) throw notFound(`Report with id ${id} and projectId ${shapes.PROJECT_ID} not found`);
  return report;
}

const getReport = ({ params, store }) => json(200, reportOr404(store, params.id));

// ---- NDJSON data --------------------------------------------------------------------------------

// A fault that fails the read before any row, as the real server answers it.
function failBeforeRows(fault, storageType) {
  if (fault?.fail === 'LICENSE_REQUIRED') throw licenseRequired();
  if (fault?.fail === 'STORAGE_READ_FAILED') throw storageReadFailed(storageType);
}

function streamDataMart({ params, query, store, options, fault }) {
  const parsed = parseMartQuery(query);
  const mart = store.martById(params.dataMartId);
  if (!mart) throw dataReadError(404, `DataMart with id ${params.dataMartId} and projectId ${shapes.PROJECT_ID} not found`);
  if (!options.licensed) throw licenseRequired();
  failBeforeRows(fault, mart.storage?.type);
  if (mart.status !== 'PUBLISHED') throw dataReadError(404, `Data Mart ${params.dataMartId} is not published`);
  return stream({ lines: selectLines(store.rowsOf(mart.id), parsed), dataMartId: mart.id, reportId: null, columns: parsed.column ?? [] });
}

function streamReport({ params, query, store, options, fault }) {
  const parsed = parseReportQuery(query);
  const report = store.get('reports').find((r) => r?.id === params.reportId);
  if (!report) throw dataReadError(404, `Report with id ${params.reportId} and projectId ${shapes.PROJECT_ID} not found`);
  if (!options.licensed) throw licenseRequired();
  const martId = report.dataMart?.id;
  failBeforeRows(fault, report.dataMart?.storage?.type);
  const limits = [parsed.limit, Number.isInteger(report.limitConfig) ? report.limitConfig : undefined].filter((n) => n !== undefined);
  const select = { limit: limits.length > 0 ? Math.min(...limits) : undefined };
  if (Array.isArray(report.columnConfig) && report.columnConfig.length > 0) select.column = report.columnConfig;
  return stream({ lines: selectLines(store.rowsOf(martId), select), dataMartId: martId, reportId: report.id, columns: select.column ?? [] });
}

/** The table. `public: true` routes need no token. */
const ROUTES = [
  { method: 'GET', path: '/api/data-marts', handler: listDataMarts },
  { method: 'POST', path: '/api/data-marts', handler: createDataMart },
  { method: 'GET', path: '/api/data-marts/{id}', handler: getDataMart },
  { method: 'DELETE', path: '/api/data-marts/{id}', handler: deleteDataMart },
  { method: 'GET', path: '/api/data-storages', handler: listOwned('storages') },
  { method: 'GET', path: '/api/data-storages/{id}', handler: getStorage },
  { method: 'GET', path: '/api/data-destinations', handler: listOwned('destinations') },
  { method: 'GET', path: '/api/auth/context', handler: ({ store }) => cached(200, store.contextBody()) },

  { method: 'GET', path: '/api/data-marts/runs', handler: listProjectRuns },
  { method: 'GET', path: '/api/data-marts/{id}/runs', handler: listMartRuns },
  { method: 'GET', path: '/api/data-marts/{id}/runs/{runId}', handler: getRun },
  { method: 'POST', path: '/api/data-marts/{id}/manual-run', handler: startRun },
  { method: 'POST', path: '/api/data-marts/{id}/runs/{runId}/cancel', handler: cancelRun },

  { method: 'GET', path: '/api/projects/settings', handler: getSettings },
  { method: 'PUT', path: '/api/projects/settings/description', handler: updateDescription },
  { method: 'GET', path: '/api/project-setup-progress', handler: getSetupProgress },

  { method: 'GET', path: '/api/model-canvas/data-marts', handler: canvasDataMarts },
  { method: 'GET', path: '/api/model-canvas/edges', handler: canvasEdges },

  { method: 'GET', path: '/api/data-marts/insight-templates', handler: listInsightTemplates },
  { method: 'GET', path: '/api/data-marts/{dataMartId}/insight-templates', handler: listMartInsightTemplates },

  { method: 'GET', path: '/api/search', handler: search },
  { method: 'POST', path: '/api/markdown/parse-to-html', handler: parseMarkdown },

  { method: 'POST', path: '/api/plugins/publications', handler: publish },
  { method: 'GET', path: '/api/plugins/publications', handler: listPublications },
  { method: 'POST', path: '/api/plugins/publications/unpublish', handler: unpublish },
  { method: 'POST', path: '/api/plugins/update', handler: updatePlugin },
  { method: 'POST', path: '/api/plugins/suspend', handler: setSuspended(true) },
  { method: 'POST', path: '/api/plugins/resume', handler: setSuspended(false) },

  { method: 'GET', path: '/api/reports', handler: listReports },
  { method: 'GET', path: '/api/reports/{id}', handler: getReport },

  { method: 'GET', path: '/api/external/http-data/data-marts/{dataMartId}.ndjson', handler: streamDataMart, stream: true },
  { method: 'GET', path: '/api/external/http-data/reports/{reportId}.ndjson', handler: streamReport, stream: true },
];

module.exports = { ROUTES };
