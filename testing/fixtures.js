'use strict';

// Realistic, deterministic collections shaped like the real backend's list responses
// (see the samples in the shared real-backend fixtures). Same (n, seed) -> same items, so
// tests can compare exact values and benchmarks are repeatable.

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

const KIND = { dataMart: '0da7', storage: '057e', destination: 'de57', user: '05e5', credential: 'c7ed', context: 'c0e7' };

const USERS = [
  { userId: '0', fullName: 'Admin', email: 'admin@localhost', avatar: null },
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

const STORAGE_TYPES = [
  ['GOOGLE_BIGQUERY', 'Google BigQuery'],
  ['GOOGLE_BIGQUERY', 'BigQuery — marketing'],
  ['AWS_ATHENA', 'AWS Athena'],
  ['SNOWFLAKE', 'Snowflake EU'],
  ['AWS_REDSHIFT', 'Redshift (prod)'],
  ['DATABRICKS', 'Databricks'],
  ['GOOGLE_BIGQUERY', 'Хранилище аналитики'],
];

const MART_TITLES = [
  'Sales by region',
  'Продажи по регионам',
  '売上レポート',
  'Marketing spend 📈',
  'Ad performance — Facebook Ads',
  'Cohort retention',
  'GA4 events (raw)',
  'Revenue "daily"',
  'Ventas por país',
  'Umsatz je Kanal',
  'Zażółć gęślą jaźń',
  '数据集市 · 订单',
  'Funnel 🚀 checkout',
  'Заказы и возвраты',
  'LTV by acquisition channel',
];

const DESCRIPTIONS = [
  null,
  null,
  null,
  null,
  'Daily sales aggregated by region and channel. Refreshed every morning at 06:00 UTC.',
  'Сырые события из GA4, очищенные от ботов. Используется в отчётах по воронке.',
  'Spend, clicks and impressions from all paid channels, normalized to USD.',
  '広告費とコンバージョンの週次集計。',
  'Joined orders, refunds and customers; one row per order line. Owners: analytics team 🧮',
];

const DEFINITION_TYPES = [null, 'SQL', 'SQL', 'TABLE', 'VIEW', 'TABLE_PATTERN', 'CONNECTOR'];
const CONNECTORS = ['FacebookMarketing', 'GoogleAds', 'OpenExchangeRates', 'TikTokAds', 'LinkedInAds'];
const CONTEXTS = ['Marketing', 'Finance', 'Продукт', 'Sales EMEA'];

// A fixed "now" keeps output identical from run to run; it matches the real samples' era.
const BASE_TIME = Date.parse('2026-11-28T00:00:00.000Z');
const MINUTE = 60_000;

function contexts(rnd) {
  if (rnd() < 0.7) return [];
  const i = Math.floor(rnd() * CONTEXTS.length);
  return [{ id: idFor(0, KIND.context, i + 1), name: CONTEXTS[i] }];
}

function generateDataMarts(n, { seed = 1 } = {}) {
  const rnd = prng(seed);
  const out = new Array(n);
  let t = BASE_TIME;
  for (let i = 0; i < n; i++) {
    // Newest first, like the real list: walk backwards in time.
    t -= MINUTE * (1 + Math.floor(rnd() * 90));
    const created = new Date(t).toISOString();
    const modified = rnd() < 0.5 ? created : new Date(t + MINUTE * Math.floor(rnd() * 5000)).toISOString();
    const status = rnd() < 0.35 ? 'DRAFT' : 'PUBLISHED';
    const [storageType, storageTitle] = pick(rnd, STORAGE_TYPES);
    const definitionType = status === 'DRAFT' && rnd() < 0.5 ? null : pick(rnd, DEFINITION_TYPES);
    const item = {
      id: idFor(seed, KIND.dataMart, n - i),
      title: `${pick(rnd, MART_TITLES)} #${n - i}`,
      status,
      storage: { type: storageType, title: storageTitle },
      description: pick(rnd, DESCRIPTIONS),
      definitionType,
    };
    // Optional in the schema and only sent for connector marts, so key order stays real.
    if (definitionType === 'CONNECTOR') item.connectorSourceName = pick(rnd, CONNECTORS);
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
    item.availableForReporting = status === 'PUBLISHED';
    item.availableForMaintenance = rnd() < 0.9;
    item.dataLastUpdated =
      status === 'DRAFT' || rnd() < 0.3
        ? null
        : {
            dataLastUpdatedAt: rnd() < 0.1 ? null : modified,
            computedAt: new Date(BASE_TIME - MINUTE * Math.floor(rnd() * 600)).toISOString(),
            coverage: pick(rnd, ['complete', 'complete', 'complete', 'partial', 'unavailable']),
          };
    out[i] = item;
  }
  return out;
}

function generateStorages(n, { seed = 1 } = {}) {
  const rnd = prng(seed ^ 0x5107);
  const out = new Array(n);
  let t = BASE_TIME;
  for (let i = 0; i < n; i++) {
    t -= MINUTE * (30 + Math.floor(rnd() * 3000));
    const created = new Date(t).toISOString();
    const [type, title] = STORAGE_TYPES[i % STORAGE_TYPES.length];
    out[i] = {
      id: idFor(seed, KIND.storage, n - i),
      title: i < STORAGE_TYPES.length ? title : `${title} ${Math.floor(i / STORAGE_TYPES.length) + 1}`,
      type,
      createdAt: created,
      modifiedAt: rnd() < 0.5 ? created : new Date(t + MINUTE * Math.floor(rnd() * 900)).toISOString(),
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

function hex(rnd, len) {
  let s = '';
  while (s.length < len) s += Math.floor(rnd() * 0x100000000).toString(16).padStart(8, '0');
  return s.slice(0, len);
}

const DESTINATION_TITLES = ['Looker Studio — exec dashboard', 'Weekly email', 'Отчёт для финансов', 'レポート配信', 'Alerts 🔔'];

function generateDestinations(n, { seed = 1 } = {}) {
  const rnd = prng(seed ^ 0xde57);
  const out = new Array(n);
  let t = BASE_TIME;
  for (let i = 0; i < n; i++) {
    t -= MINUTE * (30 + Math.floor(rnd() * 3000));
    const created = new Date(t).toISOString();
    const id = idFor(seed, KIND.destination, n - i);
    // The two credential shapes the real backend was seen returning (secrets already redacted
    // server-side; the Looker Studio key is a per-destination shared key, not a user secret).
    const looker = i % 2 === 0;
    out[i] = {
      id,
      title: `${DESTINATION_TITLES[i % DESTINATION_TITLES.length]}${i < DESTINATION_TITLES.length ? '' : ` ${i + 1}`}`,
      type: looker ? 'LOOKER_STUDIO' : 'EMAIL',
      projectId: '0',
      credentials: looker
        ? { type: 'looker-studio-credentials', destinationSecretKey: hex(rnd, 64), destinationId: id, deploymentUrl: 'https://127.0.0.1:3100' }
        : { type: 'email-credentials', to: rnd() < 0.5 ? ['a@example.com'] : ['team@example.com', 'ceo@example.com'] },
      createdAt: created,
      modifiedAt: created,
      credentialId: idFor(seed, KIND.credential, n - i),
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

// The body of GET /api/auth/context, in the field order the real server sends.
function defaultContext(apiKeyId) {
  return {
    apiKeyId,
    authFlow: 'api_key',
    projectId: '0',
    projectTitle: 'Local test project',
    userId: '0',
    email: 'admin@localhost',
    fullName: 'Admin',
    avatar: null,
    roles: ['admin'],
  };
}

module.exports = { generateDataMarts, generateStorages, generateDestinations, defaultContext };
