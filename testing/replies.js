'use strict';

// What a route handler returns: a description of the response, sent by the server (which
// adds compression, content length and the request log). Keeping handlers free of `res`
// makes the route table a list of small functions over the seeded data.

const json = (status, value) => ({ kind: 'json', status, value });
/** A pre-serialized body ({ body: Buffer, gzip?: Buffer }), for the hot list endpoints. */
const cached = (status, entry) => ({ kind: 'cached', status, entry });
const empty = (status) => ({ kind: 'empty', status });
const html = (status, text) => ({ kind: 'html', status, text });
/** An NDJSON stream; `spec` is what testing/ndjson.js needs to write it. */
const stream = (spec) => ({ kind: 'stream', spec });

module.exports = { json, cached, empty, html, stream };
