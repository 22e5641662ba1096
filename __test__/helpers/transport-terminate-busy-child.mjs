// Terminates many worker threads while each has calls of every kind in flight (lists with
// and without an AbortSignal, data-mart walks with prefetches), then checks that the main
// thread still works. A use-after-free in the addon shows up here as a crash (SIGSEGV)
// rather than as a wrong answer. Prints { rounds, mainMarts } as JSON.

import { Worker, isMainThread, workerData, parentPort } from 'node:worker_threads';
import { OWOXApiClient } from '@owox/api-client';

const MARTS = 2500;

if (isMainThread) {
  const { startTestServer, generateDataMarts } = await import('@owox/api-client/testing');
  const server = await startTestServer({ dataMarts: generateDataMarts(MARTS), recordRequests: false });
  const ROUNDS = 24;
  for (let round = 0; round < ROUNDS; round++) {
    const worker = new Worker(new URL(import.meta.url), { workerData: server.credentials });
    await new Promise((resolve) => worker.once('message', resolve));
    // Somewhere between starting the calls and the middle of their pages.
    await new Promise((resolve) => setTimeout(resolve, 5 + (round % 6) * 10));
    await worker.terminate();
  }
  const mainMarts = (await new OWOXApiClient(server.credentials).dataMarts.list()).length;
  await server.close();
  process.stdout.write(`${JSON.stringify({ rounds: ROUNDS, mainMarts })}\n`);
} else {
  const client = new OWOXApiClient(workerData);
  const signal = new AbortController().signal;
  const walk = async () => {
    for await (const mart of client.dataMarts.iterate({ signal })) if (!mart.id) throw new Error('no id');
  };
  const calls = [
    client.dataMarts.list(),
    client.dataMarts.list({ signal }),
    walk(),
    client.storages.list({ signal }),
    client.destinations.list(),
    client.auth.getContext({ signal }),
  ];
  parentPort.postMessage('started');
  await Promise.allSettled(calls);
}
