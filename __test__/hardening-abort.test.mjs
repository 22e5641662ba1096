// Issue 8, items 3 and 5: an aborted signal is honoured at every await point of every call
// (while a page is fetched, between chunks of a page, between the marts iterate() hands
// out), and every call follows fetch's abort rule: it rejects with `signal.reason` itself.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateDataMarts } from '@owox/api-client/testing';
import { clientOf, rejectionOf, useServer } from './helpers/server.mjs';
import { waitForRequests } from './helpers/transport-util.mjs';

const MARTS = { path: '/api/data-marts' };
const EXCHANGE = { path: '/api/auth/api-keys/exchange' };

/** Every call of the client, each taking its options object. */
const CALLS = {
  'storages.list': (client, options) => client.storages.list(options),
  'destinations.list': (client, options) => client.destinations.list(options),
  'auth.getContext': (client, options) => client.auth.getContext(options),
  authenticate: (client, options) => client.authenticate(options),
  'dataMarts.list': (client, options) => client.dataMarts.list(options),
  'dataMarts.iterate': async (client, options) => {
    for await (const mart of client.dataMarts.iterate(options)) void mart;
  },
};

/** The path each call's own request goes to (authenticate's is the exchange). */
const PATH_OF = {
  'storages.list': '/api/data-storages',
  'destinations.list': '/api/data-destinations',
  'auth.getContext': '/api/auth/context',
  authenticate: '/api/auth/api-keys/exchange',
  'dataMarts.list': '/api/data-marts',
  'dataMarts.iterate': '/api/data-marts',
};

/** The reasons an AbortController can be given, and what fetch rejects with for each. */
const REASONS = {
  'abort()': () => {
    const controller = new AbortController();
    return { signal: controller.signal, abort: () => controller.abort() };
  },
  'abort(new Error(...))': () => {
    const controller = new AbortController();
    return { signal: controller.signal, abort: () => controller.abort(new Error('user pressed stop')) };
  },
  "abort('a string')": () => {
    const controller = new AbortController();
    return { signal: controller.signal, abort: () => controller.abort('navigated away') };
  },
};

function assertIsReason(error, signal) {
  assert.ok(signal.aborted);
  assert.equal(error, signal.reason, `expected the signal's reason itself, got ${error?.name}: ${error?.message ?? error}`);
}

describe('the abort rule: a call rejects with signal.reason, as fetch does', () => {
  test('a plain abort() gives the DOMException named AbortError', async (t) => {
    const server = await useServer(t);
    const client = clientOf(server);
    const controller = new AbortController();
    controller.abort();
    const error = await rejectionOf(client.storages.list({ signal: controller.signal }));
    assert.ok(error instanceof DOMException, `got ${error?.constructor?.name}`);
    assert.equal(error.name, 'AbortError');
    assert.equal(error, controller.signal.reason);
    assert.equal(server.count(), 0);
  });

  test('AbortSignal.timeout() gives the DOMException named TimeoutError, not an AbortError', async (t) => {
    const server = await useServer(t);
    const client = clientOf(server);
    await client.authenticate();
    for (const name of Object.keys(CALLS)) {
      server.inject({ path: PATH_OF[name] }, { hang: true });
      const signal = AbortSignal.timeout(50);
      const error = await rejectionOf(CALLS[name](client, { signal }));
      assert.ok(error instanceof DOMException, `${name}: got ${error?.constructor?.name} ${error?.name}`);
      assert.equal(error.name, 'TimeoutError', name);
      assert.equal(error, signal.reason, name);
    }
  });

  for (const [reasonName, makeSignal] of Object.entries(REASONS)) {
    test(`${reasonName}: every call rejects with the reason, whether aborted before or during the call`, async (t) => {
      const server = await useServer(t);
      const client = clientOf(server);
      for (const [name, call] of Object.entries(CALLS)) {
        const before = makeSignal();
        before.abort();
        assertIsReason(await rejectionOf(call(client, { signal: before.signal })), before.signal);

        server.inject({ path: PATH_OF[name] }, { hang: true });
        const during = makeSignal();
        const seen = server.count({ path: PATH_OF[name] });
        const pending = rejectionOf(call(client, { signal: during.signal }));
        await waitForRequests(server, { path: PATH_OF[name] }, seen + 1);
        during.abort();
        assertIsReason(await pending, during.signal);
      }
    });
  }

  test('a signal-like object aborted without a reason gives the DOMException named AbortError', async (t) => {
    const server = await useServer(t);
    const client = clientOf(server);
    const signal = { aborted: true, reason: undefined, addEventListener() {}, removeEventListener() {} };
    const error = await rejectionOf(client.storages.list({ signal }));
    assert.ok(error instanceof DOMException);
    assert.equal(error.name, 'AbortError');
    assert.equal(error.message, 'This operation was aborted');
    assert.equal(server.count(), 0);
  });
});

