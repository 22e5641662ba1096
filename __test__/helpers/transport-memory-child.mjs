// Memory soak for the transport suite, run as `node --expose-gc transport-memory-child.mjs <json>`
// against a server in the parent process (so only the client's memory is measured here).
// Prints one JSON line: RSS and heap after a warm-up, after 10,000 sequential calls and after
// 1,000 concurrent calls (each after a full GC and a short settle).

import { OWOXApiClient } from '@owox/api-client';

const { credentials, sequential = 10_000, concurrent = 1_000, warmup = 500 } = JSON.parse(process.argv[2]);
const client = new OWOXApiClient({ ...credentials, maxRetries: 0, timeout: 30_000 });

const settle = () => new Promise((resolve) => setTimeout(resolve, 100));
async function snapshot() {
  for (let i = 0; i < 3; i++) {
    globalThis.gc();
    await settle();
  }
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers };
}

let items = 0;
async function one() {
  const storages = await client.storages.list();
  items += storages.length;
}

// Warm-up: connection pool, tokio workers, JIT, allocator arenas.
for (let i = 0; i < warmup; i++) await one();
await Promise.all(Array.from({ length: Math.min(concurrent, 1000) }, one));
const before = await snapshot();

const t0 = performance.now();
for (let i = 0; i < sequential; i++) await one();
const sequentialMs = performance.now() - t0;
const afterSequential = await snapshot();

const t1 = performance.now();
await Promise.all(Array.from({ length: concurrent }, one));
const concurrentMs = performance.now() - t1;
const afterConcurrent = await snapshot();

process.stdout.write(
  JSON.stringify({ before, afterSequential, afterConcurrent, sequentialMs, concurrentMs, items }) + '\n',
);
