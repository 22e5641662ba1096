'use strict';
// Runs one command line: parses it, loads the credentials (or starts the demo server),
// runs the command with an AbortSignal that Ctrl-C and a closed stdout fire, prints the
// result, and turns any failure into the JSON error on stderr and an exit code.

const { CommanderError } = require('commander');
const { OWOXApiClient } = require('../index.js');
const { version } = require('../package.json');
const { buildProgram } = require('./program.js');
const { Output } = require('./output.js');
const { EXIT, UsageError, errorBody, exitCodeOf } = require('./errors.js');
const { loadEnvFile, credentialSource } = require('./environment.js');
const { startDemoServer } = require('./demo.js');

// After Ctrl-C the command gets this long to wind down before the process exits anyway.
const INTERRUPT_GRACE_MS = 3000;

/** The format a command prints in: its default, or `requested` if the command supports it. */
function formatFor(definition, requested) {
  if (definition.output === 'stream') {
    if (requested === undefined || requested === 'ndjson' || requested === 'json') return 'ndjson';
    if (requested === 'csv') return 'csv';
    throw new UsageError(`${definition.name} writes rows: --format ndjson (default) or csv, not ${requested}`);
  }
  if (definition.output === 'text') {
    if (requested === undefined) return 'text';
    if (requested === 'json') return 'json';
    throw new UsageError(`${definition.name} prints text: leave --format out, or --format json for a JSON string, not ${requested}`);
  }
  if (requested === undefined || requested === 'json') return 'json';
  if (requested === 'table') return 'table';
  throw new UsageError(`${definition.name} prints JSON: --format json (default) or table, not ${requested}`);
}

/** The usage message of a commander error, without its `error: ` prefix. */
function usageMessage(error) {
  return error.message.replace(/^error: /, '');
}

/**
 * Runs `argv` (the arguments after the program name). Resolves the exit code; never
 * rejects. `io` replaces the process's streams, environment and signals (for tests).
 */
async function main(argv, io = {}) {
  const { stdout = process.stdout, stderr = process.stderr, env = process.env, cwd = process.cwd(), signals = process } = io;
  const controller = new AbortController();
  let interrupted = false;
  let stdoutGone = false;
  const output = new Output({
    stdout,
    stderr,
    onStdoutClosed: () => {
      stdoutGone = true;
      controller.abort();
    },
  });
  let debug = false;

  const onInterrupt = () => {
    if (interrupted) process.exit(EXIT.INTERRUPTED); // a second Ctrl-C: stop now
    interrupted = true;
    controller.abort();
    setTimeout(() => process.exit(EXIT.INTERRUPTED), INTERRUPT_GRACE_MS).unref();
  };

  async function run(definition, args, options, globals) {
    debug = Boolean(globals.debug);
    const format = formatFor(definition, globals.format);
    const transport = {
      timeout: globals.timeout,
      maxRetries: globals.maxRetries,
      userAgent: `owox-api/${version}`,
    };
    // The client reads OWOX_LOG when it is created: one line per HTTP attempt, no secrets.
    if (debug) env.OWOX_LOG = 'debug';
    let demo;
    let envFile = null;
    if (globals.demo) {
      demo = await startDemoServer();
      output.warn(`owox-api: --demo: using the bundled local server at ${demo.server.origin} with demo data (no credentials needed)`);
    } else {
      const loaded = loadEnvFile(globals.envFile, { env, cwd });
      envFile = loaded.file;
      if (debug) {
        output.warn(envFile ? `owox-api: read ${envFile} (set: ${loaded.names.join(', ') || 'nothing new'})` : 'owox-api: no .env file read');
        output.warn(`owox-api: credentials from ${credentialSource(env)}`);
      }
    }
    let client;
    const ctx = {
      args,
      options,
      format,
      output,
      envFile,
      demo,
      signal: controller.signal,
      /** The API client, created on first use (throws OWOXConfigError without usable credentials). */
      client() {
        if (client === undefined) {
          client = new OWOXApiClient(demo ? { ...demo.server.credentials, ...transport } : transport);
          if (debug) output.warn(`owox-api: API origin ${client.origin}`);
        }
        return client;
      },
      /** Prints `value` in the chosen format. */
      print(value) {
        if (format === 'table') {
          const rows = definition.table?.rows && value !== null && typeof value === 'object' ? definition.table.rows(value) : value;
          return output.writeTable(rows ?? value, definition.table?.columns);
        }
        if (format === 'text' && typeof value === 'string') return output.write(value.endsWith('\n') ? value : `${value}\n`);
        return output.writeJson(value);
      },
    };
    signals.on('SIGINT', onInterrupt);
    try {
      const result = await definition.run(ctx);
      if (result !== undefined) await ctx.print(result);
    } finally {
      signals.off('SIGINT', onInterrupt);
      await demo?.server.close();
    }
  }

  const program = buildProgram({ version, run, writeOut: (text) => output.write(text), writeErr: (text) => stderr.write(text) });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.OK;
  } catch (error) {
    if (stdoutGone) return EXIT.OK; // the reader went away (`| head`): nothing to report
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return EXIT.OK; // --help, --version
      // An incomplete command line (`owox-api data-marts`) has had its help printed already.
      if (error.code !== 'commander.help') output.writeError(errorBody(new UsageError(usageMessage(error))));
      return EXIT.USAGE;
    }
    if (interrupted) {
      output.writeError({ message: 'Interrupted (Ctrl-C): the request was cancelled', code: 'INTERRUPTED', name: 'AbortError' });
      return EXIT.INTERRUPTED;
    }
    output.writeError(errorBody(error));
    if (debug && error?.stack) output.warn(error.stack);
    return exitCodeOf(error);
  }
}

module.exports = { main };
