'use strict';

// @owox/api-client/testing: a local OWOX-compatible server and realistic fixtures for tests
// and benchmarks of code that uses the client. Test-only; never needed in production.

const { startTestServer } = require('./server');
const { generateDataMarts, generateStorages, generateDestinations } = require('./fixtures');
const { encodeApiKey } = require('./credentials');

module.exports = { startTestServer, generateDataMarts, generateStorages, generateDestinations, encodeApiKey };
