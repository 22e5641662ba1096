'use strict';

// Each workload names the server dataset it needs and does its work through `createClient`,
// so the same code drives the baseline and the native client. Every workload checks what it
// got back: an implementation that returns less must fail, not win.

const DATASETS = {
  // A project of realistic size: the small-call workloads measure per-call and per-client
  // overhead, which a 10-page mart list would drown.
  small: { dataMarts: 100 },
  tenThousand: { dataMarts: 10_000 },
  hundredThousand: { dataMarts: 100_000 },
};

function expectArray(what, value, length) {
  if (!Array.isArray(value)) throw new Error(`${what}: expected an array`);
  if (length !== undefined && value.length !== length) {
    throw new Error(`${what}: expected ${length} items, got ${value.length}`);
  }
}

async function bigList(createClient) {
  const client = createClient();
  for (let round = 0; round < 3; round++) {
    expectArray('dataMarts.list', await client.dataMarts.list(), DATASETS.tenThousand.dataMarts);
  }
  return { lists: 3 };
}

async function smallSeq(createClient) {
  const client = createClient();
  for (let call = 0; call < 2000; call++) expectArray('storages.list', await client.storages.list());
  return { calls: 2000 };
}

async function smallConc(createClient) {
  const client = createClient();
  let started = 0;
  const lane = async () => {
    while (started < 2000) {
      started++;
      expectArray('destinations.list', await client.destinations.list());
    }
  };
  await Promise.all(Array.from({ length: 64 }, lane));
  return { calls: started, inFlight: 64 };
}

async function coldStart(createClient) {
  for (let i = 0; i < 20; i++) {
    const client = createClient();
    const [marts, storages, destinations] = await Promise.all([
      client.dataMarts.list(),
      client.storages.list(),
      client.destinations.list(),
    ]);
    expectArray('dataMarts.list', marts, DATASETS.small.dataMarts);
    expectArray('storages.list', storages);
    expectArray('destinations.list', destinations);
  }
  return { clients: 20 };
}

async function iterate(createClient) {
  const client = createClient();
  let seen = 0;
  for await (const dataMart of client.dataMarts.iterate()) {
    if (typeof dataMart.id !== 'string') throw new Error('iterate: item without an id');
    seen++;
  }
  if (seen !== DATASETS.hundredThousand.dataMarts) throw new Error(`iterate: saw ${seen} items`);
  return { items: seen };
}

// The reference `iterate` is judged against: a process holding one full page.
async function onePage(createClient) {
  const client = createClient();
  const held = [];
  for await (const dataMart of client.dataMarts.iterate()) {
    held.push(dataMart);
    if (held.length === 1000) break;
  }
  expectArray('first page', held, 1000);
  return { items: held.length };
}

const WORKLOADS = {
  bigList: { dataset: 'tenThousand', run: bigList },
  smallSeq: { dataset: 'small', run: smallSeq },
  smallConc: { dataset: 'small', run: smallConc },
  coldStart: { dataset: 'small', run: coldStart },
  iterate: { dataset: 'hundredThousand', run: iterate },
  onePage: { dataset: 'hundredThousand', run: onePage },
};

module.exports = { DATASETS, WORKLOADS };
