'use strict';
// `owox-api data-marts ...`: the data marts of the project.

const { Argument, Option } = require('commander');
const { collect, integerAtLeast, json } = require('../options.js');
const { outputOption, streamRows } = require('../rows.js');

const dataMartArgument = () => new Argument('<dataMartId>', 'the data mart id');

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
    table: { columns: DATA_MART_COLUMNS },
    examples: ['owox-api data-marts list', 'owox-api data-marts list --format table', "owox-api data-marts list | jq -r '.[].id'"],
    run: (ctx) => ctx.client().dataMarts.list({ ownerFilter: ctx.options.ownerFilter, signal: ctx.signal }),
  },
  {
    name: 'data-marts get',
    summary: 'Show one data mart with its definition and schema',
    arguments: [dataMartArgument()],
    examples: ['owox-api data-marts get 00000001-0da7...'],
    run: (ctx) => ctx.client().dataMarts.get(ctx.args.dataMartId, { signal: ctx.signal }),
  },
  {
    name: 'data-marts create',
    summary: 'Create a draft data mart on a storage; prints it',
    options: [
      new Option('--title <title>', 'the title').makeOptionMandatory(),
      new Option('--storage-id <id>', 'the storage it reads from (see storages list)').makeOptionMandatory(),
    ],
    examples: ["owox-api data-marts create --title 'Revenue by day' --storage-id 00000001-057e..."],
    run: (ctx) => ctx.client().dataMarts.create({ title: ctx.options.title, storageId: ctx.options.storageId }, { signal: ctx.signal }),
  },
  {
    name: 'data-marts delete',
    summary: 'Delete a data mart; prints { id, deleted: true }',
    arguments: [dataMartArgument()],
    examples: ['owox-api data-marts delete 00000001-0da7...'],
    async run(ctx) {
      await ctx.client().dataMarts.delete(ctx.args.dataMartId, { signal: ctx.signal });
      return { id: ctx.args.dataMartId, deleted: true };
    },
  },
  {
    name: 'data-marts stream',
    summary: "Stream a data mart's rows as NDJSON (or CSV with --format csv) to stdout or --output FILE",
    description:
      'Rows go to stdout as they arrive, one JSON object per line (owox-ctl\'s output); with --output they are written ' +
      'to the file (complete or not at all) and a summary is printed. A progress line shows on stderr when it is a terminal. ' +
      'Quote "*" and "**" so the shell does not expand them. Rules are JSON arrays, e.g. ' +
      '--filter \'[{"column":"Date","operator":"gte","value":"2026-01-01"}]\' --sort \'[{"column":"Date","direction":"asc"}]\'.',
    arguments: [dataMartArgument()],
    options: [
      new Option('--columns <set>', 'column-set selector: "*" (the data mart\'s columns) or "**" (joined ones too)').choices(['*', '**']),
      new Option('--column <name>', 'an exact column name to include; repeat for several').argParser(collect),
      new Option('--limit <n>', 'at most this many rows').argParser(integerAtLeast(1)),
      new Option('--filter <json>', 'filter rules, a JSON array').argParser(json('array')),
      new Option('--sort <json>', 'sort rules, a JSON array').argParser(json('array')),
      new Option('--aggregation <json>', 'aggregation rules, a JSON array of {column, function}; other selected columns group').argParser(json('array')),
      new Option('--date-bucket <json>', 'date buckets, a JSON array of {column, unit, timeZone?} (unit DAY/WEEK/MONTH/QUARTER/YEAR)').argParser(json('array')),
      outputOption(),
    ],
    output: 'stream',
    examples: [
      "owox-api data-marts stream 00000001-0da7... --columns '*' | head",
      "owox-api data-marts stream 00000001-0da7... --column Date --column Revenue --limit 1000 --format csv --output revenue.csv",
    ],
    run(ctx) {
      const { columns, column, limit, filter, sort, aggregation, dateBucket } = ctx.options;
      const options = { columns, column, filter, sort, aggregation, dateTrunc: dateBucket, limit, signal: ctx.signal };
      return streamRows(ctx, 'dataMartId', ctx.args.dataMartId, () => ctx.client().dataMarts.traverseData(ctx.args.dataMartId, options));
    },
  },
];
