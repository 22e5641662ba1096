// Runs with its stderr closed by the parent (writes fail with EPIPE): creates a client with
// an unreadable NODE_EXTRA_CA_CERTS (a diagnostic line at construction) and, with
// OWOX_LOG=info, makes a call (a log line per attempt). Prints what happened on stdout.

import { OWOXApiClient } from '@owox/api-client';

// Give the parent time to close our stderr before the first diagnostic line.
await new Promise((resolve) => setTimeout(resolve, 300));
const client = new OWOXApiClient(JSON.parse(process.argv[2]));
const storages = await client.storages.list();
process.stdout.write(JSON.stringify({ storages: storages.length }) + '\n');
