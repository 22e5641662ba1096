// The seed's agent example in CommonJS form.
const { OWOXApiClient, OWOXApiError } = require('@owox/api-client');

async function main() {
  const client = new OWOXApiClient({
    apiOrigin: process.env.OWOX_API_ORIGIN, apiKeyId: process.env.OWOX_API_KEY_ID,
    apiKeySecret: process.env.OWOX_API_KEY_SECRET,
  });
  const [dataMarts, storages, destinations] = await Promise.all([
    client.dataMarts.list(), client.storages.list(), client.destinations.list(),
  ]);
  console.log(JSON.stringify({ dataMarts, storages, destinations }, null, 2));
}

main().catch((error) => {
  console.error(error instanceof OWOXApiError ? `OWOX API call failed: ${error.message}` : error);
  process.exitCode = 1;
});
