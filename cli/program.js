'use strict';
// The command line, built from the command definitions (commands/): one definition gives
// the parser, the validation and the --help text of each command, so they cannot drift.

const { Command, Option } = require('commander');
const { integerBetween } = require('./options.js');
const definitions = require('./commands/index.js');
const { GROUPS } = require('./commands/groups.js');

// The client's limits for timeout and maxRetries (a test checks they agree with the client):
// checked while parsing, so the error names the flag and no client is made.
const MAX_TIMEOUT_MS = 2_147_483_647;
const MAX_RETRIES = 10;

/** Output formats; which ones a command takes depends on what it prints (formatFor in main.js). */
const FORMATS = ['json', 'table', 'ndjson', 'csv'];

const ROOT_HELP = `
Credentials: OWOX_API_KEY (the owox_key_... value), or OWOX_API_ORIGIN, OWOX_API_KEY_ID and
OWOX_API_KEY_SECRET, from the environment or from ./.env (or the file given by -e/--env-file);
variables already set win over the file. \`owox-api status\` shows which file was read.
No credentials at hand? Add --demo to any command to run it against a bundled local server.

Output: JSON on stdout (--format table for people); errors on stderr as
{"error":{"message","status","code","name","details"}}.
Exit codes: 0 success, 1 API or network error, 2 usage or configuration error,
130 interrupted (Ctrl-C cancels the request).`;

/** The options every command takes; they may stand before or after the command name. */
function addGlobalOptions(program) {
  program
    .addOption(new Option('-e, --env-file <path>', 'read variables from this file instead of ./.env'))
    .addOption(
      new Option('--format <format>', 'output format: json (default) or table where a list or object is printed; ndjson (default) or csv for row streams')
        .choices(FORMATS),
    )
    .addOption(
      new Option('--timeout <ms>', `milliseconds per request attempt before it fails with code TIMEOUT, 1 to ${MAX_TIMEOUT_MS} (client default 60000)`)
        .argParser(integerBetween(1, MAX_TIMEOUT_MS)),
    )
    .addOption(
      new Option('--max-retries <n>', `extra attempts for transient failures, 0 to ${MAX_RETRIES} (client default 2)`).argParser(integerBetween(0, MAX_RETRIES)),
    )
    .addOption(new Option('--demo', 'run against a bundled local server with demo data: no credentials needed'))
    .addOption(new Option('--debug', 'log each step and HTTP attempt to stderr (never a secret or token)'));
}

const HELP_WIDTH = 80;

/** `text` broken into lines of at most HELP_WIDTH characters, at spaces. */
function wrap(text) {
  const lines = [];
  let line = '';
  for (const word of text.split(/ +/)) {
    if (line && line.length + 1 + word.length > HELP_WIDTH) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines.join('\n');
}

function helpFor(definition) {
  const lines = [];
  if (definition.description) lines.push('', wrap(definition.description));
  if (definition.examples?.length) lines.push('', 'Examples:', ...definition.examples.map((example) => `  $ ${example}`));
  return lines.join('\n');
}

/** The commander command for `words` (e.g. ['data-marts']), created on first use. */
function groupCommand(parent, word, path) {
  const existing = parent.commands.find((command) => command.name() === word);
  return existing ?? parent.command(word).description(GROUPS[path] ?? '');
}

/**
 * Builds the program. `run(definition, args, options, globals)` is called with the leaf's
 * definition, its positional arguments by name, its own options and the global ones.
 */
function buildProgram({ version, run, writeOut, writeErr }) {
  const program = new Command('owox-api')
    .description('OWOX Data Marts from the terminal, for scripts, CI jobs and agents: the same commands as owox-ctl, plus every named call of @owox/api-client')
    .version(version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help for a command')
    .addHelpText('after', ROOT_HELP)
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({ writeOut, writeErr, outputError: () => {} })
    .exitOverride()
    .allowExcessArguments(false);
  addGlobalOptions(program);

  for (const definition of definitions) {
    const words = definition.name.split(' ');
    let parent = program;
    for (let i = 0; i < words.length - 1; i += 1) parent = groupCommand(parent, words[i], words.slice(0, i + 1).join(' '));
    const leaf = parent.command(words.at(-1)).description(definition.summary).allowExcessArguments(false);
    for (const argument of definition.arguments ?? []) leaf.addArgument(argument);
    for (const option of definition.options ?? []) leaf.addOption(option);
    leaf.addHelpText('after', helpFor(definition));
    leaf.action(async (...params) => {
      const command = params.at(-1);
      const args = Object.fromEntries(command.registeredArguments.map((argument, i) => [argument.name(), command.processedArgs[i]]));
      await run(definition, args, command.opts(), program.opts());
    });
  }
  return program;
}

module.exports = { buildProgram };
