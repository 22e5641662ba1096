// Does some client work against a server in the parent process, then lets the script end.
// Prints { work, exitDelayMs } from the 'exit' event: how long Node stayed alive after the
// work was done (keep-alive sockets, timers or threads must not hold it).
// Usage: node transport-exit-child.mjs '<json { credentials, scenario }>'

import { writeSync } from 'node:fs';
import { OWOXApiClient } from '@owox/api-client';

const { credentials, scenario } = JSON.parse(process.argv[2]);
const client = new OWOXApiClient({ ...credentials, maxRetries: 0, timeout: 300 });
const work = {};

switch (scenario) {
  case 'calls':
    work.storages = (await client.storages.list()).length;
    work.marts = (await client.dataMarts.list()).length;
    work.context = typeof (await client.auth.getContext()).project;
    break;
  case 'iterate-break':
    for await (const _ of client.dataMarts.iterate()) {
      work.firstMart = true;
      break; // prefetches may still be in flight
    }
    break;
  case 'timeout':
    work.error = await client.storages.list().then(() => 'resolved', (e) => e.code);
    break;
  case 'abort': {
    const controller = new AbortController();
    const pending = client.storages.list({ signal: controller.signal, timeout: 60_000 });
    setTimeout(() => controller.abort(), 100);
    work.error = await pending.then(() => 'resolved', (e) => e.name);
    break;
  }
  case 'unused':
    work.origin = client.origin;
    break;
  default:
    throw new Error(`unknown scenario ${scenario}`);
}

const doneAt = performance.now();
process.on('exit', () => {
  writeSync(1, JSON.stringify({ work, exitDelayMs: performance.now() - doneAt }) + '\n');
});
