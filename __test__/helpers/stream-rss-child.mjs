// Child process for stream-stop.test.mjs: reads every row of a data-mart stream (up to
// `limit`) and prints { rows, maxRssBytes } as JSON, so the parent compares the peak memory
// of a short and a long read without its own server's memory in the figure. With
// `raw: true` it reads the body of client.getStream() instead and reports { bytes }.
// argv: <json { credentials, martId, limit?, raw? }>

import { OWOXApiClient } from '@owox/api-client';

const { credentials, martId, limit, raw } = JSON.parse(process.argv[2]);
const client = new OWOXApiClient({ ...credentials, maxRetries: 0 });
const maxRssBytes = () => process.resourceUsage().maxRSS * 1024;
if (raw) {
  const query = limit === undefined ? undefined : { limit: String(limit) };
  const response = await client.getStream(`/api/external/http-data/data-marts/${martId}.ndjson`, query);
  let bytes = 0;
  for await (const chunk of response.body) bytes += chunk.byteLength;
  process.stdout.write(`${JSON.stringify({ bytes, maxRssBytes: maxRssBytes() })}\n`);
} else {
  const traversal = await client.dataMarts.traverseData(martId, limit === undefined ? {} : { limit });
  let rows = 0;
  for await (const chunk of traversal.rowChunks()) rows += chunk.length;
  process.stdout.write(`${JSON.stringify({ rows, maxRssBytes: maxRssBytes() })}\n`);
}
