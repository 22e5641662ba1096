'use strict';
// The named calls of the OWOX Data Marts API, declared once: for each, the request it sends
// (method, path template, accept), where each argument goes (a path segment, the query, the
// body), how each argument is checked, and the top-level shape its answer must have.
// lib/resources.js builds every method from this table; adding a call is one entry here
// plus its types in index.d.ts.
//
// The names, arguments and requests are the original TypeScript client's (0.31), so a
// script written for it sends the same requests. Two deliberate differences: a bad argument
// is an OWOXConfigError (the original threw OWOXApiError for some), and answers get an
// envelope check only, so fields and enum values a newer server adds pass through.
//
// Entry fields:
//   method, path   `{name}` in the path is replaced by that argument, percent-encoded
//   args           the positional arguments, in order; an `options(...)` argument is the
//                  last one and also carries `{ signal, timeout, maxRetries }`; calls without
//                  it take those as an extra last argument
//   body(values)   the JSON body built from the checked arguments (none when absent)
//   accept         the accept header, when not JSON
//   shape(body)    true when the answer has the promised envelope
//   subject        who answered, for the shape error: `<subject> returned an unexpected response shape`
//   shapeError     the whole shape-error message, where the original words it differently
//   result(body)   what the caller gets, when not the body itself
//   returnsNothing the call resolves to undefined whatever the body
//   nativeFastPath a native client serves this call on its own path; the entry is used
//                  over a caller-supplied transport only
// Names with three parts (`runs.forDataMart.start`) are calls of a scope: `SCOPES` says
// which argument the scope binds.

const check = require('./arguments.js');

/** An argument that becomes a path segment. */
const inPath = (name, validate) => ({ name, in: 'path', check: validate });
/** A positional argument sent in the query (`String(value)`). */
const inQuery = (name, validate, more = {}) => ({ name, in: 'query', check: validate, ...more });
/** A positional argument the body is built from. */
const inBody = (name, validate, more = {}) => ({ name, in: 'body', check: validate, ...more });
/**
 * The options object of a call that takes query options: each field is checked and sent in
 * the query (`toQuery` turns it into the query text, or undefined to leave it out).
 */
const options = (fields) => ({ name: 'options', in: 'options', fields });
const field = (validate, toQuery = String) => ({ check: validate, toQuery });

const PAGE_FIELDS = { limit: field(check.positiveInteger), offset: field(check.nonNegativeInteger) };

const isRecord = check.isRecord;
const withArray = (name) => (body) => isRecord(body) && Array.isArray(body[name]);
const withString = (name) => (body) => isRecord(body) && typeof body[name] === 'string';
const isProjectSettings = (body) =>
  isRecord(body) && 'description' in body && (typeof body.description === 'string' || body.description === null);

/** The largest manual-run options the server takes (the original checks it first). */
const MAX_MANUAL_RUN_BYTES = 1024 * 1024;
const RUN_TYPES = ['INCREMENTAL', 'MANUAL_BACKFILL'];

/**
 * `start(options?)` takes the original's `{ runType?, data? }`: `runType` is INCREMENTAL (the
 * default) or MANUAL_BACKFILL, and `data`, an object of connector fields, only goes with
 * MANUAL_BACKFILL. Or `{ payload }`, the request body's own field sent as given (what the
 * CLI's --payload uses); the two forms share no key, so a 0.31 call always reads one way,
 * and mixing them is refused. At most 1 MB of JSON either way.
 */
function runStartRequest(value, what, name) {
  // The original's test of an object: arrays and null are refused, any other object passes.
  if (!check.isRecord(value)) check.refuse(what, `${name} must be an object: { runType?, data? } or { payload }`);
  const keys = Object.keys(value);
  if (keys.includes('payload')) {
    if (keys.length > 1) {
      check.refuse(what, `${name} takes either { runType?, data? } or { payload }, not both (payload is the whole body field)`);
    }
    if (value.payload !== undefined) check.plainObject(value.payload, what, `${name}.payload`);
    return checkRunStartSize(value, what);
  }
  const unknown = keys.filter((key) => key !== 'runType' && key !== 'data');
  if (unknown.length > 0) check.refuse(what, `${name} takes only runType and data (or { payload })`);
  if (value.runType !== undefined && !RUN_TYPES.includes(value.runType)) {
    check.refuse(what, `${name}.runType must be 'INCREMENTAL' or 'MANUAL_BACKFILL'`);
  }
  if (value.data !== undefined) {
    if (value.runType !== 'MANUAL_BACKFILL') {
      check.refuse(what, `${name}.data goes only with runType: 'MANUAL_BACKFILL' (an incremental run takes no data)`);
    }
    if (!check.isRecord(value.data)) check.refuse(what, `${name}.data must be an object of connector fields`);
  }
  if (keys.length > 0) checkRunStartSize(value, what);
}

function checkRunStartSize(value, what) {
  const text = check.jsonText(value, what);
  if (Buffer.byteLength(text) > MAX_MANUAL_RUN_BYTES) {
    check.refuse(what, 'the manual-run payload exceeds 1MB (the server refuses larger ones)');
  }
}

