'use strict';

// Each workload names the server dataset it needs and does its work through `createClient`,
// so the same code drives the baseline and the native client. Every workload checks what it
// got back: an implementation that returns less must fail, not win.

const os = require('node:os');
const path = require('node:path');
const fs = require('node:fs');

// Rows of the streaming workloads: a million by default, fewer for a quick try
// (BENCH_ROWS=100000 npm run bench).
const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
if (!Number.isInteger(ROWS) || ROWS < 10_000) throw new Error('BENCH_ROWS must be an integer of at least 10000');
// The short read the long one's memory is compared with (flat memory: same peak for 10x rows).
const SHORT_ROWS = Math.floor(ROWS / 10);
// Large chunks: what a proxy that buffers, or a server that batches, sends instead of a chunk per row.
const LARGE_CHUNK_BYTES = 64 * 1024;

const DATASETS = {
  // A project of realistic size: the small-call workloads measure per-call and per-client
  // overhead, which a 10-page mart list would drown.
  small: { dataMarts: 100 },
  tenThousand: { dataMarts: 10_000 },
  hundredThousand: { dataMarts: 100_000 },
  // Generated rows of about 200 bytes, one HTTP chunk per row as the real server sends them.
  rows: { dataMarts: 5, rows: ROWS },
  rowsLargeChunks: { dataMarts: 5, rows: ROWS, chunkBytes: LARGE_CHUNK_BYTES },
};

function expectArray(what, value, length) {
  if (!Array.isArray(value)) throw new Error(`${what}: expected an array`);
  if (length !== undefined && value.length !== length) {
    throw new Error(`${what}: expected ${length} items, got ${value.length}`);
  }
}

async function bigList(createClient) {
  const client = createClient();
  for (let round = 0; round < 3; round++) {
    expectArray('dataMarts.list', await client.dataMarts.list(), DATASETS.tenThousand.dataMarts);
  }
  return { lists: 3 };
}

async function smallSeq(createClient) {
  const client = createClient();
  for (let call = 0; call < 2000; call++) expectArray('storages.list', await client.storages.list());
  return { calls: 2000 };
}

async function smallConc(createClient) {
  const client = createClient();
  let started = 0;
  const lane = async () => {
    while (started < 2000) {
      started++;
      expectArray('destinations.list', await client.destinations.list());
    }
  };
  await Promise.all(Array.from({ length: 64 }, lane));
  return { calls: started, inFlight: 64 };
}

async function coldStart(createClient) {
  for (let i = 0; i < 20; i++) {
    const client = createClient();
    const [marts, storages, destinations] = await Promise.all([
      client.dataMarts.list(),
      client.storages.list(),
      client.destinations.list(),
    ]);
    expectArray('dataMarts.list', marts, DATASETS.small.dataMarts);
    expectArray('storages.list', storages);
    expectArray('destinations.list', destinations);
  }
  return { clients: 20 };
}

async function iterate(createClient) {
  const client = createClient();
  let seen = 0;
  for await (const dataMart of client.dataMarts.iterate()) {
    if (typeof dataMart.id !== 'string') throw new Error('iterate: item without an id');
    seen++;
  }
  if (seen !== DATASETS.hundredThousand.dataMarts) throw new Error(`iterate: saw ${seen} items`);
  return { items: seen };
}

// The reference `iterate` is judged against: a process holding one full page.
async function onePage(createClient) {
  const client = createClient();
  const held = [];
  for await (const dataMart of client.dataMarts.iterate()) {
    held.push(dataMart);
    if (held.length === 1000) break;
  }
  expectArray('first page', held, 1000);
  return { items: held.length };
}

// ---- NDJSON data streams -----------------------------------------------------------------

/** Reads every row of the data mart (up to `limit`), touching each; checks the count. */
async function readRows(createClient, { dataMartId }, expected, limit) {
  const client = createClient();
  const traversal = await client.dataMarts.traverseData(dataMartId, limit === undefined ? undefined : { limit });
  let rows = 0;
  for await (const chunk of traversal.rowChunks()) {
    for (const row of chunk) {
      if (typeof row.id !== 'number') throw new Error('stream: a row without an id');
    }
    rows += chunk.length;
  }
  if (rows !== expected) throw new Error(`stream: read ${rows} rows, expected ${expected}`);
  return { rows };
}

const streamRows = (createClient, context) => readRows(createClient, context, ROWS);
const streamRowsShort = (createClient, context) => readRows(createClient, context, SHORT_ROWS, SHORT_ROWS);
const streamRowsLarge = (createClient, context) => readRows(createClient, context, ROWS);

// Time to the first 1000 rows of a long stream (client creation, token exchange and the
// request included), then stop.
async function firstRows(createClient, { dataMartId }) {
  const client = createClient();
  const traversal = await client.dataMarts.traverseData(dataMartId);
  const held = [];
  for await (const chunk of traversal.rowChunks()) {
    held.push(...chunk);
    if (held.length >= 1000) break;
  }
  await traversal.cancel();
  if (held.length < 1000 || held[999].id !== 1000) throw new Error('firstRows: the first 1000 rows did not arrive in order');
  return { rows: 1000 };
}

// The whole stream to an NDJSON file; checks the row count and the file's size.
async function saveTo(createClient, { dataMartId }) {
  const client = createClient();
  const file = path.join(os.tmpdir(), `owox-bench-${process.pid}.ndjson`);
  try {
    const traversal = await client.dataMarts.traverseData(dataMartId);
    const { rows, bytes } = await traversal.saveTo(file);
    if (rows !== ROWS) throw new Error(`saveTo: wrote ${rows} rows, expected ${ROWS}`);
    if (fs.statSync(file).size !== bytes) throw new Error('saveTo: the file size is not the bytes reported');
    return { rows };
  } finally {
    fs.rmSync(file, { force: true });
  }
}

// The raw body read and thrown away, no lines, no parsing: native getStream()'s body
// against fetch's. Fetch's figure is close to the ceiling the server sets for any client.
// A tenth of the rows (the first native build crossed one row-sized network chunk per read,
// which made a million rows take minutes; see bench/README.md).
async function drainBytes(createClient, { dataMartId }) {
  const client = createClient();
  const path = `/api/external/http-data/data-marts/${dataMartId}.ndjson?limit=${SHORT_ROWS}`;
  const response = await client.getStream(path);
  let bytes = 0;
  for await (const chunk of response.body) bytes += chunk.byteLength;
  if (bytes < SHORT_ROWS * 100) throw new Error(`drainBytes: only ${bytes} bytes`);
  return { rows: SHORT_ROWS, bytes };
}

const WORKLOADS = {
  bigList: { dataset: 'tenThousand', run: bigList },
  smallSeq: { dataset: 'small', run: smallSeq },
  smallConc: { dataset: 'small', run: smallConc },
  coldStart: { dataset: 'small', run: coldStart },
  iterate: { dataset: 'hundredThousand', run: iterate },
  onePage: { dataset: 'hundredThousand', run: onePage },
  streamRows: { dataset: 'rows', run: streamRows },
  streamRowsShort: { dataset: 'rows', run: streamRowsShort },
  streamRowsLarge: { dataset: 'rowsLargeChunks', run: streamRowsLarge },
  firstRows: { dataset: 'rows', run: firstRows },
  saveTo: { dataset: 'rows', run: saveTo },
  drainBytes: { dataset: 'rows', run: drainBytes },
};

module.exports = { DATASETS, WORKLOADS, ROWS, SHORT_ROWS };
