'use strict';

const { fork } = require('node:child_process');
const { once } = require('node:events');
const path = require('node:path');
const readline = require('node:readline');

// The harness's handle on one bench/server.js child.
async function startServerProcess(dataset) {
  const args = [dataset.dataMarts, dataset.rows, dataset.chunkBytes].filter((value) => value !== undefined).map(String);
  const child = fork(path.join(__dirname, 'server.js'), args, {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const lines = readline.createInterface({ input: child.stdout });
  const { dataMartId, ...credentials } = await new Promise((resolve, reject) => {
    lines.once('line', (line) => resolve(JSON.parse(line)));
    child.once('exit', (code) => reject(new Error(`bench server exited (${code}) before it was ready`)));
  });
  lines.close();

  return {
    credentials,
    // The published data mart that streams the dataset's rows, when it has rows.
    dataMartId,
    // The harness asks one question at a time, so the next message is the answer.
    async count(filter) {
      child.send({ count: filter });
      const [reply] = await once(child, 'message');
      return reply.count;
    },
    async close() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.disconnect();
      await exited;
    },
  };
}

module.exports = { startServerProcess };
