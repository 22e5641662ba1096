'use strict';

// Loaded lazily so that a process only pays for the implementation it measures, and so the
// harness still runs the baseline while the native addon is not built yet.
const IMPLEMENTATIONS = {
  baseline: () => require('./baseline-client').BaselineClient,
  native: () => require('..').OWOXApiClient,
};

function loadImplementation(name) {
  const load = IMPLEMENTATIONS[name];
  if (!load) throw new Error(`unknown implementation "${name}" (known: ${Object.keys(IMPLEMENTATIONS).join(', ')})`);
  const Client = load();
  if (typeof Client !== 'function') throw new Error(`implementation "${name}" exports no client class`);
  return Client;
}

module.exports = { loadImplementation };
