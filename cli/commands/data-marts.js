'use strict';
// `owox-api data-marts ...`: the data marts of the project.

const { Option } = require('commander');

const DATA_MART_COLUMNS = [
  { key: 'id', label: 'ID' },
  { key: 'title', label: 'Title' },
  { key: 'status', label: 'Status' },
  { key: 'storage', label: 'Storage', get: (mart) => mart.storage?.type },
];

module.exports = [
  {
    name: 'data-marts list',
    summary: 'List the data marts of the project (every page), newest first',
    options: [
      new Option('--owner-filter <filter>', 'only data marts with owners, or only those without').choices(['has_owners', 'no_owners']),
    ],
    columns: DATA_MART_COLUMNS,
    examples: ['owox-api data-marts list', 'owox-api data-marts list --format table', "owox-api data-marts list | jq -r '.[].id'"],
    run: (ctx) => ctx.client().dataMarts.list({ ownerFilter: ctx.options.ownerFilter, signal: ctx.signal }),
  },
];