/** The manual-run body: `{}` without options, else `{ payload }` as the original sends it. */
function runStartBody({ request }) {
  if (request === undefined) return {};
  if (Object.hasOwn(request, 'payload')) return request.payload === undefined ? {} : { payload: request.payload };
  return Object.keys(request).length === 0 ? {} : { payload: request };
}

/** The plugin calls' input: `{ repository, scope, projectIds?, allProjects? }`, sent as given. */
const publicationInput = check.objectWith({
  repository: check.nonEmptyString,
  scope: check.nonEmptyString,
  projectIds: check.optional(check.stringArray),
  allProjects: check.optional(check.boolean),
});

/** The server's auth context, grouped as the native path (and the original) returns it. */
function reshapeAuthContext(body) {
  const text = (value) => (typeof value === 'string' ? value : null);
  return {
    apiKeyId: body.apiKeyId,
    authFlow: body.authFlow,
    project: { id: body.projectId, title: text(body.projectTitle) },
    member: {
      userId: body.userId,
      email: text(body.email),
      fullName: text(body.fullName),
      avatar: text(body.avatar),
      roles: body.roles,
    },
  };
}

function isAuthContext(body) {
  const optionalString = (value) => value === undefined || value === null || typeof value === 'string';
  return (
    isRecord(body) &&
    ['apiKeyId', 'authFlow', 'projectId', 'userId'].every((name) => typeof body[name] === 'string') &&
    ['projectTitle', 'email', 'fullName', 'avatar'].every((name) => optionalString(body[name])) &&
    Array.isArray(body.roles) &&
    body.roles.every((role) => typeof role === 'string')
  );
}

/** The argument each scope binds, e.g. `runs.forDataMart(dataMartId)`. */
const SCOPES = {
  'runs.forDataMart': inPath('dataMartId', check.pathId('Data Mart')),
};

