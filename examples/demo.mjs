// `npm run demo`: the agent example against the real API when credentials are in the
// environment, otherwise against the bundled local OWOX-compatible server.
import { startTestServer, generateDataMarts, generateStorages, generateDestinations } from '@owox/api-client/testing';

const env = process.env;
const hasCredentials = Boolean(env.OWOX_API_KEY || (env.OWOX_API_ORIGIN && env.OWOX_API_KEY_ID && env.OWOX_API_KEY_SECRET));

let server;
if (hasCredentials) {
  console.error('demo: using the OWOX Data Marts API from your environment');
} else {
  server = await startTestServer({
    dataMarts: generateDataMarts(3),
    storages: generateStorages(2),
    destinations: generateDestinations(2),
  });
  // The agent reads the three-value form; give it the local server's credentials.
  Object.assign(env, {
    OWOX_API_ORIGIN: server.origin,
    OWOX_API_KEY_ID: server.apiKeyId,
    OWOX_API_KEY_SECRET: server.apiKeySecret,
  });
  console.error(`demo: no OWOX credentials in the environment; using the bundled local server at ${server.origin}`);
}

try {
  await import('./agent.mjs');
} finally {
  await server?.close();
}
