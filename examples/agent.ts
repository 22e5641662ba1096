// The seed's agent example in TypeScript; checked with `tsc --noEmit --strict`.
import { OWOXApiClient, OWOXApiError, OWOXAuthError } from '@owox/api-client';
import type { OWOXDataMart, OWOXDestination, OWOXStorage } from '@owox/api-client';

const client = new OWOXApiClient({
  apiOrigin: process.env.OWOX_API_ORIGIN, apiKeyId: process.env.OWOX_API_KEY_ID,
  apiKeySecret: process.env.OWOX_API_KEY_SECRET,
});

async function main(): Promise<void> {
  const [dataMarts, storages, destinations]: [OWOXDataMart[], OWOXStorage[], OWOXDestination[]] = await Promise.all([
    client.dataMarts.list(), client.storages.list(), client.destinations.list(),
  ]);
  console.log(JSON.stringify({ dataMarts, storages, destinations }, null, 2));
  for await (const mart of client.dataMarts.iterate({ ownerFilter: 'has_owners' })) {
    console.error(`${mart.id} ${mart.title}`);
  }
}

main().catch((error: unknown) => {
  if (error instanceof OWOXAuthError) console.error(`The API key was refused: ${error.message}`);
  else if (error instanceof OWOXApiError) console.error(`OWOX API call failed (${error.status}): ${error.message}`);
  else console.error(error);
  process.exitCode = 1;
});
