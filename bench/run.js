'use strict';

// `npm run bench`: the native client against the fetch baseline, side by side.
//   BENCH_RUNS=5                       pairs per workload (median of these)
//   BENCH_WORKLOADS=bigList,smallSeq   a subset (default: all)
//   BENCH_CANDIDATE=baseline           exercise the harness with the baseline on both sides
//   BENCH_ROWS=100000                  rows of the streaming workloads (default 1,000,000)

const { execFile } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { promisify } = require('node:util');

const { loadImplementation } = require('./implementations');
const { startServerProcess } = require('./server-process');
const { WORKLOADS, DATASETS } = require('./workloads');
const { summarize, machine, formatTable, formatTargets, formatMachine } = require('./report');
const { evaluateTargets } = require('./targets');

const EXCHANGE_PATH = '/api/auth/api-keys/exchange';
const RESULTS_FILE = path.join(__dirname, 'results.json');

function settings() {
  const runs = Number(process.env.BENCH_RUNS ?? 5);
  if (!Number.isInteger(runs) || runs < 1) throw new Error('BENCH_RUNS must be a positive integer');
  const workloads = (process.env.BENCH_WORKLOADS || Object.keys(WORKLOADS).join(','))
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  for (const name of workloads) {
    if (!WORKLOADS[name]) throw new Error(`unknown workload "${name}" (known: ${Object.keys(WORKLOADS).join(', ')})`);
  }
  // The iterate target is a ratio to the one-page reference, so one never runs without the other.
  if (workloads.includes('iterate') && !workloads.includes('onePage')) workloads.push('onePage');
  // Likewise the flat-memory target compares a long stream with a short one.
  if (workloads.includes('streamRows') && !workloads.includes('streamRowsShort')) workloads.push('streamRowsShort');
  return { runs, workloads, candidate: process.env.BENCH_CANDIDATE || 'native' };
}

async function runWorker(impl, workload, server) {
  const { credentials } = server;
  const { stdout } = await promisify(execFile)(process.execPath, [path.join(__dirname, 'worker.js'), impl, workload], {
    env: {
      ...process.env,
      OWOX_API_ORIGIN: credentials.apiOrigin,
      OWOX_API_KEY_ID: credentials.apiKeyId,
      OWOX_API_KEY_SECRET: credentials.apiKeySecret,
      ...(server.dataMartId === undefined ? {} : { OWOX_BENCH_DATA_MART_ID: server.dataMartId }),
    },
    timeout: 180_000,
  });
  return JSON.parse(stdout.trim().split('\n').pop());
}

// Counted on the server, not reported by the client: a client that skipped requests (or
// cached answers) would show here.
async function serverCounts(server) {
  return { requests: await server.count({}), exchanges: await server.count({ path: EXCHANGE_PATH }) };
}

async function measureOnce(impl, workload, server) {
  const before = await serverCounts(server);
  const result = await runWorker(impl, workload, server);
  const after = await serverCounts(server);
  const exchanges = after.exchanges - before.exchanges;
  return {
    ...result,
    requests: after.requests - before.requests,
    exchanges,
    exchangesPerClient: exchanges / (result.facts.clients ?? 1),
    // Streaming workloads report the rows they read; the others have no rate.
    rowsPerSec: result.facts.rows === undefined ? NaN : result.facts.rows / (result.wallMs / 1000),
  };
}

async function main() {
  const { runs, workloads, candidate } = settings();
  try {
    loadImplementation(candidate);
  } catch (error) {
    console.error(`bench: cannot load the "${candidate}" client: ${error.message}`);
    console.error('Build it first (npm run build), or try the harness alone with BENCH_CANDIDATE=baseline.');
    process.exitCode = 1;
    return;
  }

  // Before the servers start, so the load average shows other work, not ours.
  const host = machine();
  const datasetNames = [...new Set(workloads.map((name) => WORKLOADS[name].dataset))];
  console.error(`bench: starting ${datasetNames.length} server process(es): ${datasetNames.join(', ')}`);
  const servers = Object.fromEntries(
    await Promise.all(datasetNames.map(async (name) => [name, await startServerProcess(DATASETS[name])])),
  );

  try {
    const samples = {};
    for (const workload of workloads) {
      const server = servers[WORKLOADS[workload].dataset];
      samples[workload] = { baseline: [], candidate: [] };
      // One unrecorded pair first: the server builds and caches its pages and warms its JIT
      // on first use, and that cost belongs to neither side.
      for (const impl of ['baseline', candidate]) await measureOnce(impl, workload, server);
      // A B A B: drift in the machine (thermal, other tenants) lands on both sides alike.
      for (let run = 1; run <= runs; run++) {
        for (const [side, impl] of [['baseline', 'baseline'], ['candidate', candidate]]) {
          const result = await measureOnce(impl, workload, server);
          samples[workload][side].push(result);
          console.error(
            `  ${workload} ${run}/${runs} ${impl}: ` +
              `wall ${result.wallMs.toFixed(0)} ms, cpu ${result.cpuMs.toFixed(0)} ms, rss ${result.peakRssMb.toFixed(0)} MB`,
          );
        }
      }
    }

    const results = summarize(samples, candidate);
    const targets = evaluateTargets(results);
    fs.writeFileSync(
      RESULTS_FILE,
      `${JSON.stringify({ date: new Date().toISOString(), machine: host, runs, candidate, results, targets }, null, 2)}\n`,
    );

    console.log(`\nMachine: ${formatMachine(host)}; median of ${runs} interleaved runs per side.\n`);
    console.log(formatTable(results));
    if (targets.length > 0) console.log(`\n${formatTargets(targets)}`);
    console.log(`\nFull figures: ${path.relative(process.cwd(), RESULTS_FILE)}`);
  } finally {
    await Promise.all(Object.values(servers).map((server) => server.close()));
  }
}

main().catch((error) => {
  console.error(error.stack ?? error);
  process.exitCode = 1;
});
