'use strict';
// `owox-api destinations ...`: where reports are delivered (Looker Studio, Google Sheets, email, ...).

module.exports = [
  {
    name: 'destinations list',
    summary: 'List the data destinations of the project',
    table: {
      columns: [
        { key: 'id', label: 'ID' },
        { key: 'title', label: 'Title' },
        { key: 'type', label: 'Type' },
      ],
    },
    examples: ['owox-api destinations list', 'owox-api destinations list --format table'],
    run: (ctx) => ctx.client().destinations.list({ signal: ctx.signal }),
  },
];
