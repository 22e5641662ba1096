// The constructor: the two credential forms, the environment, and every validation rule of
// the contract, each an OWOXConfigError thrown synchronously with the contract's message.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OWOXApiClient, OWOXApiError, OWOXConfigError } from '@owox/api-client';
import { encodeApiKey } from '@owox/api-client/testing';
import { clientOf, runNode, envWithout, thrownBy, useServer, withOwoxEnv } from './helpers/server.mjs';

const SECRET = 'SECRET-never-printed-0123456789abcdefghijkl';
const KEY_ID = 'pmk_AAAAAAAAAAAAAAAAAAAAAA';

/** The OWOXConfigError `new OWOXApiClient(options)` throws, checked to be one. */
function configError(options) {
  const error = thrownBy(() => new OWOXApiClient(options));
  assert.ok(error instanceof OWOXConfigError, `expected an OWOXConfigError, got ${error?.name}: ${error?.message}`);
  assert.ok(!(error instanceof OWOXApiError), 'a config error is not an OWOXApiError');
  assert.equal(error.name, 'OWOXConfigError');
  return error;
}

/** `owox_key_` + unpadded base64url of `text` (any text, not only valid credentials). */
const keyOf = (text) => 'owox_key_' + Buffer.from(text, 'utf8').toString('base64url');

describe('three-value credentials { apiOrigin, apiKeyId, apiKeySecret }', () => {
  test('are accepted, and the origin is available as client.origin', () => {
    const client = new OWOXApiClient({ apiOrigin: 'https://app.owox.com', apiKeyId: KEY_ID, apiKeySecret: SECRET });
    assert.equal(client.origin, 'https://app.owox.com');
  });

  test('the origin is normalized as WHATWG URL.origin does', () => {
    const inputs = [
      '  HTTPS://App.OWOX.com:443/ ',
      'https://app.owox.com/',
      'http://example.com:80',
      'http://127.0.0.1:8080/',
      'https://EXAMPLE.com:8443',
      'http://[::1]:80',
      'http://[::1]:3000/',
      'https://münchen.de',
      'https://x.io?',
      'https://x.io#',
    ];
    for (const input of inputs) {
      const client = new OWOXApiClient({ apiOrigin: input, apiKeyId: KEY_ID, apiKeySecret: SECRET });
      assert.equal(client.origin, new URL(input.trim()).origin, `origin of ${JSON.stringify(input)}`);
    }
    assert.equal(new OWOXApiClient({ apiOrigin: 'HTTP://LOCALHOST:80/', apiKeyId: KEY_ID, apiKeySecret: SECRET }).origin, 'http://localhost');
  });

  const originRules = [
    ['OWOX API origin is required', ['', '   ', undefined]],
    ['OWOX API origin must be a valid http or https URL', ['app.owox.com', 'http://', '//app.owox.com', 'https://exa mple.com']],
    ['OWOX API origin must use http or https', ['ftp://app.owox.com', 'ws://app.owox.com', 'file:///etc/passwd']],
    [
      'OWOX API origin must include only scheme, host, and optional port',
      ['https://user:pass@app.owox.com', 'https://user@app.owox.com', 'https://app.owox.com/api', 'https://app.owox.com?a=1', 'https://app.owox.com#top', 'https://app.owox.com/api/'],
    ],
  ];
  for (const [message, origins] of originRules) {
    test(`an origin like ${origins.map((o) => JSON.stringify(o)).join(', ')} is refused: "${message}"`, () => {
      for (const apiOrigin of origins) {
        // No OWOX_* variable: a missing apiOrigin would otherwise be read from OWOX_API_ORIGIN.
        const error = withOwoxEnv({}, () => configError({ apiOrigin, apiKeyId: KEY_ID, apiKeySecret: SECRET }));
        // The contract's sentence, then at most what to do about it (issue 8, item 13:
        // "; did you mean https://...?", ": the apiOrigin option is blank", ...).
        assert.ok(
          error.message === message || error.message.startsWith(`${message}; `) || error.message.startsWith(`${message}: `),
          `apiOrigin ${JSON.stringify(apiOrigin)}: ${JSON.stringify(error.message)}`,
        );
      }
    });
  }

  test('a missing or blank key id or secret is a config error that never shows the secret', () => {
    for (const options of [
      { apiOrigin: 'https://app.owox.com', apiKeySecret: SECRET },
      { apiOrigin: 'https://app.owox.com', apiKeyId: '  ', apiKeySecret: SECRET },
      { apiOrigin: 'https://app.owox.com', apiKeyId: KEY_ID },
      { apiOrigin: 'https://app.owox.com', apiKeyId: KEY_ID, apiKeySecret: ' ' },
      { apiOrigin: 'ftp://app.owox.com', apiKeyId: KEY_ID, apiKeySecret: SECRET },
    ]) {
      const error = configError(options);
      assert.ok(!error.message.includes(SECRET), error.message);
      assert.ok(!String(error.stack).includes(SECRET));
    }
  });

  test('key id and secret are trimmed before use: a padded key still authenticates', async (t) => {
    const server = await useServer(t);
    const client = new OWOXApiClient({
      apiOrigin: ` ${server.origin}/ `,
      apiKeyId: `  ${server.apiKeyId}\n`,
      apiKeySecret: `\t${server.apiKeySecret}  `,
      maxRetries: 0,
    });
    await client.authenticate();
    const [exchange] = server.requests;
    assert.equal(exchange.headers['x-owox-api-key-id'], server.apiKeyId);
    assert.equal(exchange.body, JSON.stringify({ apiKeySecret: server.apiKeySecret }));
  });
});

