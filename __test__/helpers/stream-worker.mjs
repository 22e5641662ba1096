// Worker-thread body for stream-stop.test.mjs: opens a data-mart stream with its own
// client, reads one batch, posts { runId, rows }, then waits (reading nothing more) for the
// main thread to terminate it. workerData = { credentials, martId }.

import { parentPort, workerData } from 'node:worker_threads';
import { OWOXApiClient } from '@owox/api-client';

const { credentials, martId } = workerData;
const client = new OWOXApiClient({ ...credentials, maxRetries: 0 });
const traversal = await client.dataMarts.traverseData(martId);
const chunks = traversal.rowChunks()[Symbol.asyncIterator]();
const { value } = await chunks.next();
parentPort.postMessage({ runId: traversal.runId, rows: value.length });
// Keep the worker alive with the stream open until it is terminated.
setInterval(() => {}, 1000);
