'use strict';
// `owox-api runs ...`: data-mart runs (manual runs, scheduled ones, report runs).

const { Argument, Option } = require('commander');
const { integerAtLeast, json } = require('../options.js');

const RUN_COLUMNS = [
  { key: 'id', label: 'ID' },
  { key: 'status', label: 'Status' },
  { key: 'type', label: 'Type' },
  { key: 'runType', label: 'Run type' },
  { key: 'dataMartId', label: 'Data mart' },
  { key: 'createdAt', label: 'Created' },
];

const pageOptions = () => [
  new Option('--limit <n>', 'at most this many runs').argParser(integerAtLeast(1)),
  new Option('--offset <n>', 'skip this many runs first').argParser(integerAtLeast(0)),
];

const dataMartArgument = () => new Argument('<dataMartId>', 'the data mart id');
const runArgument = () => new Argument('<runId>', 'the run id');

module.exports = [
  {
    name: 'runs list',
    summary: 'List runs, newest first: of the whole project, or of one data mart with --data-mart',
    description: 'Prints { runs: [...] } (client.runs.list / client.runs.forDataMart(id).list).',
    options: [new Option('--data-mart <id>', 'only the runs of this data mart'), ...pageOptions()],
    table: { rows: (result) => result.runs, columns: RUN_COLUMNS },
    examples: ['owox-api runs list --limit 20', 'owox-api runs list --data-mart 4f0c... --format table'],
    run(ctx) {
      const { dataMart, limit, offset } = ctx.options;
      const client = ctx.client();
      const options = { limit, offset, signal: ctx.signal };
      return dataMart === undefined ? client.runs.list(options) : client.runs.forDataMart(dataMart).list(options);
    },
  },
  {
    name: 'runs get',
    summary: 'Show one run of a data mart: status, definition, logs and errors',
    arguments: [dataMartArgument(), runArgument()],
    examples: ['owox-api runs get 4f0c... 9a1b...'],
    run: (ctx) => ctx.client().runs.forDataMart(ctx.args.dataMartId).get(ctx.args.runId, { signal: ctx.signal }),
  },
  {
    name: 'runs start',
    summary: 'Start a manual run of a connector data mart; prints { runId }',
    arguments: [dataMartArgument()],
    options: [new Option('--payload <json>', 'the run payload, a JSON object (at most 1 MB)').argParser(json('object'))],
    examples: ['owox-api runs start 4f0c...', `owox-api runs start 4f0c... --payload '{"runType":"INCREMENTAL"}'`],
    run(ctx) {
      const { payload } = ctx.options;
      return ctx.client().runs.forDataMart(ctx.args.dataMartId).start(payload === undefined ? {} : { payload }, { signal: ctx.signal });
    },
  },
  {
    name: 'runs cancel',
    summary: 'Cancel a run that has not finished; prints { dataMartId, runId, cancelled: true }',
    arguments: [dataMartArgument(), runArgument()],
    examples: ['owox-api runs cancel 4f0c... 9a1b...'],
    async run(ctx) {
      const { dataMartId, runId } = ctx.args;
      await ctx.client().runs.forDataMart(dataMartId).cancel(runId, { signal: ctx.signal });
      return { dataMartId, runId, cancelled: true };
    },
  },
];
