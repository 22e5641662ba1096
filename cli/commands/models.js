'use strict';
// `owox-api models ...`: the model canvas of a storage (its data marts and the joins between them).

const { Argument, Option } = require('commander');
const { integerAtLeast } = require('../options.js');

const storageArgument = () => new Argument('<storageId>', 'the storage id');

module.exports = [
  {
    name: 'models data-marts',
    summary: 'List the data marts on the model canvas of a storage: { items, total, nextOffset }',
    arguments: [storageArgument()],
    options: [new Option('--offset <n>', 'start at this offset (nextOffset of the previous page)').argParser(integerAtLeast(0))],
    table: {
      rows: (result) => result.items,
      columns: [
        { key: 'id', label: 'ID' },
        { key: 'title', label: 'Title' },
        { key: 'status', label: 'Status' },
      ],
    },
    examples: ['owox-api models data-marts 00000001-057e...'],
    run: (ctx) => ctx.client().models.getDataMarts(ctx.args.storageId, ctx.options.offset, { signal: ctx.signal }),
  },
  {
    name: 'models edges',
    summary: 'List the joins between data marts on the model canvas of a storage',
    arguments: [storageArgument()],
    examples: ['owox-api models edges 00000001-057e...'],
    run: (ctx) => ctx.client().models.getEdges(ctx.args.storageId, { signal: ctx.signal }),
  },
];
