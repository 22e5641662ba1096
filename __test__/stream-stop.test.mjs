// Issue 10, points 3 and 6: backpressure (a consumer that stops holds a bounded buffer:
// measured as bytes the server got to write against bytes consumed) and stopping: cancel(),
// break out of for await, an aborted signal and a terminated worker each close the socket
// at once, which the server sees (its run of the read becomes INTERRUPTED).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { OWOXApiClient, OWOXApiError } from '@owox/api-client';
import {
  generateRows,
  rejectionOf,
  settledRunStatus,
  sleep,
  startRawStreamServer,
  streamSetup,
} from './helpers/streams.mjs';

const MART_PATH = /^\/api\/external\/http-data\/data-marts\//;
const WORKER = fileURLToPath(new URL('./helpers/stream-worker.mjs', import.meta.url));
const RSS_CHILD = fileURLToPath(new URL('./helpers/stream-rss-child.mjs', import.meta.url));
const execFileAsync = promisify(execFile);
// Far more rows than any socket buffer holds: the server is still writing when the client stops.
const MANY = 2_000_000;

function assertAbortError(error) {
  assert.ok(error instanceof DOMException, `expected a DOMException, got ${error}`);
  assert.equal(error.name, 'AbortError');
}

describe('stopping closes the socket, and the server sees it', { concurrency: true }, () => {
  test('cancel() after some rows: the server sees the read interrupted; a later traversal throws', async (t) => {
    const { server, client, martId } = await streamSetup(t, { rows: generateRows(MANY) });
    const traversal = await client.dataMarts.traverseData(martId);
    const chunks = traversal.rowChunks()[Symbol.asyncIterator]();
    const first = await chunks.next();
    assert.ok(first.value.length > 0);
    await traversal.cancel();
    assert.equal(await settledRunStatus(server, martId, traversal.runId), 'INTERRUPTED');
    assert.deepEqual(await chunks.next(), { done: true, value: undefined }, 'a cancelled traversal ends');
  });

  test('cancel() before reading anything closes the stream, and reading then throws the only-once error', async (t) => {
    const { server, client, martId } = await streamSetup(t, { rows: generateRows(MANY) });
    const traversal = await client.dataMarts.traverseData(martId);
    await traversal.cancel();
    assert.equal(await settledRunStatus(server, martId, traversal.runId), 'INTERRUPTED');
    const error = await rejectionOf(async () => {
      for await (const _ of traversal.rowChunks());
    });
    assert.equal(error.message, 'OWOX Data Mart data stream can only be traversed once');
  });

  test('cancel() while a read waits on a stalled server ends the read at once', async (t) => {
    const { server, client, martId } = await streamSetup(t, { rows: generateRows(10) });
    server.inject({ path: MART_PATH }, { stream: { stallAfter: 1 } });
    const traversal = await client.dataMarts.traverseData(martId);
    const connections = server.connections;
    const rows = [];
    const reading = (async () => {
      for await (const chunk of traversal.rowChunks()) {
        rows.push(...chunk);
        setImmediate(() => traversal.cancel());
      }
    })();
    await reading;
    assert.equal(rows.length, 1);
    // The stalled socket is closed by the client, not by a timeout (the default is 60 s).
    const deadline = Date.now() + 5000;
    while (server.connections >= connections && Date.now() < deadline) await sleep(10);
    assert.ok(server.connections < connections, 'the client closed the stalled connection');
  });

  test('break out of for await (rows and chunks) closes the socket', async (t) => {
    const { server, client, martId } = await streamSetup(t, { rows: generateRows(MANY) });
    const byRow = await client.dataMarts.traverseData(martId);
    for await (const row of byRow) {
      assert.equal(row.id, 1);
      break;
    }
    const byChunk = await client.dataMarts.traverseData(martId);
    for await (const _ of byChunk.rowChunks()) break;
    assert.equal(await settledRunStatus(server, martId, byRow.runId), 'INTERRUPTED');
    assert.equal(await settledRunStatus(server, martId, byChunk.runId), 'INTERRUPTED');
  });

  test('destroying the toReadable() stream closes the socket', async (t) => {
    const { server, client, martId } = await streamSetup(t, { rows: generateRows(MANY) });
    const traversal = await client.dataMarts.traverseData(martId);
    const readable = traversal.toReadable();
    for await (const _ of readable) break;
    assert.equal(await settledRunStatus(server, martId, traversal.runId), 'INTERRUPTED');
  });

  test('an abort mid-stream rejects with the signal reason and closes the socket', async (t) => {
    const { server, client, martId } = await streamSetup(t, { rows: generateRows(MANY) });
    const controller = new AbortController();
    const traversal = await client.dataMarts.traverseData(martId, { signal: controller.signal });
    let seen = 0;
    const error = await rejectionOf(async () => {
      for await (const _ of traversal) {
        seen++;
        // Honoured between rows: the abort comes from the loop body.
        if (seen === 10) controller.abort();
      }
    });
    assertAbortError(error);
    assert.equal(seen, 10, 'no row after the abort');
    assert.equal(await settledRunStatus(server, martId, traversal.runId), 'INTERRUPTED');
  });

  test('an abort while nobody reads closes the socket; the next read rejects with the reason', async (t) => {
    const { server, client, martId } = await streamSetup(t, { rows: generateRows(MANY) });
    const controller = new AbortController();
    const traversal = await client.dataMarts.traverseData(martId, { signal: controller.signal });
    const reason = new Error('the user left');
    controller.abort(reason);
    assert.equal(await settledRunStatus(server, martId, traversal.runId), 'INTERRUPTED');
    const error = await rejectionOf(async () => {
      for await (const _ of traversal.rowChunks());
    });
    assert.equal(error, reason, 'the reason itself, as fetch rejects');
  });

  test('an abort while a read waits on a stalled server rejects that read at once', async (t) => {
    const { server, client, martId } = await streamSetup(t, { rows: generateRows(10) });
    server.inject({ path: MART_PATH }, { stream: { stallAfter: 2 } });
    const controller = new AbortController();
    const traversal = await client.dataMarts.traverseData(martId, { signal: controller.signal });
    const rows = [];
    const error = await rejectionOf(async () => {
      for await (const chunk of traversal.rowChunks()) {
        rows.push(...chunk);
        // Both rows are in: the next read waits on the stalled server when the abort comes.
        if (rows.length === 2) setTimeout(() => controller.abort(), 100);
      }
    });
    assertAbortError(error);
    assert.equal(rows.length, 2);
  });

  test('an abort before or while opening rejects traverseData() with the reason; an aborted signal sends nothing', async (t) => {
    const { server, client, martId } = await streamSetup(t);
    server.clearRequests();
    assertAbortError(await rejectionOf(() => client.dataMarts.traverseData(martId, { signal: AbortSignal.abort() })));
    assertAbortError(await rejectionOf(() => client.reports.traverseData('r', { signal: AbortSignal.abort() })));
    assert.equal(server.count(), 0);
    server.inject({ path: MART_PATH }, { hang: true });
    const controller = new AbortController();
    const opening = client.dataMarts.traverseData(martId, { signal: controller.signal });
    const deadline = Date.now() + 5000;
    while (server.count({ path: MART_PATH }) === 0 && Date.now() < deadline) await sleep(10);
    controller.abort();
    assertAbortError(await rejectionOf(() => opening));
  });

  test('an abort during saveTo() rejects with the reason and leaves no file', async (t) => {
    const { server, client, martId } = await streamSetup(t, { rows: generateRows(10) });
    server.inject({ path: MART_PATH }, { stream: { stallAfter: 3 } });
    const { mkdtemp, readdir, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'owox-stream-abort-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const controller = new AbortController();
    const traversal = await client.dataMarts.traverseData(martId, { signal: controller.signal });
    const saving = traversal.saveTo(join(dir, 'export.ndjson'));
    setTimeout(() => controller.abort(), 200);
    assertAbortError(await rejectionOf(() => saving));
    assert.deepEqual(await readdir(dir), [], 'neither the export nor its temporary file, once saveTo() has rejected');
  });

  test('terminating the worker that reads a stream closes its socket', async (t) => {
    const { server, martId } = await streamSetup(t, { rows: generateRows(MANY) });
    const worker = new Worker(WORKER, { workerData: { credentials: server.credentials, martId } });
    t.after(() => worker.terminate());
    const message = await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    assert.ok(message.rows > 0);
    await worker.terminate();
    assert.equal(await settledRunStatus(server, martId, message.runId), 'INTERRUPTED');
  });
});

describe('backpressure', () => {
  test('a consumer that stops holds a small bounded buffer: the server can write only a few MiB ahead', async (t) => {
    const line = JSON.stringify({ id: 0, padding: 'p'.repeat(180) }) + '\n';
    let written = 0;
    let finished = false;
    const raw = await startRawStreamServer(t, (req, res) => {
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      // An endless body, one line per chunk, written only as fast as the client takes it.
      const pump = () => {
        while (!finished) {
          written += line.length;
          if (!res.write(line)) {
            res.once('drain', pump);
            return;
          }
        }
      };
      res.on('close', () => {
        finished = true;
      });
      pump();
    });
    t.after(() => {
      finished = true;
    });
    const client = new OWOXApiClient({ ...raw.credentials, maxRetries: 0 });
    const traversal = await client.dataMarts.traverseData('endless');
    const chunks = traversal.rowChunks()[Symbol.asyncIterator]();
    let consumedRows = 0;
    while (consumedRows < 1000) consumedRows += (await chunks.next()).value.length;
    // Now stop reading, and wait until the server can write no more (its writes stall).
    let last = -1;
    const deadline = Date.now() + 10_000;
    while (written !== last && Date.now() < deadline) {
      last = written;
      await sleep(500);
    }
    const consumedBytes = consumedRows * line.length;
    const ahead = written - consumedBytes;
    t.diagnostic(`server wrote ${(written / 2 ** 20).toFixed(1)} MiB, consumer took ${(consumedBytes / 2 ** 20).toFixed(1)} MiB`);
    assert.equal(written, last, 'the server is held back: its writes stopped');
    // Kernel socket buffers on both ends (a few MiB on loopback) plus the client's own
    // bounded read-ahead; an unbounded reader would have taken hundreds of MiB by now.
    assert.ok(ahead < 24 * 2 ** 20, `the client let the server get ${(ahead / 2 ** 20).toFixed(1)} MiB ahead`);
    // Reading resumes where it stopped, every row intact.
    const next = await chunks.next();
    assert.ok(next.value.length > 0);
    assert.deepEqual(Object.keys(next.value[0]), ['id', 'padding']);
    await traversal.cancel();
  });

  test('memory stays flat from 100k to a million rows (peak RSS of a reading process), rows and raw bytes', async (t) => {
    const { server, martId } = await streamSetup(t, { rows: generateRows(1_000_000) });
    const read = async (limit, raw = false) => {
      const spec = { credentials: server.credentials, martId, limit, raw };
      const { stdout } = await execFileAsync(process.execPath, [RSS_CHILD, JSON.stringify(spec)]);
      return JSON.parse(stdout);
    };
    const mib = (bytes) => (bytes / 2 ** 20).toFixed(0);
    const short = await read(100_000);
    const long = await read(undefined);
    assert.equal(short.rows, 100_000);
    assert.equal(long.rows, 1_000_000);
    t.diagnostic(`traverseData peak RSS: 100k rows ${mib(short.maxRssBytes)} MiB, 1M rows ${mib(long.maxRssBytes)} MiB`);
    // Holding the rows (or the batches they came in) would take far more: about 200 MB of JSON text alone.
    assert.ok(long.maxRssBytes - short.maxRssBytes < 48 * 2 ** 20, 'peak RSS grew by less than 48 MiB for ten times the rows');
    const shortBody = await read(100_000, true);
    const longBody = await read(undefined, true);
    assert.ok(longBody.bytes > 9 * shortBody.bytes);
    t.diagnostic(`getStream peak RSS: 100k rows ${mib(shortBody.maxRssBytes)} MiB, 1M rows ${mib(longBody.maxRssBytes)} MiB`);
    assert.ok(longBody.maxRssBytes - shortBody.maxRssBytes < 48 * 2 ** 20, 'getStream: peak RSS grew by less than 48 MiB');
  });
});
