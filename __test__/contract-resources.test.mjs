// The seed's endpoints: data marts page by page (list and iterate), storages, destinations
// and the auth context, against what the server holds.

import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'node:test';
import { OWOXApiError } from '@owox/api-client';
import { generateDataMarts, generateDestinations, generateStorages } from '@owox/api-client/testing';
import { clientOf, rawJson, rejectionOf, useServer } from './helpers/server.mjs';

const MARTS = '/api/data-marts';
/** What the server serves for `items`: their JSON, read back. */
const served = (items) => JSON.parse(JSON.stringify(items));
const martRequests = (server) => server.requests.filter((r) => r.path === MARTS);
const hasOwners = (mart) => mart.businessOwnerUsers.length > 0 || mart.technicalOwnerUsers.length > 0;

describe('dataMarts.list()', () => {
  test('walks 2,500 marts in 3 requests: no query string first, then offset=1000 and offset=2000', async (t) => {
    const seed = generateDataMarts(2500);
    const server = await useServer(t, { dataMarts: seed });
    const marts = await clientOf(server).dataMarts.list();

    const requests = martRequests(server);
    assert.equal(requests.length, 3);
    assert.deepEqual(requests[0].query, {}, 'the first request has no query string');
    // Later pages may be fetched concurrently, so their arrival order is not fixed.
    assert.deepEqual(requests.slice(1).map((r) => r.query).sort((a, b) => a.offset - b.offset), [{ offset: '1000' }, { offset: '2000' }]);
    assert.equal(marts.length, 2500);
    assert.deepStrictEqual(marts, served(seed), 'items are concatenated in server order');
  });

  test('returns every one of 10,000 marts exactly as the server holds them', async (t) => {
    const seed = generateDataMarts(10_000, { seed: 7 });
    const server = await useServer(t, { dataMarts: seed });
    const marts = await clientOf(server).dataMarts.list();
    assert.equal(marts.length, 10_000);
    assert.deepStrictEqual(marts, served(seed));
    assert.equal(server.count({ path: MARTS }), 10);
  });

  test('an empty collection is one request and an empty array', async (t) => {
    const server = await useServer(t, { dataMarts: [] });
    assert.deepStrictEqual(await clientOf(server).dataMarts.list(), []);
    assert.equal(server.count({ path: MARTS }), 1);
  });

  test('a page size other than 1000 is followed through nextOffset', async (t) => {
    const seed = generateDataMarts(25);
    const server = await useServer(t, { dataMarts: seed, pageSize: 10 });
    assert.deepStrictEqual(await clientOf(server).dataMarts.list(), served(seed));
    assert.deepEqual(martRequests(server).map((r) => r.query.offset).sort(), [undefined, '10', '20'].sort());
  });

  test('{ offset } starts at that offset', async (t) => {
    const seed = generateDataMarts(2500);
    const server = await useServer(t, { dataMarts: seed });
    const marts = await clientOf(server).dataMarts.list({ offset: 1500 });
    assert.deepStrictEqual(marts, served(seed.slice(1500)));
    assert.deepEqual(martRequests(server).map((r) => r.query), [{ offset: '1500' }], 'one page reaches the end');
  });

  test('{ ownerFilter } is sent on every page and gives the filtered marts', async (t) => {
    const seed = generateDataMarts(2500);
    const server = await useServer(t, { dataMarts: seed });
    const client = clientOf(server);

    const withOwners = await client.dataMarts.list({ ownerFilter: 'has_owners' });
    assert.deepStrictEqual(withOwners, served(seed.filter(hasOwners)));
    const requests = martRequests(server);
    assert.ok(requests.length >= 2, 'the filtered list spans several pages');
    for (const request of requests) assert.equal(request.query.ownerFilter, 'has_owners');

    server.clearRequests();
    const withoutOwners = await client.dataMarts.list({ ownerFilter: 'no_owners' });
    assert.ok(withoutOwners.length > 0);
    assert.deepStrictEqual(withoutOwners, served(seed.filter((m) => !hasOwners(m))));
    assert.deepEqual(martRequests(server).map((r) => r.query), [{ ownerFilter: 'no_owners' }]);
  });

  test('{ offset, ownerFilter } together are both passed through', async (t) => {
    const seed = generateDataMarts(1200);
    const server = await useServer(t, { dataMarts: seed });
    const marts = await clientOf(server).dataMarts.list({ offset: 3, ownerFilter: 'has_owners' });
    assert.deepStrictEqual(marts, served(seed.filter(hasOwners).slice(3)));
    assert.deepEqual(martRequests(server)[0].query, { offset: '3', ownerFilter: 'has_owners' });
  });

  test('a nextOffset pointing back at the first page is an OWOXApiError', async (t) => {
    const server = await useServer(t);
    server.inject({ path: MARTS }, { status: 200, body: { items: [{ id: 'a' }], total: 10, nextOffset: 0 } });
    const error = await rejectionOf(clientOf(server).dataMarts.list());
    assert.ok(error instanceof OWOXApiError, `got ${error.name}: ${error.message}`);
    assert.equal(error.message, 'OWOX Data Marts API returned repeated nextOffset 0');
    assert.equal(server.count({ path: MARTS }), 1);
  });

  test('a nextOffset already requested later on is an OWOXApiError and stops the walk', async (t) => {
    const server = await useServer(t);
    // Every page says "next is 1": the second page (offset 1) repeats it.
    server.inject({ path: MARTS, times: Infinity }, { status: 200, body: { items: [{ id: 'a' }], total: 5, nextOffset: 1 } });
    const error = await rejectionOf(clientOf(server).dataMarts.list());
    assert.ok(error instanceof OWOXApiError, `got ${error.name}: ${error.message}`);
    assert.equal(error.message, 'OWOX Data Marts API returned repeated nextOffset 1');
    await sleep(100);
    assert.ok(server.count({ path: MARTS }) <= 5, 'the client does not loop');
  });
});

