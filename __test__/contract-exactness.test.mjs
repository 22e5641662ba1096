// Results are exactly what `JSON.parse` of the server's body gives: every number, every
// string (escapes and lone surrogates included), key order, `__proto__` as an own key,
// nesting. Raw bodies are injected byte for byte so nothing is normalized on the way.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OWOXApiError } from '@owox/api-client';
import { clientOf, rawJson, rejectionOf, useServer } from './helpers/server.mjs';

/** Raw JSON item texts, each a trap for a parser that is not JSON.parse. */
const ITEMS = [
  // Numbers: beyond 2^53, binary fractions, negative zero, exponents of every form.
  '{"id":"numbers","big":12345678901234567890,"beyondSafe":9007199254740993,"tenth":0.1,"sum":0.30000000000000004,' +
    '"negZero":-0,"tiny":1e-7,"huge":1.5e300,"upper":1E+2,"float":1.0,"negTiny":-2.5e-300,"denormal":5e-324,"int":-42}',
  // Strings: emoji, CJK, escapes, lone surrogates, control characters, separators.
  '{"id":"strings","emoji":"😀👩‍👩‍👧","cjk":"漢字テスト","cyrillic":"Хранилище","escaped":"caf\\u00e9","pair":"\\ud83d\\ude00",' +
    '"loneHigh":"\\ud800","loneLow":"x\\udfff","nul":"a\\u0000b","slash":"\\/","quote":"\\"","backslash":"\\\\",' +
    '"controls":"\\n\\t\\r\\b\\f","separators":"\u2028\u2029","empty":""}',
  // Key order as the server wrote it, including integer-like keys.
  '{"id":"order","z":1,"a":2,"10":3,"2":4,"b":5,"-1":6,"01":7}',
  // Keys with a meaning in JavaScript are plain own data.
  '{"id":"proto","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"hasOwnProperty":1,"toString":"s"}',
  // Nesting, empties, nulls, booleans, whitespace inside the value.
  '{ "id" : "nested" , "a" : [ 1 , [ 2 , [ 3 , { "b" : { "c" : [ ] , "d" : { } } } ] ] ] ,\r\n\t"n":null,"t":true,"f":false,' +
    '"deep":' + '{"x":'.repeat(40) + '[]' + '}'.repeat(40) + '}',
  // A duplicate key: JSON.parse keeps the last one.
  '{"id":"duplicate","k":1,"k":2}',
];
const ARRAY_BODY = '[\n  ' + ITEMS.join(',\n  ') + '\n]';

/** `result` must be what JSON.parse gives for `expectedJsonText`, deep and exact. */
function assertExact(result, expectedJsonText) {
  const expected = JSON.parse(expectedJsonText);
  assert.deepStrictEqual(result, expected);
  assert.equal(JSON.stringify(result), JSON.stringify(expected));
}

/** The special values survived, checked one by one (clearer failures than a deep diff). */
function assertSpecialValues(items) {
  const byId = Object.fromEntries(items.map((item) => [item.id, item]));
  const { numbers, strings, order, proto } = byId;
  assert.equal(numbers.big, 12345678901234567890);
  assert.equal(numbers.beyondSafe, 9007199254740992, 'rounded as JSON.parse rounds');
  assert.equal(numbers.tenth, 0.1);
  assert.equal(numbers.sum, 0.1 + 0.2);
  assert.ok(Object.is(numbers.negZero, -0), '-0 stays negative zero');
  assert.equal(numbers.tiny, 1e-7);
  assert.equal(numbers.huge, 1.5e300);
  assert.equal(numbers.denormal, 5e-324);
  assert.equal(strings.escaped, 'café');
  assert.equal(strings.pair, '😀');
  assert.equal(strings.loneHigh, '\ud800');
  assert.equal(strings.loneLow, 'x\udfff');
  assert.equal(strings.nul, 'a\u0000b');
  assert.deepEqual(Object.keys(order), Object.keys(JSON.parse(ITEMS[2])));
  assert.ok(Object.hasOwn(proto, '__proto__'), '__proto__ is an own key');
  assert.deepStrictEqual(proto['__proto__'], { polluted: true });
  assert.equal(Object.getPrototypeOf(proto), Object.prototype, 'the prototype was not replaced');
  assert.equal(proto.polluted, undefined);
  assert.equal({}.polluted, undefined, 'Object.prototype was not polluted');
  assert.equal(byId.duplicate.k, 2);
}

