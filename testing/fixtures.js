'use strict';

// Realistic, deterministic collections shaped like the real backend's responses (see the
// captures in the shared real-backend fixtures). Same (n, seed) -> same items, so tests can
// compare exact values and benchmarks are repeatable. The sample data is consistent with
// itself: every data mart's storage is in the storage list, a connector mart's title names
// its connector, and nothing that looks like a credential appears (the real server
// redacts secrets as "<redacted>", and so do these).

const { dataMartDetail, runRecord } = require('./shapes');

// Small fast PRNG: Math.random is not seedable and crypto is far too slow for 100k items.
function prng(seed) {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = (rnd, list) => list[Math.floor(rnd() * list.length)];

// Ids look like v4 UUIDs but come from a counter: readable in failures, never colliding
// between kinds (the second group) or between seeds (the first group).
function idFor(seed, kind, n) {
  return `${(seed >>> 0).toString(16).padStart(8, '0')}-${kind}-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

const KIND = {
  dataMart: '0da7',
  storage: '057e',
  destination: 'de57',
  user: '05e5',
  credential: 'c7ed',
  context: 'c0e7',
  run: '0a00',
  report: '4e90',
  insight: '1a51',
  edge: 'ed9e',
};

const ADMIN = { userId: '0', fullName: 'Admin', email: 'admin@localhost', avatar: null };
const USERS = [
  ADMIN,
  { userId: idFor(0, KIND.user, 1), fullName: 'Ada Lovelace', email: 'ada@example.com', avatar: 'https://example.com/avatars/ada.png' },
  { userId: idFor(0, KIND.user, 2), fullName: 'Иван Петров', email: 'ivan.petrov@example.com', avatar: null },
  { userId: idFor(0, KIND.user, 3), fullName: '山田 太郎', email: 'taro.yamada@example.jp', avatar: null },
  { userId: idFor(0, KIND.user, 4), fullName: null, email: 'etl-bot@example.com', avatar: null },
];

// Shared rather than copied: fresh copies cost ~20% of the time for 100k marts (GC of
// surviving objects). Frozen, so a test mutating one item's user fails loudly instead of
// silently changing every item that shares it.
for (const u of USERS) Object.freeze(u);
const user = (rnd) => pick(rnd, USERS);

// Up to `max` distinct users: the same person is never listed twice as an owner.
function users(rnd, max) {
  const count = Math.floor(rnd() * (max + 1));
  const start = Math.floor(rnd() * USERS.length);
  const out = [];
  for (let i = 0; i < count; i++) out.push(USERS[(start + i) % USERS.length]);
  return out;
}

// Storage i of every generated list is STORAGE_TYPES[i % 7], so a shorter list is a prefix
// of a longer one with the same seed.
const STORAGE_TYPES = [
  ['GOOGLE_BIGQUERY', 'Google BigQuery'],
  ['AWS_ATHENA', 'AWS Athena'],
  ['SNOWFLAKE', 'Snowflake EU'],
  ['GOOGLE_BIGQUERY', 'BigQuery — marketing'],
  ['AWS_REDSHIFT', 'Redshift (prod)'],
  ['DATABRICKS', 'Databricks'],
  ['GOOGLE_BIGQUERY', 'Хранилище аналитики'],
];

// What a mart is about decides how it is defined: a title that names a connector is a
// connector mart of that connector, and the description (when any) is about the same data.
const MART_TEMPLATES = [
  { title: 'Sales by region', definitionType: 'SQL', description: 'Daily sales aggregated by region and channel. Refreshed every morning at 06:00 UTC.' },
  { title: 'Продажи по регионам', definitionType: 'SQL', description: 'Продажи по регионам и каналам, по дням.' },
  { title: '売上レポート', definitionType: 'VIEW', description: '日次の売上集計ビュー。' },
  { title: 'Marketing spend 📈', definitionType: 'SQL', description: 'Spend, clicks and impressions from all paid channels, normalized to USD.' },
  { title: 'Ad performance — Facebook Ads', definitionType: 'CONNECTOR', connector: 'FacebookMarketing', description: 'Campaign statistics imported from Facebook Ads.' },
  { title: 'Google Ads campaigns', definitionType: 'CONNECTOR', connector: 'GoogleAds', description: null },
  { title: 'TikTok Ads spend', definitionType: 'CONNECTOR', connector: 'TikTokAds', description: null },
  { title: 'LinkedIn Ads leads', definitionType: 'CONNECTOR', connector: 'LinkedInAds', description: null },
  { title: 'Exchange rates (USD base)', definitionType: 'CONNECTOR', connector: 'OpenExchangeRates', description: 'Daily currency rates against USD.' },
  { title: 'Cohort retention', definitionType: 'SQL', description: null },
  { title: 'GA4 events (raw)', definitionType: 'TABLE_PATTERN', description: 'Сырые события из GA4 (events_*), очищенные от ботов.' },
  { title: 'Revenue "daily"', definitionType: 'VIEW', description: null },
  { title: 'Ventas por país', definitionType: 'SQL', description: 'Ventas diarias por país.' },
  { title: 'Umsatz je Kanal', definitionType: 'TABLE', description: null },
  { title: 'Zażółć gęślą jaźń', definitionType: 'TABLE', description: null },
  { title: '数据集市 · 订单', definitionType: 'TABLE', description: '订单明细，每行一个订单。' },
  { title: 'Funnel 🚀 checkout', definitionType: 'SQL', description: null },
  { title: 'Заказы и возвраты', definitionType: 'SQL', description: 'Joined orders, refunds and customers; one row per order line. Owners: analytics team 🧮' },
  { title: 'LTV by acquisition channel', definitionType: 'SQL', description: null },
];

const CONTEXTS = ['Marketing', 'Finance', 'Продукт', 'Sales EMEA'];

// A fixed "now" keeps output identical from run to run; it matches the real samples' era.
const BASE_TIME = Date.parse('2026-11-28T00:00:00.000Z');
const MINUTE = 60_000;
const iso = (ms) => new Date(ms).toISOString();

function contexts(rnd) {
  if (rnd() < 0.7) return [];
  const i = Math.floor(rnd() * CONTEXTS.length);
  return [{ id: idFor(0, KIND.context, i + 1), name: CONTEXTS[i] }];
}

function assertCount(n, name) {
  if (!(Number.isSafeInteger(n) && n >= 0)) throw new TypeError(`${name}: n must be a non-negative integer`);
}

/**
 * `n` data marts as `GET /api/data-marts` lists them, newest first. Each one's storage is
 * taken from `storages` (default: the first two of `generateStorages`, so any storage list
 * of two or more from the same seed contains every mart's storage).
 */
function generateDataMarts(n, { seed = 1, storages } = {}) {
  assertCount(n, 'generateDataMarts');
  const pool = storages ?? generateStorages(2, { seed });
  if (!Array.isArray(pool) || pool.length === 0) throw new TypeError('generateDataMarts: storages must be a non-empty array');
  const rnd = prng(seed);
  const out = new Array(n);
  let t = BASE_TIME;
  for (let i = 0; i < n; i++) {
    // Newest first, like the real list: walk backwards in time.
    t -= MINUTE * (1 + Math.floor(rnd() * 90));
    const created = iso(t);
    const modified = rnd() < 0.5 ? created : iso(t + MINUTE * Math.floor(rnd() * 5000));
    const status = rnd() < 0.35 ? 'DRAFT' : 'PUBLISHED';
    const storage = pick(rnd, pool);
    const template = pick(rnd, MART_TEMPLATES);
    // A draft may not be defined yet; a published mart always is.
    const defined = status === 'PUBLISHED' || rnd() < 0.5;
    const item = {
      id: idFor(seed, KIND.dataMart, n - i),
      title: `${template.title} #${n - i}`,
      status,
      storage: { type: storage.type, title: storage.title },
      description: template.description,
      definitionType: defined ? template.definitionType : null,
    };
    // Optional in the schema and only sent for connector marts, so key order stays real.
    if (defined && template.connector) item.connectorSourceName = template.connector;
    item.triggersCount = Math.floor(rnd() * 4);
    item.reportsCount = Math.floor(rnd() * 12);
    item.createdByUser = rnd() < 0.05 ? null : user(rnd);
    // Roughly one in six has no owners at all, so ownerFilter=no_owners is never empty.
    const ownerless = rnd() < 0.17;
    item.businessOwnerUsers = ownerless ? [] : users(rnd, 2);
    item.technicalOwnerUsers = ownerless ? [] : users(rnd, 2);
    if (!ownerless && item.businessOwnerUsers.length === 0 && item.technicalOwnerUsers.length === 0) {
      item.technicalOwnerUsers.push(user(rnd));
    }
    item.createdAt = created;
    item.modifiedAt = modified;
    item.contexts = contexts(rnd);
    // Permissions of the caller, not the mart's state: the real server lists drafts as
    // available for reporting too.
    item.availableForReporting = true;
    item.availableForMaintenance = rnd() < 0.9;
    item.dataLastUpdated =
      status === 'DRAFT' || rnd() < 0.3
        ? null
        : {
            dataLastUpdatedAt: rnd() < 0.1 ? null : modified,
            computedAt: iso(BASE_TIME - MINUTE * Math.floor(rnd() * 600)),
            coverage: pick(rnd, ['complete', 'complete', 'complete', 'partial', 'unavailable']),
          };
    out[i] = item;
  }
  return out;
}

