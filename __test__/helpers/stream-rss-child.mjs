// Child process for stream-stop.test.mjs: reads every row of a data-mart stream (up to
// `limit`) and prints { rows, maxRssBytes } as JSON, so the parent compares the peak memory
// of a short and a long read without its own server's memory in the figure.
// argv: <json { credentials, martId, limit? }>

import { OWOXApiClient } from '@owox/api-client';

const { credentials, martId, limit } = JSON.parse(process.argv[2]);
const client = new OWOXApiClient({ ...credentials, maxRetries: 0 });
const traversal = await client.dataMarts.traverseData(martId, limit === undefined ? {} : { limit });
let rows = 0;
for await (const chunk of traversal.rowChunks()) rows += chunk.length;
process.stdout.write(`${JSON.stringify({ rows, maxRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`);
