'use strict';
// `owox-api search <query>`: the project-wide search.

const { Argument, Option } = require('commander');
const { collect, integerAtLeast } = require('../options.js');

module.exports = [
  {
    name: 'search',
    summary: 'Search data marts, reports and other entities of the project',
    arguments: [new Argument('<query>', 'the text to search for')],
    options: [
      new Option('--limit <n>', 'at most this many results').argParser(integerAtLeast(1)),
      new Option('--entity-type <type>', 'only this kind of entity; repeat for several').argParser(collect),
      new Option('--exclude-drafts', 'leave out drafts'),
    ],
    examples: ['owox-api search revenue', 'owox-api search revenue --entity-type DATA_MART --limit 5 --format table'],
    run(ctx) {
      const { limit, entityType, excludeDrafts } = ctx.options;
      return ctx.client().search.query(ctx.args.query, { limit, entityTypes: entityType, excludeDrafts, signal: ctx.signal });
    },
  },
];
