// Response bodies of the real server (0.35.0), trimmed copies of
// /work/shared/fixtures/real-backend/v0.35/*.json, for the named-call tests.

const USER = { userId: '0', fullName: 'Admin', email: 'user@example.test', avatar: null };
const LICENSE = 'Report Runs require an active OWOX Data Marts Cloud license.';
const MART_ID = 'bc340f5d-1760-442a-9e6a-13fdcab8a5f6';
const RUN_ID = '9b17d0c7-9b9f-4a0e-b579-2ac5a0749eba';

export const IDS = { MART_ID, RUN_ID, STORAGE_ID: '3802e411-a45e-4b8a-85ff-e1078ce313db', REPORT_ID: '9dd28adf-6079-5192-b28e-9fa1c1d7524a' };

const run = {
  id: RUN_ID,
  status: 'RESTRICTED',
  type: 'HTTP_DATA',
  runType: 'manual',
  dataMartId: MART_ID,
  definitionRun: { sqlQuery: 'select 1 as a, 2 as b' },
  reportId: null,
  reportDefinition: null,
  insightId: null,
  insightDefinition: null,
  insightTemplateId: null,
  insightTemplateDefinition: null,
  aiSourceDefinition: null,
  logs: null,
  errors: [LICENSE],
  createdAt: '2026-11-30T12:02:46.000Z',
  startedAt: '2026-11-30T12:02:46.855Z',
  finishedAt: '2026-11-30T12:02:46.855Z',
  createdByUser: USER,
  additionalParams: { httpData: { format: 'ndjson', columns: [], completed: false } },
  totals: null,
  qualitySummary: null,
};

export const PROJECT_RUNS = { runs: [{ ...run, dataMart: { id: MART_ID, title: 'Mart 00017' } }] };
export const DATA_MART_RUNS = { runs: [run] };
export const DATA_MART_RUN = { ...run, dataQuality: null };

export const PROJECT_SETTINGS = { description: null };
export const PROJECT_SETTINGS_UPDATED = { description: 'Local test project' };

const step = (done, completedAt = null) => ({ done, completedAt });
export const SETUP_PROGRESS = {
  version: 1,
  stepsSchemaVersion: 1,
  progress: 36,
  steps: {
    hasStorage: step(true, '2026-11-30T11:54:05.116Z'),
    hasDraftDataMart: step(true, '2026-11-30T11:54:13.351Z'),
    hasPublishedDataMart: step(true, '2026-11-30T12:02:46.841Z'),
    hasDestination: step(true, '2026-11-30T11:54:06.943Z'),
    hasReport: step(false),
    hasReportRun: step(false),
    hasTeammatesInvited: step(false),
    hasGoogleSheetsDestination: step(false),
    hasGoogleSheetsExtension: step(false),
    hasGoogleSheetsReportRun: step(false),
    // A step 0.31 does not know: it passes through.
    hasMcpQuery: step(false),
  },
};

export const MODEL_CANVAS_PAGE = {
  items: [
    { id: 'f6b91a8d-a143-45bd-a66a-0baeac19a12e', title: '<script>alert(1)</script>', status: 'DRAFT', description: null, fieldCount: 0, dataLastUpdated: null },
    { id: '53bf963f-f117-46b9-85d9-2bb357196875', title: 'Extra 102', status: 'DRAFT', description: null, fieldCount: 0, dataLastUpdated: null },
  ],
  total: 232,
  nextOffset: null,
};

export const MODEL_CANVAS_EDGES = {
  edges: [
    {
      id: 'e1',
      sourceDataMartId: MART_ID,
      targetDataMartId: 'f6b91a8d-a143-45bd-a66a-0baeac19a12e',
      joinConditions: [{ sourceFieldName: 'id', targetFieldName: 'mart_id' }],
    },
  ],
};

export const INSIGHT_TEMPLATES = {
  insights: [
    {
      id: '631771a5-01cd-41a1-b129-f050af023a42',
      title: 'Weekly summary',
      sourcesCount: 0,
      lastRenderedTemplateUpdatedAt: null,
      createdById: '0',
      createdAt: '2026-11-30T12:02:47.000Z',
      modifiedAt: '2026-11-30T12:02:47.000Z',
      createdByUser: USER,
      dataMart: { id: '00dcfdfb-a7a3-4332-839c-f79b18e274e9', title: 'Extra 141' },
      canDelete: true,
    },
  ],
};

