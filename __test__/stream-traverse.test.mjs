// Issue 10, points 1 and 2: dataMarts.traverseData() and reports.traverseData() with the
// original's options, request and argument checks; the traversal's runId, rowChunks(),
// row-by-row iteration, toReadable() and the "only once" rule; getStream() as a standard
// Response; rows equal to JSON.parse of each line, whatever the line holds.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { HttpNdjsonTraversal, DataMartDataTraversal, OWOXApiClient, OWOXApiError, OWOXConfigError } from '@owox/api-client';
import { allRows, exact, generateRows, rejectionOf, rowLines, settledRunStatus, streamSetup } from './helpers/streams.mjs';

const MART_PATH = (id) => `/api/external/http-data/data-marts/${id}.ndjson`;
const REPORT_PATH = (id) => `/api/external/http-data/reports/${id}.ndjson`;

// Lines whose JSON.parse has surprises: integers beyond 2^53, exponents, escapes, unicode
// beyond the BMP, key order, duplicate keys, `__proto__` as data, nesting.
const TRICKY_LINES = [
  '{"id":9007199254740993,"big":123456789012345678901234567890,"neg":-0,"exp":1E400,"tiny":5e-324}',
  '{"z":1,"a":2,"10":3,"1":4,"title":"Ünïcödé 数据 🚀 \\ud83d\\ude80 \\u0000 \\"q\\" \\\\ \\n\\t"}',
  '{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}},"dup":1,"dup":2}',
  '{"nested":{"list":[1,"two",null,true,{"deep":[[]]}]},"empty":{},"null":null}',
  '   {"padded":"spaces around the object"}   ',
];

