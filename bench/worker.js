'use strict';

// One workload, one implementation, one fresh process, one JSON line on stdout:
//   OWOX_API_ORIGIN=... OWOX_API_KEY_ID=... OWOX_API_KEY_SECRET=... \
//     node bench/worker.js <baseline|native> <workload>
// Credentials come from the environment so the secret stays out of the process list.

const { loadImplementation } = require('./implementations');
const { measure } = require('./measure');
const { WORKLOADS } = require('./workloads');

async function main() {
  const [implName, workloadName] = process.argv.slice(2);
  const workload = WORKLOADS[workloadName];
  if (!workload) throw new Error(`unknown workload "${workloadName}" (known: ${Object.keys(WORKLOADS).join(', ')})`);

  const credentials = {
    apiOrigin: process.env.OWOX_API_ORIGIN,
    apiKeyId: process.env.OWOX_API_KEY_ID,
    apiKeySecret: process.env.OWOX_API_KEY_SECRET,
  };
  // Loading the module is kept outside the measurement: both sides pay it once per process,
  // and the workloads are about clients, not about `require`.
  const Client = loadImplementation(implName);
  // What the streaming workloads read: the data mart the server seeded with rows.
  const context = { dataMartId: process.env.OWOX_BENCH_DATA_MART_ID };
  const result = await measure(() => workload.run(() => new Client(credentials), context));

  process.stdout.write(`${JSON.stringify({ impl: implName, workload: workloadName, ...result })}\n`);
  // Idle keep-alive sockets must not hold the process (or the harness) open.
  process.exit(0);
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
