// Issue 10, points 4 and 5: failures are never data. Each fault of the bundled server is
// its own case: a stream cut after K lines, a malformed line, a line that is not an object,
// a line longer than maxResponseBytes, a stall (idle timeout), a slow trickle (no total
// timeout), 424 / license 400 / 404 / a wrong content type before the first row; and the
// line-level cases the reader must get right: CRLF, blank lines, a last line without \n,
// UTF-8 characters split across network chunks.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { OWOXApiClient, OWOXApiError } from '@owox/api-client';
import {
  allRows,
  exact,
  generateRows,
  rejectionOf,
  rowLines,
  rowsUntilFailure,
  settledRunStatus,
  startRawStreamServer,
  streamSetup,
} from './helpers/streams.mjs';

const MART_PATH = /^\/api\/external\/http-data\/data-marts\//;
const REPORT_PATH = /^\/api\/external\/http-data\/reports\//;

/** The first `n` rows of `source` as JSON.parse makes them. */
const firstRows = (source, n) => Array.from({ length: n }, (_, i) => JSON.parse(source.lineAt(i)));

describe('failures in the body surface during iteration, after every complete row before them', { concurrency: true }, () => {
  test('a stream the server cuts after K lines (no terminating chunk) is STREAM_INTERRUPTED, never the end', async (t) => {
    const source = generateRows(100);
    const { server, client, martId } = await streamSetup(t, { rows: source });
    server.inject({ path: MART_PATH }, { stream: { cutAfter: 7 } });
    const traversal = await client.dataMarts.traverseData(martId);
    const { rows, error } = await rowsUntilFailure(traversal);
    assert.ok(error instanceof OWOXApiError, `expected an OWOXApiError, got ${error}`);
    assert.equal(error.code, 'STREAM_INTERRUPTED');
    assert.deepEqual(rows, firstRows(source, 7), 'every complete row before the cut, and only those');
    assert.deepEqual(Object.keys(error.details).slice(0, 2), ['dataMartId', 'runId']);
    assert.equal(error.details.dataMartId, martId);
    assert.equal(error.details.runId, traversal.runId);
    assert.equal(await settledRunStatus(server, martId, traversal.runId), 'FAILED', 'the server did cut it');
  });

  test('a cut is an error row by row and through toReadable() too', async (t) => {
    const source = generateRows(50);
    const { server, client, martId } = await streamSetup(t, { rows: source });
    server.inject({ path: MART_PATH, times: 2 }, { stream: { cutAfter: 3 } });
    const rowByRow = await client.dataMarts.traverseData(martId);
    const seen = [];
    const error = await rejectionOf(async () => {
      for await (const row of rowByRow) seen.push(row);
    });
    assert.equal(error.code, 'STREAM_INTERRUPTED');
    assert.equal(seen.length, 3);
    const readable = (await client.dataMarts.traverseData(martId)).toReadable();
    const streamed = [];
    const streamError = await rejectionOf(async () => {
      for await (const row of readable) streamed.push(row);
    });
    assert.equal(streamError.code, 'STREAM_INTERRUPTED');
    assert.equal(streamed.length, 3);
  });

  test('a cut right after the headers (no row at all) is STREAM_INTERRUPTED as well', async (t) => {
    const { server, client, martId } = await streamSetup(t, { rows: generateRows(10) });
    server.inject({ path: MART_PATH }, { stream: { cutAfter: 0 } });
    const { rows, error } = await rowsUntilFailure(await client.dataMarts.traverseData(martId));
    assert.deepEqual(rows, []);
    assert.equal(error?.code, 'STREAM_INTERRUPTED');
  });

  test('a connection closed in the middle of a line is STREAM_INTERRUPTED; the rows before it arrive', async (t) => {
    const raw = await startRawStreamServer(t, (req, res) => {
      res.writeHead(200, { 'content-type': 'application/x-ndjson; charset=utf-8', 'x-owox-run-id': 'run-cut' });
      res.write('{"id":1}\n');
      res.write('{"id":2}\n{"id":3,"tit', () => res.socket.destroy());
    });
    const client = new OWOXApiClient({ ...raw.credentials, maxRetries: 0 });
    const traversal = await client.dataMarts.traverseData('m-1');
    const { rows, error } = await rowsUntilFailure(traversal);
    assert.deepEqual(rows, [{ id: 1 }, { id: 2 }]);
    assert.equal(error?.code, 'STREAM_INTERRUPTED', `${error}`);
    assert.deepEqual(error.details, { dataMartId: 'm-1', runId: 'run-cut' });
  });

  test('a connection reset after complete lines is STREAM_INTERRUPTED', async (t) => {
    const raw = await startRawStreamServer(t, (req, res) => {
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      res.write('{"id":1}\n', () => res.socket.resetAndDestroy());
    });
    const client = new OWOXApiClient({ ...raw.credentials, maxRetries: 0 });
    const { rows, error } = await rowsUntilFailure(await client.dataMarts.traverseData('m-1'));
    assert.deepEqual(rows, [{ id: 1 }]);
    assert.equal(error?.code, 'STREAM_INTERRUPTED', `${error}`);
  });

  test('a malformed line fails as in the original: rows before it first, then lineNumber and a bounded linePreview', async (t) => {
    const source = generateRows(10);
    const { server, client, martId } = await streamSetup(t, { rows: source });
    const garbage = '{"id":3,"title":"cut in the mi' + 'x'.repeat(1000);
    server.inject({ path: MART_PATH }, { stream: { malformedAt: 3, malformedLine: garbage } });
    const traversal = await client.dataMarts.traverseData(martId);
    const { rows, error } = await rowsUntilFailure(traversal);
    assert.deepEqual(rows, firstRows(source, 2));
    assert.ok(error instanceof OWOXApiError);
    assert.equal(error.message, 'Malformed NDJSON line 3 in OWOX Data Mart data stream');
    assert.deepEqual(Object.keys(error.details), ['dataMartId', 'runId', 'lineNumber', 'linePreview']);
    assert.equal(error.details.dataMartId, martId);
    assert.equal(error.details.runId, traversal.runId);
    assert.equal(error.details.lineNumber, 3);
    assert.equal(error.details.linePreview, garbage.slice(0, 200));
  });

  test('a line that is not a JSON object fails with its number', async (t) => {
    const { server, client, martId } = await streamSetup(t, { rows: generateRows(10) });
    server.inject({ path: MART_PATH }, { stream: { malformedAt: 4, malformedLine: '[1,2,3]' } });
    const traversal = await client.dataMarts.traverseData(martId);
    const { rows, error } = await rowsUntilFailure(traversal);
    assert.equal(rows.length, 3);
    assert.equal(error.message, 'NDJSON line 4 is not a JSON object');
    assert.equal(error.details.lineNumber, 4);
    assert.equal(error.details.dataMartId, martId);
    assert.equal(error.details.runId, traversal.runId);
  });

  test('a report stream names the report in its errors', async (t) => {
    const { server, client, reportId } = await streamSetup(t, { rows: generateRows(10) });
    server.inject({ path: REPORT_PATH }, { stream: { malformedAt: 2, malformedLine: 'nope' } });
    const traversal = await client.reports.traverseData(reportId);
    const { rows, error } = await rowsUntilFailure(traversal);
    assert.equal(rows.length, 1);
    assert.equal(error.message, 'Malformed NDJSON line 2 in OWOX report data stream');
    assert.equal(error.details.reportId, reportId);
    assert.equal(error.details.runId, traversal.runId);
    assert.equal(error.details.dataMartId, undefined);
  });

  for (const [label, chunkBytes] of [
    ['as one network chunk (as the real server sends a row)', undefined],
    ['spread over many network chunks', 512],
  ]) {
    test(`a line longer than maxResponseBytes is RESPONSE_TOO_LARGE, ${label}`, async (t) => {
      const { server, client, martId } = await streamSetup(t, {
        rows: generateRows(10),
        client: { maxResponseBytes: 4096 },
      });
      const long = JSON.stringify({ id: 2, blob: 'b'.repeat(20_000) });
      server.inject({ path: MART_PATH }, { stream: { malformedAt: 2, malformedLine: long, ...(chunkBytes ? { chunkBytes } : {}) } });
      const { rows, error } = await rowsUntilFailure(await client.dataMarts.traverseData(martId));
      assert.equal(rows.length, 1);
      assert.equal(error?.code, 'RESPONSE_TOO_LARGE', `${error}`);
      assert.equal(error.details.dataMartId, martId);
    });
  }

  test('the stream as a whole has no size cap: far more bytes than maxResponseBytes stream fine', async (t) => {
    const { client, martId } = await streamSetup(t, { rows: generateRows(5000), client: { maxResponseBytes: 4096 } });
    const rows = await allRows(await client.dataMarts.traverseData(martId));
    assert.equal(rows.length, 5000);
  });

  test('a stalled server fails with TIMEOUT after the idle timeout, rows before it delivered', async (t) => {
    const { server, client, martId } = await streamSetup(t, { rows: generateRows(10) });
    server.inject({ path: MART_PATH }, { stream: { stallAfter: 2 } });
    const traversal = await client.dataMarts.traverseData(martId, { timeout: 300 });
    const { rows, error } = await rowsUntilFailure(traversal);
    assert.equal(rows.length, 2);
    assert.ok(error instanceof OWOXApiError);
    assert.equal(error.code, 'TIMEOUT');
    assert.equal(error.details.dataMartId, martId);
    assert.equal(error.details.runId, traversal.runId);
  });

  test('a slow trickle works: the timeout is idle time between bytes, not a total', async (t) => {
    const source = generateRows(16);
    const { server, client, martId } = await streamSetup(t, { rows: source });
    // 16 lines 150 ms apart take about 2.4 s in all, longer than the 1.5 s timeout; each gap
    // is a tenth of it, so a busy machine does not turn a gap into a timeout.
    server.inject({ path: MART_PATH }, { stream: { trickleMs: 150 } });
    const rows = await allRows(await client.dataMarts.traverseData(martId, { timeout: 1500 }));
    assert.deepEqual(rows, firstRows(source, 16));
  });

  test('the timeout also bounds the wait for the response headers', async (t) => {
    const { server, client, martId } = await streamSetup(t);
    server.inject({ path: MART_PATH }, { hang: true });
    const error = await rejectionOf(() => client.dataMarts.traverseData(martId, { timeout: 300 }));
    assert.equal(error.code, 'TIMEOUT');
    assert.equal(error.details.dataMartId, martId);
  });
});

