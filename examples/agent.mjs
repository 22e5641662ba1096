// The seed's agent example: three lists in parallel, printed as JSON.
// Credentials come from the environment, never from code.
import { OWOXApiClient, OWOXApiError, OWOXAuthError } from '@owox/api-client';

const client = new OWOXApiClient({
  apiOrigin: process.env.OWOX_API_ORIGIN, apiKeyId: process.env.OWOX_API_KEY_ID,
  apiKeySecret: process.env.OWOX_API_KEY_SECRET,
});

try {
  const [dataMarts, storages, destinations] = await Promise.all([
    client.dataMarts.list(), client.storages.list(), client.destinations.list(),
  ]);
  console.log(JSON.stringify({ dataMarts, storages, destinations }, null, 2));
} catch (error) {
  if (error instanceof OWOXAuthError) {
    console.error(`The API key was refused: ${error.message}`);
  } else if (error instanceof OWOXApiError) {
    console.error(`OWOX API call failed (${error.code ?? error.status ?? 'unknown'}): ${error.message}`);
  } else {
    throw error;
  }
  process.exitCode = 1;
}
