// Worker-thread body for the transport suite. workerData = { credentials, mode }.
//   mode 'calls': runs a few calls with its own client and posts { storages, marts, context }.
//   mode 'hang' : posts 'started', then awaits a call the server never answers (the main
//                 thread terminates the worker meanwhile).

import { parentPort, workerData } from 'node:worker_threads';
import { OWOXApiClient } from '@owox/api-client';

const { credentials, mode } = workerData;
const client = new OWOXApiClient({ ...credentials, maxRetries: 0 });

if (mode === 'calls') {
  const storages = await client.storages.list();
  const marts = await client.dataMarts.list();
  const context = await client.auth.getContext();
  let iterated = 0;
  for await (const _ of client.dataMarts.iterate()) iterated++;
  parentPort.postMessage({ storages, marts, context, iterated });
} else if (mode === 'hang') {
  parentPort.postMessage('started');
  await client.storages.list().catch((error) => parentPort.postMessage({ unexpected: String(error) }));
}