/** `n` data storages as `GET /api/data-storages` lists them, newest first. */
function generateStorages(n, { seed = 1 } = {}) {
  assertCount(n, 'generateStorages');
  const rnd = prng(seed ^ 0x5107);
  const out = new Array(n);
  let t = BASE_TIME;
  for (let i = 0; i < n; i++) {
    t -= MINUTE * (30 + Math.floor(rnd() * 3000));
    const created = iso(t);
    const [type, title] = STORAGE_TYPES[i % STORAGE_TYPES.length];
    out[i] = {
      // By position, so generateStorages(2) is a prefix of generateStorages(3).
      id: idFor(seed, KIND.storage, i + 1),
      title: i < STORAGE_TYPES.length ? title : `${title} ${Math.floor(i / STORAGE_TYPES.length) + 1}`,
      type,
      createdAt: created,
      modifiedAt: rnd() < 0.5 ? created : iso(t + MINUTE * Math.floor(rnd() * 900)),
      publishedDataMartsCount: Math.floor(rnd() * 40),
      draftDataMartsCount: Math.floor(rnd() * 10),
      createdByUser: user(rnd),
      ownerUsers: rnd() < 0.15 ? [] : [user(rnd)],
      contexts: contexts(rnd),
      availableForUse: true,
      availableForMaintenance: rnd() < 0.5,
    };
  }
  return out;
}

