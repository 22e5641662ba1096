'use strict';
// `owox-api plugins ...`: publishing plugins to the Gallery and managing them, with
// owox-ctl's commands, flags and output (JSON on stdout; hints for people on stderr).

const { Argument, Option } = require('commander');
const { collect } = require('../options.js');

const SCOPES = ['deployment', 'project', 'member'];

const repositoryArgument = () => new Argument('<repository>', 'GitHub repository, as a URL or owner/name');
const scopeOption = (what) => new Option('--scope <scope>', what).choices(SCOPES).makeOptionMandatory();
// Selected projects and every project exclude each other; refused here, before any request.
const audienceOptions = () => [
  new Option('--project-id <id>', 'deployment scope only: add this project to the audience; repeat for several')
    .argParser(collect)
    .conflicts('allProjects'),
  new Option('--all-projects', 'deployment scope only: every current and future project (projects cannot be excluded from it)'),
];
const noteOption = () => new Option('--note <text>', 'why, for the audit trail');

const PUBLICATION_COLUMNS = [
  { key: 'repository', label: 'Repository' },
  { key: 'scope', label: 'Scope' },
  { key: 'isActive', label: 'Active' },
  { key: 'currentSemver', label: 'Version' },
  { key: 'publicationId', label: 'Publication' },
];

/** The plugin calls' input, as owox-ctl builds it from the flags. */
function publicationInput(ctx) {
  const { scope, projectId, allProjects } = ctx.options;
  return {
    repository: ctx.args.repository,
    scope,
    ...(projectId?.length ? { projectIds: projectId } : {}),
    ...(allProjects ? { allProjects: true } : {}),
  };
}

/**
 * The one failure a publisher can fix: OWOX cannot read the repository, and the server
 * hands back where to install the GitHub App. Said on stderr, beside the JSON error.
 */
function installationHint(ctx, error) {
  const url = error?.details?.installationUrl;
  if (error?.code === 'GITHUB_REPO_NOT_ACCESSIBLE' && typeof url === 'string') {
    ctx.output.warn(`OWOX cannot read that repository. Install the OWOX GitHub App at ${url} and run the same command again.`);
  }
}

/** What an update check did, in a sentence or two for people (stderr; stdout stays JSON). */
function updateSummary(result) {
  const version = result.currentSemver ? `v${result.currentSemver}` : 'the current version';
  const outcomes = {
    updated: `Updated to ${version}; it is now current for everyone using ${result.repository}.`,
    already_running: `A check for ${result.repository} is already running; its result stands.`,
    failed: `The check could not reach GitHub; ${version} stays active.`,
    up_to_date: `Already on the highest eligible release, ${version}.`,
  };
  const outcome = outcomes[result.outcome] ?? `Check finished: ${result.outcome}.`;
  const next = result.nextCheckAt ? ` Updates are checked daily; the next automatic check is at ${result.nextCheckAt}.` : ' Updates are checked daily.';
  return outcome + next;
}

module.exports = [
  {
    name: 'plugins publish',
    summary: 'Publish a plugin to the Gallery at one authority level',
    arguments: [repositoryArgument()],
    options: [scopeOption('authority level to publish at'), ...audienceOptions()],
    examples: [
      'owox-api plugins publish https://github.com/OWOX/example-plugin --scope member',
      'owox-api plugins publish OWOX/example-plugin --scope deployment --project-id p1 --project-id p2',
      'owox-api plugins publish OWOX/example-plugin --scope deployment --all-projects',
    ],
    async run(ctx) {
      try {
        return await ctx.client().plugins.publish(publicationInput(ctx), { signal: ctx.signal });
      } catch (error) {
        installationHint(ctx, error);
        throw error;
      }
    },
  },
  {
    name: 'plugins unpublish',
    summary: 'Remove a plugin listing, or part of a deployment audience (installations are untouched)',
    arguments: [repositoryArgument()],
    options: [scopeOption('authority level to unpublish at'), ...audienceOptions()],
    examples: ['owox-api plugins unpublish OWOX/example-plugin --scope member'],
    run: (ctx) => ctx.client().plugins.unpublish(publicationInput(ctx), { signal: ctx.signal }),
  },
  {
    name: 'plugins update',
    summary: 'Ask the deployment to check GitHub for a newer release now (it checks daily anyway)',
    description: 'Prints the check result as JSON on stdout and a summary for people on stderr.',
    arguments: [repositoryArgument()],
    examples: ['owox-api plugins update OWOX/example-plugin'],
    async run(ctx) {
      const result = await ctx.client().plugins.update(ctx.args.repository, { signal: ctx.signal });
      ctx.output.warn(updateSummary(result));
      return result;
    },
  },
  {
    name: 'plugins suspend',
    summary: 'Suspend a plugin across the deployment: blocks opening, installing and restoring',
    arguments: [repositoryArgument()],
    options: [noteOption()],
    examples: ["owox-api plugins suspend OWOX/example-plugin --note 'security review'"],
    run: (ctx) => ctx.client().plugins.suspend(ctx.args.repository, ctx.options.note, { signal: ctx.signal }),
  },
  {
    name: 'plugins resume',
    summary: 'Lift a suspension; active installations run whatever version is current now',
    arguments: [repositoryArgument()],
    options: [noteOption()],
    examples: ['owox-api plugins resume OWOX/example-plugin'],
    run: (ctx) => ctx.client().plugins.resume(ctx.args.repository, ctx.options.note, { signal: ctx.signal }),
  },
  {
    name: 'plugins publications list',
    summary: 'List the publications you may manage at one authority level',
    options: [scopeOption('authority level to list')],
    table: { columns: PUBLICATION_COLUMNS },
    examples: ['owox-api plugins publications list --scope member', 'owox-api plugins publications list --scope deployment --format table'],
    run: (ctx) => ctx.client().plugins.listPublications(ctx.options.scope, { signal: ctx.signal }),
  },
];