describe('list results equal JSON.parse of the body', () => {
  test('storages.list()', async (t) => {
    const server = await useServer(t);
    server.inject({ path: '/api/data-storages' }, rawJson(ARRAY_BODY));
    const result = await clientOf(server).storages.list();
    assertExact(result, ARRAY_BODY);
    assertSpecialValues(result);
  });

  test('destinations.list()', async (t) => {
    const server = await useServer(t);
    server.inject({ path: '/api/data-destinations' }, rawJson(ARRAY_BODY));
    const result = await clientOf(server).destinations.list();
    assertExact(result, ARRAY_BODY);
    assertSpecialValues(result);
  });

  test('dataMarts.list()', async (t) => {
    const server = await useServer(t);
    const body = `{ "total" : ${ITEMS.length}, "items" : ${ARRAY_BODY} , "nextOffset" : null }`;
    server.inject({ path: '/api/data-marts' }, rawJson(body));
    const result = await clientOf(server).dataMarts.list();
    assertExact(result, ARRAY_BODY);
    assertSpecialValues(result);
  });

  test('dataMarts.iterate()', async (t) => {
    const server = await useServer(t);
    const body = `{"items":${ARRAY_BODY},"total":${ITEMS.length},"nextOffset":null}`;
    server.inject({ path: '/api/data-marts' }, rawJson(body));
    const result = [];
    for await (const mart of clientOf(server).dataMarts.iterate()) result.push(mart);
    assertExact(result, ARRAY_BODY);
    assertSpecialValues(result);
  });

  test('dataMarts.list() across pages of raw bodies', async (t) => {
    const server = await useServer(t);
    const first = ITEMS.slice(0, 3);
    const second = ITEMS.slice(3);
    server.inject({ path: '/api/data-marts' }, rawJson(`{"items":[${first.join(',')}],"total":${ITEMS.length},"nextOffset":3}`));
    server.inject({ path: '/api/data-marts' }, rawJson(`{"items":[${second.join(',')}],"total":${ITEMS.length},"nextOffset":null}`));
    const result = await clientOf(server).dataMarts.list();
    assertExact(result, ARRAY_BODY);
    assert.deepEqual(server.requests.filter((r) => r.path === '/api/data-marts').map((r) => r.query), [{}, { offset: '3' }]);
  });

  test('a large page (several hundred KB) of items with JSON syntax inside strings', async (t) => {
    const server = await useServer(t);
    const tricky = (i) =>
      `{"id":"m${i}","title":"ends with },{ and ] and \\"quoted\\" \\\\","n":${i}.5e-3,"pad":"${'é漢😀'.repeat(i % 50)}",` +
      `"__proto__":{"i":${i}},"arr":[${i},"]",{"}":"{"}]}`;
    const items = Array.from({ length: 3000 }, (_, i) => tricky(i));
    const itemsText = `[${items.join(' ,\n')}]`;
    assert.ok(itemsText.length > 512 * 1024, 'the page is large');
    server.inject({ path: '/api/data-marts' }, rawJson(`{"items":${itemsText},"total":3000,"nextOffset":null}`));
    const result = await clientOf(server).dataMarts.list();
    assertExact(result, itemsText);
    assert.ok(result.every((item) => Object.hasOwn(item, '__proto__') && Object.getPrototypeOf(item) === Object.prototype));
  });
});

describe('error details equal JSON.parse of the body too', () => {
  test('details of an HTTP error keep big numbers, key order and __proto__', async (t) => {
    const server = await useServer(t);
    const details = '{"z":12345678901234567890,"a":-0,"__proto__":{"x":1},"s":"\\u00e9\\ud800"}';
    server.inject({ path: '/api/data-storages' }, rawJson(`{"message":"Bad","statusCode":400,"details":${details}}`, 400));
    const error = await rejectionOf(clientOf(server).storages.list());
    assertExact(error.details, details);
    assert.ok(Object.is(error.details.a, -0));
    assert.ok(Object.hasOwn(error.details, '__proto__'));
  });

  test('the whole body of a wrong-shape answer is the details, exactly', async (t) => {
    const server = await useServer(t);
    const body = '{"z":1,"items":"not an array","big":12345678901234567890,"__proto__":{"p":true},"t":0.1}';
    server.inject({ path: '/api/data-storages' }, rawJson(body));
    const error = await rejectionOf(clientOf(server).storages.list());
    assert.ok(error instanceof OWOXApiError);
    assertExact(error.details, body);
    assert.ok(Object.hasOwn(error.details, '__proto__'));
  });

  test('message and code of an error body keep lone-surrogate strings as JSON.parse reads them', async (t) => {
    const server = await useServer(t);
    const body = '{"message":"bad \\ud800 input","code":"E\\udfff","statusCode":400}';
    server.inject({ path: '/api/data-storages' }, rawJson(body, 400));
    const error = await rejectionOf(clientOf(server).storages.list());
    const parsed = JSON.parse(body);
    assert.equal(error.code, parsed.code);
    assert.equal(error.message, `OWOX API request failed with 400 Bad Request: ${parsed.message}`);
  });
});