describe('traverseData: the request and the rows', { concurrency: true }, () => {
  test('rows equal JSON.parse of each line exactly: big integers, unicode, key order, __proto__', async (t) => {
    const { client, martId } = await streamSetup(t, { rows: rowLines(TRICKY_LINES) });
    const rows = await allRows(await client.dataMarts.traverseData(martId));
    assert.equal(rows.length, TRICKY_LINES.length);
    rows.forEach((row, i) => {
      const expected = JSON.parse(TRICKY_LINES[i]);
      assert.equal(exact(row), exact(expected), `row ${i + 1}`);
      assert.deepEqual(Object.keys(row), Object.keys(expected), `key order of row ${i + 1}`);
      assert.equal(Object.getPrototypeOf(row), Object.prototype, `row ${i + 1} is a plain object`);
    });
    assert.ok(Object.hasOwn(rows[2], '__proto__'), '__proto__ is an own data property, as JSON.parse makes it');
    assert.equal({}.polluted, undefined, 'no prototype was polluted');
    assert.equal(rows[0].id, JSON.parse(TRICKY_LINES[0]).id);
  });

  test('the captured sample stream: runId from x-owox-run-id, rows in order, row by row and in chunks', async (t) => {
    const { server, client, martId } = await streamSetup(t);
    const traversal = await client.dataMarts.traverseData(martId);
    assert.ok(traversal instanceof HttpNdjsonTraversal);
    assert.ok(traversal instanceof DataMartDataTraversal, 'the alias is the same class');
    assert.match(traversal.runId, /^[0-9a-f-]{36}$/);
    const seen = [];
    for await (const row of traversal) seen.push(row);
    assert.deepEqual(
      seen.map((row) => row.id),
      [1, 2, 3, 4, 9007199254740992],
    );
    assert.equal(seen[1].title, 'Ünïcödé 数据 🚀');
    assert.equal(seen[2].title, 'quote " backslash \\ newline \n tab \t');

    const request = server.requests.find((r) => r.path === MART_PATH(martId));
    assert.equal(request.method, 'GET');
    assert.deepEqual(request.query, {});
    assert.ok(request.headers['x-owox-authorization'].startsWith('Bearer '));
    assert.equal(request.headers['x-owox-api-key-id'], server.apiKeyId);
  });

  test('the options become the original query: columns, repeated column, base64url JSON rules, limit', async (t) => {
    const { server, client, martId } = await streamSetup(t, { rows: generateRows(50) });
    const filter = [{ column: 'country', operator: 'in', value: ['DE', 'Україна'] }];
    const sort = [{ column: 'id', direction: 'desc' }];
    const aggregation = [{ column: 'revenue', function: 'SUM' }];
    const dateTrunc = [{ column: 'date', unit: 'MONTH', timeZone: 'Europe/Kyiv' }];
    const traversal = await client.dataMarts.traverseData(martId, {
      columns: '*',
      column: ['id', 'country', 'revenue'],
      filter,
      sort,
      aggregation,
      dateTrunc,
      limit: 3,
    });
    const rows = await allRows(traversal);
    const { query } = server.requests.find((r) => r.path === MART_PATH(martId));
    assert.equal(query.columns, '*');
    assert.deepEqual(query.column, ['id', 'country', 'revenue']);
    assert.equal(query.limit, '3');
    const decode = (text) => JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    assert.match(query.filter, /^[A-Za-z0-9_-]+$/, 'base64url, no padding');
    assert.deepEqual(decode(query.filter), filter);
    assert.deepEqual(decode(query.sort), sort);
    assert.deepEqual(decode(query.aggregation), aggregation);
    assert.deepEqual(decode(query.dateTrunc), dateTrunc);
    // The server applied them: projected columns in the requested order, filtered, sorted, limited.
    assert.equal(rows.length, 3);
    for (const row of rows) {
      assert.deepEqual(Object.keys(row), ['id', 'country', 'revenue']);
      assert.equal(row.country, 'DE');
    }
    assert.deepEqual(
      rows.map((row) => row.id),
      [...rows.map((row) => row.id)].sort((a, b) => b - a),
    );
  });

  test('null rules are left out and an empty options object sends no query, as in the original', async (t) => {
    const { server, client, martId } = await streamSetup(t);
    await allRows(await client.dataMarts.traverseData(martId, { filter: null, sort: null, aggregation: null, dateTrunc: null }));
    await allRows(await client.dataMarts.traverseData(martId, {}));
    const queries = server.requests.filter((r) => r.path === MART_PATH(martId)).map((r) => r.query);
    assert.deepEqual(queries, [{}, {}]);
  });

  test('reports.traverseData(id, { limit }) reads the report stream, with reportId in its context', async (t) => {
    const { server, client, reportId } = await streamSetup(t, { rows: generateRows(20), report: { columnConfig: ['id', 'note'] } });
    const traversal = await client.reports.traverseData(reportId, { limit: 4 });
    assert.ok(traversal instanceof HttpNdjsonTraversal);
    const rows = await allRows(traversal);
    assert.deepEqual(
      rows.map((row) => Object.keys(row)),
      Array(4).fill(['id', 'note']),
    );
    const request = server.requests.find((r) => r.path === REPORT_PATH(reportId));
    assert.deepEqual(request.query, { limit: '4' });
    const again = await rejectionOf(() => allRows(traversal));
    assert.equal(again.message, 'OWOX report data stream can only be traversed once');
    assert.deepEqual(again.details, { reportId, runId: traversal.runId });
  });

  test('traversing twice throws as in the original, whichever way it was read first', async (t) => {
    const { client, martId } = await streamSetup(t);
    const ways = {
      rowChunks: async (tr) => allRows(tr),
      rows: async (tr) => {
        for await (const _ of tr);
      },
      readable: async (tr) => pipeline(tr.toReadable(), new Writable({ objectMode: true, write: (_, __, done) => done() })),
      cancel: async (tr) => tr.cancel(),
    };
    for (const [first, read] of Object.entries(ways)) {
      const traversal = await client.dataMarts.traverseData(martId);
      await read(traversal);
      for (const [second, readAgain] of Object.entries(ways)) {
        if (second === 'cancel') continue;
        const error = await rejectionOf(() => readAgain(traversal));
        assert.ok(error instanceof OWOXApiError, `${first} then ${second}`);
        assert.equal(error.message, 'OWOX Data Mart data stream can only be traversed once');
        assert.deepEqual(error.details, { dataMartId: martId, runId: traversal.runId });
      }
    }
  });

  test('toReadable() feeds stream.pipeline() in object mode, row by row', async (t) => {
    const { client, martId } = await streamSetup(t, { rows: generateRows(3000) });
    const traversal = await client.dataMarts.traverseData(martId);
    const ids = [];
    await pipeline(
      traversal.toReadable(),
      new Writable({
        objectMode: true,
        write(row, _, done) {
          ids.push(row.id);
          done();
        },
      }),
    );
    assert.equal(ids.length, 3000);
    assert.deepEqual(ids.slice(0, 3), [1, 2, 3]);
    assert.equal(ids.at(-1), 3000);
  });

  test('a traversal is not made by hand', () => {
    assert.throws(() => new HttpNdjsonTraversal(), OWOXConfigError);
  });
});

