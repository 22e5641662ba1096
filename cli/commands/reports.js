'use strict';
// `owox-api reports ...`: reports built on data marts, and their rows.

const { Argument, Option } = require('commander');
const { integerAtLeast } = require('../options.js');
const { outputOption, streamRows } = require('../rows.js');

const reportArgument = () => new Argument('<reportId>', 'the report id');

module.exports = [
  {
    name: 'reports list',
    summary: 'List the reports of the project',
    options: [
      new Option('--owner-filter <filter>', 'only reports with owners, or only those without').choices(['has_owners', 'no_owners']),
      new Option('--limit <n>', 'at most this many reports').argParser(integerAtLeast(1)),
      new Option('--offset <n>', 'skip this many reports first').argParser(integerAtLeast(0)),
    ],
    table: {
      rows: (result) => (Array.isArray(result) ? result : result.items),
      columns: [
        { key: 'id', label: 'ID' },
        { key: 'title', label: 'Title' },
        { key: 'dataMart', label: 'Data mart', get: (report) => report.dataMart?.title },
        { key: 'dataDestinationAccess', label: 'Destination', get: (report) => report.dataDestinationAccess?.type },
        { key: 'lastRunStatus', label: 'Last run' },
      ],
    },
    examples: ['owox-api reports list', 'owox-api reports list --format table'],
    run(ctx) {
      const { ownerFilter, limit, offset } = ctx.options;
      return ctx.client().reports.list({ ownerFilter, limit, offset, signal: ctx.signal });
    },
  },
  {
    name: 'reports get',
    summary: 'Show one report',
    arguments: [reportArgument()],
    examples: ['owox-api reports get 00000001-4e90...'],
    run: (ctx) => ctx.client().reports.get(ctx.args.reportId, { signal: ctx.signal }),
  },
  {
    name: 'reports stream',
    summary: "Stream a report's rows as NDJSON (or CSV with --format csv) to stdout or --output FILE",
    description:
      'Rows go to stdout as they arrive, one JSON object per line; with --output they are written to the file ' +
      '(complete or not at all) and a summary is printed. A progress line shows on stderr when it is a terminal.',
    arguments: [reportArgument()],
    options: [new Option('--limit <n>', 'at most this many rows').argParser(integerAtLeast(1)), outputOption()],
    output: 'stream',
    examples: ['owox-api reports stream 00000001-4e90... | head', 'owox-api reports stream 00000001-4e90... --format csv --output report.csv'],
    run: (ctx) =>
      streamRows(ctx, 'reportId', ctx.args.reportId, () =>
        ctx.client().reports.traverseData(ctx.args.reportId, { limit: ctx.options.limit, signal: ctx.signal }),
      ),
  },
];