const DESTINATION_TITLES = ['Looker Studio — exec dashboard', 'Weekly email', 'Looker Studio — finance', 'Отчёт для финансов', 'Alerts 🔔'];

/** `n` data destinations (Looker Studio and email, alternating) as `GET /api/data-destinations` lists them. */
function generateDestinations(n, { seed = 1 } = {}) {
  assertCount(n, 'generateDestinations');
  const rnd = prng(seed ^ 0xde57);
  const out = new Array(n);
  let t = BASE_TIME;
  for (let i = 0; i < n; i++) {
    t -= MINUTE * (30 + Math.floor(rnd() * 3000));
    const created = iso(t);
    const id = idFor(seed, KIND.destination, i + 1);
    const looker = i % 2 === 0;
    const title = looker ? (i % 4 === 0 ? 'Looker Studio — exec dashboard' : 'Looker Studio — finance') : pick(rnd, ['Weekly email', 'Отчёт для финансов', 'Alerts 🔔']);
    out[i] = {
      id,
      title: i < DESTINATION_TITLES.length ? title : `${title} ${i + 1}`,
      type: looker ? 'LOOKER_STUDIO' : 'EMAIL',
      projectId: '0',
      // The two credential shapes the real server 0.35 returns; it redacts the Looker
      // Studio key exactly like this.
      credentials: looker
        ? { type: 'looker-studio-credentials', destinationSecretKey: '<redacted>', destinationId: id, deploymentUrl: 'https://127.0.0.1:3100' }
        : { type: 'email-credentials', to: rnd() < 0.5 ? ['a@example.com'] : ['team@example.com', 'ceo@example.com'] },
      createdAt: created,
      modifiedAt: created,
      credentialId: idFor(seed, KIND.credential, i + 1),
      createdByUser: user(rnd),
      ownerUsers: rnd() < 0.15 ? [] : [user(rnd)],
      availableForUse: true,
      availableForMaintenance: false,
      contexts: [],
      config: null,
    };
  }
  return out;
}

