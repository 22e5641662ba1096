'use strict';
// `owox-api status`: checks the credentials and shows who they act as, in owox-ctl's shape
// `{ apiOrigin, apiKeyId, authenticated, envFile, project?, member?, error? }`. The status
// goes to stdout even when the check fails (then the exit code is 1 or 2 and the error is
// also on stderr, as for every command).

const { OWOXApiError, OWOXAuthError, OWOXConfigError } = require('../../index.js');
const { credentialSummary } = require('../environment.js');
const { errorBody } = require('../errors.js');

// A server older than the auth-context endpoint answers 404 there; the key exchange alone
// then tells whether the key works (owox-ctl does the same).
const isMissingContextEndpoint = (error) => error instanceof OWOXApiError && !(error instanceof OWOXAuthError) && error.status === 404;

/** The error as `status` shows it inside the status object. */
function statusError(error) {
  const { details, ...rest } = errorBody(error);
  return details === undefined ? rest : { ...rest, details };
}

async function status(ctx) {
  const summary = ctx.demo ? ctx.demo.summary : credentialSummary();
  const base = { apiOrigin: summary.apiOrigin, apiKeyId: summary.apiKeyId, authenticated: false, envFile: ctx.envFile };
  let client;
  try {
    client = ctx.client();
  } catch (error) {
    if (!(error instanceof OWOXConfigError)) throw error;
    await ctx.print({ ...base, apiOrigin: null, apiKeyId: null, error: statusError(error) });
    throw error;
  }
  base.apiOrigin = client.origin;
  try {
    const context = await client.auth.getContext({ signal: ctx.signal });
    return { ...base, apiKeyId: context.apiKeyId ?? base.apiKeyId, authenticated: true, project: context.project, member: context.member };
  } catch (error) {
    if (isMissingContextEndpoint(error)) {
      try {
        await client.authenticate({ signal: ctx.signal });
        return { ...base, authenticated: true };
      } catch (exchangeError) {
        await ctx.print({ ...base, error: statusError(exchangeError) });
        throw exchangeError;
      }
    }
    if (ctx.signal.aborted) throw error;
    await ctx.print({ ...base, error: statusError(error) });
    throw error;
  }
}

module.exports = [
  {
    name: 'status',
    summary: 'Check the credentials: exchange the API key and show the project and member it acts as',
    description:
      'Prints { apiOrigin, apiKeyId, authenticated, envFile, project, member } (envFile: the .env file that was read, or null). ' +
      'When the check fails, authenticated is false, an error field says why, and the exit code is 1 (refused) or 2 (no usable credentials).',
    examples: ['owox-api status', 'owox-api status --env-file ./ci.env'],
    run: status,
  },
];
