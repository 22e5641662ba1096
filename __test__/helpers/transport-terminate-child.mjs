// Terminates worker threads while their requests are in flight, then checks the main thread
// still works and the process exits normally. Runs its own test server (in this process)
// and prints { ok, counts, mainStorages, workerErrors } as JSON.

import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { OWOXApiClient } from '@owox/api-client';
import { startTestServer } from '@owox/api-client/testing';

const server = await startTestServer();
const STORAGES = { path: '/api/data-storages' };
const WORKERS = 4;
// Two workers wait on a request that never returns; two get an answer 300 ms later, after
// they were terminated (their reply arrives for a JavaScript thread that is gone).
server.inject({ ...STORAGES, times: 2 }, { hang: true });
server.inject({ ...STORAGES, times: 2 }, { passthrough: true, delayMs: 300 });

const workerErrors = [];
const workers = Array.from({ length: WORKERS }, () => {
  const worker = new Worker(fileURLToPath(new URL('./transport-worker.mjs', import.meta.url)), {
    workerData: { credentials: server.credentials, mode: 'hang' },
  });
  worker.on('error', (error) => workerErrors.push(String(error)));
  worker.on('message', (m) => m?.unexpected && workerErrors.push(m.unexpected));
  return worker;
});
await Promise.all(workers.map((w) => new Promise((resolve) => w.once('message', resolve))));
// Wait until every worker's request reached the server.
const deadline = Date.now() + 5000;
while (server.count(STORAGES) < WORKERS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
const seenBeforeTerminate = server.count(STORAGES);
const exitCodes = await Promise.all(workers.map((w) => w.terminate()));
// Let the delayed answers arrive for the terminated workers.
await new Promise((r) => setTimeout(r, 500));

const client = new OWOXApiClient({ ...server.credentials, maxRetries: 0 });
const mainStorages = (await client.storages.list()).length;
const result = {
  seenBeforeTerminate,
  exitCodes,
  mainStorages,
  storagesCount: server.count(STORAGES),
  exchangeCount: server.count({ path: '/api/auth/api-keys/exchange' }),
  workerErrors,
};
await server.close();
process.stdout.write(JSON.stringify(result) + '\n');
