'use strict';

// The seeded collections the server answers from, their indexes, and the serialized
// bodies of the hot list endpoints (so repeated requests cost a socket write and nothing
// else). Routes read and change collections only through here, so every change drops
// exactly the caches that depend on it.

const fixtures = require('./fixtures');
const { dataMartDetail } = require('./shapes');
const { isRecord } = require('./nest');

// Each cached data-mart page is ~1 MB; a client walking random offsets must not grow this forever.
const PAGE_CACHE_LIMIT = 512;

const ARRAYS = ['dataMarts', 'storages', 'destinations', 'runs', 'reports', 'insightTemplates', 'modelCanvasEdges', 'publications'];
const OBJECTS = ['context', 'projectSettings', 'rows', 'dataMartDetails'];
// Collections that point at data marts: rebuilt for the new marts when `dataMarts` is
// seeded, unless the caller seeded them too (then they are the caller's to keep consistent).
const DERIVED = ['runs', 'reports', 'insightTemplates'];

const COLLECTIONS = [...ARRAYS, ...OBJECTS, 'setupProgress'];

const hasOwners = (item) =>
  (Array.isArray(item?.technicalOwnerUsers) && item.technicalOwnerUsers.length > 0) ||
  (Array.isArray(item?.businessOwnerUsers) && item.businessOwnerUsers.length > 0);

const hasOwnerUsers = (item) => Array.isArray(item?.ownerUsers) && item.ownerUsers.length > 0;

function filterBy(items, filter, predicate) {
  if (filter === undefined) return items;
  return items.filter(filter === 'has_owners' ? predicate : (item) => !predicate(item));
}

function checkCollection(name, value) {
  if (ARRAYS.includes(name)) {
    if (!Array.isArray(value)) throw new TypeError(`${name} must be an array`);
    return value.slice();
  }
  if (name === 'setupProgress') {
    if (value !== null && !isRecord(value)) throw new TypeError('setupProgress must be an object or null');
    return value;
  }
  if (!isRecord(value)) throw new TypeError(`${name} must be an object`);
  if (name === 'rows') {
    for (const [id, rows] of Object.entries(value)) {
      if (!Array.isArray(rows) && !(rows instanceof fixtures.RowSource)) {
        throw new TypeError(`rows["${id}"] must be an array of row objects or a generateRows(...) result`);
      }
    }
    return { ...value };
  }
  if (name === 'projectSettings' && !('description' in value)) throw new TypeError('projectSettings must have a description (string or null)');
  return name === 'context' ? value : { ...value };
}

class Store {
  #c = {};
  #explicit = new Set();
  #martIndex = null;
  #martViews = new Map();
  #pages = new Map();
  #lists = new Map();

  constructor(initial, defaults) {
    for (const name of COLLECTIONS) {
      if (initial[name] !== undefined) {
        this.#c[name] = checkCollection(name, initial[name]);
        this.#explicit.add(name);
      }
    }
    for (const name of COLLECTIONS) {
      if (this.#c[name] === undefined && defaults[name] !== undefined) this.#c[name] = checkCollection(name, defaults[name]);
    }
    this.#rebuildDerived();
  }

  get(name) {
    return this.#c[name];
  }

  seed(collections) {
    if (!isRecord(collections)) throw new TypeError('seed(collections): collections must be an object');
    for (const name of Object.keys(collections)) {
      if (!COLLECTIONS.includes(name)) throw new TypeError(`seed: unknown collection "${name}" (known: ${COLLECTIONS.join(', ')})`);
    }
    const checked = {};
    for (const [name, value] of Object.entries(collections)) if (value !== undefined) checked[name] = checkCollection(name, value);
    for (const [name, value] of Object.entries(checked)) {
      this.#c[name] = value;
      this.#explicit.add(name);
    }
    if (checked.dataMarts !== undefined || checked.destinations !== undefined || checked.storages !== undefined) this.#rebuildDerived();
    this.changed();
  }

  #rebuildDerived() {
    const missing = DERIVED.filter((name) => !this.#explicit.has(name));
    if (missing.length === 0) return;
    const derived = fixtures.derivedCollections(this.#c.dataMarts, this.#c.destinations, this.#c.storages);
    for (const name of missing) this.#c[name] = derived[name];
  }

  /** Drop every cached body and index (after any change). */
  changed() {
    this.#martIndex = null;
    this.#martViews.clear();
    this.#pages.clear();
    this.#lists.clear();
  }

  // ---- data marts --------------------------------------------------------------------------

  martById(id) {
    if (this.#martIndex === null) {
      this.#martIndex = new Map();
      for (const item of this.#c.dataMarts) if (item && typeof item.id === 'string') this.#martIndex.set(item.id, item);
    }
    return this.#martIndex.get(id);
  }

  storageOf(item) {
    return this.#c.storages.find((s) => s?.type === item?.storage?.type && s?.title === item?.storage?.title);
  }

  martDetail(item) {
    const seeded = this.#c.dataMartDetails[item.id];
    return seeded ?? dataMartDetail(item, this.storageOf(item));
  }

  addMart(item) {
    this.#c.dataMarts.unshift(item);
    this.changed();
  }

  removeMart(id) {
    const i = this.#c.dataMarts.findIndex((m) => m?.id === id);
    if (i !== -1) this.#c.dataMarts.splice(i, 1);
    delete this.#c.dataMartDetails[id];
    this.changed();
  }

  /** The cached body of one data-mart page: { body: Buffer, gzip?: Buffer }. */
  page(filter, offset, pageSize) {
    const key = `${filter ?? ''}:${offset}`;
    let entry = this.#pages.get(key);
    if (entry === undefined) {
      let view = this.#martViews.get(filter);
      if (view === undefined) this.#martViews.set(filter, (view = filterBy(this.#c.dataMarts, filter, hasOwners)));
      const items = view.slice(offset, offset + pageSize);
      const next = offset + items.length;
      const nextOffset = next < view.length ? next : null;
      if (this.#pages.size >= PAGE_CACHE_LIMIT) this.#pages.clear();
      entry = { body: Buffer.from(JSON.stringify({ items, total: view.length, nextOffset })) };
      this.#pages.set(key, entry);
    }
    return entry;
  }

  /** The cached body of `GET /api/data-storages` / `data-destinations` (owner-filtered). */
  ownedList(kind, filter) {
    const key = `${kind}:${filter ?? ''}`;
    let entry = this.#lists.get(key);
    if (entry === undefined) {
      entry = { body: Buffer.from(JSON.stringify(filterBy(this.#c[kind], filter, hasOwnerUsers))) };
      this.#lists.set(key, entry);
    }
    return entry;
  }

  contextBody() {
    let entry = this.#lists.get('context');
    if (entry === undefined) this.#lists.set('context', (entry = { body: Buffer.from(JSON.stringify(this.#c.context)) }));
    return entry;
  }

  // ---- rows --------------------------------------------------------------------------------

  /** Rows of a data mart: seeded ones, else the captured sample rows. */
  rowsOf(martId) {
    return this.#c.rows[martId] ?? fixtures.sampleRows();
  }
}

module.exports = { Store, COLLECTIONS, hasOwners, hasOwnerUsers, filterBy };
