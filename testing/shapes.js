'use strict';

// How the real server presents one stored thing in each kind of response: the same data
// mart is a list item in `GET /api/data-marts`, a full object with its storage embedded in
// `GET /api/data-marts/{id}`, and a node in the model canvas. Key order follows the
// captures in the shared real-backend fixtures (v0.35).

const PROJECT_ID = '0';

function definitionOf(item) {
  const suffix = String(item.id).slice(-4);
  switch (item.definitionType) {
    case 'SQL':
      return { sqlQuery: `select * from analytics.mart_${suffix}` };
    case 'VIEW':
    case 'TABLE':
      return { fullyQualifiedName: `analytics.${item.definitionType.toLowerCase()}_${suffix}` };
    case 'TABLE_PATTERN':
      return { pattern: 'analytics.events_*' };
    case 'CONNECTOR':
      return { connector: { source: { name: item.connectorSourceName ?? null, configuration: [] } } };
    default:
      return null;
  }
}

/** The storage as `GET /api/data-storages/{id}` and a data mart's `storage` show it. */
function storageDetail(storage) {
  return {
    id: storage.id,
    title: storage.title,
    type: storage.type,
    projectId: PROJECT_ID,
    config: null,
    createdAt: storage.createdAt,
    modifiedAt: storage.modifiedAt,
    credentialId: null,
    createdByUser: storage.createdByUser ?? null,
    ownerUsers: storage.ownerUsers ?? [],
    availableForUse: storage.availableForUse ?? true,
    availableForMaintenance: storage.availableForMaintenance ?? false,
    contexts: storage.contexts ?? [],
  };
}

// A mart whose storage is not in the storage list still gets a full storage object.
function unlistedStorage(item) {
  return storageDetail({
    id: null,
    title: item.storage?.title ?? null,
    type: item.storage?.type ?? null,
    createdAt: item.createdAt,
    modifiedAt: item.modifiedAt,
  });
}

/**
 * `GET /api/data-marts/{id}` built from a list item. `definitionType` is sent only when
 * the mart has one (the real server leaves the key out for an undefined draft).
 */
function dataMartDetail(item, storage) {
  const detail = {
    id: item.id,
    title: item.title,
    status: item.status,
    storage: storage ? storageDetail(storage) : unlistedStorage(item),
  };
  if (item.definitionType) detail.definitionType = item.definitionType;
  detail.definition = definitionOf(item);
  detail.description = item.description ?? null;
  detail.schema = null;
  detail.triggersCount = item.triggersCount ?? 0;
  detail.reportsCount = item.reportsCount ?? 0;
  detail.blendedFieldsConfig = null;
  detail.createdByUser = item.createdByUser ?? null;
  detail.businessOwnerUsers = item.businessOwnerUsers ?? [];
  detail.technicalOwnerUsers = item.technicalOwnerUsers ?? [];
  detail.createdAt = item.createdAt;
  detail.modifiedAt = item.modifiedAt;
  detail.availableForReporting = item.availableForReporting ?? true;
  detail.availableForMaintenance = item.availableForMaintenance ?? true;
  detail.contexts = item.contexts ?? [];
  detail.dataLastUpdated = item.dataLastUpdated ?? null;
  return detail;
}

function fieldCountOf(detail) {
  const fields = detail?.schema?.fields;
  return Array.isArray(fields) ? fields.length : 0;
}

/** One node of `GET /api/model-canvas/data-marts`. */
function canvasNode(item, detail) {
  return {
    id: item.id,
    title: item.title,
    status: item.status,
    description: item.description ?? null,
    fieldCount: fieldCountOf(detail),
    dataLastUpdated: item.dataLastUpdated ?? null,
  };
}

/** A run in `GET /api/data-marts/{id}/runs`: the stored run without `dataQuality`. */
function runListItem(run) {
  const { dataQuality, ...rest } = run;
  return rest;
}

/** A run in `GET /api/data-marts/runs`: `dataMart: { id, title }` right after `dataMartId`. */
function projectRunItem(run, mart) {
  const out = {};
  for (const key of Object.keys(run)) {
    if (key === 'dataQuality' || key === 'dataMart') continue;
    out[key] = run[key];
    if (key === 'dataMartId') out.dataMart = { id: run.dataMartId, title: mart?.title ?? run.dataMart?.title ?? '' };
  }
  return out;
}

/** `GET /api/data-marts/{id}/runs/{runId}`: the stored run, `dataQuality` last. */
function runDetail(run) {
  return { ...runListItem(run), dataQuality: run.dataQuality ?? null };
}

/** A template in `GET /api/data-marts/{id}/insight-templates` (no `dataMart`, no `canDelete`). */
function martInsightTemplate(template) {
  const { dataMart, canDelete, ...rest } = template;
  return rest;
}

/**
 * A run as the real server stores it, in its key order: every field null unless given.
 * `fields` needs at least id, status, type, runType and dataMartId.
 */
function runRecord(fields) {
  return {
    id: null,
    status: null,
    type: null,
    runType: null,
    dataMartId: null,
    definitionRun: null,
    reportId: null,
    reportDefinition: null,
    insightId: null,
    insightDefinition: null,
    insightTemplateId: null,
    insightTemplateDefinition: null,
    aiSourceDefinition: null,
    logs: null,
    errors: null,
    createdAt: null,
    startedAt: null,
    finishedAt: null,
    createdByUser: null,
    additionalParams: null,
    totals: null,
    qualitySummary: null,
    dataQuality: null,
    ...fields,
  };
}

module.exports = {
  runRecord,
  PROJECT_ID,
  storageDetail,
  dataMartDetail,
  canvasNode,
  runListItem,
  projectRunItem,
  runDetail,
  martInsightTemplate,
};