describe('dataMarts.iterate()', () => {
  test('yields every mart in order, page by page', async (t) => {
    const seed = generateDataMarts(2500);
    const server = await useServer(t, { dataMarts: seed });
    const marts = [];
    for await (const mart of clientOf(server).dataMarts.iterate()) marts.push(mart);
    assert.deepStrictEqual(marts, served(seed));
    assert.equal(server.count({ path: MARTS }), 3);
    assert.deepEqual(martRequests(server)[0].query, {});
  });

  test('fetches lazily: taking the first mart costs one or two page requests, not all ten', async (t) => {
    const seed = generateDataMarts(10_000);
    const server = await useServer(t, { dataMarts: seed });
    const iterator = clientOf(server).dataMarts.iterate();
    const first = await iterator.next();
    assert.deepStrictEqual(first, { value: served(seed[0]), done: false });
    await sleep(300); // give an eager implementation time to betray itself
    const pages = server.count({ path: MARTS });
    assert.ok(pages >= 1 && pages <= 2, `${pages} page requests after the first mart`);
    await iterator.return();
  });

  test('breaking out of the loop early stops further page requests', async (t) => {
    const seed = generateDataMarts(10_000);
    const server = await useServer(t, { dataMarts: seed });
    let taken = 0;
    for await (const mart of clientOf(server).dataMarts.iterate()) {
      assert.equal(mart.id, seed[taken].id);
      if (++taken === 1500) break; // into the second page
    }
    await sleep(300); // give a walk that did not stop time to betray itself
    // Pages 1 and 2, and at most the one page iterate() fetches ahead: not the other 7.
    const pages = server.count({ path: MARTS });
    assert.ok(pages >= 2 && pages <= 3, `${pages} page requests after breaking in page 2 of 10`);
  });

  test('passes { offset, ownerFilter } through', async (t) => {
    const seed = generateDataMarts(1200);
    const server = await useServer(t, { dataMarts: seed });
    const marts = [];
    for await (const mart of clientOf(server).dataMarts.iterate({ offset: 10, ownerFilter: 'no_owners' })) marts.push(mart);
    assert.deepStrictEqual(marts, served(seed.filter((m) => !hasOwners(m)).slice(10)));
    assert.deepEqual(martRequests(server)[0].query, { offset: '10', ownerFilter: 'no_owners' });
  });

  test('has the same repeated-nextOffset guard', async (t) => {
    const server = await useServer(t);
    server.inject({ path: MARTS, times: Infinity }, { status: 200, body: { items: [{ id: 'a' }], total: 5, nextOffset: 1 } });
    const seen = [];
    const error = await rejectionOf(
      (async () => {
        for await (const mart of clientOf(server).dataMarts.iterate()) seen.push(mart);
      })(),
    );
    assert.ok(error instanceof OWOXApiError, `got ${error.name}: ${error.message}`);
    assert.equal(error.message, 'OWOX Data Marts API returned repeated nextOffset 1');
    assert.ok(seen.length <= 1, 'the page that repeats an offset is not yielded');
  });

  test('a nextOffset pointing back at the first page fails iterate() too', async (t) => {
    const server = await useServer(t);
    server.inject({ path: MARTS }, { status: 200, body: { items: [{ id: 'a' }], total: 10, nextOffset: 0 } });
    const iterator = clientOf(server).dataMarts.iterate();
    const error = await rejectionOf(iterator.next());
    assert.equal(error.message, 'OWOX Data Marts API returned repeated nextOffset 0');
  });
});