const SQL_BY_TYPE = {
  SQL: (m) => ({ sqlQuery: `select * from analytics.mart_${m.id.slice(-4)}` }),
  VIEW: (m) => ({ fullyQualifiedName: `analytics.view_${m.id.slice(-4)}` }),
  TABLE: (m) => ({ fullyQualifiedName: `analytics.table_${m.id.slice(-4)}` }),
  TABLE_PATTERN: () => ({ pattern: 'analytics.events_*' }),
};

function runTypeFor(mart) {
  return mart.definitionType === 'CONNECTOR' ? 'CONNECTOR' : 'HTTP_DATA';
}

/**
 * Runs of the first published marts (up to `marts` of them, `perMart` runs each), newest
 * first, in the shape of `GET /api/data-marts/{id}/runs/{runId}` (lists leave out
 * `dataQuality`; the project-wide list adds `dataMart: { id, title }`).
 */
function generateRuns(dataMarts, { seed = 1, marts = 3, perMart = 2 } = {}) {
  if (!Array.isArray(dataMarts)) throw new TypeError('generateRuns: dataMarts must be an array');
  const rnd = prng(seed ^ 0x0a00);
  const out = [];
  let n = 0;
  let t = BASE_TIME;
  for (const mart of dataMarts.filter((m) => m?.status === 'PUBLISHED' && m.definitionType).slice(0, marts)) {
    for (let k = 0; k < perMart; k++) {
      t -= MINUTE * (5 + Math.floor(rnd() * 120));
      const type = runTypeFor(mart);
      const failed = rnd() < 0.2;
      const started = t + 1000;
      const rows = 10 + Math.floor(rnd() * 5000);
      out.push(
        runRecord({
          id: idFor(seed, KIND.run, ++n),
          status: failed ? 'FAILED' : 'SUCCESS',
          type,
          runType: type === 'CONNECTOR' && rnd() < 0.6 ? 'scheduled' : 'manual',
          dataMartId: mart.id,
          definitionRun: type === 'CONNECTOR' ? null : (SQL_BY_TYPE[mart.definitionType] ?? SQL_BY_TYPE.SQL)(mart),
          logs: type === 'CONNECTOR' ? [`Imported ${rows} rows from ${mart.connectorSourceName}`] : null,
          errors: failed ? ['Storage dependency failed while reading this Data Mart data: query timed out'] : null,
          createdAt: iso(t),
          startedAt: iso(started),
          finishedAt: iso(started + 1000 * (1 + Math.floor(rnd() * 300))),
          createdByUser: type === 'CONNECTOR' ? null : ADMIN,
          additionalParams: type === 'HTTP_DATA' ? { httpData: { format: 'ndjson', columns: [], completed: !failed } } : null,
          totals: failed ? null : { rows },
        }),
      );
    }
  }
  return out.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
}

function storageOf(mart, storages) {
  return storages.find((s) => s.type === mart.storage?.type && s.title === mart.storage?.title);
}

/**
 * Reports of the first published marts on the Looker Studio destinations, in the shape of
 * `GET /api/reports` (the data mart and destination embedded in full, as the real server does).
 */
