'use strict';
// `owox-api project ...`: the project's settings and its setup progress.

const { Argument } = require('commander');

module.exports = [
  {
    name: 'project settings',
    summary: 'Show the project settings: { description }',
    examples: ['owox-api project settings'],
    run: (ctx) => ctx.client().project.getSettings({ signal: ctx.signal }),
  },
  {
    name: 'project set-description',
    summary: 'Replace the project description; prints the settings',
    arguments: [new Argument('<description>', 'the new description ("" for none)')],
    examples: ['owox-api project set-description "Marketing analytics, EU"'],
    run: (ctx) => ctx.client().project.updateDescription(ctx.args.description, { signal: ctx.signal }),
  },
  {
    name: 'project setup-progress',
    summary: 'Show the project setup progress: { version, stepsSchemaVersion, progress, steps }',
    examples: ['owox-api project setup-progress'],
    run: (ctx) => ctx.client().project.getSetupProgress({ signal: ctx.signal }),
  },
];
