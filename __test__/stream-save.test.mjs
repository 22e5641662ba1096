// Issue 10, point 7: traversal.saveTo(path, { format }) writes the rows natively: NDJSON
// byte for byte as the rows came, CSV with columns in the server's order and RFC 4180
// quoting; it reports rows and bytes; a failure leaves nothing that looks complete and
// leaves what the user had untouched.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { OWOXApiError, OWOXConfigError } from '@owox/api-client';
import { generateRows, parseCsv, rejectionOf, rowLines, streamSetup } from './helpers/streams.mjs';

const MART_PATH = /^\/api\/external\/http-data\/data-marts\//;

async function tempDir(t) {
  const dir = await mkdtemp(join(tmpdir(), 'owox-save-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

describe('saveTo()', { concurrency: true }, () => {
  test('ndjson: every row, exactly as the server sent it, one per line; rows and bytes reported', async (t) => {
    const source = generateRows(20_000);
    const { client, martId } = await streamSetup(t, { rows: source });
    const dir = await tempDir(t);
    const file = join(dir, 'export.ndjson');
    const traversal = await client.dataMarts.traverseData(martId);
    const result = await traversal.saveTo(file, { format: 'ndjson' });
    const expected = Array.from({ length: 20_000 }, (_, i) => source.lineAt(i) + '\n').join('');
    assert.deepEqual(result, { rows: 20_000, bytes: Buffer.byteLength(expected) });
    assert.equal(await readFile(file, 'utf8'), expected);
    assert.deepEqual(await readdir(dir), ['export.ndjson'], 'no temporary file is left beside it');
  });

  test('ndjson is the default format, a file: URL works, and an existing file is replaced whole', async (t) => {
    const { client, martId } = await streamSetup(t);
    const dir = await tempDir(t);
    const file = join(dir, 'export.ndjson');
    await writeFile(file, 'old content that is much longer than nothing '.repeat(100));
    const result = await (await client.dataMarts.traverseData(martId)).saveTo(pathToFileURL(file));
    assert.equal(result.rows, 5);
    const lines = (await readFile(file, 'utf8')).split('\n');
    assert.equal(lines.length, 6);
    assert.equal(lines[5], '');
    assert.equal(JSON.parse(lines[4]).id, 9007199254740992);
  });

  test('csv: a header of the columns in the server order, RFC 4180 quoting, null empty', async (t) => {
    const rows = [
      { name: 'plain', note: 'a, b', quote: 'say "hi"', lines: 'one\ntwo', crlf: 'x\r\ny', n: 42, ok: true, none: null },
      { name: ' padded ', note: '', quote: '"', lines: 'Ünïcödé 数据 🚀', crlf: ',', n: -1.5, ok: false, none: null },
    ];
    const { client, martId } = await streamSetup(t, { rows: rowLines(rows.map((row) => JSON.stringify(row))) });
    const dir = await tempDir(t);
    const file = join(dir, 'export.csv');
    const result = await (await client.dataMarts.traverseData(martId)).saveTo(file, { format: 'csv' });
    const text = await readFile(file, 'utf8');
    assert.equal(result.rows, 2);
    assert.equal(result.bytes, Buffer.byteLength(text));
    const records = parseCsv(text);
    assert.deepEqual(records, [
      ['name', 'note', 'quote', 'lines', 'crlf', 'n', 'ok', 'none'],
      ['plain', 'a, b', 'say "hi"', 'one\ntwo', 'x\r\ny', '42', 'true', ''],
      [' padded ', '', '"', 'Ünïcödé 数据 🚀', ',', '-1.5', 'false', ''],
    ]);
    // RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled.
    assert.ok(text.includes('"say ""hi"""'));
    assert.ok(text.includes('"a, b"'));
  });

  test('csv follows the requested column order', async (t) => {
    const { client, martId } = await streamSetup(t, { rows: generateRows(10) });
    const dir = await tempDir(t);
    const file = join(dir, 'ordered.csv');
    await (await client.dataMarts.traverseData(martId, { column: ['revenue', 'id', 'country'] })).saveTo(file, { format: 'csv' });
    const records = parseCsv(await readFile(file, 'utf8'));
    assert.deepEqual(records[0], ['revenue', 'id', 'country']);
    assert.equal(records.length, 11);
    assert.equal(records[1][1], '1');
  });

  for (const [fault, code] of [
    [{ cutAfter: 1500 }, 'STREAM_INTERRUPTED'],
    [{ malformedAt: 1500 }, undefined],
  ]) {
    test(`a failure (${Object.keys(fault)[0]}) leaves no partial file and keeps what the user had`, async (t) => {
      const { server, client, martId } = await streamSetup(t, { rows: generateRows(3000) });
      server.inject({ path: MART_PATH, times: 2 }, { stream: fault });
      const dir = await tempDir(t);
      const fresh = join(dir, 'fresh.ndjson');
      const kept = join(dir, 'kept.csv');
      await writeFile(kept, 'what the user had\n');
      const traversal = await client.dataMarts.traverseData(martId);
      const error = await rejectionOf(() => traversal.saveTo(fresh));
      assert.ok(error instanceof OWOXApiError);
      if (code) assert.equal(error.code, code);
      else assert.equal(error.details.lineNumber, 1500);
      assert.equal(error.details.dataMartId, martId);
      assert.equal(error.details.runId, traversal.runId);
      const second = await client.dataMarts.traverseData(martId);
      await rejectionOf(() => second.saveTo(kept, { format: 'csv' }));
      assert.deepEqual(await readdir(dir), ['kept.csv'], 'neither the new file nor a temporary one');
      assert.equal(await readFile(kept, 'utf8'), 'what the user had\n');
    });
  }

  test('cancel() during saveTo() rejects it with STREAM_CANCELLED and leaves no file', async (t) => {
    const { server, client, martId } = await streamSetup(t, { rows: generateRows(10) });
    server.inject({ path: MART_PATH }, { stream: { stallAfter: 3 } });
    const dir = await tempDir(t);
    const traversal = await client.dataMarts.traverseData(martId);
    const saving = traversal.saveTo(join(dir, 'export.ndjson'));
    setTimeout(() => traversal.cancel(), 200);
    const error = await rejectionOf(() => saving);
    assert.ok(error instanceof OWOXApiError, `${error}`);
    assert.equal(error.code, 'STREAM_CANCELLED');
    assert.equal(error.details.dataMartId, martId);
    assert.deepEqual(await readdir(dir), []);
  });

  test('saveTo() after reading, or twice, throws the only-once error', async (t) => {
    const { client, martId } = await streamSetup(t);
    const dir = await tempDir(t);
    const traversal = await client.dataMarts.traverseData(martId);
    await traversal.saveTo(join(dir, 'a.ndjson'));
    const error = await rejectionOf(() => traversal.saveTo(join(dir, 'b.ndjson')));
    assert.equal(error.message, 'OWOX Data Mart data stream can only be traversed once');
  });

  test('bad arguments are OWOXConfigErrors and leave the stream unread', async (t) => {
    const { client, martId } = await streamSetup(t);
    const dir = await tempDir(t);
    const traversal = await client.dataMarts.traverseData(martId);
    for (const [args, message] of [
      [[''], /path must be a non-empty string/],
      [[42], /path must be a non-empty string/],
      [[join(dir, 'x.xlsx'), { format: 'xlsx' }], /format must be 'ndjson' or 'csv'/],
      [[join(dir, 'x'), { format: 'csv', extra: 1 }], /takes only the option format/],
      [[dir], /is a directory/],
      [[new URL('https://example.com/x')], /file: URL/],
    ]) {
      const error = await rejectionOf(() => traversal.saveTo(...args));
      assert.ok(error instanceof OWOXConfigError, `${args}: ${error}`);
      assert.match(error.message, message);
    }
    // Still unread: it can be saved now.
    assert.equal((await traversal.saveTo(join(dir, 'ok.ndjson'))).rows, 5);
  });

  test('a directory that does not exist fails with an OWOXApiError naming the path, nothing created', async (t) => {
    const { client, martId } = await streamSetup(t);
    const dir = await tempDir(t);
    const missing = join(dir, 'no', 'such', 'dir', 'export.ndjson');
    const error = await rejectionOf(async () => (await client.dataMarts.traverseData(martId)).saveTo(missing));
    assert.ok(error instanceof OWOXApiError, `${error}`);
    assert.ok(error.message.includes('no/such/dir') || error.message.includes('no\\such\\dir'), error.message);
    await assert.rejects(stat(join(dir, 'no')));
  });
});