function generateReports(dataMarts, destinations, { seed = 1, storages = [], count = 3 } = {}) {
  if (!Array.isArray(dataMarts) || !Array.isArray(destinations)) throw new TypeError('generateReports: dataMarts and destinations must be arrays');
  const looker = destinations.filter((d) => d?.type === 'LOOKER_STUDIO');
  const marts = dataMarts.filter((m) => m?.status === 'PUBLISHED' && m.definitionType);
  const out = [];
  for (let i = 0; i < count && looker.length > 0 && i < marts.length; i++) {
    const mart = marts[i];
    const destination = looker[i % looker.length];
    const created = iso(BASE_TIME - MINUTE * 60 * (i + 1));
    out.push({
      id: idFor(seed, KIND.report, i + 1),
      title: `${mart.title.replace(/ #\d+$/, '')} — dashboard`,
      dataMart: dataMartDetail(mart, storageOf(mart, storages)),
      dataDestinationAccess: destination,
      destinationConfig: { type: 'looker-studio-config', cacheLifetime: 300 },
      columnConfig: null,
      filterConfig: null,
      sortConfig: null,
      limitConfig: null,
      aggregationConfig: null,
      dateTruncConfig: null,
      uniqueCountConfig: null,
      lastRunAt: null,
      lastRunStatus: null,
      lastRunError: null,
      runsCount: 0,
      createdAt: created,
      modifiedAt: created,
      createdByUser: ADMIN,
      ownerUsers: [ADMIN],
      canRun: false,
      canManageTriggers: false,
      canEditConfig: true,
    });
  }
  return out;
}

/** Insight templates of the first marts, in the shape of `GET /api/data-marts/insight-templates`. */
function generateInsightTemplates(dataMarts, { seed = 1, count = 2 } = {}) {
  if (!Array.isArray(dataMarts)) throw new TypeError('generateInsightTemplates: dataMarts must be an array');
  const titles = ['Weekly summary', 'Что изменилось за месяц'];
  return dataMarts.slice(0, count).map((mart, i) => {
    const at = iso(BASE_TIME - MINUTE * 30 * (i + 1));
    return {
      id: idFor(seed, KIND.insight, i + 1),
      title: titles[i % titles.length],
      sourcesCount: 0,
      lastRenderedTemplateUpdatedAt: null,
      createdById: ADMIN.userId,
      createdAt: at,
      modifiedAt: at,
      createdByUser: ADMIN,
      dataMart: { id: mart.id, title: mart.title },
      canDelete: true,
    };
  });
}

// The rows of the real server's captured stream (fixture ndjson-stream-ok): unicode,
// escapes, null, an exponent and an integer beyond 2^53 (exact in the JSON text).
const SAMPLE_ROW_LINES = [
  '{"id":1,"title":"plain","score":1.5,"active":true}',
  '{"id":2,"title":"Ünïcödé 数据 🚀","score":0.1,"active":false}',
  '{"id":3,"title":"quote \\" backslash \\\\ newline \\n tab \\t","score":null,"active":true}',
  '{"id":4,"title":null,"score":-2e+21,"active":false}',
  '{"id":9007199254740992,"title":"big id","score":3,"active":true}',
];

/**
 * Rows a data mart serves when none were seeded for it: the five rows the real server
 * streamed in the captured fixture, as raw lines so the big id stays exact.
 */
function sampleRows() {
  return new RowSource(SAMPLE_ROW_LINES.length, (i) => SAMPLE_ROW_LINES[i]);
}

/**
 * Rows that exist only as a count and a function: `lineAt(i)` gives the JSON text of row i
 * (no trailing newline). The server streams them without building objects, so a million
 * rows cost no memory. Iterating gives parsed objects.
 */
class RowSource {
  constructor(length, lineAt) {
    if (!(Number.isSafeInteger(length) && length >= 0)) throw new TypeError('RowSource: length must be a non-negative integer');
    if (typeof lineAt !== 'function') throw new TypeError('RowSource: lineAt must be a function');
    this.length = length;
    this.lineAt = lineAt;
  }

  *[Symbol.iterator]() {
    for (let i = 0; i < this.length; i++) yield JSON.parse(this.lineAt(i));
  }
}