describe('failures before the first row reject traverseData() itself', { concurrency: true }, () => {
  test('424 STORAGE_READ_FAILED, with the data mart id in front of the server details', async (t) => {
    const { server, client, martId } = await streamSetup(t);
    server.inject({ path: MART_PATH }, { stream: { fail: 'STORAGE_READ_FAILED' } });
    const error = await rejectionOf(() => client.dataMarts.traverseData(martId));
    assert.ok(error instanceof OWOXApiError);
    assert.equal(error.status, 424);
    assert.equal(error.code, 'STORAGE_READ_FAILED');
    assert.equal(Object.keys(error.details)[0], 'dataMartId');
    assert.equal(error.details.dataMartId, martId);
    assert.equal(error.details.dependency, 'storage');
  });

  test('400 with LICENSE_REQUIRED (the community edition), for data marts and reports', async (t) => {
    const { server, client, martId, reportId } = await streamSetup(t);
    server.inject({ path: MART_PATH }, { stream: { fail: 'LICENSE_REQUIRED' } });
    server.inject({ path: REPORT_PATH }, { stream: { fail: 'LICENSE_REQUIRED' } });
    const mart = await rejectionOf(() => client.dataMarts.traverseData(martId));
    assert.equal(mart.status, 400);
    assert.deepEqual(mart.details.blockedReasons, ['LICENSE_REQUIRED']);
    assert.equal(mart.details.dataMartId, martId);
    const report = await rejectionOf(() => client.reports.traverseData(reportId));
    assert.equal(report.status, 400);
    assert.deepEqual(report.details.blockedReasons, ['LICENSE_REQUIRED']);
    assert.equal(report.details.reportId, reportId);
  });

  test('404 for a data mart that does not exist and for a report that does not exist', async (t) => {
    const { client } = await streamSetup(t);
    const mart = await rejectionOf(() => client.dataMarts.traverseData('00000000-0000-4000-8000-00000000dead'));
    assert.equal(mart.status, 404);
    assert.equal(mart.details.dataMartId, '00000000-0000-4000-8000-00000000dead');
    const report = await rejectionOf(() => client.reports.traverseData('no-such-report'));
    assert.equal(report.status, 404);
    assert.equal(report.details.reportId, 'no-such-report');
  });

  test('a 200 that is not NDJSON is refused for data marts and reports, with the content type', async (t) => {
    const { server, client, martId, reportId } = await streamSetup(t);
    server.inject({ path: MART_PATH }, { status: 200, body: { message: 'unexpected JSON response' } });
    server.inject({ path: REPORT_PATH }, { status: 200, headers: { 'content-type': 'text/html' }, body: '<html></html>' });
    const mart = await rejectionOf(() => client.dataMarts.traverseData(martId));
    assert.ok(mart instanceof OWOXApiError);
    assert.equal(mart.message, 'OWOX Data Mart data stream returned an unexpected content type');
    assert.equal(mart.status, 200);
    assert.equal(mart.details.dataMartId, martId);
    assert.equal(mart.details.contentType, 'application/json; charset=utf-8');
    const report = await rejectionOf(() => client.reports.traverseData(reportId));
    assert.equal(report.message, 'OWOX report data stream returned an unexpected content type');
    assert.equal(report.details.reportId, reportId);
    assert.equal(report.details.contentType, 'text/html');
  });

  test('a transient failure before the body is retried; the rows then arrive once', async (t) => {
    const { server, client, martId } = await streamSetup(t, { client: { maxRetries: 2 } });
    server.inject({ path: MART_PATH }, { status: 503, headers: { 'retry-after': '0' }, body: { statusCode: 503, message: 'busy' } });
    const rows = await allRows(await client.dataMarts.traverseData(martId));
    assert.equal(rows.length, 5);
    assert.equal(server.count({ path: MART_PATH }), 2);
  });

  test('a failure in the body is not retried: one request, the rows before it, then the error', async (t) => {
    const { server, client, martId } = await streamSetup(t, { rows: generateRows(30), client: { maxRetries: 3 } });
    server.inject({ path: MART_PATH }, { stream: { cutAfter: 10 } });
    const { rows, error } = await rowsUntilFailure(await client.dataMarts.traverseData(martId));
    assert.equal(rows.length, 10);
    assert.equal(error.code, 'STREAM_INTERRUPTED');
    assert.equal(server.count({ path: MART_PATH }), 1);
  });
});

