// Issue 8, item 12: nothing a caller passes is silently ignored. An unknown option name, an
// option another call takes, an options value that is not a plain object and an extra
// positional argument are each an OWOXConfigError that names what was wrong and lists what
// the call accepts, and no request is sent.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { OWOXApiClient, OWOXConfigError } from '@owox/api-client';
import { clientOf, rejectionOf, thrownBy, useServer } from './helpers/server.mjs';

const CALL_OPTIONS = ['signal', 'timeout', 'maxRetries'];

/** Every call, how to make it with any arguments, and the options it accepts. */
const CALLS = [
  { name: 'dataMarts.list', call: (client, args) => client.dataMarts.list(...args), accepts: [...CALL_OPTIONS, 'offset', 'ownerFilter'] },
  {
    name: 'dataMarts.iterate',
    call: async (client, args) => {
      for await (const mart of client.dataMarts.iterate(...args)) void mart;
    },
    accepts: [...CALL_OPTIONS, 'offset', 'ownerFilter'],
  },
  { name: 'storages.list', call: (client, args) => client.storages.list(...args), accepts: CALL_OPTIONS },
  { name: 'destinations.list', call: (client, args) => client.destinations.list(...args), accepts: CALL_OPTIONS },
  { name: 'auth.getContext', call: (client, args) => client.auth.getContext(...args), accepts: CALL_OPTIONS },
  { name: 'authenticate', call: (client, args) => client.authenticate(...args), accepts: CALL_OPTIONS },
];

const CLIENT_OPTIONS = ['apiKey', 'apiOrigin', 'apiKeyId', 'apiKeySecret', 'timeout', 'maxRetries', 'maxResponseBytes', 'userAgent'];

/** Runs `call` and returns what it threw or rejected with (a synchronous throw counts). */
async function failureOf(call) {
  let promise;
  try {
    promise = call();
  } catch (error) {
    return error;
  }
  return rejectionOf(promise);
}

function assertNamesEverything(error, callName, offending, accepts) {
  assert.ok(error instanceof OWOXConfigError, `${callName}: expected OWOXConfigError, got ${error?.name}: ${error?.message}`);
  assert.ok(error.message.includes(callName), `${callName}: the message does not name the call: ${error.message}`);
  if (offending) assert.ok(error.message.includes(`'${offending}'`), `${callName}: the message does not name '${offending}': ${error.message}`);
  for (const name of accepts) {
    assert.ok(error.message.includes(name), `${callName}: the message does not list accepted option ${name}: ${error.message}`);
  }
}

describe('calls refuse what they would otherwise ignore', () => {
  for (const { name, call, accepts } of CALLS) {
    test(`${name}: unknown options, options of other calls, extra arguments and non-object options are refused before any request`, async (t) => {
      const server = await useServer(t);
      const client = clientOf(server);
      // Each a mistake seen in real use: a name from another SDK, a typo, an option another
      // call of this client takes.
      const foreign = ['limit', 'signl', 'retries', ...['offset', 'ownerFilter'].filter((option) => !accepts.includes(option))];
      for (const option of foreign) {
        assertNamesEverything(await failureOf(() => call(client, [{ [option]: 1 }])), name, option, accepts);
      }
      // The signal given as a second argument would never be watched.
      const extra = await failureOf(() => call(client, [undefined, { signal: AbortSignal.timeout(1000) }]));
      assert.ok(extra instanceof OWOXConfigError, `${name}: an extra positional argument was accepted (${extra?.name})`);
      assert.match(extra.message, new RegExp(`${name.replace('.', '\\.')}\\(options\\?\\) takes at most 1 argument but was given 2`));
      // Options passed as something that is not a plain object would be read as empty.
      for (const notOptions of [AbortSignal.abort(), [], new Map([['timeout', 5]]), 'has_owners', 1000]) {
        const error = await failureOf(() => call(client, [notOptions]));
        assert.ok(error instanceof OWOXConfigError, `${name}(${String(notOptions)}): expected OWOXConfigError, got ${error?.name}`);
        assert.ok(error.message.includes(name), error.message);
      }
      assert.equal(server.count(), 0, `${name}: a refused call sent a request`);
    });
  }

  test('every option a call accepts is still taken, and results are unchanged', async (t) => {
    const server = await useServer(t);
    const client = clientOf(server);
    const signal = new AbortController().signal;
    const common = { signal, timeout: 5000, maxRetries: 1 };
    const marts = await client.dataMarts.list({ ...common, offset: 1, ownerFilter: 'has_owners' });
    assert.ok(Array.isArray(marts));
    assert.equal(server.requests.find((r) => r.path === '/api/data-marts').query.offset, '1');
    assert.ok(Array.isArray(await client.storages.list(common)));
    assert.ok(Array.isArray(await client.destinations.list({ ...common, signal: undefined })));
    assert.equal(typeof (await client.auth.getContext(null)), 'object');
    assert.equal(await client.authenticate(undefined), undefined);
    // An options object without a prototype is a plain object too.
    assert.ok(Array.isArray(await client.storages.list(Object.assign(Object.create(null), { timeout: 5000 }))));
  });

  test('several unknown options are all named', async (t) => {
    const server = await useServer(t);
    const error = await failureOf(() => clientOf(server).storages.list({ limit: 1, page: 2 }));
    assert.ok(error instanceof OWOXConfigError);
    assert.match(error.message, /'limit', 'page'/);
  });

  test('an option name that could be a pasted secret is not echoed', async (t) => {
    const server = await useServer(t);
    const secretLike = server.apiKey;
    const error = await failureOf(() => clientOf(server).storages.list({ [secretLike]: true }));
    assert.ok(error instanceof OWOXConfigError);
    assert.ok(!error.message.includes(secretLike.slice(9, 30)), error.message);
    assert.match(error.message, /storages\.list\(\)/);
  });

  test('a wrong option type names the call and the option', async (t) => {
    const server = await useServer(t);
    const error = await failureOf(() => clientOf(server).dataMarts.list({ offset: '10' }));
    assert.ok(error instanceof OWOXConfigError);
    assert.match(error.message, /dataMarts\.list\(\): offset must be a number, not a string/);
  });
});

describe('the constructor refuses what it would otherwise ignore', () => {
  test('an unknown option is an OWOXConfigError naming it and listing the accepted options', async (t) => {
    const server = await useServer(t);
    for (const option of ['retries', 'baseUrl', 'signal', 'apikey']) {
      const error = thrownBy(() => new OWOXApiClient({ ...server.credentials, [option]: 3 }));
      assertNamesEverything(error, 'new OWOXApiClient', option, CLIENT_OPTIONS);
    }
  });

  test('an extra positional argument, a bare key string or a non-object is refused', async (t) => {
    const server = await useServer(t);
    const extra = thrownBy(() => new OWOXApiClient(server.credentials, { timeout: 1000 }));
    assert.ok(extra instanceof OWOXConfigError);
    assert.match(extra.message, /new OWOXApiClient\(options\?\) takes at most 1 argument/);
    const bare = thrownBy(() => new OWOXApiClient(server.apiKey));
    assert.ok(bare instanceof OWOXConfigError);
    assert.match(bare.message, /\{ apiKey \}/);
    assert.ok(!bare.message.includes(server.apiKeySecret), 'the key was echoed');
    for (const notOptions of [[], 42, new URL(server.origin)]) {
      assert.ok(thrownBy(() => new OWOXApiClient(notOptions)) instanceof OWOXConfigError, String(notOptions));
    }
    assert.equal(server.count(), 0);
  });
});