describe('traverseData: argument checks (nothing is sent)', { concurrency: true }, () => {
  const BAD = [
    ['a blank id', (c) => c.dataMarts.traverseData('  '), /Invalid OWOX Data Mart ID/],
    ['an id with a slash', (c) => c.dataMarts.traverseData('a/b'), /Invalid OWOX Data Mart ID/],
    ['a non-string id', (c) => c.dataMarts.traverseData(42), /Invalid OWOX Data Mart ID/],
    ['columns ** with column names', (c) => c.dataMarts.traverseData('m', { columns: '**', column: ['a'] }), /columns "\*\*" cannot be combined with exact column values/],
    ['an unknown columns value', (c) => c.dataMarts.traverseData('m', { columns: 'all' }), /columns must be '\*' or '\*\*'/],
    ['column that is not a string array', (c) => c.dataMarts.traverseData('m', { column: 'a' }), /column must be an array of strings/],
    ['a filter that is not an array', (c) => c.dataMarts.traverseData('m', { filter: { column: 'a' } }), /filter must be an array of rules/],
    ['limit 0', (c) => c.dataMarts.traverseData('m', { limit: 0 }), /limit must be a positive integer/],
    ['limit 1.5', (c) => c.dataMarts.traverseData('m', { limit: 1.5 }), /limit must be a positive integer/],
    ['limit as a string', (c) => c.dataMarts.traverseData('m', { limit: '5' }), /limit must be a number/],
    ['an offset (the server refuses it)', (c) => c.dataMarts.traverseData('m', { offset: 5 }), /does not take the option 'offset'/],
    ['a third argument', (c) => c.dataMarts.traverseData('m', {}, { signal: AbortSignal.timeout(1000) }), /takes at most 2 arguments/],
    ['a report id with %', (c) => c.reports.traverseData('a%2F'), /Invalid OWOX report ID/],
    ['a data-mart option on a report', (c) => c.reports.traverseData('r', { columns: '*' }), /reports.traverseData\(\) does not take the option 'columns'/],
    ['a BigInt rule', (c) => c.dataMarts.traverseData('m', { sort: [{ column: 'a', n: 1n }] }), /JSON-serializable/],
  ];
  for (const [name, call, message] of BAD) {
    test(`refuses ${name} with an OWOXConfigError`, async (t) => {
      const { server, client } = await streamSetup(t);
      server.clearRequests();
      const error = await rejectionOf(() => call(client));
      assert.ok(error instanceof OWOXConfigError, `${error}`);
      assert.match(error.message, message);
      assert.equal(server.count(), 0, 'nothing was sent');
    });
  }
});