describe('the single value { apiKey: "owox_key_..." }', () => {
  test('is accepted and works end to end against a server', async (t) => {
    const server = await useServer(t);
    const client = new OWOXApiClient({ apiKey: server.apiKey, maxRetries: 0 });
    assert.equal(client.origin, server.origin);
    await client.authenticate();
    assert.equal(server.count({ path: '/api/auth/api-keys/exchange' }), 1);
    assert.equal(server.requests[0].headers['x-owox-api-key-id'], server.apiKeyId);
  });

  test('is refused together with the three-value form, naming what was mixed (issue 8, item 14)', () => {
    const apiKey = encodeApiKey({ apiOrigin: 'https://from-key.example', apiKeyId: KEY_ID, apiKeySecret: SECRET });
    const error = configError({ apiKey, apiOrigin: 'https://from-parts.example', apiKeyId: 'pmk_other', apiKeySecret: 'other' });
    assert.match(error.message, /apiKey together with apiOrigin, apiKeyId and apiKeySecret/);
    assert.ok(!error.message.includes(SECRET) && !error.message.includes(apiKey));
  });

  test('values inside the key are trimmed and the origin normalized', async (t) => {
    const server = await useServer(t);
    const apiKey = keyOf(
      JSON.stringify({ apiOrigin: ` ${server.origin.toUpperCase()}/ `, apiKeyId: ` ${server.apiKeyId} `, apiKeySecret: ` ${server.apiKeySecret} ` }),
    );
    const client = new OWOXApiClient({ apiKey, maxRetries: 0 });
    assert.equal(client.origin, server.origin);
    await client.authenticate();
    assert.equal(server.requests[0].headers['x-owox-api-key-id'], server.apiKeyId);
    assert.equal(server.requests[0].body, JSON.stringify({ apiKeySecret: server.apiKeySecret }));
  });

  test('decoding tolerates non-zero trailing bits', () => {
    const apiKey = encodeApiKey({ apiOrigin: 'https://a.io', apiKeyId: 'i', apiKeySecret: 's' });
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    // The payload's length % 4 leaves spare low bits in the last character; flip one.
    assert.notEqual((apiKey.length - 'owox_key_'.length) % 4, 0, 'the test key must have trailing bits');
    const last = alphabet.indexOf(apiKey.at(-1));
    const tweaked = apiKey.slice(0, -1) + alphabet[last ^ 1];
    assert.notEqual(tweaked, apiKey);
    assert.equal(new OWOXApiClient({ apiKey: tweaked }).origin, 'https://a.io');
  });

  const good = { apiOrigin: 'https://a.io', apiKeyId: KEY_ID, apiKeySecret: SECRET };
  const keyRules = [
    ['OWOX_API_KEY is required and must start with owox_key_', ['', 'pmk_abc', `OWOX_KEY_${keyOf(JSON.stringify(good)).slice(9)}`, SECRET]],
    ['OWOX_API_KEY must contain a valid base64url payload', ['owox_key_', 'owox_key_abc+def', 'owox_key_abc/def', 'owox_key_abc=', 'owox_key_ab cd', `${keyOf(JSON.stringify(good))}=`]],
    ['OWOX_API_KEY must contain a valid JSON payload', ['owox_key_AAAAA', keyOf('not json'), keyOf('{"apiOrigin":'), keyOf(`{"apiKeySecret":"${SECRET}"`)]],
    ['OWOX_API_KEY must contain a JSON object', [keyOf('[1,2]'), keyOf('"s"'), keyOf('null'), keyOf('42'), keyOf(`["${SECRET}"]`)]],
    [
      'OWOX_API_KEY must include apiOrigin, apiKeyId, and apiKeySecret',
      [
        keyOf(JSON.stringify({ apiOrigin: 'https://a.io', apiKeyId: KEY_ID })),
        keyOf(JSON.stringify({ apiKeyId: KEY_ID, apiKeySecret: SECRET })),
        keyOf(JSON.stringify({ apiOrigin: 'https://a.io', apiKeySecret: SECRET })),
        keyOf(JSON.stringify({ ...good, apiKeySecret: '   ' })),
        keyOf(JSON.stringify({ ...good, apiKeyId: 7 })),
        keyOf(JSON.stringify({ ...good, apiOrigin: null })),
        keyOf(JSON.stringify({ ...good, apiKeySecret: { value: SECRET } })),
        keyOf('{}'),
      ],
    ],
    [
      'OWOX_API_KEY apiOrigin must be a valid http or https origin',
      [
        keyOf(JSON.stringify({ ...good, apiOrigin: 'https://a.io/x' })),
        keyOf(JSON.stringify({ ...good, apiOrigin: 'ftp://a.io' })),
        keyOf(JSON.stringify({ ...good, apiOrigin: 'a.io' })),
        keyOf(JSON.stringify({ ...good, apiOrigin: 'https://u:p@a.io' })),
        keyOf(JSON.stringify({ ...good, apiOrigin: 'https://a.io?q=1' })),
        keyOf(JSON.stringify({ ...good, apiOrigin: 'https://a.io#h' })),
        keyOf(JSON.stringify({ ...good, apiOrigin: 'http://' })),
      ],
    ],
  ];
  for (const [message, keys] of keyRules) {
    test(`is refused with "${message}" (from OWOX_API_KEY; the apiKey option names itself) and never echoes the key or secret`, () => {
      for (const apiKey of keys) {
        const errors = [configError({ apiKey })];
        if (apiKey !== '') {
          const fromEnv = withOwoxEnv({ OWOX_API_KEY: apiKey }, () => configError(undefined));
          assert.equal(fromEnv.message, message, `OWOX_API_KEY ${JSON.stringify(apiKey)}`);
          errors.push(fromEnv);
        }
        // Issue 8, item 13: a bad option does not send the user looking at OWOX_API_KEY.
        assert.ok(errors[0].message.startsWith('The apiKey option'), errors[0].message);
        assert.ok(!errors[0].message.includes('OWOX_API_KEY'), errors[0].message);
        for (const error of errors) {
          assert.ok(!error.message.includes(SECRET));
          assert.ok(apiKey === '' || !error.message.includes(apiKey), 'the key is not echoed');
          assert.ok(!String(error.stack).includes(SECRET));
        }
      }
    });
  }
});

