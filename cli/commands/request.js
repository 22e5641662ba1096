'use strict';
// `owox-api request 'METHOD /api/path/{name}'`: any operation of the server that accepts
// an API key, by its OpenAPI route (client.request), for what no named command covers.

const fs = require('node:fs');
const { Argument, Option } = require('commander');
const { keyValue, keyValues } = require('../options.js');
const { UsageError } = require('../errors.js');

/** The --body value: JSON text, `@file` for a file's JSON, `-` for stdin's. */
function bodyOf(spec) {
  if (spec === undefined) return undefined;
  let text = spec;
  let source = 'the --body value';
  if (spec === '-' || spec.startsWith('@')) {
    source = spec === '-' ? 'stdin' : spec.slice(1);
    try {
      text = fs.readFileSync(spec === '-' ? 0 : spec.slice(1), 'utf8');
    } catch (error) {
      throw new UsageError(`--body: cannot read ${source}: ${error.code ?? error.message}`);
    }
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--body: ${source} is not valid JSON (${error.message})`);
  }
}

module.exports = [
  {
    name: 'request',
    summary: "Call any API-key operation of the server by its OpenAPI route, e.g. 'GET /api/data-marts/{id}'",
    description:
      'Path values go in --param, query values in --query (repeat a name for a list), the JSON body in --body. ' +
      'Prints the JSON answer (null when the server sends none). Routes that refuse API keys are not offered.',
    arguments: [new Argument('<route>', "'METHOD /path' as in the server's OpenAPI document, with {placeholders}")],
    options: [
      new Option('--param <name=value>', 'a path value ({name} of the route); repeat for several').argParser(keyValue),
      new Option('--query <name=value>', 'a query parameter; repeat for several, or the same name for a list').argParser(keyValues),
      new Option('--body <json>', 'the JSON body: JSON text, @file to read it from a file, - for stdin'),
    ],
    examples: [
      "owox-api request 'GET /api/data-marts/{id}' --param id=00000001-0da7...",
      "owox-api request 'GET /api/reports' --query limit=10",
      `owox-api request 'PUT /api/data-marts/{id}/title' --param id=00000001-0da7... --body '{"title":"Revenue"}'`,
    ],
    async run(ctx) {
      const { param = {}, query, body } = ctx.options;
      const params = { ...param };
      if (query !== undefined) params.query = query;
      const parsedBody = bodyOf(body);
      if (parsedBody !== undefined) params.body = parsedBody;
      const result = await ctx.client().request(ctx.args.route, params, { signal: ctx.signal });
      return result === undefined ? null : result;
    },
  },
];