const ENDPOINTS = {
  // Runs of the whole project, newest first.
  'runs.list': {
    method: 'GET',
    path: '/api/data-marts/runs',
    args: [options(PAGE_FIELDS)],
    shape: withArray('runs'),
    subject: 'OWOX Project Run History API',
  },
  'runs.forDataMart.start': {
    method: 'POST',
    path: '/api/data-marts/{dataMartId}/manual-run',
    args: [inBody('request', runStartRequest, { optional: true })],
    body: runStartBody,
    shape: withString('runId'),
    subject: 'OWOX Data Mart Manual Run API',
  },
  'runs.forDataMart.list': {
    method: 'GET',
    path: '/api/data-marts/{dataMartId}/runs',
    args: [options(PAGE_FIELDS)],
    shape: withArray('runs'),
    subject: 'OWOX Data Mart Runs API',
  },
  'runs.forDataMart.get': {
    method: 'GET',
    path: '/api/data-marts/{dataMartId}/runs/{runId}',
    args: [inPath('runId', check.pathId('run'))],
    shape: isRecord,
    subject: 'OWOX Data Mart Run API',
  },
  'runs.forDataMart.cancel': {
    method: 'POST',
    path: '/api/data-marts/{dataMartId}/runs/{runId}/cancel',
    args: [inPath('runId', check.pathId('run'))],
    returnsNothing: true,
  },

  'project.getSettings': {
    method: 'GET',
    path: '/api/projects/settings',
    args: [],
    shape: isProjectSettings,
    subject: 'OWOX Project Settings API',
  },
  'project.updateDescription': {
    method: 'PUT',
    path: '/api/projects/settings/description',
    args: [inBody('description', check.stringOrNull)],
    body: ({ description }) => ({ description }),
    shape: isProjectSettings,
    subject: 'OWOX Project Settings API',
  },
  'project.getSetupProgress': {
    method: 'GET',
    path: '/api/project-setup-progress',
    args: [],
    shape: (body) =>
      isRecord(body) &&
      ['version', 'stepsSchemaVersion', 'progress'].every((name) => typeof body[name] === 'number') &&
      isRecord(body.steps),
    subject: 'OWOX Project Setup Progress API',
  },

  'models.getDataMarts': {
    method: 'GET',
    path: '/api/model-canvas/data-marts',
    args: [
      inQuery('storageId', check.nonEmptyString),
      inQuery('offset', check.nonNegativeInteger, { optional: true, scalar: true }),
    ],
    shape: (body) =>
      withArray('items')(body) &&
      typeof body.total === 'number' &&
      (typeof body.nextOffset === 'number' || body.nextOffset === null),
    subject: 'OWOX Model Canvas data marts API',
  },
  'models.getEdges': {
    method: 'GET',
    path: '/api/model-canvas/edges',
    args: [inQuery('storageId', check.nonEmptyString)],
    shape: withArray('edges'),
    subject: 'OWOX Model Canvas edges API',
    // The original hands over the array, not the envelope.
    result: (body) => body.edges,
  },

  'insights.getTemplates': {
    method: 'GET',
    path: '/api/data-marts/insight-templates',
    args: [options(PAGE_FIELDS)],
    shape: withArray('insights'),
    subject: 'OWOX Project Insight Templates API',
  },

  'search.query': {
    method: 'GET',
    path: '/api/search',
    args: [
      inQuery('q', check.string),
      options({
        limit: field(check.positiveInteger),
        // Sent comma-separated, and left out when empty, as the original does.
        entityTypes: field(check.stringArray, (types) => (types.length > 0 ? types.join(',') : undefined)),
        excludeDrafts: field(check.boolean),
      }),
    ],
    shape: Array.isArray,
    subject: 'OWOX Search API',
  },

  'markdown.parseToHtml': {
    method: 'POST',
    path: '/api/markdown/parse-to-html',
    accept: 'text/html',
    args: [inBody('request', check.objectWith({ markdown: check.string }))],
    body: ({ request }) => request,
    shape: (body) => typeof body === 'string',
    subject: 'OWOX Markdown API',
  },

  'plugins.publish': {
    method: 'POST',
    path: '/api/plugins/publications',
    args: [inBody('input', publicationInput)],
    body: ({ input }) => input,
    shape: (body) => isRecord(body) && 'publicationId' in body,
    shapeError: 'OWOX Plugins API returned an unexpected response shape for publish',
  },
  'plugins.unpublish': {
    method: 'POST',
    path: '/api/plugins/publications/unpublish',
    args: [inBody('input', publicationInput)],
    body: ({ input }) => input,
    shape: (body) => isRecord(body) && 'publicationId' in body,
    shapeError: 'OWOX Plugins API returned an unexpected response shape for unpublish',
  },
  'plugins.listPublications': {
    method: 'GET',
    path: '/api/plugins/publications',
    args: [inQuery('scope', check.nonEmptyString)],
    shape: Array.isArray,
    subject: 'OWOX Plugins API',
  },
  'plugins.update': {
    method: 'POST',
    path: '/api/plugins/update',
    args: [inBody('repository', check.nonEmptyString)],
    body: ({ repository }) => ({ repository }),
    shape: (body) => isRecord(body) && 'pluginId' in body,
    shapeError: 'OWOX Plugins API returned an unexpected response shape for update',
  },
  'plugins.suspend': {
    method: 'POST',
    path: '/api/plugins/suspend',
    args: [inBody('repository', check.nonEmptyString), inBody('note', check.string, { optional: true, scalar: true })],
    body: ({ repository, note }) => ({ repository, note }),
    shape: isRecord,
    shapeError: 'OWOX Plugins API returned an unexpected response shape for suspend',
  },
  'plugins.resume': {
    method: 'POST',
    path: '/api/plugins/resume',
    args: [inBody('repository', check.nonEmptyString), inBody('note', check.string, { optional: true, scalar: true })],
    body: ({ repository, note }) => ({ repository, note }),
    shape: isRecord,
    shapeError: 'OWOX Plugins API returned an unexpected response shape for resume',
  },

  // Server 0.35 operations the original does not wrap: data-mart and report CRUD.
  'dataMarts.get': {
    method: 'GET',
    path: '/api/data-marts/{id}',
    args: [inPath('id', check.pathId('Data Mart'))],
    shape: isRecord,
    subject: 'OWOX Data Marts API',
  },
  'dataMarts.create': {
    method: 'POST',
    path: '/api/data-marts',
    args: [inBody('input', check.objectWith({ title: check.string, storageId: check.nonEmptyString }))],
    body: ({ input }) => input,
    shape: withString('id'),
    subject: 'OWOX Data Marts API',
  },
  'dataMarts.delete': {
    method: 'DELETE',
    path: '/api/data-marts/{id}',
    args: [inPath('id', check.pathId('Data Mart'))],
    returnsNothing: true,
  },
  'reports.list': {
    method: 'GET',
    path: '/api/reports',
    args: [options({ ownerFilter: field(check.nonEmptyString), ...PAGE_FIELDS })],
    // An array; an `items` page is accepted too, since the OpenAPI document says the
    // paginated form (with `limit`) differs from the legacy one without saying how.
    shape: (body) => Array.isArray(body) || withArray('items')(body),
    subject: 'OWOX Reports API',
  },
  'reports.get': {
    method: 'GET',
    path: '/api/reports/{id}',
    args: [inPath('id', check.pathId('report'))],
    shape: isRecord,
    subject: 'OWOX Reports API',
  },

  // The seed's calls: a native client serves these on its own path (the data-mart pager
  // lives in lib/data-mart-pages.js for the same reason); over a transport they are plain entries.
  'storages.list': {
    method: 'GET',
    path: '/api/data-storages',
    args: [],
    shape: Array.isArray,
    subject: 'OWOX Data Storages API',
    nativeFastPath: true,
  },
  'destinations.list': {
    method: 'GET',
    path: '/api/data-destinations',
    args: [],
    shape: Array.isArray,
    subject: 'OWOX Data Destinations API',
    nativeFastPath: true,
  },
  'auth.getContext': {
    method: 'GET',
    path: '/api/auth/context',
    args: [],
    shape: isAuthContext,
    subject: 'OWOX auth context API',
    result: reshapeAuthContext,
    nativeFastPath: true,
  },
};

module.exports = { ENDPOINTS, SCOPES };
