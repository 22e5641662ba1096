'use strict';
// `owox-api storages ...`: the data storages (BigQuery, Athena, Snowflake, ...).

module.exports = [
  {
    name: 'storages list',
    summary: 'List the data storages of the project',
    table: {
      columns: [
        { key: 'id', label: 'ID' },
        { key: 'title', label: 'Title' },
        { key: 'type', label: 'Type' },
      ],
    },
    examples: ['owox-api storages list', 'owox-api storages list --format table'],
    run: (ctx) => ctx.client().storages.list({ signal: ctx.signal }),
  },
];