describe('line ends and characters', { concurrency: true }, () => {
  const ndjsonBody = (body) => ({ status: 200, headers: { 'content-type': 'application/x-ndjson; charset=utf-8', 'x-owox-run-id': 'run-lines' }, body });

  test('CRLF line ends, blank lines (also blank CRLF lines) and a last line without \\n', async (t) => {
    const { server, client, martId } = await streamSetup(t);
    server.inject({ path: MART_PATH }, ndjsonBody('{"a":1}\r\n\r\n{"a":"two\\r\\n"}\n\n\n  \r\n{"a":3}\r\n{"a":4}'));
    const traversal = await client.dataMarts.traverseData(martId);
    assert.equal(traversal.runId, 'run-lines');
    const rows = await allRows(traversal);
    assert.deepEqual(rows, [{ a: 1 }, { a: 'two\r\n' }, { a: 3 }, { a: 4 }]);
  });

  test('line numbers count non-blank lines, as the original does', async (t) => {
    const { server, client, martId } = await streamSetup(t);
    server.inject({ path: MART_PATH }, ndjsonBody('{"a":1}\n\n\r\n{"a":2}\nbroken\n{"a":4}\n'));
    const { rows, error } = await rowsUntilFailure(await client.dataMarts.traverseData(martId));
    assert.deepEqual(rows, [{ a: 1 }, { a: 2 }]);
    assert.equal(error.details.lineNumber, 3);
    assert.equal(error.details.linePreview, 'broken');
  });

  test('an empty body is a stream with no rows', async (t) => {
    const { server, client, martId } = await streamSetup(t);
    server.inject({ path: MART_PATH }, ndjsonBody(''));
    assert.deepEqual(await allRows(await client.dataMarts.traverseData(martId)), []);
  });

  for (const chunkBytes of [1, 3]) {
    test(`UTF-8 characters split across network chunks of ${chunkBytes} byte(s) arrive whole`, async (t) => {
      const lines = [
        '{"id":1,"text":"Ünïcödé 数据 🚀 Распродажа 夏のセール"}',
        '{"id":2,"emoji":"👩‍👩‍👧‍👦🏳️‍🌈","mixed":"a😀b\\ud83d\\ude00c"}',
        '{"id":3,"text":"ÿ€𝄞"}',
      ];
      const { server, client, martId } = await streamSetup(t, { rows: rowLines(lines) });
      server.inject({ path: MART_PATH }, { stream: { chunkBytes } });
      const rows = await allRows(await client.dataMarts.traverseData(martId));
      assert.deepEqual(rows.map(exact), lines.map((line) => exact(JSON.parse(line))));
    });
  }

  test('bytes that are not UTF-8 become U+FFFD, as TextDecoder makes them', async (t) => {
    const { server, client, martId } = await streamSetup(t);
    const body = Buffer.concat([Buffer.from('{"a":"x'), Buffer.from([0xff, 0xfe]), Buffer.from('y"}\n')]);
    server.inject({ path: MART_PATH }, ndjsonBody(body));
    const rows = await allRows(await client.dataMarts.traverseData(martId));
    assert.deepEqual(rows, [JSON.parse(new TextDecoder().decode(body))]);
  });
});