describe('storages, destinations and the auth context', () => {
  test('storages.list() is GET /api/data-storages and returns the server array', async (t) => {
    const seed = generateStorages(4);
    const server = await useServer(t, { storages: seed });
    assert.deepStrictEqual(await clientOf(server).storages.list(), served(seed));
    const [request] = server.requests.filter((r) => r.method === 'GET');
    assert.equal(request.path, '/api/data-storages');
    assert.deepEqual(request.query, {});
  });

  test('destinations.list() is GET /api/data-destinations and returns the server array', async (t) => {
    const seed = generateDestinations(4);
    const server = await useServer(t, { destinations: seed });
    assert.deepStrictEqual(await clientOf(server).destinations.list(), served(seed));
    const [request] = server.requests.filter((r) => r.method === 'GET');
    assert.equal(request.path, '/api/data-destinations');
    assert.deepEqual(request.query, {});
  });

  test('empty lists are empty arrays', async (t) => {
    const server = await useServer(t, { storages: [], destinations: [] });
    const client = clientOf(server);
    assert.deepStrictEqual(await client.storages.list(), []);
    assert.deepStrictEqual(await client.destinations.list(), []);
  });

  test('items with fields and enum values from a newer server are passed through untouched', async (t) => {
    const future = [{ id: 's1', title: null, type: 'QUANTUM_WAREHOUSE', createdAt: 'x', modifiedAt: 'y', brandNew: { nested: [1, { deep: true }] } }];
    const server = await useServer(t, { storages: future, destinations: future, dataMarts: future.map((s) => ({ ...s, status: 'ARCHIVED_V2' })) });
    const client = clientOf(server);
    assert.deepStrictEqual(await client.storages.list(), future);
    assert.deepStrictEqual(await client.destinations.list(), future);
    assert.deepStrictEqual(await client.dataMarts.list(), [{ ...future[0], status: 'ARCHIVED_V2' }]);
  });

  test('auth.getContext() is GET /api/auth/context, regrouped into project and member', async (t) => {
    const context = {
      apiKeyId: 'pmk_context000000000000000',
      authFlow: 'api_key',
      projectId: 'proj-1',
      projectTitle: 'Marketing — 東京',
      userId: 'user-1',
      email: 'ada@example.com',
      fullName: 'Ada Lovelace',
      avatar: 'https://example.com/ada.png',
      roles: ['admin', 'editor'],
    };
    const server = await useServer(t, { context });
    const result = await clientOf(server).auth.getContext();
    assert.deepStrictEqual(result, {
      apiKeyId: 'pmk_context000000000000000',
      authFlow: 'api_key',
      project: { id: 'proj-1', title: 'Marketing — 東京' },
      member: { userId: 'user-1', email: 'ada@example.com', fullName: 'Ada Lovelace', avatar: 'https://example.com/ada.png', roles: ['admin', 'editor'] },
    });
    const [request] = server.requests.filter((r) => r.method === 'GET');
    assert.equal(request.path, '/api/auth/context');
  });

  test('auth.getContext() gives null for missing optional strings', async (t) => {
    const context = { apiKeyId: 'pmk_1', authFlow: 'api_key', projectId: 'p1', userId: 'u1', roles: [] };
    const server = await useServer(t, { context });
    assert.deepStrictEqual(await clientOf(server).auth.getContext(), {
      apiKeyId: 'pmk_1',
      authFlow: 'api_key',
      project: { id: 'p1', title: null },
      member: { userId: 'u1', email: null, fullName: null, avatar: null, roles: [] },
    });
  });

  test('auth.getContext() keeps explicit nulls as null', async (t) => {
    const context = { apiKeyId: 'pmk_1', authFlow: 'api_key', projectId: 'p1', projectTitle: null, userId: 'u1', email: null, fullName: null, avatar: null, roles: ['viewer'] };
    const server = await useServer(t, { context });
    const result = await clientOf(server).auth.getContext();
    assert.deepStrictEqual(result.project, { id: 'p1', title: null });
    assert.deepStrictEqual(result.member, { userId: 'u1', email: null, fullName: null, avatar: null, roles: ['viewer'] });
  });

  /** What getContext() must give for a raw context body: its strings as JSON.parse reads them. */
  const regrouped = (body) => {
    const c = JSON.parse(body);
    return {
      apiKeyId: c.apiKeyId,
      authFlow: c.authFlow,
      project: { id: c.projectId, title: c.projectTitle ?? null },
      member: { userId: c.userId, email: c.email ?? null, fullName: c.fullName ?? null, avatar: c.avatar ?? null, roles: c.roles },
    };
  };

  test('auth.getContext() keeps unicode strings exactly as JSON.parse reads them (emoji, CJK, escapes)', async (t) => {
    const server = await useServer(t);
    const body =
      '{"apiKeyId":"pmk_\\u00e9","authFlow":"api_key","projectId":"p","projectTitle":"Proj 😀 漢字 \\u00e9",' +
      '"userId":"u","email":"caf\\u00e9@example.com","fullName":"\\ud83d\\ude00 Ada \\"quoted\\"","avatar":null,"roles":["r\\u00f4le"]}';
    server.inject({ path: '/api/auth/context' }, rawJson(body));
    assert.deepStrictEqual(await clientOf(server).auth.getContext(), regrouped(body));
  });

  test('auth.getContext() keeps lone-surrogate escapes as JSON.parse reads them', async (t) => {
    const server = await useServer(t);
    const body =
      '{"apiKeyId":"pmk_1","authFlow":"api_key","projectId":"p","projectTitle":"half \\ud800 pair",' +
      '"userId":"u","fullName":"\\udfff","roles":["admin"]}';
    server.inject({ path: '/api/auth/context' }, rawJson(body));
    const result = await clientOf(server).auth.getContext();
    assert.deepStrictEqual(result, regrouped(body));
    assert.equal(result.project.title, 'half \ud800 pair');
  });
});
