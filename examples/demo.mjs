// `npm run demo`: the agent example against the real API when credentials are in the
// environment, otherwise against the bundled local OWOX-compatible server. The local server
// is used only when no OWOX_* variable is set at all: a partly set environment is a mistake
// to report, not a reason to print sample data that could pass for the real thing.
import { startTestServer } from '@owox/api-client/testing';

const env = process.env;
const PARTS = ['OWOX_API_ORIGIN', 'OWOX_API_KEY_ID', 'OWOX_API_KEY_SECRET'];
// Empty counts as unset, as the client itself reads these variables.
const isSet = (name) => Boolean(env[name]);

/** Why the environment's credentials are incomplete, or undefined when they are usable or absent. */
function incompleteCredentials() {
  if (isSet('OWOX_API_KEY')) return undefined;
  const set = PARTS.filter(isSet);
  const missing = PARTS.filter((name) => !isSet(name));
  if (set.length === 0 || missing.length === 0) return undefined;
  return (
    `${set.join(' and ')} ${set.length === 1 ? 'is' : 'are'} set but ${missing.join(' and ')} ` +
    `${missing.length === 1 ? 'is' : 'are'} not. Set OWOX_API_KEY, or all three of ${PARTS.join(', ')} ` +
    'to use your OWOX Data Marts API; or unset every OWOX_* variable to use the bundled local server.'
  );
}

const problem = incompleteCredentials();
if (problem) {
  console.error(`demo: incomplete OWOX credentials in the environment: ${problem}`);
  process.exit(2);
}

let server;
if (isSet('OWOX_API_KEY') || PARTS.some(isSet)) {
  console.error('demo: using the OWOX Data Marts API from your environment');
} else {
  // The server's own sample collections: a few consistent data marts, storages and destinations.
  server = await startTestServer();
  // The agent reads the three-value form; give it the local server's credentials.
  Object.assign(env, {
    OWOX_API_ORIGIN: server.origin,
    OWOX_API_KEY_ID: server.apiKeyId,
    OWOX_API_KEY_SECRET: server.apiKeySecret,
  });
  console.error(
    `demo: no OWOX_* variable is set; using the bundled local server at ${server.origin} and its sample data (not real)`,
  );
}

try {
  await import('./agent.mjs');
} finally {
  await server?.close();
}