describe('no options: the environment', () => {
  test('OWOX_API_KEY is read', async (t) => {
    const server = await useServer(t);
    const client = withOwoxEnv({ OWOX_API_KEY: server.apiKey }, () => new OWOXApiClient());
    assert.equal(client.origin, server.origin);
    await client.authenticate();
    assert.equal(server.requests[0].headers['x-owox-api-key-id'], server.apiKeyId);
  });

  test('else OWOX_API_ORIGIN, OWOX_API_KEY_ID and OWOX_API_KEY_SECRET are read', async (t) => {
    const server = await useServer(t);
    const env = { OWOX_API_ORIGIN: server.origin, OWOX_API_KEY_ID: server.apiKeyId, OWOX_API_KEY_SECRET: server.apiKeySecret };
    const client = withOwoxEnv(env, () => new OWOXApiClient());
    assert.equal(client.origin, server.origin);
    await client.authenticate();
    assert.equal(server.requests[0].headers['x-owox-api-key-id'], server.apiKeyId);
    assert.equal(server.requests[0].body, JSON.stringify({ apiKeySecret: server.apiKeySecret }));
  });

  test('OWOX_API_KEY wins over the three variables', () => {
    const env = {
      OWOX_API_KEY: encodeApiKey({ apiOrigin: 'https://from-key.example', apiKeyId: KEY_ID, apiKeySecret: SECRET }),
      OWOX_API_ORIGIN: 'https://from-triple.example',
      OWOX_API_KEY_ID: KEY_ID,
      OWOX_API_KEY_SECRET: SECRET,
    };
    assert.equal(withOwoxEnv(env, () => new OWOXApiClient()).origin, 'https://from-key.example');
  });

  test('an empty options object reads the environment too', () => {
    const env = { OWOX_API_ORIGIN: 'https://env.example', OWOX_API_KEY_ID: KEY_ID, OWOX_API_KEY_SECRET: SECRET };
    assert.equal(withOwoxEnv(env, () => new OWOXApiClient({})).origin, 'https://env.example');
    assert.equal(withOwoxEnv(env, () => new OWOXApiClient({ timeout: 1000 })).origin, 'https://env.example');
  });

  test('explicit credentials win over the environment', () => {
    const env = { OWOX_API_KEY: encodeApiKey({ apiOrigin: 'https://from-env.example', apiKeyId: KEY_ID, apiKeySecret: SECRET }) };
    const client = withOwoxEnv(env, () => new OWOXApiClient({ apiOrigin: 'https://explicit.example', apiKeyId: KEY_ID, apiKeySecret: SECRET }));
    assert.equal(client.origin, 'https://explicit.example');
  });

  test('a bad OWOX_API_KEY in the environment is an OWOXConfigError with the contract message', () => {
    const error = withOwoxEnv({ OWOX_API_KEY: keyOf(`["${SECRET}"]`) }, () => configError(undefined));
    assert.equal(error.message, 'OWOX_API_KEY must contain a JSON object');
  });

  test('with no credentials anywhere, the error names every variable to set', () => {
    const error = withOwoxEnv({}, () => configError(undefined));
    for (const name of ['OWOX_API_KEY', 'OWOX_API_ORIGIN', 'OWOX_API_KEY_ID', 'OWOX_API_KEY_SECRET']) {
      assert.ok(error.message.includes(name), `${JSON.stringify(error.message)} names ${name}`);
    }
  });

  test('a child process with only the three variables set lists through new OWOXApiClient()', async (t) => {
    const server = await useServer(t);
    const script = `
      import { OWOXApiClient } from '@owox/api-client';
      const client = new OWOXApiClient();
      console.log(JSON.stringify({ origin: client.origin, storages: await client.storages.list() }));
    `;
    const env = envWithout({ OWOX_API_ORIGIN: server.origin, OWOX_API_KEY_ID: server.apiKeyId, OWOX_API_KEY_SECRET: server.apiKeySecret });
    const run = await runNode(['--input-type=module', '-e', script], { env });
    assert.equal(run.code, 0, run.stderr);
    const printed = JSON.parse(run.stdout);
    assert.equal(printed.origin, server.origin);
    assert.equal(printed.storages.length, 3);
    assert.equal(server.count({ path: '/api/data-storages' }), 1);
  });
});