export const SEARCH_RESULTS = [
  { entityType: 'DATA_MART', entityId: MART_ID, title: 'Mart 00017', description: null, finalScore: 0.82, kwScore: 0.82, vecScore: null },
];

export const MARKDOWN_HTML =
  '<div class="markdown-body" style="color-scheme: light dark;"><h1 style="margin: .67em 0;">Hello</h1>\n</div>';

export const PUBLICATION = {
  publicationId: 'pub-1',
  pluginId: 'plugin-1',
  repository: 'owox/example-plugin',
  scope: 'project',
  isActive: true,
  allProjects: false,
  audienceProjectIds: [],
  currentSemver: '1.2.0',
  diagnostics: { deliveryUrl: null, commitSha: null, accessMode: null, syncedAt: null, acceptedSemvers: [], unchangedSemvers: [], rejections: [] },
};

export const UPDATE_RESULT = {
  pluginId: 'plugin-1',
  repository: 'owox/example-plugin',
  currentVersionId: null,
  currentSemver: '1.2.0',
  outcome: 'up_to_date',
  updated: false,
  nextCheckAt: '2026-12-01T00:00:00.000Z',
  diagnostics: null,
};

export const SUSPENSION = { pluginId: 'plugin-1', suspended: true, note: 'security review' };

export const DATA_MART = {
  id: '00dcfdfb-a7a3-4332-839c-f79b18e274e9',
  title: 'Extra 141',
  status: 'DRAFT',
  storage: { id: '32c22d9d-5d52-4df6-9939-07a6badbfa2e', title: 'AWS Athena', type: 'AWS_ATHENA', projectId: '0', config: null },
  definition: null,
  description: null,
  schema: null,
  triggersCount: 0,
  reportsCount: 0,
  blendedFieldsConfig: null,
  createdByUser: USER,
  businessOwnerUsers: [],
  technicalOwnerUsers: [],
  createdAt: '2026-11-30T11:54:13.000Z',
  modifiedAt: '2026-11-30T11:54:13.000Z',
};

export const DATA_MART_CREATED = { id: 'b4ebeac6-cc67-4481-bef0-ee9011a42eb5', title: 'Created with an API key' };

export const REPORT = {
  id: '9dd28adf-6079-5192-b28e-9fa1c1d7524a',
  title: '',
  dataMart: { id: MART_ID, title: 'Mart 00017', status: 'PUBLISHED' },
  destinationConfig: { type: 'looker-studio-config', cacheLifetime: 300 },
  lastRunAt: null,
  lastRunStatus: null,
  runsCount: 0,
  createdAt: '2026-11-30T12:02:47.000Z',
  modifiedAt: '2026-11-30T12:02:47.000Z',
  createdByUser: USER,
  ownerUsers: [USER],
  canRun: false,
  canManageTriggers: false,
  canEditConfig: true,
};

// Error bodies of the real server.
export const VALIDATION_400 = {
  message: 'Request validation failed',
  error: 'Bad Request',
  statusCode: 400,
  details: { errors: [{ message: 'limit must not be less than 1' }] },
  timestamp: '2026-11-30T12:02:46.902Z',
  path: '/api/x',
};

export const RUN_NOT_FOUND_404 = {
  message: 'Run not found',
  error: 'Not Found',
  statusCode: 404,
  timestamp: '2026-11-30T12:02:46.902Z',
  path: '/api/x',
};

export const STORAGE_424 = {
  code: 'STORAGE_READ_FAILED',
  message: 'Storage dependency failed while reading this Data Mart data: AWS Redshift returned an error: DataMart storage config must be provided',
  details: { dependency: 'storage', providerMessage: 'DataMart storage config must be provided', providerName: 'AWS Redshift', storageType: 'AWS_REDSHIFT' },
  statusCode: 424,
  timestamp: '2026-11-30T12:03:27.351Z',
  path: '/api/x',
};

export const MANUAL_RUN_400 = {
  message: 'Only data marts with connector definition type can be run manually',
  error: 'Bad Request',
  statusCode: 400,
  timestamp: '2026-11-30T12:02:46.902Z',
  path: `/api/data-marts/${MART_ID}/manual-run`,
};
