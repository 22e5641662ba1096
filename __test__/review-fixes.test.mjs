// Fixes from the review of the JavaScript layer (issue 9): runs.forDataMart(id).start() takes
// the original 0.31's options and sends its body; the { transport } form gets the safe-path
// check, honours a signal in authenticate(), and client.request() names the path parameter
// that makes a path unsafe.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OWOXConfigError } from '@owox/api-client';
import { generateSampleData } from '@owox/api-client/testing';
import { clientOf, rejectionOf, useServer } from './helpers/server.mjs';

/** The sample data plus a published connector mart, the only kind the server runs manually. */
function connectorSeed() {
  const sample = generateSampleData({ dataMarts: 3 });
  const connector = { ...sample.dataMarts[0], id: 'c0c0c0c0-0000-4000-8000-000000000001', status: 'PUBLISHED', definitionType: 'CONNECTOR' };
  return { collections: { ...sample, dataMarts: [connector, ...sample.dataMarts] }, connector };
}

/** The requests that reached `server`, token exchanges included. */
const sent = (server) => server.requests.length;

/** The last request but token exchanges, with its JSON body parsed. */
function lastRequest(server) {
  const { method, path, body } = server.requests.filter((r) => !r.path.startsWith('/api/auth/api-keys')).at(-1);
  return { method, path, body: body === '' ? undefined : JSON.parse(body) };
}

describe('runs.forDataMart(id).start() takes the original 0.31 options', () => {
  test('{ runType: MANUAL_BACKFILL, data } is sent as { payload: options }, and the bundled server starts the run', async (t) => {
    const { collections, connector } = connectorSeed();
    const server = await useServer(t, collections);
    const runs = clientOf(server).runs.forDataMart(connector.id);
    const options = { runType: 'MANUAL_BACKFILL', data: { StartDate: '2026-07-01', EndDate: '2026-07-31' } };
    const { runId } = await runs.start(options);
    assert.deepStrictEqual(lastRequest(server), { method: 'POST', path: `/api/data-marts/${connector.id}/manual-run`, body: { payload: options } });
    const run = await runs.get(runId);
    assert.equal(run.status, 'PENDING');
    assert.deepStrictEqual(run.additionalParams, { payload: options });
  });

  test('{ runType: INCREMENTAL }, { runType: MANUAL_BACKFILL } without data, and no options: the original bodies', async (t) => {
    const { collections, connector } = connectorSeed();
    const server = await useServer(t, collections);
    const runs = clientOf(server).runs.forDataMart(connector.id);
    const cases = [
      [[{ runType: 'INCREMENTAL' }], { payload: { runType: 'INCREMENTAL' } }],
      [[{ runType: 'MANUAL_BACKFILL' }], { payload: { runType: 'MANUAL_BACKFILL' } }],
      [[{}], {}],
      [[], {}],
      [[undefined, { timeout: 5000 }], {}],
    ];
    for (const [args, body] of cases) {
      const { runId } = await runs.start(...args);
      assert.equal(typeof runId, 'string');
      assert.deepStrictEqual(lastRequest(server).body, body, JSON.stringify(args));
    }
  });

  test('{ payload } is still sent as given (the CLI uses it)', async (t) => {
    const { collections, connector } = connectorSeed();
    const server = await useServer(t, collections);
    await clientOf(server).runs.forDataMart(connector.id).start({ payload: { runType: 'INCREMENTAL' } });
    assert.deepStrictEqual(lastRequest(server).body, { payload: { runType: 'INCREMENTAL' } });
  });

  test('what the original refuses is an OWOXConfigError that says why, and nothing is sent', async (t) => {
    const { collections, connector } = connectorSeed();
    const server = await useServer(t, collections);
    const runs = clientOf(server).runs.forDataMart(connector.id);
    const what = 'runs.forDataMart(dataMartId).start(): ';
    const cases = [
      [{ data: { StartDate: '2026-07-01' } }, "request.data goes only with runType: 'MANUAL_BACKFILL'"],
      [{ runType: 'INCREMENTAL', data: { StartDate: '2026-07-01' } }, "request.data goes only with runType: 'MANUAL_BACKFILL'"],
      [{ runType: 'FULL_REFRESH' }, "request.runType must be 'INCREMENTAL' or 'MANUAL_BACKFILL'"],
      [{ runType: 'MANUAL_BACKFILL', data: [] }, 'request.data must be an object of connector fields'],
      [{ runType: 'MANUAL_BACKFILL', data: null }, 'request.data must be an object of connector fields'],
      [{ runType: 'INCREMENTAL', extra: 1 }, 'request takes only runType and data (or { payload })'],
      [{ runType: 'INCREMENTAL', payload: {} }, 'request takes either { runType?, data? } or { payload }, not both'],
      [null, 'request must be an object'],
      [[], 'request must be an object'],
      [{ runType: 'MANUAL_BACKFILL', data: { value: 'x'.repeat(1024 * 1024) } }, 'the manual-run payload exceeds 1MB'],
      [{ runType: 'MANUAL_BACKFILL', data: { big: 1n } }, 'the request body must be JSON-serializable'],
    ];
    for (const [options, message] of cases) {
      const error = await rejectionOf(runs.start(options));
      assert.ok(error instanceof OWOXConfigError, `${JSON.stringify(options, (k, v) => (typeof v === 'bigint' ? 'n' : v))?.slice(0, 80)}: ${error}`);
      assert.ok(error.message.startsWith(`${what}${message}`), error.message);
    }
    assert.equal(sent(server), 0, 'not even a token exchange');
  });
});
