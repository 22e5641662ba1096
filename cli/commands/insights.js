'use strict';
// `owox-api insights ...`: insight templates of the project's data marts.

const { Option } = require('commander');
const { integerAtLeast } = require('../options.js');

module.exports = [
  {
    name: 'insights templates',
    summary: 'List the insight templates of the project: { insights: [...] }',
    options: [
      new Option('--limit <n>', 'at most this many templates').argParser(integerAtLeast(1)),
      new Option('--offset <n>', 'skip this many templates first').argParser(integerAtLeast(0)),
    ],
    table: {
      rows: (result) => result.insights,
      columns: [
        { key: 'id', label: 'ID' },
        { key: 'title', label: 'Title' },
        { key: 'dataMart', label: 'Data mart', get: (template) => template.dataMart?.title },
        { key: 'modifiedAt', label: 'Modified' },
      ],
    },
    examples: ['owox-api insights templates --limit 10'],
    run: (ctx) => ctx.client().insights.getTemplates({ limit: ctx.options.limit, offset: ctx.options.offset, signal: ctx.signal }),
  },
];