describe('getStream(): a standard Response over the raw native stream', { concurrency: true }, () => {
  test('status, content type and run id headers, and the body bytes as sent', async (t) => {
    const source = generateRows(500);
    const { client, martId } = await streamSetup(t, { rows: source });
    const response = await client.getStream(MART_PATH(martId), new URLSearchParams({ limit: '300' }));
    assert.ok(response instanceof Response);
    assert.equal(response.status, 200);
    assert.equal(response.ok, true);
    assert.equal(response.headers.get('content-type'), 'application/x-ndjson; charset=utf-8');
    assert.match(response.headers.get('x-owox-run-id'), /^[0-9a-f-]{36}$/);
    assert.ok(response.body instanceof ReadableStream);
    const text = await response.text();
    assert.equal(text, Array.from({ length: 300 }, (_, i) => source.lineAt(i) + '\n').join(''));
  });

  test('a query object is sent as given; an error status rejects with the typed error', async (t) => {
    const { server, client, martId } = await streamSetup(t);
    const response = await client.getStream(MART_PATH(martId), { columns: '*' });
    await response.arrayBuffer();
    assert.deepEqual(server.requests.find((r) => r.path === MART_PATH(martId)).query, { columns: '*' });
    const error = await rejectionOf(() => client.getStream(MART_PATH('no-such-mart')));
    assert.ok(error instanceof OWOXApiError);
    assert.equal(error.status, 404);
  });

  test('a cut body errors the ReadableStream with STREAM_INTERRUPTED after the bytes before it', async (t) => {
    const source = generateRows(40);
    const { server, client, martId } = await streamSetup(t, { rows: source });
    server.inject({ path: /\.ndjson$/ }, { stream: { cutAfter: 12 } });
    const response = await client.getStream(MART_PATH(martId));
    const reader = response.body.getReader();
    const bytes = [];
    const error = await rejectionOf(async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        bytes.push(value);
      }
    });
    assert.ok(error instanceof OWOXApiError, `${error}`);
    assert.equal(error.code, 'STREAM_INTERRUPTED');
    const text = Buffer.concat(bytes).toString('utf8');
    assert.equal(text, Array.from({ length: 12 }, (_, i) => source.lineAt(i) + '\n').join(''));
  });

  test('cancelling the body, or aborting the signal, closes the socket', async (t) => {
    const { server, client, martId } = await streamSetup(t, { rows: generateRows(2_000_000) });
    const cancelled = await client.getStream(MART_PATH(martId));
    const reader = cancelled.body.getReader();
    await reader.read();
    await reader.cancel();
    assert.equal(await settledRunStatus(server, martId, cancelled.headers.get('x-owox-run-id')), 'INTERRUPTED');

    const controller = new AbortController();
    const aborted = await client.getStream(MART_PATH(martId), undefined, { signal: controller.signal });
    const abortedReader = aborted.body.getReader();
    await abortedReader.read();
    const reason = new Error('enough');
    controller.abort(reason);
    assert.equal(await rejectionOf(() => abortedReader.read()), reason);
    assert.equal(await settledRunStatus(server, martId, aborted.headers.get('x-owox-run-id')), 'INTERRUPTED');
  });

  test('a path that is not a safe /api/ path is refused before anything is sent', async (t) => {
    const { server, client } = await streamSetup(t);
    server.clearRequests();
    for (const path of [42, 'https://elsewhere.example/api/x', '/api/../secret']) {
      const error = await rejectionOf(() => client.getStream(path));
      assert.ok(error instanceof OWOXConfigError, `${path}: ${error}`);
    }
    assert.equal(server.count(), 0);
  });
});

describe('the { transport } form', () => {
  test('getStream() is the transport\'s own; the traversals need the native reader and say so', async () => {
    const calls = [];
    const response = new Response('{"a":1}\n', { headers: { 'content-type': 'application/x-ndjson' } });
    const transport = {
      getJson: async () => ({}),
      postJson: async () => ({}),
      putJson: async () => ({}),
      getStream: async (path, query) => {
        calls.push([path, query]);
        return response;
      },
    };
    const client = new OWOXApiClient({ transport });
    const query = new URLSearchParams({ limit: '1' });
    assert.equal(await client.getStream('/api/external/http-data/data-marts/m.ndjson', query), response);
    assert.deepEqual(calls, [['/api/external/http-data/data-marts/m.ndjson', query]]);
    for (const call of [() => client.dataMarts.traverseData('m'), () => client.reports.traverseData('r')]) {
      const error = await rejectionOf(call);
      assert.ok(error instanceof OWOXConfigError);
      assert.match(error.message, /not available with new OWOXApiClient\(\{ transport \}\)/);
    }
    const { getStream, ...withoutStream } = transport;
    const error = await rejectionOf(() => new OWOXApiClient({ transport: withoutStream }).getStream('/api/x'));
    assert.match(error.message, /needs a transport with a getStream\(path, query\) method/);
  });
});
