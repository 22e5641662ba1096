// Runs a few client calls in a fresh process (so environment variables read at construction
// time, like HTTPS_PROXY, NODE_EXTRA_CA_CERTS or OWOX_LOG, can be set per test) and prints
// one JSON line with the outcome of each call on stdout.
//
// Usage: node transport-child.mjs '<json spec>'
//   spec = { client: { ...OWOXApiClient options }, calls: [{ call: 'storages.list', options?: {...} }, ...] }
//   or     { runs: [spec, spec, ...] }  (several clients, one after another; prints { runs: [...] })

import { OWOXApiClient } from '@owox/api-client';

const spec = JSON.parse(process.argv[2]);

function describeError(error) {
  return {
    name: error?.name,
    message: error?.message,
    code: error?.code,
    status: error?.status,
    attempts: error?.attempts,
    cause: error?.cause === undefined ? undefined : String(error.cause?.message ?? error.cause),
  };
}

async function runOne({ client: options, calls = [] }) {
  let client;
  try {
    client = new OWOXApiClient(options);
  } catch (error) {
    return { constructError: describeError(error) };
  }
  const results = [];
  for (const { call, options: callOptions } of calls) {
    const [resource, method] = call.split('.');
    try {
      const value =
        method === undefined ? await client[resource](callOptions) : await client[resource][method](callOptions);
      results.push({ ok: true, value });
    } catch (error) {
      results.push({ ok: false, error: describeError(error) });
    }
  }
  return { results };
}

const output = spec.runs ? { runs: [] } : await runOne(spec);
for (const one of spec.runs ?? []) output.runs.push(await runOne(one));
process.stdout.write(JSON.stringify(output) + '\n');