// Integer hash: row i's values without any state, so any row can be made on its own.
function mix(i, salt) {
  let h = Math.imul(i ^ salt, 0x9e3779b1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

const CHANNELS = ['google / cpc', 'facebook / paid', '(direct) / (none)', 'newsletter / email', 'bing / organic'].map((v) => JSON.stringify(v));
const CAMPAIGNS = ['Black Friday — Ünïcödé 🚀', 'Распродажа', 'brand', 'retargeting "Q4"', '夏のセール'].map((v) => JSON.stringify(v));
const COUNTRIES = ['DE', 'US', 'UA', 'JP', 'PL', 'BR'];
const CURRENCIES = ['EUR', 'USD', 'UAH', 'JPY', 'PLN', 'BRL'];
const DAY = 86_400_000;
const ROWS_PER_DAY = 1000;

/**
 * `count` rows of about 200 bytes each as JSON (ids from 1, dates going back a day every
 * 1000 rows, unicode and quotes in text, a null every 7th row). Deterministic per `seed`.
 * Lines are assembled from pre-encoded pieces: a benchmark server makes a million of them
 * per run, and JSON.stringify or a Date per row would make the server the bottleneck.
 */
function generateRows(count, { seed = 1 } = {}) {
  assertCount(count, 'generateRows');
  const salt = seed >>> 0;
  const dates = [];
  const dateOf = (day) => (dates[day] ??= new Date(BASE_TIME - DAY * day).toISOString().slice(0, 10));
  const tail = ` of ${count}"}`;
  return new RowSource(count, (i) => {
    const h = mix(i, salt);
    const country = (h >>> 3) % 6;
    const note = i % 7 === 0 ? 'null}' : `"row ${i + 1}${tail}`;
    return (
      `{"id":${i + 1},"date":"${dateOf(Math.floor(i / ROWS_PER_DAY))}","channel":${CHANNELS[h % 5]},"campaign":${CAMPAIGNS[(h >>> 12) % 5]},` +
      `"country":"${COUNTRIES[country]}","sessions":${(h >>> 8) % 10_000},"revenue":${((h >>> 4) % 1_000_000) / 100},"currency":"${CURRENCIES[country]}",` +
      `"isNew":${(h & 1) === 1},"note":${note}`
    );
  });
}

// The body of GET /api/auth/context, in the field order the real server sends.
function defaultContext(apiKeyId) {
  return {
    apiKeyId,
    authFlow: 'api_key',
    projectId: '0',
    projectTitle: 'Local test project',
    userId: ADMIN.userId,
    email: ADMIN.email,
    fullName: ADMIN.fullName,
    avatar: null,
    roles: ['admin'],
  };
}

/**
 * Every collection of a small project that agrees with itself: storages, the marts on
 * them (with the storages' mart counts recomputed), destinations, runs, reports and
 * insight templates of those marts.
 */
function generateSampleData({ dataMarts = 5, storages = 3, destinations = 2, seed = 1 } = {}) {
  const storageList = generateStorages(storages, { seed });
  const marts = storageList.length === 0 ? [] : generateDataMarts(dataMarts, { seed, storages: storageList });
  for (const storage of storageList) {
    const on = marts.filter((m) => m.storage.type === storage.type && m.storage.title === storage.title);
    storage.publishedDataMartsCount = on.filter((m) => m.status === 'PUBLISHED').length;
    storage.draftDataMartsCount = on.length - storage.publishedDataMartsCount;
  }
  const destinationList = generateDestinations(destinations, { seed });
  return {
    dataMarts: marts,
    storages: storageList,
    destinations: destinationList,
    ...derivedCollections(marts, destinationList, storageList, seed),
  };
}

// The collections that point at marts, built for a given set of marts.
function derivedCollections(dataMarts, destinations, storages, seed = 1) {
  return {
    runs: generateRuns(dataMarts, { seed }),
    reports: generateReports(dataMarts, destinations, { seed, storages }),
    insightTemplates: generateInsightTemplates(dataMarts, { seed }),
  };
}

module.exports = {
  generateDataMarts,
  generateStorages,
  generateDestinations,
  generateRuns,
  generateReports,
  generateInsightTemplates,
  generateRows,
  generateSampleData,
  derivedCollections,
  sampleRows,
  RowSource,
  defaultContext,
  ADMIN,
};