describe('other options', () => {
  const base = { apiOrigin: 'https://app.owox.com', apiKeyId: KEY_ID, apiKeySecret: SECRET };

  test('wrong types are OWOXConfigErrors, not conversion failures', () => {
    for (const wrong of [
      { timeout: 'x' },
      { timeout: '1000' },
      { maxRetries: '2' },
      { maxResponseBytes: 'big' },
      { userAgent: 5 },
      { apiOrigin: 5 },
      { apiKeyId: ['pmk'] },
      { apiKeySecret: { s: 1 } },
      { apiKey: 5 },
    ]) {
      const error = configError({ ...base, ...wrong });
      assert.ok(!error.message.includes(SECRET), error.message);
    }
  });

  test('options that are not an object are an OWOXConfigError', () => {
    for (const options of [5, 'owox_key_x', true]) configError(options);
  });

  test('out-of-range values are OWOXConfigErrors', () => {
    for (const wrong of [{ timeout: -1 }, { timeout: 0 }, { timeout: Infinity }, { timeout: NaN }, { maxRetries: -1 }, { maxRetries: 1.5 }, { maxRetries: 11 }, { maxResponseBytes: 0 }]) {
      configError({ ...base, ...wrong });
    }
  });

  test('valid transport options are accepted', () => {
    const client = new OWOXApiClient({ ...base, timeout: 5000, maxRetries: 0, maxResponseBytes: 1024, userAgent: 'my-agent/1.0' });
    assert.equal(client.origin, 'https://app.owox.com');
  });

  test('wrong per-call option types reject with an OWOXConfigError before any request', async (t) => {
    const server = await useServer(t);
    const client = clientOf(server);
    for (const call of [
      () => client.storages.list({ timeout: 'x' }),
      () => client.destinations.list({ maxRetries: '1' }),
      () => client.auth.getContext({ signal: 'nope' }),
      () => client.dataMarts.list({ offset: '5' }),
      () => client.dataMarts.list({ ownerFilter: 'all' }),
      () => client.authenticate({ timeout: -5 }),
    ]) {
      await assert.rejects(call(), (error) => error instanceof OWOXConfigError && !(error instanceof OWOXApiError));
    }
    assert.equal(server.count({ method: 'GET' }), 0, 'no request was made');
  });
});