describe('an abort is honoured between the marts of a page', () => {
  test('iterate(): aborting at the 10th mart rejects the next step, not after the rest of the page', async (t) => {
    const server = await useServer(t, { dataMarts: generateDataMarts(2500) });
    const client = clientOf(server);
    const controller = new AbortController();
    const reason = new Error('enough');
    const seen = [];
    const error = await rejectionOf(
      (async () => {
        for await (const mart of client.dataMarts.iterate({ signal: controller.signal })) {
          seen.push(mart.id);
          if (seen.length === 10) controller.abort(reason);
        }
      })(),
    );
    assert.equal(error, reason);
    assert.equal(seen.length, 10, 'marts were handed out after the abort');
  });

  test('iterate(): an abort while the loop body awaits its own work stops the loop at that mart', async (t) => {
    const server = await useServer(t, { dataMarts: generateDataMarts(1000) });
    const client = clientOf(server);
    const controller = new AbortController();
    const seen = [];
    const error = await rejectionOf(
      (async () => {
        for await (const mart of client.dataMarts.iterate({ signal: controller.signal })) {
          seen.push(mart.id);
          // The abort arrives from elsewhere while the body awaits (a timer, a request).
          if (seen.length === 3) await new Promise((resolve) => setTimeout(() => resolve(controller.abort()), 5));
        }
      })(),
    );
    assert.equal(error, controller.signal.reason);
    assert.equal(seen.length, 3);
  });

  test('list(): an abort while a page is being handed over rejects before the page is finished', async (t) => {
    // One page of 1000 marts crosses in about 30 chunks, each parsed on its own event-loop
    // turn. JSON.parse is watched to abort exactly while the third chunk is parsed.
    const server = await useServer(t, { dataMarts: generateDataMarts(1000) });
    const client = clientOf(server);
    await client.authenticate();
    const controller = new AbortController();
    const parse = JSON.parse;
    let chunkParses = 0;
    let parsesAfterAbort = 0;
    JSON.parse = function watchedParse(text, reviver) {
      if (typeof text === 'string' && text.startsWith('[{"id"')) {
        chunkParses++;
        if (controller.signal.aborted) parsesAfterAbort++;
        if (chunkParses === 3) controller.abort();
      }
      return parse(text, reviver);
    };
    let outcome;
    try {
      outcome = await client.dataMarts.list({ signal: controller.signal }).then(
        (marts) => ({ marts }),
        (error) => ({ error }),
      );
    } finally {
      JSON.parse = parse;
    }
    assert.equal(outcome.marts?.length, undefined, 'list() finished the page after the abort');
    assert.equal(outcome.error, controller.signal.reason);
    assert.ok(chunkParses >= 3, `only ${chunkParses} chunk(s) were parsed; the abort was not mid-page`);
    assert.equal(parsesAfterAbort, 0, `${parsesAfterAbort} chunk(s) were parsed after the abort`);
    assert.equal(server.count(MARTS), 1);
  });

  test('list() of several pages: after an abort mid-page, no further page is requested', async (t) => {
    // 10 pages of 100 marts, each about 3 chunks; list() fetches up to 3 pages ahead.
    const server = await useServer(t, { dataMarts: generateDataMarts(1000), pageSize: 100 });
    const client = clientOf(server);
    await client.authenticate();
    const controller = new AbortController();
    const parse = JSON.parse;
    let chunkParses = 0;
    JSON.parse = function watchedParse(text, reviver) {
      if (typeof text === 'string' && text.startsWith('[{"id"') && ++chunkParses === 2) controller.abort();
      return parse(text, reviver);
    };
    let error;
    try {
      error = await rejectionOf(client.dataMarts.list({ signal: controller.signal }));
    } finally {
      JSON.parse = parse;
    }
    assert.equal(error, controller.signal.reason);
    // The first page and at most the three already fetched ahead of it (those requests may
    // still arrive after the abort); a walk that went on would request all ten.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const seen = server.count(MARTS);
    assert.ok(seen <= 4, `${seen} pages were requested`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(server.count(MARTS), seen, 'pages were still being requested long after the abort');
    assert.equal(server.count(EXCHANGE), 1);
  });
});

describe('the { transport } form honours an abort between marts as well', () => {
  test('iterate() over a caller-supplied transport stops at the mart where the abort came', async () => {
    const { OWOXApiClient } = await import('@owox/api-client');
    const items = generateDataMarts(100);
    let pagesServed = 0;
    const transport = {
      async getJson() {
        pagesServed++;
        return { items, total: items.length, nextOffset: null };
      },
      async postJson() {
        throw new Error('not used');
      },
      async putJson() {
        throw new Error('not used');
      },
    };
    const client = new OWOXApiClient({ transport });
    const controller = new AbortController();
    const seen = [];
    const error = await rejectionOf(
      (async () => {
        for await (const mart of client.dataMarts.iterate({ signal: controller.signal })) {
          seen.push(mart.id);
          if (seen.length === 10) controller.abort();
        }
      })(),
    );
    assert.equal(error, controller.signal.reason);
    assert.equal(seen.length, 10, 'marts were handed out after the abort');
    assert.equal(pagesServed, 1);
  });
});
